"""One JSON object on stdout: tool, version, root, files, preset, documents (the schema
each got), diagnostics, summary."""

from __future__ import annotations

import json
from typing import TextIO

from ...resources import __version__
from ...api import LintResult
from ...corpus import Corpus
from ...rules import get_rule
from .span import span
from .summary import summarize


def report(result: LintResult, out: TextIO) -> None:
    diagnostics = []
    corpus = result.corpus or Corpus(result.root)
    sources: dict[str, tuple[str, ...]] = {}
    for d in result.diagnostics:
        r = get_rule(d.rule_id)
        item = d.to_dict(r.name if r else "", r.family if r else "")
        if d.path not in sources:
            sources[d.path] = corpus.lines(d.path)
        # the offending text's extent; end_column is exclusive, as in SARIF
        item["end_line"], item["end_column"] = span(d, sources[d.path])
        diagnostics.append(item)
    doc = {
        "tool": "formalai-lint",
        "version": __version__,
        "root": str(result.root),
        "files": len(result.files),
        **result.applied().to_dict(),
        "diagnostics": diagnostics,
        "summary": summarize(result.diagnostics, len(result.files)),
    }
    json.dump(doc, out, ensure_ascii=False, indent=2)
    out.write("\n")
