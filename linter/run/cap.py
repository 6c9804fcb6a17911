"""At most N findings per rule per file in a report; the rest become one "and N more".

A hostile or broken file (100,000 headings, one paragraph of 100,000 dead links) would
otherwise print a finding per line and make every reporter, CI annotation and terminal pay
for it. The cap applies to what is reported, after suppressions and the baseline, so a
baseline still records every finding and a suppression still silences the one it names.
`max-findings-per-rule` in the config file or `--max-findings-per-rule` on the command line
sets N (default `DEFAULT_MAX_FINDINGS`, 200; 0 reports everything).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..diagnostics import Diagnostic


def __getattr__(name: str) -> Any:
    # the default lives with the settings; imported on use, as a warm run never asks for it
    if name == "DEFAULT_MAX_FINDINGS":
        from ..config.settings import DEFAULT_MAX_FINDINGS

        return DEFAULT_MAX_FINDINGS
    raise AttributeError(name)


def cap_findings(diagnostics: Sequence[Diagnostic], limit: int) -> list[Diagnostic]:
    """`diagnostics` (sorted) with at most `limit` per (file, rule), each rule's rest folded
    into one finding at the first one left out; `limit` 0 keeps everything."""
    if limit <= 0:
        return list(diagnostics)
    seen: dict[tuple[str, str], int] = {}
    hidden: dict[tuple[str, str], list[Diagnostic]] = {}
    out: list[Diagnostic] = []
    for d in diagnostics:
        key = (d.path, d.rule_id)
        n = seen.get(key, 0) + 1
        seen[key] = n
        if n <= limit:
            out.append(d)
        else:
            hidden.setdefault(key, []).append(d)
    if not hidden:
        return out
    for (path, rule), rest in hidden.items():
        first = rest[0]
        worst = max(rest, key=lambda d: d.severity.rank).severity
        out.append(
            Diagnostic(
                path, first.line, first.column, rule,
                f"and {len(rest)} more {rule} finding(s) in this file, not shown "
                f"(max-findings-per-rule is {limit}; 0 shows all)",
                worst,
                context=f"{rule} findings past {limit}",
            )
        )
    return sorted(out, key=Diagnostic.sort_key)
