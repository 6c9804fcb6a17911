"""Academic reference lists: styles as data, identifier checks, and an item parser."""

from __future__ import annotations

from .identifiers import Identifier, find_identifiers
from .match import ParsedReference, StyleMatch, best_match, match_style, parse_reference
from .schema import (
    Family,
    Part,
    ReferenceSchema,
    ReferenceSchemaError,
    Style,
    default_schema,
    family_for,
    schema_for,
)

__all__ = [
    "Family",
    "Identifier",
    "ParsedReference",
    "Part",
    "ReferenceSchema",
    "ReferenceSchemaError",
    "Style",
    "StyleMatch",
    "best_match",
    "default_schema",
    "family_for",
    "find_identifiers",
    "match_style",
    "parse_reference",
    "schema_for",
]
