"""The link graph as JSON and Graphviz DOT: documents as nodes, links as edges with status.

Edges are aggregated per (source, target, status) with a count; a broken link's target is the
path it asks for, which may not exist (such nodes carry `"missing": true`).
"""

from __future__ import annotations

import json
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


def audit_dot(audit: Audit) -> str:
    data = graph_data(audit)
    out = [
        "digraph links {",
        "  graph [rankdir=LR, overlap=false];",
        '  node [shape=box, style="rounded,filled", fillcolor="#f4f6f8", fontname="sans-serif"];',
    ]
    for n in data["nodes"]:
        attrs = [f"label={_q(n['id'])}", f"folder={_q(n['folder'])}"]
        if n["missing"]:
            attrs.append('fillcolor="#fde2e1", style="rounded,filled,dashed"')
        elif n["orphan"]:
            attrs.append('fillcolor="#fff4ce"')
        out.append(f"  {_q(n['id'])} [{', '.join(attrs)}];")
    for e in data["edges"]:
        colour = _COLOURS.get(e["status"], "#c62828")
        out.append(
            f"  {_q(e['source'])} -> {_q(e['target'])} "
            f"[label={_q(e['status'] + (' x' + str(e['count']) if e['count'] > 1 else ''))}, color={_q(colour)}];"
        )
    out.append("}")
    return "\n".join(out) + "\n"
