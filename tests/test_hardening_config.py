"""Issue 12, items 15, 17 and 20: the API does not leak the corpora it lints; a bad MT006
`today` is a configuration error instead of silently turning the rule off; a dangling or
circular `$ref` in a user schema and a deeply nested baseline are clear errors, never
"internal error: ..."."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from linter.api import lint_text
from linter.corpus import Corpus
from tests.hardening import one_line_error, run
from tests.helpers import write_tree


def test_lint_text_does_not_keep_the_corpora_it_linted() -> None:
    for i in range(30):
        found = lint_text(f"# A\n\n[b](b.md#{i})\n", "a.md", others={"b.md": "# B\n"})
        assert [d.rule_id for d in found] == ["LK003"]  # the cross-file link rule ran each time
    gc.collect()
    # before: a module-level WeakKeyDictionary whose values held their keys kept all 30
    assert sum(isinstance(o, Corpus) for o in gc.get_objects()) == 0


@pytest.mark.parametrize("today", ["2025-02-30", "tomorrow", "2025-13-01"])
def test_an_invalid_today_is_a_config_error(tmp_path: Path, today: str, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(tmp_path / "repo", {
        "标题.md": "# 标题\n\n**最后更新**：2099-01-15\n",
        ".formalai-lint.yaml": f"extends: formalai\nrules:\n  future-date:\n    options:\n      today: '{today}'\n",
    })
    r = run(capsys, monkeypatch, "check", str(root), "--no-cache")
    one_line_error(r, ".formalai-lint.yaml:", "future-date", "not a date")  # before: exit 0, MT006 silently off


def test_a_valid_today_is_used(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(tmp_path / "repo", {
        "标题.md": "# 标题\n\n**最后更新**：2025-01-15\n",
        ".formalai-lint.yaml": "extends: formalai\nrules:\n  future-date:\n    options:\n      today: '2025-01-01'\n",
    })
    r = run(capsys, monkeypatch, "check", str(root), "--no-cache", "--select", "MT006")
    assert r.code == 1 and "MT006 error: 最后更新 2025-01-15 is in the future; expected a date on or before 2025-01-01" in r.out


SCHEMA = """kind: document
name: mine
description: a user schema
metadata:
  values:
    type: object
    properties:
      最后更新: {{$ref: "{first}"}}
      作者: {{$ref: "{second}"}}
"""


@pytest.mark.parametrize(("first", "second", "fragment"), [
    ("#/$defs/missing", "#/properties/最后更新", "points to nothing"),
    ("#/properties/作者", "#nosuchanchor", "unknown anchor"),
    ("#/properties/作者", "#/properties/最后更新", "refers back to itself"),
])
def test_a_bad_local_ref_is_a_clear_error_in_schema_check_and_in_a_run(
        tmp_path: Path, first: str, second: str, fragment: str,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(tmp_path / "repo", {
        "s/doc.yaml": SCHEMA.format(first=first, second=second),
        ".formalai-lint.yaml": 'extends: formalai\nschemas:\n  "**/*.md": s/doc.yaml\n',
        "标题.md": "# 标题\n\n**最后更新**：2025-01-01\n\n**作者**：某\n",
    })
    r = run(capsys, monkeypatch, "schema", "check", str(root / "s" / "doc.yaml"))
    assert r.code == 2 and fragment in r.err and "doc.yaml:" in r.err  # before: "ok"
    r = run(capsys, monkeypatch, "check", str(root), "--no-cache")
    one_line_error(r, fragment, "doc.yaml:")  # before: internal error (PointerToNowhere, RecursionError)


def test_a_good_local_ref_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(tmp_path / "repo", {"s/doc.yaml": SCHEMA.format(first="#/$defs/date", second="#/$defs/date")
                                          + "    $defs:\n      date: {type: string, format: date}\n"})
    r = run(capsys, monkeypatch, "schema", "check", str(root / "s" / "doc.yaml"))
    assert r.code == 0, r.err


def test_a_deeply_nested_baseline_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(tmp_path / "repo", {"a.md": "# A\n", "B.json": "[" * 100_000 + "]" * 100_000})
    r = run(capsys, monkeypatch, "check", str(root), "--no-cache", "--baseline", str(root / "B.json"))
    one_line_error(r, "B.json", "nested too deeply")
