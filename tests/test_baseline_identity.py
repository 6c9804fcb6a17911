"""Baselines that survive real editing (issue 15, items 8-10): the identity is rule + path +
normalised offending text + occurrence, so renumbering or renaming headings keeps recorded
findings recorded; a subset run updates only its files' entries; a missing baseline says how
to create one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from linter import lint_paths
from linter.run.baseline import build, compare, normalise, read, write
from tests.helpers import write_tree

# findings in numbered sections: a broken link, a placeholder date and an unused suppression
DOC = (
    "# 文档\n\n## 三、方法\n\n### 3.1 定义\n\n见 [x](missing.md)。\n\n"
    "### 3.2 证明\n\n见 [y](gone.md)。\n\n<!-- formalai-lint-disable-next-line -->\n\n"
    "## 四、结论\n\n见 [x](missing.md)。\n"
)
RULES = ["LK001", "MK900"]


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "linter", "check", *args], cwd=root, capture_output=True, text=True, timeout=120
    )


def _lint(root: Path, *names: str):  # type: ignore[no-untyped-def]
    result = lint_paths([root / n for n in names] or [root], root=root, select=RULES)
    assert result.corpus is not None
    return result


def test_renumbering_and_renaming_headings_keeps_every_finding_known(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": DOC})
    before = _lint(tmp_path)
    assert len(before.diagnostics) == 4
    base = tmp_path / "b.json"
    write(base, before.diagnostics, before.corpus)  # type: ignore[arg-type]
    # renumber 三 -> 二, 3.x -> 2.x, 四 -> 三, and rename a heading: the sections all change
    edited = (DOC.replace("三、方法", "二、方法论").replace("### 3.1", "### 2.1").replace("### 3.2 证明", "### 2.2 推导")
              .replace("四、结论", "三、结论"))
    (tmp_path / "a.md").write_text(edited, "utf-8")
    after = _lint(tmp_path)
    cmp = compare(after.diagnostics, read(base), after.corpus)  # type: ignore[arg-type]
    assert (cmp.new, cmp.known, cmp.fixed) == ((), 4, ())


def test_the_same_text_twice_is_counted_and_a_third_copy_is_new(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": DOC})
    data = build(_lint(tmp_path).diagnostics, _lint(tmp_path).corpus)  # type: ignore[arg-type]
    counts = sorted((f["rule"], f["text"], f["count"]) for f in data["findings"])
    assert ("LK001", "missing.md", 2) in counts
    assert "section" not in data["findings"][0] and data["version"] == 2


def test_normalise_drops_heading_numbers_and_collapses_space() -> None:
    assert normalise("###  3.1   定义") == "### 定义"
    assert normalise("## 四、结论") == "## 结论"
    assert normalise("## 第三章 结论") == "## 结论"
    assert normalise("4.2 判定方法") == normalise("5.2 判定方法") == "判定方法"  # a heading's text
    assert normalise("九、与三层模型的关系") == "与三层模型的关系"
    assert normalise("见 [x](a1.md)") != normalise("见 [x](a2.md)")  # digits elsewhere stay


def test_version_1_baseline_still_matches(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": DOC})
    result = _lint(tmp_path)
    v2 = build(result.diagnostics, result.corpus)  # type: ignore[arg-type]
    import hashlib

    # version 1 hashed the stripped text (no normalisation) and had a section path
    v1 = {"version": 1, "tool": "formalai-lint", "findings": [
        {**f, "section": ["文档"], "hash": hashlib.sha256(f["text"].encode()).hexdigest()[:16]}
        for f in v2["findings"]
    ]}
    base = tmp_path / "v1.json"
    base.write_text(json.dumps(v1), "utf-8")
    cmp = compare(result.diagnostics, read(base), result.corpus)  # type: ignore[arg-type]
    assert (len(cmp.new), cmp.known) == (0, 4)


def test_write_baseline_on_a_subset_updates_only_its_files(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": DOC, "b.md": DOC, "c.md": DOC})
    base = tmp_path / "b.json"
    full = run(tmp_path, "--select", ",".join(RULES), "--write-baseline", str(base))
    assert full.stderr.strip() == f"wrote 12 finding(s) to baseline {base}"
    (tmp_path / "a.md").write_text(DOC.replace("[y](gone.md)", "y"), "utf-8")  # one fixed in a.md
    sub = run(tmp_path, "a.md", "--select", ",".join(RULES), "--write-baseline", str(base))
    assert sub.stderr.strip() == (
        f"updated baseline {base} for the 1 file(s) linted: 11 finding(s) recorded, "
        f"8 of them in other files kept as they were"
    )
    data = json.loads(base.read_text("utf-8"))
    per_file = {p: sum(f["count"] for f in data["findings"] if f["path"] == p) for p in ("a.md", "b.md", "c.md")}
    assert per_file == {"a.md": 3, "b.md": 4, "c.md": 4}
    assert run(tmp_path, "--select", ",".join(RULES), "--baseline", str(base)).returncode == 0


def test_subset_write_drops_entries_of_deleted_files(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": DOC, "b.md": DOC})
    base = tmp_path / "b.json"
    run(tmp_path, "--select", ",".join(RULES), "--write-baseline", str(base))
    (tmp_path / "b.md").unlink()
    run(tmp_path, "a.md", "--select", ",".join(RULES), "--write-baseline", str(base))
    assert {f["path"] for f in json.loads(base.read_text("utf-8"))["findings"]} == {"a.md"}


def test_missing_baseline_says_how_to_create_it(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": DOC})
    r = run(tmp_path, "--baseline", ".formalai-lint-baseline.json")
    assert r.returncode == 2
    assert r.stderr.strip() == (
        "error: baseline .formalai-lint-baseline.json does not exist; create it with "
        "`formalai-lint check --write-baseline .formalai-lint-baseline.json` and commit it"
    )
