"""content/ pages' front matter: a mistake MkDocs would publish as text is an error at its line and
column, through `check_site` as `build.py check` runs it."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import FIXTURES, copy_project

from contested.build.runner import check_site
from contested.content.front_matter import check_content_pages
from contested.diagnostics import Report


def _page(root: Path, name: str, text: str) -> None:
    path = root / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _findings(root: Path) -> list[tuple[str, int, int, str, str]]:
    report = Report()
    check_content_pages(root / "content", root, report)
    return [(d.file, d.line, d.col, d.code, d.message) for d in report.sorted()]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p", source=FIXTURES / "minimal")


# The bug that shipped: an unquoted ": " in the description. MkDocs showed "title: … description: …"
# as the page's first paragraph and the build did not notice.
def test_an_unquoted_colon_is_an_error_at_its_line_and_column(root):
    _page(root, "rules.md", "---\ntitle: Rules\ndescription: The rules: what counts\n---\n\n# Rules\n")
    [(file, line, col, code, message)] = _findings(root)
    assert (file, line, col, code) == ("content/rules.md", 3, 23, "front-matter")
    assert "not valid YAML" in message and "as text" in message


def test_the_error_fails_check_site_with_a_hint(root):
    _page(root, "rules.md", "---\ntitle: Rules\ndescription: The rules: what counts\n---\n")
    result = check_site(root / "site_data", root)
    [error] = result.report.errors
    assert error.file == "content/rules.md" and 'in double quotes' in error.hint
    assert result.report.failed()


def test_valid_pages_pass(root):
    _page(root, "a.md", '---\ntitle: A\ndescription: "Quoted: fine"\n---\n\n# A\n')
    _page(root, "b.md", "# No front matter at all\n\nA horizontal rule below is not front matter.\n\n---\n")
    _page(root, "sub/c.md", "---\n\n---\n# Empty front matter, as MkDocs reads it\n")
    _page(root, "d.md", "---\r\ntitle: Windows line ends\r\n---\r\n")
    assert _findings(root) == []


@pytest.mark.parametrize("text, line, col, message", [
    ("---\ntitle: Never closed\n\n# Page\n", 1, 1, "never closed"),
    ("---\n---\n# Page\n", 1, 1, "is empty"),
    ("\n\n---\ntitle: Late\n---\n", 3, 1, "must begin on the page's first line"),
    ("---\n- a list\n- not keys\n---\n", 2, 1, "must be `key: value` lines"),
    ("---\ntitle: One\ntitle: Two\n---\n", 3, 1, "`title` is given twice"),
    ("---\ntitle: [a, b]\n---\n", 2, 8, "`title` must be text on one line"),
    ("---\ntitle: A\ndescription:\n---\n", 3, 13, "`description` must be text on one line"),
    ('---\ntitle: "unclosed\n---\n', 3, 1, "not valid YAML"),
])
def test_each_mistake_is_named_where_it_is(root, text, line, col, message):
    _page(root, "page.md", text)
    [(file, at_line, at_col, code, said)] = _findings(root)
    assert (file, at_line, at_col, code) == ("content/page.md", line, col, "front-matter")
    assert message in said


def test_non_markdown_files_and_a_missing_folder_are_not_read(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "data.json").write_text("---\nnot: front: matter\n---\n", encoding="utf-8")
    assert _findings(tmp_path) == []
    assert _findings(tmp_path / "nowhere") == []
