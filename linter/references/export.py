"""The parsed reference lists of a document, as JSON-able data (`formalai-lint parse`)."""

from __future__ import annotations

from typing import Any

from ..document.model import Document
from .items import classify
from .match import parse_reference
from .schema import family_for


def references_data(doc: Document, doc_schema: Any = None) -> list[dict[str, Any]]:
    """One entry per reference section: its items with authors, year, title, venue, ids."""
    family = family_for(doc_schema, doc.path)
    out: list[dict[str, Any]] = []
    for section in doc.references:
        citations = family.is_citation_section(section.title) and not family.is_internal_section(section.title)
        items = []
        for item in section.items:
            kind = classify(item)
            parsed = parse_reference(item.text.strip(), family.styles, item.line, item.number)
            items.append(
                {
                    "line": item.line,
                    "number": item.number,
                    "kind": kind,
                    "style": parsed.style,
                    "valid": parsed.style is not None,
                    "authors": list(parsed.authors),
                    "year": parsed.year,
                    "title": parsed.title,
                    "venue": parsed.venue,
                    "note": parsed.note,
                    "identifiers": [
                        {"kind": i.kind, "value": i.value, "valid": i.valid} for i in parsed.identifiers
                    ],
                    "text": item.text,
                }
            )
        out.append(
            {
                "heading_line": section.heading_line,
                "title": section.title,
                "family": family.name,
                "citations": citations,
                "items": items,
            }
        )
    return out
