"""Changed-files mode (`check --changed-since REF`): what a pull request can have broken.

The targets are the Markdown files changed since the merge base of REF and HEAD (committed,
staged, unstaged and untracked), plus every file whose links point into a changed, renamed
or deleted file: renaming a heading in a.md breaks `b.md#old` without touching b.md.

git runs through `subprocess.run([...])` argument lists with `-z` output: no shell, no
quoting, so non-ASCII and space-containing names arrive intact, and a file name can never
be read as an option or a command. Inbound links are found cheaply: a file is parsed only
when its raw bytes mention the base name of an affected file (as written or
percent-encoded).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config.settings import ConfigError
from ..corpus import MARKDOWN_SUFFIXES, Corpus
from .lazy import candidates, resolve

GIT_TIMEOUT = 60


@dataclass(frozen=True, slots=True)
class Changes:
    changed: frozenset[str]  # added, modified or renamed-to (root-relative, existing)
    gone: frozenset[str]  # deleted or renamed-from (root-relative)

    @property
    def affected(self) -> frozenset[str]:
        """Files whose anchors or existence may differ from what links expect."""
        return self.changed | self.gone


def _git(args: Sequence[str], cwd: Path) -> bytes:
    try:
        proc = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT, check=False
        )
    except FileNotFoundError:
        raise ConfigError("--changed-since needs git, which was not found on PATH") from None
    except subprocess.TimeoutExpired:
        raise ConfigError(f"git {args[0]} timed out after {GIT_TIMEOUT} s") from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ConfigError(f"git {args[0]} failed: {err[-1] if err else 'exit ' + str(proc.returncode)}")
    return proc.stdout


def _decode(name: bytes) -> str:
    return name.decode("utf-8", "surrogateescape")


def parse_name_status(out: bytes) -> tuple[set[str], set[str]]:
    """`git diff --name-status -z -M` output -> (changed, gone), paths relative to the repo."""
    changed: set[str] = set()
    gone: set[str] = set()
    fields = out.split(b"\0")
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i].decode("ascii", "replace")
        if status[:1] in ("R", "C"):
            old, new = _decode(fields[i + 1]), _decode(fields[i + 2])
            if status[0] == "R":
                gone.add(old)
            changed.add(new)
            i += 3
            continue
        path = _decode(fields[i + 1])
        (gone if status[:1] == "D" else changed).add(path)
        i += 2
    return changed, gone


def git_changes(root: Path, ref: str) -> Changes:
    """Changes between the merge base of `ref` and HEAD and the working tree, root-relative."""
    if ref.startswith("-"):
        raise ConfigError(f"--changed-since {ref!r}: expected a git revision, not an option")
    top = Path(_decode(_git(["rev-parse", "--show-toplevel"], root).strip())).resolve()
    base = _decode(_git(["merge-base", ref, "HEAD"], root).strip())
    diff = _git(["-c", "core.quotepath=false", "diff", "--name-status", "-z", "-M", base, "--"], top)
    changed, gone = parse_name_status(diff)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], top)
    changed.update(_decode(p) for p in untracked.split(b"\0") if p)
    try:
        prefix = root.resolve().relative_to(top).as_posix()
    except ValueError:
        raise ConfigError(f"{root} is not inside the git repository {top}") from None
    prefix = "" if prefix == "." else prefix + "/"

    def rel(paths: Iterable[str]) -> frozenset[str]:
        return frozenset(p[len(prefix) :] for p in paths if p.startswith(prefix))

    return Changes(rel(changed), rel(gone))


def inbound(corpus: Corpus, affected: frozenset[str], skip: Iterable[str] = ()) -> list[str]:
    """Documents with a link into `affected`: the lazy mode's byte pre-filter, then parsing."""
    if not affected:
        return []
    skipped = set(skip)
    out: list[str] = []
    for path in candidates(corpus, affected):
        doc = None if path in skipped else corpus.document(path)
        if doc is not None and any(
            link.kind == "relative" and resolve(path, link.dest) in affected for link in doc.links
        ):
            out.append(path)
    return out


def changed_targets(corpus: Corpus, ref: str) -> tuple[list[str], Changes]:
    """(the documents to lint, the git changes): changed Markdown plus inbound linkers."""
    changes = git_changes(corpus.root, ref)
    docs = set(corpus.paths)
    direct = sorted(
        p for p in changes.changed if p in docs and p.lower().endswith(MARKDOWN_SUFFIXES)
    )
    linked = inbound(corpus, changes.affected, skip=direct)
    return sorted({*direct, *linked}), changes
