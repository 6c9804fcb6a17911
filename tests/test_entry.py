"""Cache entries: models (linter/run/entry.py) and findings (linter/run/findings.py): what
goes in comes out, lazily, and a bad blob is a miss."""

from __future__ import annotations

import pytest

from linter.diagnostics import Diagnostic, Edit, Severity, Suggestion
from linter.run.entry import EntryError, decode_entry, encode_entry, materialise
from linter.run.findings import decode_findings, encode_findings
from linter.document.parse import parse_text

TEXT = (
    "# 标题\n\n## 一、概述\n\n[a](b.md#x) [同](#一概述) [外](https://e.x) ![图](img/a.png)\n\n"
    "<a id=\"锚\"></a>\n\n[空]() [自](./doc.md#一概述)\n"
)
DOC = parse_text(TEXT, "a/doc.md")
FINDINGS = [
    Diagnostic("a/doc.md", 5, 1, "LK002", "anchor #x not found", Severity.WARNING, 5, 12,
               Suggestion("b.md#y", "heading 'y'", "a/b.md", 3, (Edit(5, 4, "x", "y"),)), context="b.md#x"),
    Diagnostic("a/doc.md", 1, 1, "MK021", "no title"),
    Diagnostic("a/other.md", 2, 3, "XX001", "a finding about another file", Severity.INFO),
]


def test_round_trip_of_findings_fields_and_derived_lines() -> None:
    blob = encode_entry("k", DOC)
    doc = decode_entry(blob, "k", "a/doc.md")
    findings = decode_findings(encode_findings("f", "a/doc.md", {"LK002": ("o1", FINDINGS[:1]), "XX": ("o2", FINDINGS[1:])}), "f", "a/doc.md")
    assert findings == {"LK002": ("o1", FINDINGS[:1]), "XX": ("o2", FINDINGS[1:])}
    assert [d.context for d in findings["LK002"][1]] == [FINDINGS[0].context]
    assert materialise(doc) == DOC
    assert doc.anchors() == DOC.anchors() == {"标题", "一概述", "锚"}
    assert doc.cross_links() == DOC.cross_links()
    assert [x.dest for x in doc.cross_links()] == ["b.md#x", "img/a.png", "./doc.md#一概述"]


def test_a_compact_document_is_the_same_document_and_keeps_less() -> None:
    blob = encode_entry("k", DOC)
    loose = decode_entry(blob, "k", "a/doc.md")
    compact = decode_entry(blob, "k", "a/doc.md", compact=True)
    assert len(object.__getattribute__(compact, "_heavy")) < len(object.__getattribute__(loose, "_heavy"))
    assert materialise(compact) == materialise(loose) == DOC


def test_a_warm_read_decodes_only_what_it_asks_for() -> None:
    doc = decode_entry(encode_entry("k", DOC), "k", "a/doc.md")
    doc.anchors()
    doc.cross_links()
    filled = {name for name in ("headings", "links", "formulas", "toc") if name in dir(doc) and _slot_set(doc, name)}
    assert filled == set()


def _slot_set(doc: object, name: str) -> bool:
    try:
        object.__getattribute__(doc, name)
        return True
    except AttributeError:
        return False


def test_a_model_holds_no_path() -> None:
    """The same bytes at another path: the same entry, read as the other path's document."""
    assert b"a/doc.md" not in encode_entry("k", DOC)
    elsewhere = decode_entry(encode_entry("k", DOC), "k", "x/其他.md")
    assert materialise(elsewhere) == parse_text(TEXT, "x/其他.md")


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: b.index(b"\n") + 10],  # truncated in the light lines (the heavy ones: below)
        lambda b: b.replace("标题".encode(), "标是".encode(), 1),  # checksum no longer matches
        lambda b: b.replace(b'"k"', b'"other"', 1),  # another key's entry
        lambda b: b"",
    ],
)
def test_damaged_entries_raise_entry_error(damage: object) -> None:
    blob = encode_entry("k", DOC)
    with pytest.raises(EntryError):
        decode_entry(damage(blob), "k", "a/doc.md")  # type: ignore[operator]


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],
        lambda b: b.replace(b'"LK002"', b'"LK003"'),  # checksum no longer matches
        lambda b: b.replace(b'"f"', b'"other"', 1),
        lambda b: b.replace(b'"a/doc.md"', b'"a/b.md"', 1),  # another path's findings
        lambda b: b"",
    ],
)
def test_damaged_findings_raise_entry_error(damage: object) -> None:
    blob = encode_findings("f", "a/doc.md", {"LK002": ("o", FINDINGS)})
    with pytest.raises(EntryError):
        decode_findings(damage(blob), "f", "a/doc.md")  # type: ignore[operator]


def test_damaged_heavy_lines_are_found_when_first_read() -> None:
    blob = encode_entry("k", DOC)
    damaged = blob[:-3] + bytes([blob[-3] ^ 0x01]) + blob[-2:]
    doc = decode_entry(damaged, "k", "a/doc.md")  # the light lines are intact
    assert doc.anchors() == DOC.anchors()
    with pytest.raises(EntryError):
        doc.headings
    fresh = decode_entry(damaged, "k", "a/doc.md", reparse=lambda: DOC)
    assert fresh.headings == DOC.headings and materialise(fresh) == DOC


@pytest.mark.parametrize("damaged", [False, True])
def test_a_narrowed_document_keeps_its_links_and_decodes_the_rest(damaged: bool) -> None:
    """`narrowed` (the inbound documents of a pre-commit run): only the given links, no
    pseudo-links, every other field as stored, also when the heavy lines turn out damaged
    and come from a reparse (which must not bring the other links back)."""
    import dataclasses

    from linter.run.entry import LazyDocument

    blob = encode_entry("k", DOC)
    if damaged:
        blob = blob[:-3] + bytes([blob[-3] ^ 0x01]) + blob[-2:]
    doc = decode_entry(blob, "k", "a/doc.md", reparse=lambda: DOC)
    assert isinstance(doc, LazyDocument)
    into = (DOC.cross_links()[0],)
    if damaged:
        assert doc.headings == DOC.headings  # repaired by a reparse before the narrowing
    narrow = doc.narrowed(into)
    assert narrow.links == into and narrow.cross_links() == into and narrow.pseudo_links == ()
    assert materialise(narrow) == dataclasses.replace(DOC, links=into, pseudo_links=())
    assert materialise(doc) == DOC  # the original is untouched
