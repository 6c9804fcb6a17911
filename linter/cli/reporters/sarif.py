"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Every rule is described in `tool.driver.rules` with its one-line summary and its full
page as help text, so a code-scanning alert explains itself. Results carry 1-based
line/column regions covering the offending text (columns in Unicode code points, which is
what we count), a percent-encoded URI relative to the repository root (`%SRCROOT%`, given in
`originalUriBaseIds`; GitHub places results from the repository's top level, which need not
be the lint root), and a line-independent fingerprint (the baseline's identity with its
occurrence index), so an alert survives unrelated edits above it.
"""

from __future__ import annotations

import json
import os
from typing import Any, TextIO
from urllib.parse import quote

from ...resources import __version__
from ...api import LintResult
from ...run.baseline import fingerprints
from ...corpus import Corpus
from ...diagnostics import Fix, Severity
from ...rules import ALL_RULES
from .locate import from_repo, repo_root
from .span import source_lines, span

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule_descriptor(index: int) -> dict[str, Any]:
    r = ALL_RULES[index]
    return {
        "id": r.id,
        "name": r.name,
        "shortDescription": {"text": r.summary or r.name},
        "fullDescription": {"text": r.summary or r.name},
        "help": {"text": r.doc, "markdown": r.doc},
        "defaultConfiguration": {"enabled": r.enabled, "level": LEVELS[r.severity]},
        "properties": {"tags": [r.family], "fixable": r.fixable},
    }


def _fix(fix: Fix) -> dict[str, Any]:
    """A SARIF `fix`: the edits grouped per file, regions in the result's code points (an
    edit of line 0, the byte-order mark, is the file's first three bytes)."""
    changes: dict[str, list[dict[str, Any]]] = {}
    for e in fix.edits:
        if e.start_line == 0:
            region: dict[str, Any] = {"byteOffset": 0, "byteLength": 3}
        else:
            region = {"startLine": e.start_line, "startColumn": e.start_column,
                      "endLine": e.end_line, "endColumn": e.end_column}
        changes.setdefault(e.path, []).append({"deletedRegion": region, "insertedContent": {"text": e.replacement}})
    return {
        "description": {"text": f"{fix.description} ({fix.applicability.value})"},
        "artifactChanges": [
            {"artifactLocation": {"uri": quote(path), "uriBaseId": "%SRCROOT%"}, "replacements": reps}
            for path, reps in changes.items()
        ],
    }


def build(result: LintResult) -> dict[str, Any]:
    index = {r.id: i for i, r in enumerate(ALL_RULES)}
    corpus = result.corpus or Corpus(result.root)
    repo = repo_root(result.root)
    prints = fingerprints(result.diagnostics, corpus)
    lines = source_lines(corpus.lines)
    results: list[dict[str, Any]] = []
    for d, print_ in zip(result.diagnostics, prints):
        end_line, end_column = span(d, lines(d.path))
        region: dict[str, Any] = {"startLine": max(d.line, 1), "startColumn": max(d.column, 1)}
        region["endLine"] = max(end_line, region["startLine"])
        if end_column > region["startColumn"] or end_line > d.line:
            region["endColumn"] = end_column
        item: dict[str, Any] = {
            "ruleId": d.rule_id,
            "level": LEVELS[d.severity],
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(os.fsencode(from_repo(result.root, d.path, repo))), "uriBaseId": "%SRCROOT%"},
                        "region": region,
                    }
                }
            ],
            "partialFingerprints": {"formalaiLint/v2": print_},
        }
        if d.rule_id in index:
            item["ruleIndex"] = index[d.rule_id]
        if d.fix is not None:
            item["fixes"] = [_fix(d.fix)]
        if d.related:
            item["relatedLocations"] = [
                {
                    "id": i,
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(r.path), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": max(r.line, 1), "startColumn": max(r.column, 1)},
                    },
                    "message": {"text": r.message},
                }
                for i, r in enumerate(d.related)
            ]
        results.append(item)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "formalai-lint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_rule_descriptor(i) for i in range(len(ALL_RULES))],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": repo.as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def report(result: LintResult, out: TextIO) -> None:
    out.write(json.dumps(build(result), ensure_ascii=False, indent=2))  # one write, not one per token
    out.write("\n")
