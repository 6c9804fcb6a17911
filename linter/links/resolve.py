"""Resolve a link destination the way GitHub does when it renders a repository.

GitHub turns a relative destination into a URL under `blob/<branch>/<folder of the
document>/`, so the browser percent-decodes it, applies `.` and `..`, and asks for that exact
path: case-sensitive, byte-exact (an NFD name is not the NFC file), with `\\` part of the
name rather than a separator. A destination starting with `/` is taken from the repository
root. A `..` above the root leaves the repository: the page is a 404 even if a file of that
name exists somewhere.

This module is pure: it knows the document's path and a `FileTree` (the files and folders of
the corpus), never the parser or the rules.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from urllib.parse import unquote

# A Windows drive (`c:\`, `D:/`) at the start of any path segment, a UNC share, or a home,
# temp or mount folder of a Unix machine: the author's own disk, which no reader has.
_DRIVE = re.compile(r"(?:^|[\\/])[a-zA-Z]:[\\/]")
_UNIX_LOCAL = re.compile(r"^(?:/(?:home|Users|root|tmp|mnt|var|opt|private|Volumes)/|~/)")


@dataclass(frozen=True, slots=True)
class Destination:
    """A destination split into its parts, as written (nothing decoded)."""

    path: str  # before `?` and `#`; "" for a same-file anchor
    query: str | None
    fragment: str | None  # None: no `#` at all; "": a bare `#`

    @property
    def decoded_fragment(self) -> str | None:
        return None if self.fragment is None else unquote(self.fragment)


def split(dest: str) -> Destination:
    """`a/b.md?x=1#frag` -> path `a/b.md`, query `x=1`, fragment `frag`."""
    rest, hash_, fragment = dest.partition("#")
    path, q, query = rest.partition("?")
    return Destination(path, query if q else None, fragment if hash_ else None)


def is_local_absolute(path: str) -> bool:
    """A path on the author's machine: `c:\\Users\\…`, `../c:\\…`, `\\\\server\\x`, `/home/…`."""
    return bool(_DRIVE.search(path) or path.startswith("\\\\") or _UNIX_LOCAL.match(path))


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where a relative path lands, root-relative. `path` is "" for the root itself."""

    path: str
    escapes: bool  # a `..` went above the repository root
    folder_syntax: bool  # written with a trailing `/`


def resolve(doc_path: str, link_path: str) -> Resolved:
    """Resolve `link_path` (as written) from the document at `doc_path` (root-relative).

    Percent-decoding comes first, as in the browser, so `%2e%2e/` is `../` and `%20` a
    space. Backslashes are kept: GitHub does not treat them as separators.
    """
    return _resolve_in(doc_path.rpartition("/")[0], link_path)


@lru_cache(maxsize=1 << 16)
def _resolve_in(folder: str, link_path: str) -> Resolved:
    # memoised: the documents of one folder link to the same few targets again and again
    decoded = unquote(link_path)
    base = "" if decoded.startswith("/") else folder
    parts: list[str] = [p for p in base.split("/") if p]
    escapes = False
    for seg in decoded.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if parts:
                parts.pop()
            else:
                escapes = True
            continue
        parts.append(seg)
    return Resolved("/".join(parts), escapes, decoded.endswith("/"))


def relative(doc_path: str, target: str) -> str:
    """The shortest relative destination from the document's folder to `target`."""
    start = posixpath.dirname(doc_path) or "."
    rel = posixpath.relpath(target or ".", start)
    return rel


def encode_spaces(dest: str) -> str:
    """The destination with raw spaces written as `%20` (the form GitHub renders as a link)."""
    return dest.replace(" ", "%20")


def _fold(path: str) -> str:
    return unicodedata.normalize("NFC", path).casefold()


@dataclass(frozen=True, slots=True)
class NearMiss:
    """An existing path that differs from the wanted one only by letter case or Unicode form."""

    path: str
    how: str  # "letter case", "Unicode normalisation (NFC/NFD)", or both joined by " and "


class FileTree:
    """The files and folders of a corpus, with the indexes that suggestions need."""

    def __init__(self, files: Iterable[str], dirs: Iterable[str]) -> None:
        self.files = frozenset(files)
        self.dirs = frozenset(d for d in dirs if d)

    def kind(self, path: str) -> str | None:
        """"file", "dir" (the root counts) or None."""
        if path in self.files:
            return "file"
        if path == "" or path in self.dirs:
            return "dir"
        return None

    @cached_property
    def _folded(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = defaultdict(list)
        for p in (*self.files, *self.dirs):
            index[_fold(p)].append(p)
        return index

    @cached_property
    def by_name(self) -> dict[str, list[str]]:
        """File name -> every file of that name (sorted), for "moved elsewhere" suggestions."""
        index: dict[str, list[str]] = defaultdict(list)
        for p in sorted(self.files):
            index[posixpath.basename(p)].append(p)
        return index

    def near_miss(self, path: str) -> NearMiss | None:
        """An existing path equal to `path` up to case and NFC/NFD, when `path` itself is absent."""
        for found in self._folded.get(_fold(path), ()):
            if found == path:
                continue
            nfc_found = unicodedata.normalize("NFC", found)
            case = nfc_found != unicodedata.normalize("NFC", path)
            form = not case or unicodedata.is_normalized("NFC", found) != unicodedata.is_normalized(
                "NFC", path
            )
            how = [w for w, on in (("letter case", case), ("Unicode normalisation (NFC/NFD)", form)) if on]
            return NearMiss(found, " and ".join(how))
        return None
