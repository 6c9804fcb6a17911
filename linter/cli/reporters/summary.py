"""Counts shared by the reporters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from ...diagnostics import Diagnostic


def summarize(diagnostics: Iterable[Diagnostic], files: int) -> dict[str, Any]:
    diags = list(diagnostics)
    by_severity = Counter(d.severity.value for d in diags)
    return {
        "files": files,
        "files_with_findings": len({d.path for d in diags}),
        "errors": by_severity.get("error", 0),
        "warnings": by_severity.get("warning", 0),
        "infos": by_severity.get("info", 0),
        "by_rule": dict(sorted(Counter(d.rule_id for d in diags).items())),
    }
