"""`--fix --unsafe-fixes` on a copy of the real FormalAI snapshot: what issue 13 promises
(skipped when ../shared/formalai is absent). One fix run is shared by every test here."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from linter import fix_paths, lint_paths
from linter.api import FixResult
from linter.corpus import Corpus
from linter.run.parallel import RunOptions

from .fix_checks import fences, formulas, resolving_links, tokens_outside_edits


@dataclass
class Fixed:
    before: Corpus  # the snapshot itself
    after: Corpus  # the fixed copy
    root: Path
    findings_before: Counter[tuple[str, str]]
    findings_after: Counter[tuple[str, str]]
    result: FixResult
    second: FixResult
    mtimes: dict[str, int]  # before the fix


@pytest.fixture(scope="module")
def fixed(shared_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Fixed:
    root = tmp_path_factory.mktemp("fix") / "formalai"
    shutil.copytree(shared_corpus, root, symlinks=True)
    options = RunOptions(cache_dir=tmp_path_factory.mktemp("cache"), jobs=2, quiet=True)
    before = lint_paths([root], root=root, options=options)
    mtimes = {p: os.stat(root / p).st_mtime_ns for p in Corpus(root).files}
    result = fix_paths([root], root=root, options=options, unsafe=True)
    second = fix_paths([root], root=root, options=options, unsafe=True, write=False)
    after = result.result.diagnostics
    return Fixed(
        Corpus(shared_corpus), Corpus(root), root,
        Counter((d.rule_id, d.path) for d in before.diagnostics), Counter((d.rule_id, d.path) for d in after),
        result, second, mtimes,
    )


def test_fewer_findings_and_every_toc_finding_gone(fixed: Fixed) -> None:
    before, after = sum(fixed.findings_before.values()), sum(fixed.findings_after.values())
    assert after < before and fixed.result.fixed > 0 and not fixed.result.loop
    rules_after = Counter(rule for rule, _ in fixed.findings_after.elements())
    # what is left of TC002: a TOC with no entries at all (nothing to regenerate from)
    left = {path for (rule, path) in fixed.findings_after if rule in ("TC003", "TC004", "TC005", "TC006")}
    assert left == set()
    tc002 = {path for (rule, path) in fixed.findings_after if rule == "TC002"}
    for path in tc002:
        doc = fixed.after.document(path)
        assert doc is not None and doc.toc is not None and not doc.toc.entries
    assert rules_after["MK003"] == rules_after["MT007"] == 0
    # MH008: what is left has no control word of the same meaning (`\%`, `\_` in `\text{}`)
    # or is a formula the fix leaves alone; none of it carries a fix any more
    rules_before = Counter(rule for rule, _ in fixed.findings_before.elements())
    assert rules_after["MH008"] < rules_before["MH008"] / 2
    assert not [d for d in fixed.result.result.diagnostics if d.rule_id == "MH008" and d.fix is not None]


def test_no_rule_and_file_gets_more_findings(fixed: Fixed) -> None:
    worse = {k: (fixed.findings_before[k], n) for k, n in fixed.findings_after.items() if n > fixed.findings_before[k]}
    assert worse == {}


def test_a_second_run_changes_nothing(fixed: Fixed) -> None:
    assert fixed.second.changes == {} and fixed.second.fixed == 0


def test_files_without_fixes_are_untouched(fixed: Fixed) -> None:
    changed = set(fixed.result.changes)
    assert changed
    for path, mtime in fixed.mtimes.items():
        same = (fixed.root / path).read_bytes() == fixed.before.read(path)
        assert same == (path not in changed), path
        if path not in changed:
            assert os.stat(fixed.root / path).st_mtime_ns == mtime, path


def test_every_resolving_link_still_resolves(fixed: Fixed) -> None:
    # places, not counts: two TOC entries for one heading become one regenerated entry
    lost = set(resolving_links(fixed.before)) - set(resolving_links(fixed.after))
    assert lost == set()


def test_code_and_formulas_are_byte_identical_except_math_fixes(fixed: Fixed) -> None:
    for path in fixed.result.changes:
        old, new = fixed.before.document(path), fixed.after.document(path)
        assert old is not None and new is not None
        assert fences(old, list(fixed.before.lines(path))) == fences(new, list(fixed.after.lines(path))), path
        assert formulas(old, math_fixed=True) == formulas(new, math_fixed=True), path


def test_rendering_outside_the_edits_is_unchanged(fixed: Fixed) -> None:
    for path, (old, new) in fixed.result.changes.items():
        a, b = tokens_outside_edits(_text(old), _text(new))
        assert a == b, path


def _text(data: bytes) -> str:
    return data.decode("utf-8-sig").replace("\r\n", "\n")
