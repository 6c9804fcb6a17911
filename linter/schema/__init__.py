"""Document-type schemas: load and validate them, and find the one that applies to a path.

The engine calls `schema_resolver(config.schemas)` once and passes the result as
`schema_for`; each `DocContext.schema` is then the `Schema` of that document (or None).
"""

from __future__ import annotations

from .loader import SchemaError, meta_schema, read_schema_file
from .model import DataFile, LevelNumbering, MetadataSpec, Preset, Schema, SectionList, SectionSpec, TocSpec
from .resolve import build_mapping, load_preset, load_schema, resolve, schema_resolver

__all__ = [
    "DataFile",
    "LevelNumbering",
    "MetadataSpec",
    "Preset",
    "Schema",
    "SchemaError",
    "SectionList",
    "SectionSpec",
    "TocSpec",
    "build_mapping",
    "load_preset",
    "load_schema",
    "meta_schema",
    "read_schema_file",
    "resolve",
    "schema_resolver",
]
