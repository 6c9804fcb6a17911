"""One verdict per link, in GitHub's order; arbitrary destinations never crash the checker."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from linter.corpus import MemoryCorpus
from linter.links.check import LinkChecker, Verdict, checker_for


def _verdicts(text: str, others: dict[str, str], path: str = "docs/a.md") -> list[Verdict]:
    files = {k: v.encode() for k, v in others.items()}
    files[path] = text.encode()
    corpus = MemoryCorpus(files)
    return list(checker_for(corpus).verdicts(path))


def test_precedence_one_cause_per_link() -> None:
    found = _verdicts(
        "# A\n\n[a](..\\..\\x.md) [b](../../x.md) [c](c:\\x\\..\\y.md) [d](javascript:x) "
        "![e](../IMG.PNG) [f](../Concept/b.md#nope) [g](#) [h](b c.md)\n",
        {"concepts/b.md": "# B\n", "img.png": ""},
    )
    assert [v.cause for v in found] == [
        "backslash", "escapes-root", "local-path", "unsafe-scheme",
        "case-mismatch", "missing-file", "empty", "pseudo-link",
    ]


def test_case_mismatch_wins_over_missing_and_keeps_the_fragment() -> None:
    found = _verdicts("[b](../Concepts/B.md#x) ![i](../img/Logo.png)\n", {"concepts/B.md": "# B\n", "img/logo.png": ""})
    assert [v.cause for v in found] == ["case-mismatch", "case-mismatch"]
    assert found[0].suggestion is not None and found[0].suggestion.replacement == "../concepts/B.md#x"
    assert found[1].suggestion is not None and found[1].suggestion.replacement == "../img/logo.png"


def test_document_only_checker_judges_what_the_document_decides() -> None:
    from linter.document.parse import parse_text

    doc = parse_text("# A\n\n[x](#a) [y](#b) [z](other.md#q) [w]()\n", "a.md")
    causes = [v.cause for v in LinkChecker(None).judge_document(doc)]
    assert causes == ["ok", "bad-anchor", "missing-file", "empty"]


def test_a_local_judgement_is_the_full_one_without_links_into_other_files() -> None:
    from linter.document.parse import parse_text
    from linter.links.check import document_verdicts

    text = "# A\n\n[x](#a) [y](#b) [z](other.md#q) [s](a.md#b) [u](../../up.md) [w]() [j](javascript:x) [t](a b.md)\n"
    doc = parse_text(text, "a.md")
    full = LinkChecker(None).judge_document(doc)
    local = document_verdicts(doc)
    assert [v.cause for v in full] == [
        "ok", "bad-anchor", "missing-file", "bad-anchor", "escapes-root", "empty", "unsafe-scheme", "pseudo-link"
    ]
    assert local == tuple(v for v in full if v.dest not in ("other.md#q", "../../up.md", "a b.md"))


_dest = st.lists(
    st.sampled_from(list("ab./\\#%?:~ 三、-_") + ["%2e", "%E7", "%ZZ", "..", "c:", "%00", "\u0301", "javascript:"]),
    max_size=12,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(dests=st.lists(_dest, min_size=1, max_size=5))
def test_arbitrary_destinations_never_crash(dests: list[str]) -> None:
    text = "# A\n\n## 一、概述\n\n" + " ".join(f"[x]({d}) ![y](<{d}>)" for d in dests) + "\n"
    found = _verdicts(text, {"concepts/b.md": "# B\n## 二、目录\n", "docs/c.md": "# C\n"})
    for v in found:
        assert v.cause == "ok" or v.message, v
        assert v.message == "" or not v.message.endswith(".")
        if v.suggestion is not None:
            assert v.suggestion.replacement


_relative = st.lists(
    st.sampled_from(["../", "./", "b.md", "c.md", "concepts/", "docs/", "img.png", "#", "#二目录", "#top", "#TOP",
                     "#nope", "%E4%BA%8C", "\\", "..", "/", "a.md", "?q=1", "x"]),
    min_size=1, max_size=6,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(dests=st.lists(_relative, min_size=1, max_size=6))
def test_cross_file_shortcut_agrees_with_judging_every_link(dests: list[str]) -> None:
    """`cross_verdicts` skips links `_plainly_ok` finds working; it must list exactly the
    broken relative links and pseudo-links that judging every link finds."""
    text = "# A\n\n## 一、概述\n\n" + " ".join(f"[x]({d}) [y](<{d} z>)" for d in dests) + "\n"
    files = {"docs/a.md": text.encode(), "concepts/b.md": "# B\n\n## 二、目录\n".encode(), "docs/c.md": b"# C\n",
             "docs/img.png": b""}
    full = [v for v in LinkChecker(MemoryCorpus(files)).verdicts("docs/a.md")
            if v.kind in ("relative", "pseudo") and v.broken]
    assert list(LinkChecker(MemoryCorpus(files)).cross_verdicts("docs/a.md")) == full
