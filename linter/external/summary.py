"""The external part of the `links --external` audit: results per URL, where each URL is linked,
and the same facts as text, JSON-ready data and an HTML fragment (escaped, no script, no CDN).

The links command stays a thin layer: it calls `run_external`, then appends `render_text()`,
puts `to_data()` under an "external" key, or inserts `html_section()` into its page.
"""

from __future__ import annotations

import html
import json
import time
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic
from ..document.model import Document
from .options import Options, options_from_mapping
from .report import DEFAULT_REPORT, RULE_ID, collect_urls, external_diagnostics
from .result import STATUSES, Result, Status

Where = tuple[str, int, int]  # path, line, column


@dataclass(frozen=True, slots=True)
class ExternalReport:
    results: Mapping[str, Result]  # by URL as written
    where: Mapping[str, tuple[Where, ...]]  # URL -> every place it is linked from
    diagnostics: tuple[Diagnostic, ...]  # the LK900 findings

    def counts(self) -> dict[Status, int]:
        """Distinct URLs per status (every status present, zeros included)."""
        c = Counter(r.status for r in self.results.values())
        return {s: c.get(s, 0) for s in STATUSES}

    def failing(self, report: Collection[Status] = DEFAULT_REPORT) -> list[Result]:
        return sorted((r for r in self.results.values() if r.status in report), key=lambda r: (r.status, r.url))

    def to_data(self) -> dict[str, Any]:
        return {
            "urls": len(self.results),
            "links": sum(len(w) for w in self.where.values()),
            "by_status": self.counts(),
            "results": [
                {**r.to_data(), "cached": r.cached,
                 "linked_from": [{"path": p, "line": ln, "column": col} for p, ln, col in self.where.get(u, ())]}
                for u, r in sorted(self.results.items())
            ],
        }

    def render_text(self, top: int = 50) -> str:
        c = self.counts()
        lines = [
            "",
            f"external links: {sum(len(w) for w in self.where.values())} links to {len(self.results)} URLs; "
            + ", ".join(f"{s} {n}" for s, n in c.items() if n),
        ]
        failing = self.failing()
        if failing:
            lines.append(f"not working ({len(failing)}):")
        for r in failing[:top]:
            first = self.where.get(r.url, ())
            at = f"{first[0][0]}:{first[0][1]}:{first[0][2]}" if first else "?"
            more = f" (+{len(first) - 1} more)" if len(first) > 1 else ""
            lines.append(f"  {at}{more}  {r.url}  {r.status}: {r.message}")
        if len(failing) > top:
            lines.append(f"  … {len(failing) - top} more (use --format json or html for all)")
        return "\n".join(lines) + "\n"

    def html_section(self) -> str:
        """A `<section>` for the HTML report: counts and a table of the links that do not work."""
        e = html.escape
        c = self.counts()
        rows = []
        for r in self.failing(DEFAULT_REPORT | {"timeout"}):
            places = "<br>".join(e(f"{p}:{ln}:{col}") for p, ln, col in self.where.get(r.url, ()))
            rows.append(
                f"<tr><td>{places}</td><td>{e(r.url)}</td><td>{e(r.status)}</td>"
                f"<td>{'' if r.code is None else r.code}</td><td>{e(r.message)}</td></tr>"
            )
        summary = ", ".join(f"{e(s)} {n}" for s, n in c.items() if n) or "none"
        table = (
            "<table><thead><tr><th>linked from</th><th>URL</th><th>status</th><th>code</th>"
            f"<th>detail</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
            if rows else "<p>Every checked external link works.</p>"
        )
        return (
            f"<section id='external'><h2>External links</h2><p>{len(self.results)} URLs checked: "
            f"{summary}.</p>{table}</section>"
        )


def run_external(
    docs: Sequence[Document],
    options: Options,
    *,
    report: Collection[Status] = DEFAULT_REPORT,
    sleep: Callable[[float], None] = time.sleep,
) -> ExternalReport:
    """Check every external link of `docs` (each distinct URL once)."""
    where: dict[str, list[Where]] = {}
    for doc in docs:
        for link in doc.links:
            if link.kind == "external":
                where.setdefault(link.dest.strip(), []).append((doc.path, link.line, link.column))
    from .checker import check_urls  # http.client and ssl only when URLs are checked

    results = check_urls(collect_urls(docs), options, sleep=sleep)
    diags = external_diagnostics(docs, results, report=report, rule_id=RULE_ID)
    return ExternalReport(results, {u: tuple(w) for u, w in where.items()}, tuple(diags))


def options_from_rule_settings(settings: Mapping[str, Any], root: Path) -> tuple[Options, frozenset[Status]]:
    """`Options` and the statuses to report from LK900's configured options (the
    `external-link-broken` entry of the config file), so `links --external` and `check`
    honour the same excludes, cache and limits."""
    values = dict(settings)
    report: set[Status] = set(DEFAULT_REPORT)
    if values.pop("report_timeouts", False):
        report.add("timeout")
    return options_from_mapping(values, base=root), frozenset(report)


def attach_to_report(fmt: str, rendered: str, report: ExternalReport) -> str:
    """Add the external results to a rendered `links` report: a text section, an "external"
    key in the JSON object, or a section before `</main>` (else `</body>`) of the HTML page.
    The DOT graph is of documents only and is returned unchanged."""
    if fmt == "text":
        return rendered + report.render_text()
    if fmt == "json":
        data = json.loads(rendered)
        if isinstance(data, dict):
            data["external"] = report.to_data()
            return json.dumps(data, ensure_ascii=False, indent=2)
        return rendered
    if fmt == "html":
        for marker in ("</main>", "</body>"):
            at = rendered.rfind(marker)
            if at >= 0:
                return rendered[:at] + report.html_section() + rendered[at:]
        return rendered + report.html_section()
    return rendered
