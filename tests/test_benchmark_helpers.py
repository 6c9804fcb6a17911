"""The pure helpers of benchmarks/run.py: the process-tree memory sampler, the generated
corpus, the diagnostics comparison and the report writer. No timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import corpora  # noqa: E402
import report  # noqa: E402
import treemem  # noqa: E402

linux_proc = pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs Linux /proc")


def test_descendants_walks_the_whole_tree_once() -> None:
    tree = {1: [2, 3], 2: [4], 3: [4, 5], 4: [], 5: [1]}
    assert treemem.descendants(1, lambda p: tree.get(p, [])) == [1, 2, 3, 4, 5]
    assert treemem.descendants(9, lambda p: None) == [9]


def test_parents_by_scan_reads_ppid_after_a_command_name_with_spaces_and_parens(tmp_path: Path) -> None:
    for pid, comm, ppid in ((10, "a b) (c", 1), (11, "x", 10), (12, "y", 10)):
        (tmp_path / str(pid)).mkdir()
        (tmp_path / str(pid) / "stat").write_text(f"{pid} ({comm}) S {ppid} 0 0\n")
    (tmp_path / "self").mkdir()
    assert {k: sorted(v) for k, v in treemem.parents_by_scan(tmp_path).items()} == {1: [10], 10: [11, 12]}


def test_children_of_a_fake_proc_without_children_files_asks_for_the_scan(tmp_path: Path) -> None:
    (tmp_path / "7" / "task" / "7").mkdir(parents=True)
    assert treemem.children_of(7, tmp_path) is None
    (tmp_path / "7" / "task" / "7" / "children").write_text("8 9 ")
    assert treemem.children_of(7, tmp_path) == [8, 9]
    assert treemem.children_of(99, tmp_path) == []


@linux_proc
def test_tree_memory_sums_parent_and_grandchild() -> None:
    # parent holds 40 MB and starts a child holding 40 MB: one process alone never
    # reaches 80 MB, the tree does
    child = "b = bytearray(40 << 20); import time; time.sleep(0.8)"
    parent = f"import subprocess, sys; b = bytearray(40 << 20); subprocess.run([sys.executable, '-c', {child!r}])"
    m = treemem.run_measured([sys.executable, "-c", parent], interval=0.02)
    assert m.code == 0
    assert m.samples > 0
    assert m.single_mb < 75
    assert m.tree_mb >= 80


@linux_proc
def test_tree_pids_finds_a_live_child() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        import os
        for _ in range(100):
            if proc.pid in treemem.tree_pids(os.getpid()):
                break
            time.sleep(0.01)
        assert proc.pid in treemem.tree_pids(os.getpid())
        rss, hwm = treemem.memory_kb(proc.pid)
        assert 0 < rss <= hwm
    finally:
        proc.kill()
        proc.wait()


def test_small_corpus_has_the_asked_number_of_documents_and_valid_links(tmp_path: Path) -> None:
    root = corpora.small_corpus(tmp_path / "s", documents=250, per_folder=100)
    files = sorted(root.rglob("*.md"))
    assert len(files) == 250
    for f in files:
        for target in __import__("re").findall(r"\]\(([^)#]+)", f.read_text("utf-8")):
            assert (f.parent / target).is_file(), (f, target)


def test_generated_notes_have_no_broken_link_or_anchor(tmp_path: Path) -> None:
    # the small corpus measures the tool's scaling, not a pile of findings: its links and
    # anchors must all resolve as the linter (GitHub's rules) sees them
    from linter.api import lint_paths

    root = corpora.small_corpus(tmp_path / "s", documents=30, per_folder=10)
    result = lint_paths([root], root=root, select=["links"])
    assert [(d.path, d.line, d.rule_id) for d in result.diagnostics] == []


def test_differences_counts_repeats_both_ways(tmp_path: Path) -> None:
    def write(name: str, diags: list[dict[str, object]]) -> Path:
        p = tmp_path / name
        p.write_text(json.dumps({"diagnostics": diags}), "utf-8")
        return p

    d1 = {"path": "a.md", "line": 1, "rule": "LK001"}
    d2 = {"rule": "LK001", "line": 2, "path": "a.md"}
    a = corpora.diagnostics(write("a.json", [d1, d1, d2]))
    b = corpora.diagnostics(write("b.json", [d2, d1]))
    assert corpora.differences(a, a) == 0
    assert corpora.differences(a, b) == 1
    assert corpora.differences(b, Counter()) == 2


def test_report_marks_goals_and_unavailable_rows() -> None:
    fast = report.Row("ours", "1x", runs=[treemem.Measured(1.0, 1.5, 50, 40, 0, 3),
                                          treemem.Measured(3.0, 2.5, 70, 45, 1, 3),
                                          treemem.Measured(2.0, 2.0, 60, 42, 0, 3)])
    peer = report.Row("peer", "1x", runs=[treemem.Measured(4.0, 4.0, 30, 30, 0, 1)])
    gone = report.Row("markdown-it", "1x", unavailable="not available on this commit")
    goals = [report.ratio_goal("ours <= 0.4x peer", fast, peer, 0.4),
             report.ratio_goal("ours <= 0.5x peer", fast, peer, 0.5),
             report.ratio_goal("gone <= 1x", gone, peer, 1.0)]
    text = report.document(["header"], [fast, peer, gone], goals, [], ["a note"])
    assert "| ours <= 0.4x peer | 0.50x (2.000 s vs 4.000 s; CPU 0.50x) | no |" in text
    assert "| ours <= 0.5x peer | 0.50x (2.000 s vs 4.000 s; CPU 0.50x) | yes |" in text
    assert "| gone <= 1x | not available on this commit | not measured |" in text
    assert "| ours | 1x | 3 | 2.000 | 2.00 | 70 | 45 |  |" in text
    assert "| markdown-it | 1x | 0 | n/a | n/a | n/a | n/a | not available on this commit |" in text
    assert "1 met, 1 not met, 1 not measured." in text
    assert text.endswith("- a note\n")


def test_lychee_summary_in_plain_words() -> None:
    import peers

    line = "\n🔍 16604 Total (in 2s 48ms) 🔗 11870 Unique ✅ 14795 OK 🚫 1507 Errors 👻 302 Excluded\n"
    assert peers.summary_counts(line) == \
        "16,604 total, 11,870 unique, 14,795 ok, 1,507 errors, 302 excluded links (excluded: not files; offline)"
    assert peers.summary_counts("error: no inputs") == "no summary line"


def test_config_variants_change_only_rules_that_fired_each_once() -> None:
    import run

    text = ("a.md:3:1: LK001 [*] error: missing anchor [bad-anchor]\n"
            "b.md:9:2: MH005 warning: x [math]\n"
            "c.md:1:1: LK001 error: again [bad-anchor]\n"
            "note: LK900 would need --select\n"
            "4 findings in 3 files\n")
    assert run.config_variants(text) == ["extends: formalai\nrules:\n  LK001: warning\n",
                                         "extends: formalai\nrules:\n  MH005: off\n"]
    assert run.config_variants("") == ["extends: formalai\nrules:\n  MK010: off\n"]


def test_parser_choices_from_the_help_line_reference_last() -> None:
    import run

    line = "--parser [markdown-it|pulldown-cmark] Markdown parser: ..."
    assert run.parser_choices(line) == ["pulldown-cmark", "markdown-it"]
    assert run.parser_choices("--parser TEXT  which parser") == ["markdown-it"]
    assert run.parser_choices("") == []


def test_flag_help_joins_the_wrapped_lines_of_one_option() -> None:
    import run

    text = ("Options:\n  -q, --quiet      No progress.\n  --parser [a|markdown-it]\n"
            "                   Markdown parser: a or\n                   markdown-it.\n"
            "  -h, --help       Show this message and exit.\n")
    assert run.flag_help(text, "--parser") == "--parser [a|markdown-it] Markdown parser: a or markdown-it."
    assert run.flag_help(text, "--nope") == ""
