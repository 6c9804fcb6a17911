"""Hypothesis: random documents in the corpus's shapes, fixed with --fix --unsafe-fixes.

Fixing never raises, never loops, a second run changes nothing, no rule's fix has edits
that overlap, and every internal link that resolved still resolves (to the same heading);
a fixed file is either untouched or keeps its code blocks byte for byte. A process killed
while fixing leaves every file either as it was or as the fix makes it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter import fix_paths, lint_paths
from linter.corpus import Corpus
from linter.fix.edits import overlaps

from .fix_checks import fences, resolving_links
from .helpers import write_tree

DOC = "concepts/01-a/01.1.1-示例.md"
OTHER = "concepts/01-a/b c.md"
CJK = "一二三四五六七八九十"

titles = st.sampled_from(["概述", "目录", "核心形式化理论", "宏观视角", "定义", "核心结论", "相关主题", "参考文档"])
numbers = st.integers(1, 6)
blocks = st.sampled_from([
    "若 \\(x^2 + y\\) 成立。",
    "\\[ E = mc^2 \\]",
    "见 [其他](b c.md) 与 [子](sub\\d.md)。",
    "**最后更新**: 2025-01-15",
    "```python\ns = \"\\(code\\)\"\n```",
    "集合 $S = \\{x\\}$ 非空。",
    "普通段落。",
])


@st.composite
def documents(draw: st.DrawFn) -> dict[str, str]:
    sections = draw(st.lists(st.tuples(numbers, titles, st.lists(numbers, max_size=3), st.lists(blocks, max_size=2)),
                             min_size=1, max_size=6))
    lines = ["# 01.1.1-示例", ""]
    headings: list[tuple[int, str]] = []
    for n, title, subs, body in sections:
        h2 = f"{CJK[n - 1]}、{title}"
        lines += [f"## {h2}", ""]
        headings.append((2, h2))
        for text in body:
            lines += [text, ""]
        for m in subs:
            h3 = f"{n}.{m} 小节"
            lines += [f"### {h3}", ""]
            headings.append((3, h3))
    # a TOC under the first heading titled 目录, listing a random sample (some stale)
    if any(t == "目录" for _, t, _, _ in sections):
        at = next(i for i, x in enumerate(lines) if x.startswith("## ") and x.endswith("目录"))
        picked = draw(st.lists(st.sampled_from(headings), max_size=5))
        stale = draw(st.booleans())
        toc = [f"{'  ' * (level - 2)}- [{text}](#{_slug(text)}{'x' if stale else ''})" for level, text in picked]
        lines[at + 2 : at + 2] = [*toc, ""] if toc else []
    links = " ".join(f"[{t}](01.1.1-示例.md#{_slug(t)})" for _, t in draw(st.lists(st.sampled_from(headings), max_size=3)))
    return {
        DOC: "\n".join(lines) + "\n",
        OTHER: f"# B C\n\n{links}\n",
        "concepts/01-a/sub/d.md": "# D\n",
    }


def _slug(text: str) -> str:
    from linter.document.slug import slug

    return slug(text)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_fixing_random_documents_is_safe_and_idempotent(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_tree(Path(tmp), files)
        for d in lint_paths([root], root=root).diagnostics:
            if d.fix is not None:
                edits = list(d.fix.edits)
                assert not any(overlaps(a, b) for i, a in enumerate(edits) for b in edits[i + 1 :]), d
        before = Corpus(root)
        links_before = resolving_links(before)
        old = {p: (root / p).read_bytes() for p in files}
        first = fix_paths([root], root=root, unsafe=True)
        assert not first.loop and not [p for p in first.problems if "did not settle" in p]
        second = fix_paths([root], root=root, unsafe=True, write=False)
        assert second.changes == {}
        after = Corpus(root)
        # places, not counts: two TOC entries for one heading become one regenerated entry
        assert set(links_before) - set(resolving_links(after)) == set()
        for path in files:
            if path in first.changes:
                b, a = before.document(path), after.document(path)
                assert b is not None and a is not None
                assert fences(b, old[path].decode("utf-8").split("\n")) == fences(a, list(after.lines(path)))
            else:
                assert (root / path).read_bytes() == old[path]


def test_a_kill_during_a_fix_leaves_each_file_old_or_new(tmp_path: Path) -> None:
    # many files, each with a fix, so a kill lands between writes: every file must then be
    # whole, either as it was or as `--fix` writes it
    body = "正文。\n" * 200
    files = {f"d{i:03}.md": f"# D{i}\n\n若 \\(x_{i}^2\\) 成立。\n{body}" for i in range(120)}
    want = {f"d{i:03}.md": f"# D{i}\n\n若 $x_{i}^2$ 成立。\n{body}" for i in range(120)}
    for delay in (0.6, 1.0, 1.5, 2.2):
        root = write_tree(tmp_path / f"k{delay}", files)
        proc = subprocess.Popen(
            [sys.executable, "-m", "linter", "check", "--fix", "--no-cache", "-q", "-j", "1", str(root)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        time.sleep(delay)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        for p in files:
            data = (root / p).read_text("utf-8")
            assert data in (files[p], want[p]), p
