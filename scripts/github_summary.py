"""A Markdown job summary from `formalai-lint check --format json` (used by action.yml).

GitHub shows at most 10 error and 10 warning annotations per step; the summary lists every
finding (up to LIMIT rows, far below the summary's 1 MiB cap) with counts per rule first.
Paths are relative to GITHUB_WORKSPACE when the lint root is inside it. Standard library only:
it runs with whatever Python the workflow has.

    python scripts/github_summary.py report.json >> "$GITHUB_STEP_SUMMARY"
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

LIMIT = 1000


def cell(text: object) -> str:
    """A table cell: pipes escaped, line breaks as spaces, backticks kept literal."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def prefix(root: str, workspace: str | None) -> str:
    if not workspace:
        return ""
    try:
        rel = Path(root).resolve().relative_to(Path(workspace).resolve()).as_posix()
    except ValueError:
        return ""
    return "" if rel == "." else rel + "/"


def render(report: dict[str, Any], workspace: str | None = None) -> str:
    found = report.get("diagnostics", [])
    s = report.get("summary", {})
    lead = prefix(str(report.get("root", "")), workspace)
    out = [
        "## formalai-lint",
        "",
        f"{s.get('errors', 0)} error(s), {s.get('warnings', 0)} warning(s) in "
        f"{s.get('files_with_findings', 0)} of {s.get('files', 0)} file(s) checked.",
    ]
    if not found:
        return "\n".join(out) + "\n"
    names = {d["rule"]: d.get("name", "") for d in found}
    severity = {d["rule"]: d.get("severity", "") for d in found}
    out += ["", "| rule | name | severity | findings |", "|---|---|---|---:|"]
    for rule, n in sorted(Counter(d["rule"] for d in found).items(), key=lambda kv: (-kv[1], kv[0])):
        out.append(f"| {rule} | `{cell(names[rule])}` | {severity[rule]} | {n} |")
    out += ["", "| file | line | rule | severity | message |", "|---|---:|---|---|---|"]
    for d in found[:LIMIT]:
        out.append(
            f"| {cell(lead + d['path'])} | {d['line']} | {d['rule']} | {d['severity']} | {cell(d['message'])} |"
        )
    if len(found) > LIMIT:
        out += ["", f"… and {len(found) - LIMIT} more (download the SARIF or run `formalai-lint check` locally)."]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: github_summary.py REPORT.json", file=sys.stderr)
        return 2
    report = json.loads(Path(argv[1]).read_text("utf-8"))
    sys.stdout.write(render(report, os.environ.get("GITHUB_WORKSPACE")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
