"""Findings as compact positional rows: the form the findings entries and the run record store.

Half the JSON of dicts, and each row goes straight into the constructor. A context longer
than `_SHARED_CONTEXT` that repeats an earlier finding's is stored as that finding's index:
every TeX finding carries its whole formula, so 20,000 unclosed braces in a 20 KB formula
made a 400 MB entry (quadratic in the file); now it is about 2 MB. A fix equal to an earlier
finding's is stored the same way, and decodes to that finding's `Fix` object: the findings of
one stale TOC share its regenerated text (on the shared corpus 1.1 of the 2.9 MB of fixes;
on ten copies, decoded once per finding, they were most of the parent's memory).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..diagnostics import Diagnostic, Fix, Related, Severity, Suggestion
from ..document.serde import decoder, encoder

_SEVERITIES = {s.value: s for s in Severity}
_SHARED_CONTEXT = 64


class RowError(ValueError):
    """Stored rows that do not decode (the entry holding them is a miss)."""


def diagnostic_rows(path: str, diagnostics: Sequence[Diagnostic]) -> list[list[Any]]:
    """`diagnostics` as rows; a finding on `path` stores no path of its own."""
    encode_suggestion, encode_fix, encode_related = encoder(Suggestion), encoder(Fix), encoder(tuple[Related, ...])
    first: dict[str, int] = {}
    fixes: dict[Fix, int] = {}
    rows = []
    for i, d in enumerate(diagnostics):
        context: str | int = d.context
        if len(d.context) > _SHARED_CONTEXT:
            earlier = first.setdefault(d.context, i)
            context = earlier if earlier != i else d.context
        fix: Any = None
        if d.fix is not None:
            earlier = fixes.setdefault(d.fix, i)
            fix = earlier if earlier != i else encode_fix(d.fix)
        rows.append(
            [
                None if d.path == path else d.path, d.line, d.column, d.rule_id, d.message, d.severity.value,
                d.end_line, d.end_column, None if d.suggestion is None else encode_suggestion(d.suggestion), context,
                fix, encode_related(d.related) if d.related else None,
            ]
        )
    return rows


def diagnostics_from_rows(path: str, rows: Any) -> list[Diagnostic]:
    """The findings `diagnostic_rows(path, ...)` stored; raises RowError if they do not fit."""
    decode_suggestion, decode_fix, decode_related = decoder(Suggestion), decoder(Fix), decoder(tuple[Related, ...])
    severities = _SEVERITIES
    out: list[Diagnostic] = []
    try:
        for p, line, column, rule, message, sev, end_line, end_column, sug, context, fix, related in rows:
            if isinstance(context, int):
                if not 0 <= context < len(out):
                    raise RowError("a finding's context points at no earlier finding")
                context = out[context].context
            if isinstance(fix, int) and not isinstance(fix, bool):
                if not 0 <= fix < len(out) or out[fix].fix is None:
                    raise RowError("a finding's fix points at no earlier fix")
                shared: Fix | None = out[fix].fix
            else:
                shared = None if fix is None else decode_fix(fix)
            if not (isinstance(line, int) and isinstance(column, int) and isinstance(rule, str)
                    and isinstance(message, str) and isinstance(context, str) and (p is None or isinstance(p, str))):
                raise RowError("a finding row has a field of the wrong type")
            out.append(
                Diagnostic(
                    p or path, line, column, rule, message, severities[sev], end_line, end_column,
                    None if sug is None else decode_suggestion(sug), context,
                    shared, () if related is None else decode_related(related),
                )
            )
    except (TypeError, KeyError, ValueError) as exc:
        raise RowError(str(exc)) from None
    return out
