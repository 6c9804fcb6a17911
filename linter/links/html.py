"""One self-contained HTML page for the link audit: no network, no CDN, no external file.

Charts are inline SVG computed here; the only script is a few lines that sort a table when
its header is clicked and filter the broken-link tables. Every corpus string is escaped.
A navigation bar links the sections; the header names the commit and the time; every document
and broken link links to its file, relative to the report and on GitHub when the remote is
known (linter.links.provenance).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from .audit import GROUP_ORDER, GROUPS, KINDS, Audit, top_folder
from .check import Verdict
from .provenance import ReportContext

_CSS = """
:root{--ok:#4c9a2a;--bad:#c62828;--muted:#6b7280;--line:#e5e7eb;--bg:#f8fafc;--ink:#111827;--accent:#1d4ed8}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;color:var(--ink);background:var(--bg)}
header{background:#0f172a;color:#f8fafc;padding:20px 32px}
header h1{margin:0 0 4px;font-size:22px;font-weight:600}
header p{margin:0;color:#cbd5e1}
main{max-width:1200px;margin:0 auto;padding:24px 32px 48px}
section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:18px 22px;margin:0 0 22px}
h2{font-size:17px;margin:0 0 12px}
h3{font-size:15px;margin:18px 0 8px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:14px;margin:0 0 22px}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:14px 16px}
.card .n{font-size:26px;font-weight:650}
.card .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card.bad .n{color:var(--bad)}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:22px;margin:0 0 22px}
@media (max-width:900px){.charts{grid-template-columns:1fr}}
.charts section{margin:0}
svg text{font-family:inherit;font-size:13px;fill:var(--ink)}
td.nowrap{white-space:nowrap}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#f1f5f9;position:sticky;top:0;cursor:pointer;user-select:none;white-space:nowrap}
th[data-dir=asc]::after{content:" \\25B2";font-size:10px}
th[data-dir=desc]::after{content:" \\25BC";font-size:10px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.bad{color:var(--bad);font-weight:600}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.sug{color:var(--ok)}
.muted{color:var(--muted)}
details{border-top:1px solid var(--line);padding:8px 0}
summary{cursor:pointer;font-weight:600}
.scroll{max-height:520px;overflow:auto;border:1px solid var(--line);border-radius:6px;margin-top:8px}
input.filter{width:100%;max-width:420px;padding:6px 10px;border:1px solid #cbd5e1;border-radius:6px;margin:4px 0 10px;font:inherit}
nav{position:sticky;top:0;z-index:2;background:#1e293b;padding:8px 32px;display:flex;flex-wrap:wrap;gap:14px}
nav a{color:#e2e8f0;text-decoration:none;font-size:13px}
nav a:hover{text-decoration:underline}
a.gh{font-size:11px;color:var(--muted);margin-left:6px}
.pill{display:inline-block;padding:0 8px;border-radius:999px;background:#fee2e2;color:var(--bad);font-size:12px}
"""

_JS = """
document.querySelectorAll('table.sortable th').forEach(function(th){th.addEventListener('click',function(){
 var table=th.closest('table'),body=table.tBodies[0],i=Array.prototype.indexOf.call(th.parentNode.children,th);
 var dir=th.dataset.dir==='asc'?'desc':'asc';table.querySelectorAll('th').forEach(function(h){delete h.dataset.dir});th.dataset.dir=dir;
 var val=function(r){var c=r.cells[i],t=c.dataset.v!==undefined?c.dataset.v:c.textContent.trim(),n=Number(t);return t!==''&&!isNaN(n)?n:t};
 Array.prototype.slice.call(body.rows).sort(function(a,b){var x=val(a),y=val(b),c=(typeof x==='number'&&typeof y==='number')?x-y:String(x).localeCompare(String(y));return dir==='asc'?c:-c}).forEach(function(r){body.appendChild(r)});
})});
document.querySelectorAll('input.filter').forEach(function(inp){inp.addEventListener('input',function(){
 var q=inp.value.toLowerCase();document.querySelectorAll(inp.dataset.target+' tbody tr').forEach(function(r){r.style.display=r.textContent.toLowerCase().indexOf(q)<0?'none':''})
})});
document.body.dataset.ready='1';
"""

_KIND_LABELS = {"anchor": "anchors", "file": "file links", "pseudo": "pseudo-links", "external": "external", "other": "other"}


def _table(headers: Sequence[tuple[str, bool]], rows: Iterable[Sequence[str]], table_id: str = "") -> str:
    """A sortable table; `headers` are (label, numeric); row cells are ready-made HTML."""
    ident = f' id="{table_id}"' if table_id else ""
    head = "".join(f'<th class="num">{escape(h)}</th>' if num else f"<th>{escape(h)}</th>" for h, num in headers)
    body = "\n".join("<tr>" + "".join(rows_cell for rows_cell in r) + "</tr>" for r in rows)
    return f'<table class="sortable"{ident}><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>'


def _td(text: object, num: bool = False, cls: str = "") -> str:
    classes = " ".join(c for c in ("num" if num else "", cls) if c)
    attr = f' class="{classes}"' if classes else ""
    return f"<td{attr}>{escape(str(text))}</td>"


def _code(text: str) -> str:
    return f"<td><code>{escape(text)}</code></td>"


def bar_chart(items: Sequence[tuple[str, int, int]], title: str) -> str:
    """Horizontal bars per label: the broken count in red over the total in grey."""
    if not items:
        return "<p class='muted'>No links.</p>"
    label_w, bar_w, row_h, top = 120, 300, 30, 6
    width = label_w + bar_w + 90
    height = top + row_h * len(items) + 8
    biggest = max(max(b for _, b, _ in items), 1)
    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(title)}">'
    ]
    for i, (label, broken, total) in enumerate(items):
        y = top + i * row_h
        w = broken / biggest * bar_w
        pct = f"{broken / total:.0%}" if total else "0%"
        parts.append(f'<text x="{label_w - 8}" y="{y + 19}" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="20" rx="3" fill="#f1f5f9"/>')
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="20" rx="3" fill="#c62828">'
            f"<title>{escape(label)}: {broken} broken of {total} internal links</title></rect>"
        )
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 19}">{broken} <tspan fill="#6b7280">({pct})</tspan></text>')
    parts.append("</svg>")
    return "".join(parts)


_BUCKETS = ((0, 0, "0"), (1, 1, "1"), (2, 2, "2"), (3, 5, "3–5"), (6, 10, "6–10"), (11, 20, "11–20"), (21, 50, "21–50"), (51, 1 << 30, "51+"))


def histogram(values: Sequence[int], title: str) -> str:
    """Column chart of how many documents have how many linking documents."""
    counts = [sum(1 for v in values if lo <= v <= hi) for lo, hi, _ in _BUCKETS]
    width, height, left, bottom, top = 520, 260, 40, 40, 16
    plot_h = height - bottom - top
    col_w = (width - left - 10) / len(_BUCKETS)
    biggest = max(max(counts), 1)
    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(title)}">']
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" stroke="#94a3b8"/>')
    for i, ((lo, _, label), n) in enumerate(zip(_BUCKETS, counts)):
        h = n / biggest * plot_h
        x = left + i * col_w + 6
        colour = "#f59e0b" if lo == 0 else "#1d4ed8"
        parts.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{col_w - 12:.1f}" height="{h:.1f}" rx="3" fill="{colour}">'
            f"<title>{n} documents linked from {label} documents</title></rect>"
        )
        parts.append(f'<text x="{x + (col_w - 12) / 2:.1f}" y="{top + plot_h - h - 4:.1f}" text-anchor="middle">{n}</text>')
        parts.append(f'<text x="{x + (col_w - 12) / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{label}</text>')
    parts.append(
        f'<text x="{left + (width - left) / 2:.1f}" y="{height - 4}" text-anchor="middle" fill="#6b7280">'
        "documents linking to it</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


_SECTIONS = (
    ("folders", "Folders"), ("causes", "Broken links"), ("missing", "Missing targets"),
    ("mostly-broken", "Mostly broken inbound"), ("most-linked", "Most linked"),
    ("orphans", "Orphans"), ("dead-ends", "Dead ends"),
)


def _doc(path: str, ctx: ReportContext, line: int | None = None, sort: str | None = None) -> str:
    """A cell linking to the document: the file (relative to the report) and GitHub's view."""
    label = f"{path}:{line}" if line else path
    sort_attr = f' data-v="{escape(sort)}"' if sort is not None else ""
    cell = f'<td{sort_attr}><a href="{escape(ctx.file_href(path))}"><code>{escape(label)}</code></a>'
    blob = ctx.blob_href(path, line)
    if blob is not None:
        cell += f' <a class="gh" href="{escape(blob)}">GitHub</a>'
    return cell + "</td>"


def _broken_rows(vs: Sequence[Verdict], ctx: ReportContext) -> list[list[str]]:
    rows = []
    for v in vs:
        sug = v.suggestion
        sug_cell = (
            f'<td class="sug"><code>{escape(sug.replacement)}</code>'
            + (f' <span class="muted">{escape(sug.description)}</span>' if sug.description else "")
            + "</td>"
            if sug
            else "<td class='muted'>–</td>"
        )
        rows.append(
            [
                _doc(v.source, ctx, v.line, f"{v.source}:{v.line:07d}"),
                _code(v.dest),
                _td(v.cause, cls="nowrap"),
                sug_cell,
            ]
        )
    return rows


def _made(ctx: ReportContext) -> str:
    parts = []
    if ctx.commit:
        commit = f"<code>{escape(ctx.commit[:12])}</code>"
        if ctx.blob_base:
            tree = ctx.blob_base.split("/blob/", 1)[0] + "/commit/" + ctx.commit
            commit = f'<a style="color:inherit" href="{escape(tree)}">{commit}</a>'
        parts.append(f"commit {commit}")
    if ctx.generated:
        parts.append(f'made <time datetime="{escape(ctx.generated)}">{escape(ctx.generated)}</time>')
    return f'<p class="made">{" · ".join(parts)}</p>' if parts else ""


def render_html(audit: Audit, title: str, context: ReportContext | None = None) -> str:
    ctx = context or ReportContext()
    t = audit.totals()
    internal = t["internal"] or 1
    cards = [
        ("documents", f"{t['documents']:,}", ""),
        ("links", f"{t['links']:,}", ""),
        ("internal links", f"{t['internal']:,}", ""),
        ("broken", f"{t['broken']:,}", "bad"),
        ("broken share", f"{t['broken'] / internal:.1%}", "bad"),
        ("orphans", f"{t['orphans']:,}", ""),
        ("dead ends", f"{t['dead_ends']:,}", ""),
    ]
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<header><h1>{escape(title)}</h1><p>Links judged as GitHub renders them, by formalai-lint. "
        "Internal links only; external URLs are listed, not fetched.</p>"
        + _made(ctx) + "</header>",
        "<nav>" + "".join(f'<a href="#{k}">{escape(label)}</a>' for k, label in _SECTIONS) + "</nav><main>",
        '<div class="cards">'
        + "".join(f'<div class="card {c}"><div class="n">{n}</div><div class="l">{escape(l)}</div></div>' for l, n, c in cards)
        + "</div>",
    ]
    by_folder = [(r.folder, r.broken, r.links - r.counts["external"]["ok"] - r.counts["other"]["ok"]) for r in audit.folders]
    by_folder.sort(key=lambda x: (-x[1], x[0]))
    inbound = [audit.stats[p].inbound_sources for p in audit.scope]
    out.append('<div class="charts">')
    out.append(f"<section><h2>Broken links per folder</h2>{bar_chart(by_folder, 'Broken links per folder')}</section>")
    out.append(
        "<section><h2>Inbound-link distribution</h2>"
        f"{histogram(inbound, 'Documents by number of documents linking to them')}"
        "<p class='muted'>Orange: documents no other document links to.</p></section>"
    )
    out.append('</div><section id="folders"><h2>Summary per top-level folder</h2>')
    out.append("<p class='muted'>Internal links by kind and status; external links are counted, not fetched.</p>")
    headers: list[tuple[str, bool]] = [("folder", False), ("documents", True)]
    for k in KINDS[:2]:
        headers += [(f"{_KIND_LABELS[k]} ok", True), (f"{_KIND_LABELS[k]} broken", True)]
    headers += [("pseudo-links", True), ("external", True), ("broken", True), ("broken %", True)]
    rows = []
    for r in audit.folders:
        cells = [_td(r.folder), _td(r.documents, True)]
        for k in KINDS[:2]:
            cells += [_td(r.counts[k]["ok"], True), _td(r.counts[k]["broken"], True, "bad" if r.counts[k]["broken"] else "")]
        cells.append(_td(r.counts["pseudo"]["broken"], True, "bad" if r.counts["pseudo"]["broken"] else ""))
        checked = r.links - r.counts["external"]["ok"] - r.counts["other"]["ok"]
        pct = 100 * r.broken / checked if checked else 0.0
        cells += [_td(r.counts["external"]["ok"], True), _td(r.broken, True, "bad" if r.broken else ""), _td(f"{pct:.1f}", True)]
        rows.append(cells)
    out.append(_table(headers, rows))
    out.append("</section>")

    groups = audit.broken_by_group()
    out.append('<section id="causes"><h2>Broken links by cause</h2>')
    counts = audit.cause_counts()
    out.append(
        _table(
            [("cause", False), ("group", False), ("links", True)],
            [[_td(c), _td(g), _td(counts[c], True)] for g in GROUP_ORDER for c in sorted(counts) if GROUPS[c] == g],
        )
    )
    out.append('<input class="filter" data-target=".broken" placeholder="Filter broken links (path, destination, cause)…">')
    for g in GROUP_ORDER:
        if g not in groups:
            continue
        vs = groups[g]
        with_sug = sum(1 for v in vs if v.suggestion)
        out.append(
            f'<details{" open" if g == GROUP_ORDER[0] else ""}><summary>{escape(g)} '
            f'<span class="pill">{len(vs):,}</span> <span class="muted">{with_sug:,} with a suggestion</span></summary>'
        )
        out.append('<div class="scroll">')
        out.append(
            _table(
                [("document:line", False), ("destination", False), ("cause", False), ("did you mean", False)],
                _broken_rows(vs, ctx),
                f"broken-{g.replace('/', '-').replace(' ', '-')}",
            ).replace('class="sortable"', 'class="sortable broken"', 1)
        )
        out.append("</div></details>")
    out.append("</section>")

    out.append("<section id='missing'><h2>Most-wanted missing targets</h2><div class='scroll'>")
    out.append(
        _table(
            [("missing path", False), ("links", True), ("probably now", False)],
            [[_code(p), _td(n, True), _code(s) if s else "<td class='muted'>–</td>"] for p, n, s in audit.missing_targets()],
        )
    )
    out.append("</div></section>")
    mb = audit.mostly_broken_inbound()
    out.append("<section id='mostly-broken'><h2>Documents whose inbound links are mostly broken</h2>")
    out.append("<p class='muted'>Links that meant this document (a bad anchor into it, or a suggestion pointing at it) "
               "outnumber the working ones: typically a renamed or moved file.</p><div class='scroll'>")
    out.append(_table([("document", False), ("working inbound", True), ("broken inbound", True)],
                      [[_doc(s.path, ctx), _td(s.inbound, True), _td(s.inbound_broken, True, "bad")] for s in mb]))
    out.append("</div></section>")
    out.append("<section id='most-linked'><h2>Most-linked documents</h2><div class='scroll'>")
    out.append(_table([("document", False), ("linking documents", True), ("links", True)],
                      [[_doc(s.path, ctx), _td(s.inbound_sources, True), _td(s.inbound, True)] for s in audit.most_linked()]))
    out.append("</div></section>")
    orphans, dead = audit.orphans(), audit.dead_ends()
    out.append(f"<section id='orphans'><h2>Orphans <span class='pill'>{len(orphans)}</span></h2>")
    out.append("<p class='muted'>No other document links to these (README/INDEX files and configured entry points excepted).</p><div class='scroll'>")
    out.append(_table([("document", False), ("folder", False), ("outbound links", True)],
                      [[_doc(p, ctx), _td(top_folder(p)), _td(audit.stats[p].outbound, True)] for p in orphans]))
    out.append(f"</div></section><section id='dead-ends'><h2>Dead ends <span class='pill'>{len(dead)}</span></h2>")
    out.append("<p class='muted'>These link to no other document that exists.</p><div class='scroll'>")
    out.append(_table([("document", False), ("folder", False), ("linking documents", True)],
                      [[_doc(p, ctx), _td(top_folder(p)), _td(audit.stats[p].inbound_sources, True)] for p in dead]))
    out.append("</div></section></main>")
    out.append(f"<script>{_JS}</script></body></html>")
    return "\n".join(out) + "\n"
