"""The CI features on the real FormalAI snapshot (skipped when ../shared/formalai is absent)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import referencing

from linter import lint_paths
from linter.run.baseline import build, compare, read, write
from linter.corpus import Corpus
from linter.cli.reporters import sarif
from linter.config.suppress import parse_directives

DOC = "concepts/06-AI反实践判定系统/06.2.2-执行层反实践判定.md"
SCHEMA = Path(__file__).resolve().parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"


def test_real_sarif_validates_and_holds_a_known_finding(shared_corpus: Path) -> None:
    result = lint_paths([shared_corpus / "concepts" / "06-AI反实践判定系统"], root=shared_corpus)
    data = sarif.build(result)
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text("utf-8")), registry=referencing.Registry())
    assert [e.message for e in validator.iter_errors(data)] == []
    hits = [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in data["runs"][0]["results"]
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
            "06.2.2-%E6%89%A7%E8%A1%8C%E5%B1%82%E5%8F%8D%E5%AE%9E%E8%B7%B5%E5%88%A4%E5%AE%9A.md"
        )
    ]
    # `（arXiv:2025）` on three consecutive reference sub-items
    assert {("RF002", 1083), ("RF002", 1084), ("RF002", 1085)} <= set(hits)


def test_identical_real_findings_share_one_counted_entry(shared_corpus: Path) -> None:
    result = lint_paths([shared_corpus / DOC], root=shared_corpus)
    assert result.corpus is not None
    entries = [f for f in build(result.diagnostics, result.corpus)["findings"] if f["rule"] == "RF002"]
    # three `arXiv:2025` placeholders in one reference list: one entry, counted three times
    assert [(f["path"], f["text"], f["count"]) for f in entries] == [(DOC, "2025", 3)]


def test_real_file_baseline_survives_inserted_lines(shared_corpus: Path, tmp_path: Path) -> None:
    target = tmp_path / DOC
    target.parent.mkdir(parents=True)
    shutil.copyfile(shared_corpus / DOC, target)
    (tmp_path / ".git").mkdir()
    before = lint_paths([target], root=tmp_path)
    assert before.corpus is not None and len(before.diagnostics) >= 3
    base = tmp_path / "baseline.json"
    write(base, before.diagnostics, before.corpus)
    lines = target.read_text("utf-8").split("\n")
    target.write_text("\n".join([lines[0], "", "插入的一段。", "", "又一段。", *lines[1:]]), "utf-8")
    after = lint_paths([target], root=tmp_path)
    assert after.corpus is not None
    assert [d.line for d in after.diagnostics] == [d.line + 4 for d in before.diagnostics]
    cmp = compare(after.diagnostics, read(base), after.corpus)
    assert (cmp.new, cmp.known, cmp.fixed) == ((), len(before.diagnostics), ())


def test_comments_in_code_fences_are_not_directives(shared_parsed: Corpus) -> None:
    """The snapshot's only HTML comments are markdownlint examples inside ```markdown fences
    (.vscode/README.md:74-135, e.g. `<!-- markdownlint-disable -->` at line 127): none is a
    comment of the document, so none can act as a directive."""
    raw = [
        (p, i)
        for p in shared_parsed.paths
        for i, line in enumerate(shared_parsed.lines(p), 1)
        if "<!--" in line
    ]
    assert (".vscode/README.md", 127) in raw
    docs = [d for d in (shared_parsed.document(p) for p in shared_parsed.paths) if d is not None]
    fenced = {
        (d.path, f.line, f.end_line) for d in docs for f in d.fences
    }
    for path, line in raw:
        assert any(p == path and start < line < end for p, start, end in fenced), (path, line)
    assert sum(len(d.comments) for d in docs) == 0
    assert [d.path for d in docs if parse_directives(d)] == []
