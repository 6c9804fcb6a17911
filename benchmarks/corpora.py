"""The corpora a run measures, all built in a temp dir (the shared snapshot is only read):
a writable copy of it, ten copies side by side, and many small generated documents; and the
comparison of two JSON reports' diagnostics."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path


def copy_corpus(src: Path, dest: Path, times: int) -> Path:
    """`times` copies of `src` side by side under `dest` (links stay valid inside each copy),
    writable, with a `.git` folder so `dest` is the root. One copy: `dest` is the copy."""
    dest.mkdir(parents=True)
    ignore = shutil.ignore_patterns(".formalai-lint-cache", ".rumdl_cache", ".git")
    if times == 1:
        shutil.copytree(src, dest, ignore=ignore, dirs_exist_ok=True)
    else:
        for i in range(times):
            shutil.copytree(src, dest / f"copy{i}", ignore=ignore)
    (dest / ".git").mkdir(exist_ok=True)
    for p in dest.rglob("*"):
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    return dest


def small_document(folder: int, note: int, notes_per_folder: int) -> str:
    """One short note in the corpus's style: numbered Chinese sections, a link to the next
    note's section by anchor, one to the folder's README, a formula, a metadata footer."""
    nxt = (note + 1) % notes_per_folder
    return (
        f"# note-{note:03d}\n\n"
        f"## 一、概述\n\nNote {note} of topic {folder}: see [the next note](note-{nxt:03d}.md#二细节) "
        "and [the topic](README.md).\n\n"
        f"## 二、细节\n\n$$\nE_{{{note}}} = m c^2 + {folder}\n$$\n\n"
        f"- point one of {note}\n- point two, [back](#一概述)\n\n"
        "**最后更新**：2025-11-10\n"
    )


def small_corpus(dest: Path, documents: int = 10_000, per_folder: int = 100) -> Path:
    """`documents` small files: folders of one README and `per_folder - 1` notes each."""
    dest.mkdir(parents=True)
    (dest / ".git").mkdir()
    folders = max(1, -(-documents // per_folder))  # the last folder may be partly filled
    notes = per_folder - 1
    written = 0
    for f in range(folders):
        d = dest / f"topic-{f:03d}"
        d.mkdir()
        n_here = min(notes, documents - written - 1)
        links = "\n".join(f"- [note {i}](note-{i:03d}.md)" for i in range(n_here))
        (d / "README.md").write_text(f"# topic-{f:03d}\n\n## 一、目录\n\n{links}\n", "utf-8")
        for i in range(n_here):
            (d / f"note-{i:03d}.md").write_text(small_document(f, i, n_here), "utf-8")
        written += n_here + 1
    return dest


def du_bytes(path: Path) -> int:
    """Disk usage as `du` counts it (blocks allocated), 0 when absent."""
    if not path.exists():
        return 0
    r = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True)
    if r.returncode == 0 and r.stdout.split():
        return int(r.stdout.split()[0]) * 1024
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def diagnostics(report: Path) -> Counter[str]:
    """The diagnostics of a `--format json` report, each as one canonical string (a multiset:
    the same finding twice counts twice)."""
    data = json.loads(report.read_text("utf-8"))
    return Counter(json.dumps(d, sort_keys=True, ensure_ascii=False) for d in data["diagnostics"])


def differences(a: Counter[str], b: Counter[str]) -> int:
    """How many diagnostics are in one report and not the other (counting repeats)."""
    return sum(((a - b) + (b - a)).values())


def examples(a: Counter[str], b: Counter[str], k: int = 3) -> list[str]:
    """Up to `k` diagnostics of each side missing from the other, as `side path:line RULE`."""
    out: list[str] = []
    for side, extra in (("only first", a - b), ("only second", b - a)):
        for text in sorted(extra)[:k]:
            d = json.loads(text)
            out.append(f"{side}: {d.get('path')}:{d.get('line')} {d.get('rule')}")
    return out
