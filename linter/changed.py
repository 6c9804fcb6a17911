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

import posixpath
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from .config import ConfigError
from .corpus import MARKDOWN_SUFFIXES, Corpus

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


def _forms(text: str) -> set[bytes]:
    return {text.encode("utf-8"), quote(text).encode("ascii")}


@dataclass(frozen=True, slots=True)
class _Needle:
    folder: str  # the affected file's folder ("" at the root)
    near: frozenset[bytes]  # its base name: enough for sources inside that folder's subtree
    far: frozenset[bytes]  # "folder-name/base-name": a link from outside must name the folder


def _needles(paths: Iterable[str]) -> list[_Needle]:
    out = []
    for p in sorted(paths):
        folder, name = posixpath.split(p)
        far = _forms(f"{posixpath.basename(folder)}/{name}") if folder else _forms(name)
        out.append(_Needle(folder, frozenset(_forms(name)), frozenset(far)))
    return out


def _may_link(source: str, data: bytes, needles: Sequence[_Needle]) -> bool:
    """The cheap byte test: could `data` (the file `source`) link to an affected file?"""
    for n in needles:
        inside = not n.folder or source.startswith(n.folder + "/")
        if any(b in data for b in (n.near if inside else n.far)):
            return True
    return False


def link_target(source: str, dest: str) -> str | None:
    """The root-relative file a relative link points to (fragment and query dropped)."""
    target = dest.split("#", 1)[0].split("?", 1)[0]
    if not target:
        return None
    target = unquote(target)
    joined = target.lstrip("/") if target.startswith("/") else posixpath.join(posixpath.dirname(source), target)
    norm = posixpath.normpath(joined)
    return None if norm.startswith("..") else norm


def inbound(corpus: Corpus, affected: frozenset[str], skip: Iterable[str] = ()) -> list[str]:
    """Documents with a link into `affected`, found by a byte pre-filter, then by parsing."""
    if not affected:
        return []
    needles = _needles(affected)
    skipped = set(skip)
    out: list[str] = []
    for path in corpus.paths:
        if path in skipped:
            continue
        data = corpus.read(path)
        if data is None or not _may_link(path, data, needles):
            continue
        doc = corpus.document(path)
        if doc is None:
            continue
        for link in doc.links:
            if link.kind != "relative":
                continue
            target = link_target(path, link.dest)
            if target is not None and target in affected:
                out.append(path)
                break
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
