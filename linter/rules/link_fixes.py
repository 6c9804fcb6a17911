"""Unsafe fixes for broken links whose repair one candidate clearly gives.

The link checker marks a verdict `repair` only when its suggestion is the single clear
candidate (the only heading equal up to dashes or number, the only file one `../` away or
of that name, or the rename git recorded). The fix rewrites just that part of the
destination as written: the fragment, or the path before `?`/`#`. It stays unsafe: it is a
guess about what the author meant, and the description says where the guess came from.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ..diagnostics import Applicability, Diagnostic, Fix
from ..links.check import Verdict
from ..links.locate import fragment_edit, path_edit


def repair_fix(path: str, lines: Sequence[str], v: Verdict) -> Fix | None:
    if v.repair is None or v.suggestion is None:
        return None
    part, value = v.repair
    if part == "fragment":
        edit = fragment_edit(path, lines, v.line, v.column, v.dest, value)
    else:
        edit = path_edit(path, lines, v.line, v.column, v.dest, value)
    if edit is None:
        return None
    why = f" ({v.suggestion.description})" if v.suggestion.description else ""
    return Fix((edit,), Applicability.UNSAFE, f"point the link at {v.suggestion.replacement}{why}")


def with_repair(d: Diagnostic, lines: Sequence[str], v: Verdict) -> Diagnostic:
    """`d` with the verdict's repair attached as its fix, when there is one."""
    fix = repair_fix(d.path, lines, v)
    return d if fix is None else dataclasses.replace(d, fix=fix)
