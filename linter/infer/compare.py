"""How close `init`'s families come to a hand-written preset (the acceptance figures of the
README's "Adopting it on another knowledge base"): per preset family, the inferred family
holding most of its documents, the required sections both name, the numbering styles and
TOC levels of each, and the findings each produces on the family's documents."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..schema.model import Schema
from ..util.globs import selects
from .infer import Inferred


@dataclass(frozen=True, slots=True)
class Agreement:
    glob: str  # the preset's
    shipped: str  # its schema's name
    inferred: str | None  # the family holding most of its documents
    documents: int
    overlap: int  # of them, in that family
    required_shipped: int  # required sections with a title pattern
    required_both: int  # of them, also required in the inferred schema
    required_inferred: int
    numbering_shipped: str
    numbering_inferred: str
    toc_shipped: str
    toc_inferred: str
    findings_shipped: int  # convention findings with the shipped preset
    findings_inferred: int  # with the inferred config


def _numbering(spec: dict[int, str]) -> str:
    return " ".join(f"h{k}:{v}" for k, v in sorted(spec.items())) or "-"


def agreement(
    preset: Sequence[tuple[str, Schema]],
    paths: Sequence[str],
    inferred: Sequence[Inferred],
    shipped_findings: Sequence[Diagnostic],
    inferred_findings: Sequence[Diagnostic],
    convention_free: frozenset[str],
) -> list[Agreement]:
    shipped_by: Counter[str] = Counter(d.path for d in shipped_findings if d.rule_id not in convention_free)
    inferred_by: Counter[str] = Counter(d.path for d in inferred_findings if d.rule_id not in convention_free)
    owner: dict[str, str] = {}
    for path in paths:  # first matching glob wins, as in the preset
        glob = next((g for g, _ in preset if selects(g, path)), None)
        if glob is not None:
            owner[path] = glob
    family_of = {p: inf for inf in inferred for p in inf.family.paths}
    out = []
    for glob, schema in preset:
        if glob.strip("/") == "**":
            continue
        docs = [p for p, g in owner.items() if g == glob]
        if not docs:
            continue
        votes = Counter(family_of[p].family.name for p in docs if p in family_of)
        best = votes.most_common(1)[0][0] if votes else None
        inf = next((i for i in inferred if i.family.name == best), None)
        titles = [i["title"] for i in (inf.data.get("sections", {}).get("items", []) if inf else []) if i.get("required")]
        plain = [t.removeprefix(r"^\W*").removesuffix(r"(\s*/|$)").replace("\\", "") for t in titles]
        shipped_req = [s for s in (schema.sections.items if schema.sections else ()) if s.required and s.title is not None]
        both = sum(1 for s in shipped_req if s.title is not None and any(s.title.search(t) for t in plain))
        inf_num = {int(k[1:]): v["style"] for k, v in (inf.data.get("numbering", {}) if inf else {}).items()}
        toc = inf.data.get("toc") if inf else None
        out.append(Agreement(
            glob, schema.name, best, len(docs), votes.get(best, 0) if best else 0,
            len(shipped_req), both, len(titles),
            _numbering({k: v.style for k, v in schema.numbering.items()}), _numbering(inf_num),
            ",".join(map(str, schema.toc.levels)) if schema.toc else "-",
            ",".join(map(str, toc["levels"])) if toc else "-",
            sum(shipped_by[p] for p in docs), sum(inferred_by[p] for p in docs),
        ))
    return out


def table(rows: Sequence[Agreement]) -> str:
    lines = [
        "| preset family | documents | inferred family (documents in it) | required sections: shipped / inferred / both "
        "| numbering shipped → inferred | TOC levels shipped → inferred | convention findings shipped → inferred |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.shipped} | {r.documents} | {r.inferred} ({r.overlap}) | {r.required_shipped} / {r.required_inferred} / "
            f"{r.required_both} | {r.numbering_shipped} → {r.numbering_inferred} | {r.toc_shipped} → {r.toc_inferred} "
            f"| {r.findings_shipped} → {r.findings_inferred} |"
        )
    return "\n".join(lines)
