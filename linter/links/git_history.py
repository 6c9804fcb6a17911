"""Renames recorded in git history: evidence for where a missing link target went.

A link to `view/ai_x_view.md` that 404s because the file became `view/T01_x.md` is best
repaired from the commit that renamed it, not from a guess by file name. This module asks
git once per run (`git log --name-status -M --diff-filter=R`), only when the corpus root is
inside a git checkout, bounded in commits, time and output, with no network (log reads the
local object store) and no prompts; any failure means "no history", never an error.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

MAX_COMMITS = 20000
TIMEOUT_SECONDS = 20.0
MAX_OUTPUT_BYTES = 32 << 20


@dataclass(frozen=True, slots=True)
class Rename:
    """`old` was renamed, possibly in several steps, to `new` (paths relative to the root)."""

    old: str
    new: str
    commit: str  # abbreviated hash of the (newest) commit that recorded the first step


def in_git_checkout(root: Path) -> bool:
    """True when `root` or one of its ancestors holds `.git` (a folder, or a file for worktrees)."""
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            return True
    return False


def git_renames(root: Path) -> dict[str, Rename]:
    """Old path -> where it lives now, following chains (a -> b -> c gives a -> c)."""
    if not in_git_checkout(root):
        return {}
    output = _git_log(root)
    return parse_log(output) if output is not None else {}


def _git_log(root: Path) -> bytes | None:
    env = {
        **os.environ,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_OPTIONAL_LOCKS": "0",
        "GIT_PAGER": "cat",
        "LC_ALL": "C",
    }
    command = [
        "git", "-C", str(root), "-c", "core.quotepath=false", "-c", "core.fsmonitor=false",
        "log", "--no-color", "--name-status", "-M", "--diff-filter=R", "--relative",
        f"--max-count={MAX_COMMITS}", "--format=%x01%h", "-z",
    ]
    try:
        done = subprocess.run(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=env, timeout=TIMEOUT_SECONDS, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0 or len(done.stdout) > MAX_OUTPUT_BYTES:
        return None
    return done.stdout


def parse_log(output: bytes) -> dict[str, Rename]:
    """Read `git log --name-status -z --format=%x01%h` output, newest commit first."""
    final: dict[str, Rename] = {}
    text = output.decode("utf-8", errors="replace")
    for chunk in text.split("\x01"):
        fields = chunk.split("\0")
        if len(fields) < 2:
            continue
        commit = fields[0].strip()
        i = 1
        while i + 2 < len(fields):
            status = fields[i].strip()
            if not status.startswith(("R", "C")):
                i += 1
                continue
            old, new = fields[i + 1], fields[i + 2]
            i += 3
            if status.startswith("C") or not old or not new:
                continue
            # newest first: where `new` went later is already known
            later = final.get(new)
            final.setdefault(old, Rename(old, later.new if later is not None else new, commit))
    return final
