"""The native parse path stays bounded on hostile inputs: every attack of tests/test_bounded.py
and the ones that broke other native parsers (issue 17: 30,000 nested `>` segfaulted comrak;
``[` `` panicked markdown-it-pyrs), compared at two sizes (the ratio, never seconds), and the
native `Document` is the reference's (or the document is refused and parsed by markdown-it)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from linter.document import parsers
from linter.document.model import Document
from linter.document.parse import parse_text

pytest.importorskip("pyromark")

from tests.test_bounded import LINEAR, PARSER_ATTACKS, _growth  # noqa: E402

NATIVE_ATTACKS: list[tuple[str, Callable[[int], str], int]] = [
    *PARSER_ATTACKS,
    # (timed at 30,000 and 120,000: at 7,500 the parse takes milliseconds, all noise)
    ("30,000 nested > (and 120,000)", lambda n: ">" * n + " a\n", 120_000),
    ("30,000 lines of nested > quotes", lambda n: "".join(">" * (i % 50) + " a\n" for i in range(n)), 30_000),
    ("100,000 [", lambda n: "[" * n + "\n", 100_000),
    ("100,000 [`", lambda n: "[`" * n + "\n", 100_000),
    ("[` ` 50,000 times", lambda n: "[` `" * n + "\n", 50_000),
    # (timed at 400,000 and 1,600,000: from 100,000 the native parse grows ~6x for 4x, near the
    # bound on a loaded machine, while above 400,000 it is ~4.5x: a constant start-up cost, not a
    # quadratic step, which would be 16x at every size)
    ("400,000 $", lambda n: "$" * n + "\n", 1_600_000),
    ("50,000 $a", lambda n: "$a " * n + "\n", 50_000),
    ("50,000 ** unclosed", lambda n: "**a " * n + "\n", 50_000),
    ("20,000 nested list items", lambda n: "".join("  " * i + "- a\n" for i in range(min(n, 2000))) * (n // 2000), 20_000),
    ("30,000 table rows", lambda n: "| a | b |\n|---|---|\n" + "| $x$ | [l](#y) |\n" * n, 30_000),
    ("20,000 lines in one $$ block", lambda n: "$$\n" + "a\n" * n + "$$\n", 20_000),
]


def _native(text: str) -> Document:
    return parse_text(text, "x.md", parser=parsers.PULLDOWN)


@pytest.mark.parametrize(("name", "make", "n"), NATIVE_ATTACKS, ids=[a[0] for a in NATIVE_ATTACKS])
def test_native_parser_is_linear(name: str, make: Callable[[int], str], n: int) -> None:
    assert _growth(make, n, _native) < LINEAR, name


@pytest.mark.parametrize(("name", "make"), [(a[0], a[1]) for a in NATIVE_ATTACKS], ids=[a[0] for a in NATIVE_ATTACKS])
def test_native_document_is_the_reference_one_on_hostile_input(name: str, make: Callable[[int], str]) -> None:
    text = make(400)
    assert _native(text) == parse_text(text, "x.md", parser=parsers.MARKDOWN_IT), name
