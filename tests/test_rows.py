"""Findings as stored rows (linter/run/rows.py): what repeats within one document's findings is
stored once (long contexts, equal fixes) and decodes to the same findings."""

from __future__ import annotations

import pytest

from linter.diagnostics import Applicability, Diagnostic, Fix, Severity, TextEdit
from linter.run.rows import RowError, diagnostic_rows, diagnostics_from_rows

TOC = Fix((TextEdit("a.md", 3, 1, 9, 1, "- [一、甲](#一甲)\n" * 40),), Applicability.SAFE, "regenerate the TOC")
OTHER = Fix((TextEdit("a.md", 1, 1, 1, 2, "#"),), Applicability.UNSAFE, "other")


def _finding(line: int, rule: str, fix: Fix | None) -> Diagnostic:
    return Diagnostic("a.md", line, 1, rule, f"finding {line}", Severity.ERROR, fix=fix)


def test_an_equal_fix_is_stored_once_and_decodes_to_one_object() -> None:
    found = [_finding(3, "TC002", TOC), _finding(4, "TC002", OTHER), _finding(5, "TC002", TOC),
             _finding(6, "TC002", None), _finding(7, "TC002", TOC)]
    rows = diagnostic_rows("a.md", found)
    assert [row[10] for row in rows][2:] == [0, None, 0]
    back = diagnostics_from_rows("a.md", rows)
    assert back == found
    assert back[2].fix is back[0].fix and back[4].fix is back[0].fix and back[1].fix == OTHER


@pytest.mark.parametrize("reference", [0, 1, 5, -1])
def test_a_fix_reference_to_no_earlier_fix_is_a_row_error(reference: int) -> None:
    """Index 0 is a finding without a fix, 1 the row itself, 5 past the end: a damaged entry."""
    rows = diagnostic_rows("a.md", [_finding(3, "TC002", None), _finding(4, "TC002", TOC)])
    rows[1][10] = reference
    with pytest.raises(RowError):
        diagnostics_from_rows("a.md", rows)
