"""`check --statistics`: one line per rule with its count, name, severity and fixability
(ruff's `--statistics`), most frequent first, instead of one line per finding."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from ...api import LintResult
from ...rules import get_rule


def rows(result: LintResult) -> list[dict[str, Any]]:
    counts = Counter(d.rule_id for d in result.diagnostics)
    fixable = Counter(d.rule_id for d in result.diagnostics if d.fix is not None)
    severity = {d.rule_id: d.severity.value for d in result.diagnostics}
    out = []
    for rule_id, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        r = get_rule(rule_id)
        out.append({
            "rule": rule_id, "name": r.name if r else "", "count": n, "fixable": fixable[rule_id],
            "severity": severity[rule_id],
        })
    return out


def report(result: LintResult, out: TextIO, fmt: str = "text") -> None:
    table = rows(result)
    if fmt == "json":
        json.dump(table, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    wide = max((len(str(t["count"])) for t in table), default=1)
    for t in table:
        mark = "[*]" if t["fixable"] else "   "
        out.write(f"{t['count']:>{wide}}  {t['rule']}  {mark} {t['name']:<30} {t['severity']}\n")
    total = sum(t["count"] for t in table)
    out.write(f"\n{total} finding(s) of {len(table)} rule(s) in {len(result.files)} file(s) checked\n")
