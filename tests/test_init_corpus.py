"""`init` on the shared FormalAI snapshot reproduces the hand-written preset's families
(README "Adopting it on another knowledge base"; figures in docs/adopting.md)."""

from __future__ import annotations

from pathlib import Path

from linter import lint_paths
from linter.infer.compare import agreement
from linter.infer.study import convention_free, root_corpus, study
from linter.schema import load_preset


def test_init_finds_the_preset_families(shared_corpus: Path) -> None:
    corpus = root_corpus(shared_corpus)
    result = study(corpus)
    shipped = lint_paths([shared_corpus], root=shared_corpus)
    rows = {r.shipped: r for r in agreement(load_preset("formalai"), corpus.paths, result.families,
                                           shipped.diagnostics, result.findings, convention_free())}
    globs = {inf.family.name: inf.family.glob for inf in result.families}
    # the same document sets, found from the file layout alone
    for name, family, n in (("concept-topic", "concepts", 155), ("concept-readme", "concepts-readme", 8),
                            ("docs-module", "docs-readme", 58), ("eval-card", "docs-example-eval-card", 15),
                            ("model-card", "docs-example-model-card", 15), ("view-topic", "view-t", 27)):
        assert (rows[name].inferred, rows[name].documents, rows[name].overlap) == (family, n, n)
    assert globs["concepts"] == "concepts/[0-9][0-9]-*/[0-9][0-9].[0-9]*-*.md"
    assert globs["view-t"] == "view/T[0-9][0-9]_*.md"
    topic = rows["concept-topic"]
    assert (topic.required_shipped, topic.required_both) == (5, 5)  # every required section the standard names
    assert topic.numbering_inferred == topic.numbering_shipped == "h2:cjk h3:dotted h4:dotted"
    assert topic.toc_inferred == topic.toc_shipped == "1,2,3"
    assert (rows["eval-card"].required_both, rows["model-card"].required_both) == (6, 7)
    assert rows["view-topic"].numbering_inferred.startswith("h2:cjk")
