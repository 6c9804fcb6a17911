"""Reference styles and section patterns, loaded from `schemas/formalai/references.yaml`.

A style is data: a sequence of named parts (authors, year, title, venue, note), each a regex
fragment that must match where the previous one ended. Keeping the parts separate (rather
than one opaque regex per style) is what lets a finding name the part that is missing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..resources import schemas_dir
from ..util.escape import excerpt
from ..util.globs import selects
from ..util.regex_safety import UnsafePattern, check_pattern
from ..util.safe_read import read_bytes

MAX_BYTES = 1024 * 1024  # a references data file is a few KB; a cap keeps a hostile one cheap

DATA_FILE = "formalai/references.yaml"


class ReferenceSchemaError(ValueError):
    """The reference data file is malformed (a one-line message names the problem)."""


@dataclass(frozen=True, slots=True)
class Part:
    name: str  # authors, year, colon, title, venue, note
    label: str  # what the message calls it: "the venue in italics (`*Venue*`)"
    pattern: str  # a regex fragment, matched right after the previous part
    optional: bool = False


@dataclass(frozen=True, slots=True)
class Style:
    key: str
    name: str
    example: str
    parts: tuple[Part, ...]

    def prefix(self, count: int) -> re.Pattern[str]:
        """The regex of the first `count` parts (optional parts may be empty)."""
        return _compile(self, count)


@lru_cache(maxsize=256)
def _compile(style: Style, count: int) -> re.Pattern[str]:
    body = "".join(
        f"(?:{p.pattern})?" if p.optional else f"(?:{p.pattern})" for p in style.parts[:count]
    )
    return re.compile(body, re.S)


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    paths: tuple[str, ...]
    citation_sections: tuple[re.Pattern[str], ...]
    internal_sections: tuple[re.Pattern[str], ...]
    styles: tuple[Style, ...]

    def is_citation_section(self, title: str) -> bool:
        return any(p.search(title) for p in self.citation_sections)

    def is_internal_section(self, title: str) -> bool:
        return any(p.search(title) for p in self.internal_sections)


@dataclass(frozen=True, slots=True)
class ReferenceSchema:
    styles: Mapping[str, Style]
    families: tuple[Family, ...]
    formula_labels: tuple[str, ...]

    def family_for(self, path: str) -> Family:
        """The first family whose `paths` glob matches (`**` spans folders).

        An absolute path (`formalai-lint parse /abs/concepts/01-x/a.md`) has no known root,
        so its trailing components are tried too, longest first.
        """
        parts = path.split("/")
        candidates = ["/".join(parts[i:]) for i in range(len(parts))] if path.startswith("/") else [path]
        for fam in self.families:
            if fam.paths == ("**",):
                continue
            if any(selects(g, c) for c in candidates for g in fam.paths):
                return fam
        return next((f for f in self.families if f.paths == ("**",)), self.families[-1])

    def family(self, name: str) -> Family | None:
        return next((f for f in self.families if f.name == name), None)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ReferenceSchemaError(f"{where}: expected a list of strings")
    return tuple(value)


def _regexes(value: Any, where: str) -> tuple[re.Pattern[str], ...]:
    out = []
    for text in _strings(value, where):
        try:
            out.append(re.compile(text, re.I))
            check_pattern(text)
        except (re.error, UnsafePattern) as exc:
            raise ReferenceSchemaError(f"{where}: bad pattern {text[:80]!r}: {exc}") from None
    return tuple(out)


def _style(key: str, data: Any) -> Style:
    if not isinstance(data, dict) or not isinstance(data.get("parts"), list) or not data["parts"]:
        raise ReferenceSchemaError(f"styles.{key}: expected a mapping with a non-empty `parts` list")
    parts = []
    for i, raw in enumerate(data["parts"]):
        if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) for k in ("name", "pattern")):
            raise ReferenceSchemaError(f"styles.{key}.parts[{i}]: expected `name` and `pattern` strings")
        try:
            re.compile(raw["pattern"])
            check_pattern(raw["pattern"])
        except (re.error, UnsafePattern) as exc:
            raise ReferenceSchemaError(f"styles.{key}.parts[{i}]: bad pattern: {exc}") from None
        parts.append(Part(raw["name"], str(raw.get("label", raw["name"])), raw["pattern"], bool(raw.get("optional", False))))
    return Style(key, str(data.get("name", key)), str(data.get("example", "")), tuple(parts))


def schema_from_data(data: Any) -> ReferenceSchema:
    """Validate and build a `ReferenceSchema` from the parsed YAML mapping."""
    if not isinstance(data, dict):
        raise ReferenceSchemaError("expected a mapping at the top level")
    raw_styles = data.get("styles")
    if not isinstance(raw_styles, dict) or not raw_styles:
        raise ReferenceSchemaError("`styles` must be a non-empty mapping")
    styles = {str(k): _style(str(k), v) for k, v in raw_styles.items()}
    raw_families = data.get("families")
    if not isinstance(raw_families, dict) or not raw_families:
        raise ReferenceSchemaError("`families` must be a non-empty mapping")
    families = []
    for name, fam in raw_families.items():
        where = f"families.{name}"
        if not isinstance(fam, dict):
            raise ReferenceSchemaError(f"{where}: expected a mapping")
        keys = _strings(fam.get("styles"), f"{where}.styles")
        unknown = [k for k in keys if k not in styles]
        if unknown:
            raise ReferenceSchemaError(f"{where}.styles: unknown style {unknown[0]!r}")
        families.append(
            Family(
                str(name),
                _strings(fam.get("paths"), f"{where}.paths") or ("**",),
                _regexes(fam.get("citation_sections"), f"{where}.citation_sections"),
                _regexes(fam.get("internal_sections"), f"{where}.internal_sections"),
                tuple(styles[k] for k in keys) or tuple(styles.values()),
            )
        )
    labels = _strings(data.get("formula_labels"), "formula_labels")
    return ReferenceSchema(styles, tuple(families), labels)


def load_schema(path: Path) -> ReferenceSchema:
    try:
        # the C loader when PyYAML has it: this file is read at import time by the math rules
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        text = read_bytes(path, MAX_BYTES).decode("utf-8")  # stat first, size capped
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError) as exc:
        raise ReferenceSchemaError(f"cannot read {path.name}: {excerpt(str(exc), 200)}") from None
    return schema_from_data(data)


@lru_cache(maxsize=1)
def default_schema() -> ReferenceSchema:
    """The built-in data (schemas/formalai/references.yaml), loaded once."""
    return load_schema(schemas_dir() / DATA_FILE)


def schema_for(doc_schema: Any) -> ReferenceSchema:
    """The reference schema a document's schema points at, else the built-in one.

    The family schema (issue 3's `linter.schema`) may carry a `references` mapping, either
    the data itself or `{ref: "references.yaml"}`; anything else falls back to the default.
    """
    refs = _get(doc_schema, "references")
    if isinstance(refs, ReferenceSchema):
        return refs
    if isinstance(refs, Mapping) and "styles" in refs:
        return schema_from_data(dict(refs))
    return default_schema()


def family_for(doc_schema: Any, path: str) -> Family:
    """The document's reference family: named by its schema, else matched on the path."""
    schema = schema_for(doc_schema)
    refs = _get(doc_schema, "references")
    name = _get(refs, "family") if refs is not None else None
    if isinstance(name, str) and schema.family(name) is not None:
        fam = schema.family(name)
        assert fam is not None
        return fam
    return schema.family_for(path)


def formula_labels(doc_schema: Any, fallback: Sequence[str]) -> tuple[str, ...]:
    """Labels that introduce a formula: the document schema's, else `fallback`."""
    labels = _get(doc_schema, "formula_labels")
    if isinstance(labels, (list, tuple)) and all(isinstance(x, str) for x in labels):
        return tuple(labels)
    return tuple(fallback)


def _get(obj: Any, key: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(key)
    return getattr(obj, key, None)
