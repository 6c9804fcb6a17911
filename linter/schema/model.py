"""A document-type schema as typed, frozen data (built from a validated YAML file).

The YAML format is defined by `schemas/meta-schema.json`; `linter.schema.loader` checks a
file against it before building these records, so the code here can trust the shapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

NumberStyleSpec = Literal["cjk", "dotted", "arabic", "none"]


@dataclass(frozen=True, slots=True)
class SectionSpec:
    """One expected section. Without `title` it matches any heading no other item claims
    (the standard's "三、[核心内容]" slots)."""

    name: str  # shown in messages: 核心结论, "core section"
    title: re.Pattern[str] | None = None  # searched in the heading title, number stripped
    required: bool = False
    repeat: bool = False
    separator_before: bool = False
    children: SectionList | None = None

    @property
    def wildcard(self) -> bool:
        return self.title is None


@dataclass(frozen=True, slots=True)
class SectionList:
    items: tuple[SectionSpec, ...] = ()
    closed: bool = False  # True: a heading matching no item is unexpected


@dataclass(frozen=True, slots=True)
class LevelNumbering:
    style: NumberStyleSpec
    start: int = 1
    # dotted headings: the number starts with the parent heading's number (`## 四、` > `### 4.1`)
    parent_prefix: bool = True
    contiguous: bool = True


@dataclass(frozen=True, slots=True)
class TocSpec:
    required: bool = False
    levels: tuple[int, ...] = (2, 3)  # heading levels the TOC lists
    check_text: bool = True
    check_order: bool = True
    check_depth: bool = True


@dataclass(frozen=True, slots=True)
class MetadataSpec:
    required: tuple[str, ...] = ()
    unique: bool = True
    colon: Literal["full", "half", "any"] = "any"
    created: tuple[str, ...] = ()  # keys holding the creation date
    updated: tuple[str, ...] = ()  # keys holding the last-update date
    placeholder: re.Pattern[str] | None = None
    # JSON Schema the {key: value} instance is validated against (format: date etc.)
    values: dict[str, Any] = field(default_factory=dict)

    def date_keys(self) -> tuple[str, ...]:
        props = self.values.get("properties", {})
        return tuple(k for k, v in props.items() if isinstance(v, dict) and v.get("format") == "date")


@dataclass(frozen=True, slots=True)
class Schema:
    name: str
    source: str  # the file it was loaded from (for messages)
    description: str = ""
    title_matches_filename: bool = False
    sections: SectionList | None = None
    numbering: dict[int, LevelNumbering] = field(default_factory=dict)  # by heading level
    toc: TocSpec | None = None
    metadata: MetadataSpec | None = None
    # read by the references and math rules (linter.references.schema): which reference
    # family these documents belong to, and the labels that introduce a formula
    references: dict[str, Any] | None = None
    formula_labels: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class DataFile:
    """A data file under schemas/ that is not a document schema (references.yaml)."""

    kind: str
    source: str


@dataclass(frozen=True, slots=True)
class PresetEntry:
    glob: str
    schema: str  # a schema file name relative to the preset's folder


@dataclass(frozen=True, slots=True)
class Preset:
    name: str
    source: str
    entries: tuple[PresetEntry, ...]
