"""The compiled serde decoders stay as strict as the general ones (a corrupt cache entry must
fail to decode, never decode to something else)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from linter.diagnostics import Diagnostic, Edit, Severity, Suggestion
from linter.document.model import Heading, HeadingNumber, Link
from linter.document.parse import parse_text
from linter.document.serde import decoder, document_from_data, document_to_data, encoder, to_data

DOC = parse_text("# 标题\n\n## 一、概述\n\n[a](b.md#x) $x$\n\n```\ncode\n```\n", "a/doc.md")


def test_fast_encoder_matches_generic_to_data() -> None:
    assert document_to_data(DOC) == to_data(DOC)
    assert document_from_data(json.loads(json.dumps(document_to_data(DOC)))) == DOC


@pytest.mark.parametrize(
    "patch",
    [
        {"line": "3"},  # a string for an int
        {"line": True},  # bool is not an int here
        {"level": 2.0},
        {"anchor": None},  # not optional
        {"number": {"style": "roman", "parts": [1], "raw": "I"}},  # not a NumberStyle
        {"number": {"style": "cjk", "parts": [1, "2"], "raw": "一"}},
        {"extra": 1},
    ],
)
def test_nested_corruption_is_rejected(patch: dict[str, Any]) -> None:
    data = to_data(Heading(3, 2, "一、概述", "一、概述", "一概述", HeadingNumber("cjk", (1,), "一")))
    with pytest.raises(ValueError):
        decoder(Heading)({**data, **patch})


def test_missing_field_with_default_uses_it() -> None:
    data = to_data(Link("b.md", "b", 1, 2, "relative"))
    del data["autolink"]
    assert decoder(Link)(data) == Link("b.md", "b", 1, 2, "relative")
    del data["line"]
    with pytest.raises((ValueError, TypeError)):
        decoder(Link)(data)


def test_diagnostics_round_trip_with_enum_and_suggestion() -> None:
    d = Diagnostic("a.md", 3, 1, "MK010", "m", Severity.WARNING, 3, 4,
                   Suggestion("x", "d", "b.md", 7, (Edit(3, 1, "a", "b"),)), context="ctx")
    data = json.loads(json.dumps(encoder(Diagnostic)(d)))
    assert data["severity"] == "warning"
    back = decoder(Diagnostic)(data)
    assert back == d and back.context == "ctx"
    with pytest.raises(ValueError):
        decoder(Diagnostic)({**data, "severity": "fatal"})
