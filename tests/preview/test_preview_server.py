"""`build.py serve` as an editor meets it: a busy port, a mistake in the data, rapid saves, and a
web page elsewhere trying to read the preview (DNS rebinding). Real processes, real HTTP."""

from __future__ import annotations

import os
import re
import signal
import socket
import time
from pathlib import Path

from support.preview import (
    PAGE,
    STARTUP_SECONDS,
    STORY,
    TITLE,
    UPDATE_SECONDS,
    Server,
    fetch,
    free_port,
    get,
    minimal_project,
    running_preview,
    wait_for,
)

GENERATION = "/__contested_preview__/generation"


def test_a_second_preview_on_a_busy_port_says_which_port_is_free_and_port_works(tmp_path: Path) -> None:
    first_root, second_root = minimal_project(tmp_path / "a"), minimal_project(tmp_path / "b")
    port = free_port()
    first = Server(first_root, "--port", str(port))
    second = third = None
    try:
        wait_for(lambda: TITLE in fetch(f"http://127.0.0.1:{port}/{PAGE}"), STARTUP_SECONDS, "first preview")
        second = Server(second_root, "--port", str(port))
        said = second.finish()
        assert second.process.returncode == 1
        assert "Traceback" not in said and len(said.strip().splitlines()) == 1, said
        named = re.search(r"port (\d+) is free, run `build.py serve --port \1`", said)
        assert named and f"port {port} is busy" in said, said
        free = int(named.group(1))
        with socket.socket() as probe:  # the port named is really free
            probe.bind(("127.0.0.1", free))
        third = Server(second_root, "--port", str(free))
        wait_for(lambda: TITLE in fetch(f"http://127.0.0.1:{free}/{PAGE}"), STARTUP_SECONDS, "--port")
        assert TITLE in fetch(f"http://127.0.0.1:{port}/{PAGE}"), "the first preview was disturbed"
    finally:
        for server in (first, second, third):
            if server:
                server.stop()
    assert "Traceback" not in first.text() + (third.text() if third else "")


def test_the_same_project_previewed_twice_gets_one_line(tmp_path: Path) -> None:
    root = minimal_project(tmp_path / "project")
    first = Server(root, "--port", str(free_port()))
    try:
        wait_for(lambda: "previewing on" in first.text(), STARTUP_SECONDS, "first preview")
        second = Server(root, "--port", str(free_port()))
        said = second.finish()
        assert second.process.returncode == 1 and "Traceback" not in said
        assert f"already being previewed by process {first.process.pid}" in said, said
    finally:
        first.stop()


def test_the_preview_answers_only_requests_addressed_to_this_machine(tmp_path: Path) -> None:
    root = minimal_project(tmp_path / "project")
    with running_preview(root) as (server, port, url):
        for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", "localhost"):
            status, body = get(url, host)
            assert status == 200 and TITLE in body, host
        # What a browser sends after DNS rebinding: the attacker's name, pointing here.
        for host in (f"attacker.example:{port}", "attacker.example", f"127.0.0.1.nip.io:{port}",
                     f"localhost.attacker.example:{port}", f"[::2]:{port}", "", "localhost:80@evil"):
            status, body = get(url, host)
            assert status in (403, 421) and TITLE not in body, (host, status)
        assert get(f"http://127.0.0.1:{port}{GENERATION}", f"evil.example:{port}")[0] == 403


def test_a_data_error_shows_in_the_page_until_it_is_fixed(tmp_path: Path) -> None:
    root = minimal_project(tmp_path / "project")
    story = root / STORY
    with running_preview(root) as (server, port, url):
        before = fetch(f"http://127.0.0.1:{port}{GENERATION}")
        good = story.read_text(encoding="utf-8")
        story.write_text(good.replace("verification: unconfirmed", "verification: unconfirmd"),
                         encoding="utf-8")
        wait_for(lambda: "contested-preview-error" in fetch(url), UPDATE_SECONDS, "the error in the page")
        page = fetch(url)
        box = page[page.index('id="contested-preview-error"'):]
        line = good.splitlines().index("    verification: unconfirmed") + 1
        assert f"site_data/stories/minimal.yaml:{line}:" in box and "unconfirmd" in box, box[:2000]
        assert TITLE in page, "the last good page stays under the error"
        # The page polls this to reload itself: it changed, so an open page reloads and shows the error.
        assert fetch(f"http://127.0.0.1:{port}{GENERATION}") != before
        assert "contested-preview-error" in fetch(f"http://127.0.0.1:{port}/"), "every page shows it"
        time.sleep(1)  # still there while the file is wrong
        assert "contested-preview-error" in fetch(url)

        story.write_text(good.replace(TITLE, TITLE + " (fixed)"), encoding="utf-8")
        wait_for(lambda: "(fixed)" in fetch(url), UPDATE_SECONDS, "the fixed page")
        assert "contested-preview-error" not in fetch(url)
    out = server.text()
    assert "Traceback" not in out, out
    # The engine's own chatter (its INFO lines, its notes for MkDocs developers) never reaches editors.
    assert not re.search(r"^(INFO|WARNING|DEBUG)\b", out, re.MULTILINE), out
    assert "dirty" not in out.lower(), out


def test_rapid_saves_end_at_the_last_save(tmp_path: Path) -> None:
    """The red team's case: 20 saves 0.1 s apart; the served page must reach save 20 and stay."""
    root = minimal_project(tmp_path / "project")
    story = root / STORY
    good = story.read_text(encoding="utf-8")
    with running_preview(root) as (server, port, url):
        for burst in range(1, 4):
            for save in range(1, 21):
                story.write_text(good.replace(TITLE, f"{TITLE} ({burst}.{save:02d})"), encoding="utf-8")
                time.sleep(0.1)
            last = f"{TITLE} ({burst}.20)"
            wait_for(lambda last=last: last in fetch(url), UPDATE_SECONDS, f"burst {burst} at save 20")
            time.sleep(1.5)  # a late regeneration of an older save would show here
            assert last in fetch(url), f"burst {burst}: the page went back to an older save"
    assert "Traceback" not in server.text()


def test_the_preview_survives_its_engine_being_killed(tmp_path: Path) -> None:
    root = minimal_project(tmp_path / "project")
    story = root / STORY
    with running_preview(root) as (server, port, url):
        children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children").read_text().split()
        assert children, "the preview runs its engine in a process of its own"
        for child in children:
            os.kill(int(child), signal.SIGKILL)  # as the out-of-memory killer would
        time.sleep(0.5)
        story.write_text(story.read_text(encoding="utf-8").replace(TITLE, f"{TITLE} (after the kill)"),
                         encoding="utf-8")
        wait_for(lambda: "(after the kill)" in fetch(url), UPDATE_SECONDS, "the edit after the engine died")
        assert "contested-preview-error" not in fetch(url)
    assert "Traceback" not in server.text()
