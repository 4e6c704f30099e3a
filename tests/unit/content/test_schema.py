"""The JSON Schemas editors' IDEs use: committed, generated from contested/schema.py, and linked
from every bundled YAML file."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from support import FIXTURES, REPO, run_build

from contested.content import schema as spec

SCHEMAS = {"story": REPO / "schemas" / "story.schema.json",
           "actors": REPO / "schemas" / "actors.schema.json"}
SCHEMA_LINE = "# yaml-language-server: $schema="
BUNDLED = sorted((REPO / "site_data").rglob("*.yaml"))


def schema_for(path: Path) -> str:
    return "actors" if path.name == "actors.yaml" else "story"


def validator(which: str) -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMAS[which].read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("which", sorted(SCHEMAS))
def test_committed_schema_matches_the_generator(which):
    proc = run_build(REPO, "schema", which)
    assert proc.returncode == 0, proc.stderr
    assert SCHEMAS[which].read_text(encoding="utf-8") == proc.stdout, \
        f"schemas/{which}.schema.json is out of date: run `make schemas`"


def test_bundled_data_exists():
    assert REPO / "site_data" / "actors.yaml" in BUNDLED
    assert any(p.parent.name == "stories" for p in BUNDLED)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.relative_to(REPO).as_posix())
def test_bundled_yaml_validates_against_its_schema(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in validator(schema_for(path)).iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.relative_to(REPO).as_posix())
def test_bundled_yaml_names_its_schema_on_the_first_line(path):
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first.startswith(SCHEMA_LINE)
    target = (path.parent / first.removeprefix(SCHEMA_LINE)).resolve()
    assert target == SCHEMAS[schema_for(path)]
    assert target.is_file()


@pytest.mark.parametrize("path", [FIXTURES / "minimal" / "site_data" / "actors.yaml",
                                  FIXTURES / "minimal" / "site_data" / "stories" / "minimal.yaml",
                                  FIXTURES / "warnings.yaml"], ids=lambda p: p.name)
def test_valid_fixtures_validate(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(validator(schema_for(path)).iter_errors(data)) == []


@pytest.mark.parametrize(("name", "where", "keyword"), [
    ("unknown-key.yaml", "", "additionalProperties"),
    ("missing-key.yaml", "", "required"),
    ("bad-enum.yaml", "status", "enum"),
    ("list-for-text.yaml", "title", "type"),
    ("text-for-list.yaml", "claims/0/sources", "type"),
    ("null-for-text.yaml", "summary", "type"),
    ("malformed-date.yaml", "published", "pattern"),
    ("url-javascript.yaml", "sources/memo/url", "pattern"),
    ("url-ftp.yaml", "sources/report/url", "pattern"),
    ("bad-id.yaml", "claims/0/id", "pattern"),
    ("bad-source-id.yaml", "sources", "pattern"),  # via propertyNames
])
def test_schema_catches_what_an_ide_can(name, where, keyword):
    data = yaml.safe_load((FIXTURES / "broken" / name).read_text(encoding="utf-8"))
    found = {("/".join(map(str, e.absolute_path)), e.validator) for e in validator("story").iter_errors(data)}
    assert (where, keyword) in found


def test_actors_schema_catches_a_bad_kind():
    data = yaml.safe_load((FIXTURES / "broken" / "actors" / "bad-kind.yaml").read_text(encoding="utf-8"))
    errors = validator("actors").iter_errors(data)
    found = [("/".join(map(str, e.absolute_path)), e.validator) for e in errors]
    assert found == [("alibaba/kind", "enum")]


def test_schema_follows_the_spec():
    story = json.loads(SCHEMAS["story"].read_text(encoding="utf-8"))
    assert list(story["properties"]) == list(spec.STORY.fields)
    assert story["required"] == [k for k, f in spec.STORY.fields.items() if f.required]
    assert story["additionalProperties"] is False
    claim = story["properties"]["claims"]["items"]
    assert list(claim["properties"]) == list(spec.CLAIM.fields)
    assert claim["properties"]["verification"]["enum"] == list(spec.VERIFICATIONS)
    assert claim["properties"]["kind"]["enum"] == list(spec.CLAIM_KINDS)
    assert "verification" not in claim["required"]  # only allegations and assertions carry one
    response = story["properties"]["responses"]["items"]
    assert response["properties"]["claims"]["uniqueItems"] is True
    assert response["properties"]["stance"]["enum"] == list(spec.STANCES)
    source = story["properties"]["sources"]["additionalProperties"]
    assert source["properties"]["kind"]["enum"] == list(spec.SOURCE_KINDS)
    assert source["properties"]["via"]["pattern"] == spec.ID_PATTERN
    actors = json.loads(SCHEMAS["actors"].read_text(encoding="utf-8"))
    assert actors["additionalProperties"]["properties"]["kind"]["enum"] == list(spec.ACTOR_KINDS)
    assert actors["propertyNames"] == {"pattern": spec.ID_PATTERN}


@pytest.mark.parametrize(("value", "valid"), [
    ("2020", True), ("2025-11", True), ("2025-11-14", True), ("c. 2020", True), ("unknown", True),
    (2020, True), ("14/11/2025", False), ("Nov 2025", False), ("c.2020", False),
])
def test_schema_date_forms(value, valid):
    story = yaml.safe_load((FIXTURES / "minimal" / "site_data" / "stories" / "minimal.yaml").read_text())
    story["published"] = value
    assert validator("story").is_valid(story) is valid
