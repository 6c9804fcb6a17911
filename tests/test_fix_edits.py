"""linter.fix.edits / write / diff: edits land where they say, bytes round-trip, overlaps refuse."""

from __future__ import annotations

import codecs
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.diagnostics import TextEdit
from linter.fix.diff import file_diff
from linter.fix.edits import EditError, Source, apply_edits, overlaps
from linter.fix.write import Unreadable, to_bytes, to_source


def E(l1: int, c1: int, l2: int, c2: int, text: str, path: str = "a.md") -> TextEdit:
    return TextEdit(path, l1, c1, l2, c2, text)


@pytest.mark.parametrize(
    "data",
    [
        b"# a\n\nb\n",
        b"# a\r\n\r\nb\r\n",
        b"# a\nb\r\nc\rd",  # mixed, no final newline
        b"",
        b"\n\n",
        codecs.BOM_UTF8 + "# 标题\n".encode(),
        codecs.BOM_UTF16_LE + "# 标题\r\n".encode("utf-16-le"),
    ],
)
def test_bytes_round_trip_exactly(data: bytes) -> None:
    assert to_bytes(to_source(data)) == data


def test_undecodable_and_unmarked_utf16_are_refused() -> None:
    with pytest.raises(Unreadable, match="cannot be decoded"):
        to_source(b"# a\n\xff\xfe\xfd\n")
    with pytest.raises(Unreadable, match="without a byte-order mark"):
        to_source("# ab\n".encode("utf-16-le"))


def test_edits_keep_each_lines_terminator_and_use_the_files_own_for_new_lines() -> None:
    src = to_source(b"# a\r\nx \\(y\\) z\r\nlast")
    out = apply_edits(src, [E(2, 3, 2, 8, "$y$"), E(1, 1, 1, 1, "---\n\n")])
    assert to_bytes(out) == b"---\r\n\r\n# a\r\nx $y$ z\r\nlast"


def test_bottom_up_application_of_several_edits_on_one_line() -> None:
    src = Source.from_text("abcdef")
    out = apply_edits(src, [E(1, 1, 1, 2, "X"), E(1, 3, 1, 5, ""), E(1, 7, 1, 7, "!")])
    assert out.raw == "Xbef!"


def test_an_edit_may_span_lines_and_duplicates_count_once() -> None:
    src = Source.from_text("a\nb\nc\n")
    edit = E(1, 2, 3, 1, "-")
    assert apply_edits(src, [edit, edit]).raw == "a-c\n"


def test_bom_removal_is_line_zero() -> None:
    src = to_source(codecs.BOM_UTF8 + b"# a\n")
    assert to_bytes(apply_edits(src, [E(0, 1, 0, 2, "")])) == b"# a\n"
    with pytest.raises(EditError, match="byte-order mark"):
        apply_edits(src, [E(0, 1, 0, 2, "x")])


def test_overlaps() -> None:
    assert overlaps(E(1, 1, 1, 5, "x"), E(1, 4, 1, 6, "y"))
    assert not overlaps(E(1, 1, 1, 5, "x"), E(1, 5, 1, 6, "y"))  # touching ends
    assert overlaps(E(1, 3, 1, 3, "x"), E(1, 1, 1, 5, "y"))  # insertion inside
    assert overlaps(E(1, 3, 1, 3, "x"), E(1, 3, 1, 3, "y"))  # two insertions at one point
    assert not overlaps(E(1, 3, 1, 3, "x"), E(1, 3, 1, 3, "x"))  # the same edit
    assert not overlaps(E(1, 1, 1, 5, "x"), E(1, 1, 1, 5, "x", path="b.md"))
    with pytest.raises(EditError, match="overlap"):
        apply_edits(Source.from_text("abcdef"), [E(1, 1, 1, 4, "x"), E(1, 2, 1, 3, "y")])


def test_positions_outside_the_text_raise() -> None:
    with pytest.raises(EditError, match="outside"):
        apply_edits(Source.from_text("ab\n"), [E(1, 4, 1, 4, "x")])
    with pytest.raises(EditError, match="outside"):
        apply_edits(Source.from_text("ab\n"), [E(3, 1, 3, 1, "x")])


def _naive(text: str, edits: list[tuple[int, int, str]]) -> str:
    # offsets, applied from the last one up: what the (line, column) edits must equal
    for start, end, repl in sorted(edits, reverse=True):
        text = text[:start] + repl + text[end:]
    return text


def _position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="ab\n 中", max_size=40),
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 5), st.text(alphabet="xy\n", max_size=3)), max_size=6),
)
def test_random_non_overlapping_edits_equal_offset_application(text: str, raw: list[tuple[int, int, str]]) -> None:
    edits: list[tuple[int, int, str]] = []
    for start, length, repl in raw:
        start = min(start, len(text))
        end = min(start + length, len(text))
        if any(s < end and start < e or (start == end and s == start) or (s == e and s == start) for s, e, _ in edits):
            continue
        edits.append((start, end, repl))
    src = Source.from_text(text)
    text_edits = [TextEdit("a.md", *_position(text, s), *_position(text, e), r) for s, e, r in edits]
    assert [overlaps(a, b) for a in text_edits for b in text_edits if a is not b] == [False] * (len(edits) * (len(edits) - 1))
    assert apply_edits(src, text_edits).raw == _naive(text, edits)


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs GNU patch")
@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("plain.md", b"a\nb\nc\n", b"a\nB\nc\n"),
        ("dir with space/中文.md", b"a\r\nb\r\n", b"a\r\nb2\r\n"),
        ("nonl.md", b"a\nb", b"a\nc"),
        ("bom.md", codecs.BOM_UTF8 + b"# a\n", b"# a\n"),
    ],
)
def test_a_diff_applied_with_patch_gives_the_new_bytes(tmp_path: Path, name: str, old: bytes, new: bytes) -> None:
    target = tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(old)
    diff = file_diff(name, old, new)
    assert diff.startswith(("--- a/", '--- "a/'))
    subprocess.run(["patch", "-p1", "-s", "--binary"], input=diff.encode("utf-8"), cwd=tmp_path, check=True)
    assert target.read_bytes() == new
