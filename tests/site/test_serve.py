"""`build.py serve`: the live preview follows YAML edits and survives a YAML mistake."""

from __future__ import annotations

import re
import time
from pathlib import Path

from support import copy_project
from support.preview import STARTUP_SECONDS, Server, fetch, free_port, wait_for

STORY = Path("site_data/stories/alibaba-pla-memo.yaml")
PAGE = "stories/alibaba-pla-memo/"
UPDATE_SECONDS = 10


def test_serve_follows_edits_and_survives_a_yaml_mistake(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    port = free_port()
    url = f"http://127.0.0.1:{port}/{PAGE}"
    story = root / STORY
    server = Server(root, "--port", str(port))
    try:
        wait_for(lambda: "Alibaba denies" in fetch(url), STARTUP_SECONDS)

        story.write_text(story.read_text().replace(
            "Alibaba denies\"\n", "Alibaba denies (edited in preview)\"\n", 1))
        took = wait_for(lambda: "Alibaba denies (edited in preview)" in fetch(url), UPDATE_SECONDS)
        assert took < UPDATE_SECONDS

        # an unclosed flow sequence: a YAML syntax error the editor must see with its position
        story.write_text(story.read_text().replace("tags: [alibaba,", "tags: [alibaba, [", 1))
        position = re.compile(r"site_data/stories/alibaba-pla-memo\.yaml:\d+:\d+")
        # the position and the closing "not updated" line arrive as separate writes: wait for both
        wait_for(lambda: bool(position.search(server.text())) and "preview not updated" in server.text(),
                 UPDATE_SECONDS)
        assert server.process.poll() is None, "the preview stopped on a data mistake"
        time.sleep(1)  # give a wrongly triggered rebuild the chance to show
        assert "Alibaba denies (edited in preview)" in fetch(url)
    finally:
        server.stop()
    assert "Traceback" not in server.text(), server.text()
