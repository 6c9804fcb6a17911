"""One JSON object on stdout: tool, version, root, files, preset, documents (the schema
each got), diagnostics, summary."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, TextIO

from ...resources import __version__
from ...corpus import Corpus
from .span import source_lines, span
from .summary import summarize

if TYPE_CHECKING:
    from ...run.result import LintResult


def report(result: LintResult, out: TextIO) -> None:
    """Write the report as `json.dumps(doc, indent=2)` would, a finding at a time.

    One `json.dumps` of the whole document held every finding as a dict, the text as one
    string and its encoding at once: 400 MB at the peak for 46,000 findings. Each finding is
    dumped alone and indented by the two levels it sits at, which is the same text."""
    corpus = result.corpus or Corpus(result.root)
    lines = source_lines(corpus.lines)
    head = {
        "tool": "formalai-lint",
        "version": __version__,
        "root": str(result.root),
        "files": len(result.files),
        **result.applied().to_dict(),
    }
    tail = {"summary": summarize(result.diagnostics, len(result.files))}
    text = _dumps(head)
    out.write(text[: -len("\n}")] + ',\n  "diagnostics": ')
    if not result.diagnostics:
        out.write("[]")
    else:
        chunk = []
        for i, d in enumerate(result.diagnostics):
            label = result.label(d.rule_id)
            item = d.to_dict(*(label or ("", "")))
            # the offending text's extent; end_column is exclusive, as in SARIF
            item["end_line"], item["end_column"] = span(d, lines(d.path))
            chunk.append(("[\n    " if i == 0 else ",\n    ") + _dumps(item).replace("\n", "\n    "))
            if len(chunk) >= 500:  # a write per 500 findings, not per token (json.dump's)
                out.write("".join(chunk))
                chunk.clear()
        out.write("".join(chunk) + "\n  ]")
    out.write(",\n" + _dumps(tail)[len("{\n") :])
    out.write("\n")


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
