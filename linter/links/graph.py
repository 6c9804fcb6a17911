"""The link graph as JSON and Graphviz DOT: documents as nodes, links as edges with status.

Edges are aggregated per (source, target, status) with a count; a broken link's target is the
path it asks for, which may not exist (such nodes carry `"missing": true`).
"""

from __future__ import annotations

import json
import posixpath
from collections import Counter
from typing import Any

from .audit import Audit, is_entry_point, top_folder


def graph_data(audit: Audit) -> dict[str, Any]:
    names = {p for e in audit.edges for p in (e.source, e.target)} | set(audit.scope)
    orphans = set(audit.orphans())
    nodes = []
    for p in sorted(names):
        s = audit.stats.get(p)
        nodes.append(
            {
                "id": p,
                "folder": top_folder(p),
                "missing": s is None,
                "in_scope": p in audit.scope,
                "inbound": s.inbound if s else 0,
                "inbound_sources": s.inbound_sources if s else 0,
                "outbound": s.outbound if s else 0,
                "orphan": p in orphans,
                "entry_point": is_entry_point(p, audit.entry_points),
            }
        )
    edges = [{"source": e.source, "target": e.target, "status": e.status, "count": e.count} for e in audit.edges]
    return {"nodes": nodes, "edges": edges}


def audit_json(audit: Audit) -> str:
    """The whole audit as one JSON document: totals, summary, broken links, graph."""
    data: dict[str, Any] = {
        "totals": audit.totals(),
        "causes": dict(sorted(audit.cause_counts().items())),
        "folders": [
            {"folder": r.folder, "documents": r.documents, "links": r.links, "broken": r.broken, "by_kind": r.counts}
            for r in audit.folders
        ],
        "broken": [
            {
                "path": v.source,
                "line": v.line,
                "column": v.column,
                "dest": v.dest,
                "cause": v.cause,
                "message": v.message,
                "suggestion": None
                if v.suggestion is None
                else {
                    "replacement": v.suggestion.replacement,
                    "description": v.suggestion.description,
                    "target_path": v.suggestion.target_path,
                    "target_line": v.suggestion.target_line,
                },
            }
            for v in audit.broken
        ],
        "orphans": audit.orphans(),
        "dead_ends": audit.dead_ends(),
        "most_linked": [{"path": s.path, "inbound": s.inbound, "sources": s.inbound_sources} for s in audit.most_linked()],
        "mostly_broken_inbound": [
            {"path": s.path, "inbound_ok": s.inbound, "inbound_broken": s.inbound_broken}
            for s in audit.mostly_broken_inbound()
        ],
        "missing_targets": [{"path": p, "links": n, "suggested": t or None} for p, n, t in audit.missing_targets()],
        "graph": graph_data(audit),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _q(text: str) -> str:
    """A DOT double-quoted string (backslashes and quotes escaped, newlines removed)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


_COLOURS = {"ok": "#4c9a2a"}


def _folder(path: str) -> str:
    return posixpath.dirname(path) or "(root)"


def _edge(source: str, target: str, status: str, count: int) -> str:
    colour = _COLOURS.get(status, "#c62828")
    label = status + (" x" + str(count) if count > 1 else "")
    return f"  {_q(source)} -> {_q(target)} [label={_q(label)}, color={_q(colour)}];"


def _node(n: dict[str, Any], focus: str | None) -> str:
    attrs = [f"label={_q(posixpath.basename(n['id']))}", f"tooltip={_q(n['id'])}"]
    if n["missing"]:
        attrs.append('fillcolor="#fde2e1", style="rounded,filled,dashed"')
    elif n["id"] == focus:
        attrs.append('fillcolor="#cfe3ff", penwidth=2')
    elif n["orphan"]:
        attrs.append('fillcolor="#fff4ce"')
    return f"{_q(n['id'])} [{', '.join(attrs)}];"


def audit_dot(audit: Audit, level: str = "documents", focus: str | None = None) -> str:
    """Graphviz DOT. `documents`: one node per document, clustered by folder (labels are file
    names; the folder is the cluster's label). `folders`: one node per folder, edges
    aggregated between folders with link counts (working and broken apart). `focus`: only
    the links from and to that document (its neighbourhood), in the documents graph."""
    if level == "folders":
        return _folder_dot(audit)
    data = graph_data(audit)
    edges = data["edges"]
    if focus is not None:
        edges = [e for e in edges if focus in (e["source"], e["target"])]
        keep = {focus} | {p for e in edges for p in (e["source"], e["target"])}
        nodes = [n for n in data["nodes"] if n["id"] in keep]
    else:
        nodes = data["nodes"]
    out = [
        "digraph links {",
        "  graph [rankdir=LR, overlap=false, compound=true];",
        '  node [shape=box, style="rounded,filled", fillcolor="#f4f6f8", fontname="sans-serif"];',
    ]
    clusters: dict[str, list[dict[str, Any]]] = {}
    for n in nodes:
        clusters.setdefault(_folder(n["id"]), []).append(n)
    for i, (folder, members) in enumerate(sorted(clusters.items())):
        out.append(f"  subgraph {_q(f'cluster_{i}')} {{")
        out.append(f'    label={_q(folder)}; style="rounded"; color="#9aa5b1";')
        out.extend(f"    {_node(n, focus)}" for n in members)
        out.append("  }")
    out.extend(_edge(e["source"], e["target"], e["status"], e["count"]) for e in edges)
    out.append("}")
    return "\n".join(out) + "\n"


def _folder_dot(audit: Audit) -> str:
    docs: Counter[str] = Counter(_folder(p) for p in audit.stats)
    inside: Counter[str] = Counter()
    between: Counter[tuple[str, str, bool]] = Counter()
    for e in audit.edges:
        a, b = _folder(e.source), _folder(e.target)
        if a == b:
            inside[a] += e.count
        else:
            between[(a, b, e.status == "ok")] += e.count
    names = sorted(set(docs) | {f for k in between for f in k[:2]})
    out = [
        "digraph folders {",
        "  graph [rankdir=LR, overlap=false];",
        '  node [shape=folder, style=filled, fillcolor="#f4f6f8", fontname="sans-serif"];',
    ]
    for f in names:
        detail = f"{docs[f]} document(s)" + (f", {inside[f]} link(s) inside" if inside[f] else "")
        label = _q(f)[:-1] + "\\n" + _q(detail)[1:]  # two lines: DOT's own \n escape
        style = ', fillcolor="#fde2e1", style="filled,dashed"' if docs[f] == 0 else ""
        out.append(f"  {_q(f)} [label={label}{style}];")
    for (a, b, ok), n in sorted(between.items()):
        colour = _COLOURS["ok"] if ok else "#c62828"
        label = f"{n} link(s)" if ok else f"{n} broken"
        out.append(f"  {_q(a)} -> {_q(b)} [label={_q(label)}, color={_q(colour)}, penwidth={min(1 + n / 10, 6):.1f}];")
    out.append("}")
    return "\n".join(out) + "\n"
