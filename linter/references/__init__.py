"""Academic reference lists: styles as data, identifier checks, and an item parser."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..util.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from .identifiers import Identifier, find_identifiers
    from .subitems import SubItem, cites_a_work, names_authors, sub_items
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

# imported on first use: the rules' module imports should not pay for the item parser
__getattr__ = lazy_exports(
    __name__,
    {
        "Identifier": ".identifiers",
        "find_identifiers": ".identifiers",
        "SubItem": ".subitems",
        "cites_a_work": ".subitems",
        "names_authors": ".subitems",
        "sub_items": ".subitems",
        "ParsedReference": ".match",
        "StyleMatch": ".match",
        "best_match": ".match",
        "match_style": ".match",
        "parse_reference": ".match",
        "Family": ".schema",
        "Part": ".schema",
        "ReferenceSchema": ".schema",
        "ReferenceSchemaError": ".schema",
        "Style": ".schema",
        "default_schema": ".schema",
        "family_for": ".schema",
        "schema_for": ".schema",
    },
)

__all__ = [
    "SubItem",
    "cites_a_work",
    "names_authors",
    "sub_items",
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
