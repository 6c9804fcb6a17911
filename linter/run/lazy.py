"""Lazy cross-file work for a run over some files of a corpus (a pre-commit hook).

Outbound links need nothing here: `Corpus.document` parses a link target when a rule first
asks for it. Inbound links (other documents linking into the targets, whose anchors a
renamed heading breaks) are found without parsing the corpus:

1. a bytes pre-filter: a document is a candidate only if it contains a target's file name,
   raw or percent-encoded, inside a destination-like token that resolves to the target
   from the candidate's folder (a `README.md` name alone matches half the corpus);
2. each candidate is parsed (or loaded from the cache) and its real links are resolved;
   the lines of the links into the targets are returned, for `engine.lint_corpus_rules`.

Known gap of the pre-filter: a destination with a raw space or quote inside `<...>` is cut
at that character, so it is not matched (CommonMark allows it only in angle brackets).
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from urllib.parse import quote, unquote

from ..corpus import Corpus
from .entry import LazyDocument

# What can end a link destination on its left in Markdown or HTML source; `_FLAT` maps each
# to `(`, so one `rfind` finds the nearest of them (ten per match were most of a pre-commit
# run's scan: a `README.md` target's name occurs 4,783 times in the shared corpus).
_DELIMITERS = (b"(", b"<", b'"', b"'", b" ", b"\t", b"\n", b"[", b"]", b"=")
_FLAT = bytes.maketrans(b"".join(_DELIMITERS), b"(" * len(_DELIMITERS))
_LOOKBEHIND = 1024  # longest destination the pre-filter reconstructs, in bytes


def resolve(source: str, dest: str) -> str | None:
    """The root-relative path a relative link in `source` points at (None outside the root)."""
    dest = dest.split("#", 1)[0].split("?", 1)[0]
    if not dest:
        return None
    dest = unquote(dest)
    joined = dest.lstrip("/") if dest.startswith("/") else posixpath.join(posixpath.dirname(source), dest)
    normal = posixpath.normpath(joined)
    if normal.startswith("../") or normal in ("..", "."):
        return None
    return normal


def needles(name: str) -> set[bytes]:
    """A file name as links may spell it: raw, percent-encoded (upper and lower hex), and
    encoded except for the characters people leave raw."""
    raw = name.encode("utf-8", "surrogateescape")  # a non-UTF-8 name: its real bytes
    out = {raw}
    for safe in ("", "()!*'~-_.", "()!*'~-_.&=+,;:@$"):
        encoded = quote(raw, safe=safe)
        out.add(encoded.encode("ascii"))
        out.add(_lower_hex(encoded).encode("ascii"))
    return out


def _lower_hex(encoded: str) -> str:
    parts = encoded.split("%")
    return parts[0] + "".join("%" + p[:2].lower() + p[2:] for p in parts[1:])


def _mentions(
    data: bytes, source: str, wanted: dict[bytes, set[str]], memo: dict[tuple[str, bytes], str | None] | None = None
) -> bool:
    """Whether `data` holds a destination-like token that resolves to a wanted path.
    `memo`: tokens resolved already, by the source's folder (all a resolution depends on:
    the same `../README.md` recurs in every document of a folder)."""
    known = {} if memo is None else memo
    folder = posixpath.dirname(source)
    flat: bytes | None = None
    for needle, targets in wanted.items():
        start = data.find(needle)
        while start != -1:
            if flat is None:
                flat = data.translate(_FLAT)
            end = start + len(needle)
            lo = max(0, start - _LOOKBEHIND)
            left = flat.rfind(b"(", lo, start) + 1
            raw = data[left if left > 0 else lo : end]
            key = (folder, raw)
            if key in known:
                found = known[key]
            else:
                found = known[key] = resolve(source, raw.decode("utf-8", "replace"))
            if found in targets:
                return True
            start = data.find(needle, end)
    return False


def candidates(corpus: Corpus, targets: Iterable[str]) -> list[str]:
    """Documents (not targets) whose bytes look like they link into a target. Parses nothing."""
    wanted: dict[bytes, set[str]] = {}
    target_set = set(targets)
    for target in target_set:
        for needle in needles(posixpath.basename(target)):
            wanted.setdefault(needle, set()).add(target)
    out = []
    memo: dict[tuple[str, bytes], str | None] = {}
    for path in corpus.paths:
        if path in target_set:
            continue
        data = corpus.read(path)
        if data is not None and _mentions(data, path, wanted, memo):
            out.append(path)
    return out


def inbound_links(
    corpus: Corpus,
    targets: Sequence[str],
    prefetch: Callable[[Corpus, Sequence[str]], None] | None = None,
) -> dict[str, frozenset[int]]:
    """Documents outside `targets` that link into them, with the lines of those links.

    Empty when the targets are the whole corpus (every link is checked from its source).
    `prefetch` loads the candidates first (`Session.prepare`: cache, then a process pool)."""
    target_set = set(targets)
    if not target_set or target_set.issuperset(corpus.paths):
        return {}
    found = candidates(corpus, target_set)
    if prefetch is not None:
        prefetch(corpus, found)
    out: dict[str, frozenset[int]] = {}
    for path in found:
        doc = corpus.document(path)
        if doc is None:
            continue
        lines = frozenset(
            link.line
            for link in doc.links
            if link.kind == "relative" and resolve(path, link.dest) in target_set
        )
        if lines:
            out[path] = lines
    return out


def narrow_inbound(corpus: Corpus, targets: Sequence[str], inbound: Mapping[str, frozenset[int]]) -> None:
    """Give the link rules only the inbound documents' links into the targets.

    Judging every link of forty inbound documents would parse everything they link to (a
    cold cache would then parse half the corpus to check one file). The documents stay
    whole for every other use: their headings and anchors, what rules read of a link
    target, are untouched; they are not targets, so no other rule reports on them."""
    target_set = set(targets)
    for path in inbound:
        doc = corpus.document(path)
        if doc is None:
            continue
        into = tuple(
            link for link in doc.links if link.kind == "relative" and resolve(path, link.dest) in target_set
        )
        if isinstance(doc, LazyDocument):
            corpus.add(doc.narrowed(into))
        else:
            corpus.add(dataclasses.replace(doc, links=into, pseudo_links=()))
