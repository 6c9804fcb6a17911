"""Hypothesis properties of the CI pieces."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from linter.run.baseline import build
from linter.run.changed import parse_name_status
from linter.config.settings import Config
from linter.corpus import MemoryCorpus
from linter.run.engine import lint
from linter.cli.reporters.github import escape_data, escape_property
from linter.util.escape import escape_controls

names = st.text(st.characters(blacklist_characters="\0", blacklist_categories=("Cs",)), min_size=1, max_size=20)


def unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


@given(st.text())
def test_github_escaping_round_trips_and_removes_separators(text: str) -> None:
    data, prop = escape_data(text), escape_property(text)
    assert "\n" not in data and "\r" not in data
    assert not set(",:\r\n") & set(prop)
    assert escape_controls(data) == data and escape_controls(prop) == prop  # ESC, BEL, ... escaped (issue 12)
    if escape_controls(text, keep="\r\n") == text:
        assert unescape(data) == text and unescape(prop) == text


@given(st.lists(st.tuples(st.sampled_from("MADR"), names, names), max_size=8))
def test_name_status_round_trip(entries: list[tuple[str, str, str]]) -> None:
    out = b""
    changed: set[str] = set()
    gone: set[str] = set()
    for status, a, b in entries:
        if status == "R":
            out += b"R100\0" + a.encode("utf-8", "surrogateescape") + b"\0" + b.encode("utf-8", "surrogateescape") + b"\0"
            gone.add(a)
            changed.add(b)
        else:
            out += status.encode() + b"\0" + a.encode("utf-8", "surrogateescape") + b"\0"
            (gone if status == "D" else changed).add(a)
    assert parse_name_status(out) == (changed, gone)


def _baseline(text: str) -> dict[str, object]:
    corpus = MemoryCorpus({"a.md": text.encode("utf-8")})
    return build(lint(corpus, ["a.md"], Config.default()), corpus)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(["正文。", "", "更多内容", "- 列表项", "> 引用"]), max_size=6),
    st.integers(min_value=1, max_value=4),
)
def test_inserting_lines_after_the_title_keeps_the_baseline(inserted: list[str], h1s: int) -> None:
    body = "".join(f"\n# 标题{i}\n\n内容{i}\n" for i in range(h1s))
    original = "# 总标题\n\n引言。\n" + body
    shifted = "# 总标题\n" + "\n".join(inserted) + "\n\n引言。\n" + body
    assert _baseline(shifted) == _baseline(original)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=2, max_value=6), st.data())
def test_disable_next_line_removes_exactly_the_finding_below_it(h1s: int, data: st.DataObject) -> None:
    from linter import lint_text

    k = data.draw(st.integers(min_value=1, max_value=h1s - 1))
    lines = ["# 标题0"]
    for i in range(1, h1s):
        lines += ["", "<!-- formalai-lint-disable-next-line single-h1 -->" if i == k else "正文。", f"# 标题{i}"]
    text = "\n".join(lines) + "\n"
    found = [(d.line, d.rule_id) for d in lint_text(text) if d.rule_id in ("MK020", "MK900")]
    assert found == [(3 * i + 1, "MK020") for i in range(1, h1s) if i != k]
