"""One document's parsed model, stored: the `Document` a parser built from a file's bytes.

The parse cache keeps models on disk and worker processes send them back to the parent,
both in the same JSON form (never pickle). A model holds no path and no findings: it is
keyed by the file's bytes and the parser (`linter.run.keys.model_key`), so a config edit, a
rename or a copied file reuses it; the per-document findings are stored apart, keyed by the
path and the configuration too (`linter.run.findings`).

A model entry is JSON lines, so a reader decodes only what it needs:

    {"format": 7, "key": ..., "light": [...], "heavy": [...],
     "light_sha256": ..., "heavy_sha256": ...}
    [<anchor>, ...]                         \
    [<cross-file link as a row>, ...]        |  light: what a warm run reads
    <encoding> <line_count> <pseudo_links> <comments>   (one line each)
    <heading, section, link, ... fields>    -  heavy: one JSON line per field

`decode_entry` checks the header and the light lines' checksum (a truncated, corrupt or
foreign entry is a miss) and returns a `LazyDocument` that decodes each field on first
access; the heavy lines' checksum is checked when one of them is first read, and a damaged
heavy part is replaced by a fresh parse. A warm run whose cross-file rules read anchors and
relative links never decodes (or hashes) headings, formulas or tables.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from ..document.model import Document, Link
from ..document.sections import build_sections
from ..document.serde import decoder, encoder, field_types

FORMAT = 9  # 9: a fix equal to an earlier finding's stored as its index (rows.py)
FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Document))
# Facts derived from the fields, stored on lines of their own so the cross-file pass of a
# warm run decodes a few small lines instead of every link and heading.
DERIVED: tuple[str, ...] = ("anchors", "cross_links")
# The fields a warm run reads for every document (the rest are "heavy": read, and their
# checksum checked, only when a rule or report asks for one; `path` is the caller's).
LIGHT: tuple[str, ...] = ("encoding", "line_count", "pseudo_links", "comments")
HEAVY: tuple[str, ...] = tuple(f for f in FIELDS if f != "path" and f not in LIGHT)
_HEAVY_SET = frozenset(HEAVY)
# Decoded eagerly: small, and needed to tell a readable document from a flagged one.
_EAGER = ("encoding", "line_count")


def _field_encoders() -> dict[str, Any]:
    hints = field_types(Document)
    return {name: encoder(hints[name]) for name in FIELDS}


def _link_rows(links: Sequence[Link]) -> list[list[Any]]:
    return [[x.dest, x.text, x.line, x.column, x.kind, x.image, x.in_toc, x.autolink] for x in links]


def _links_from_rows(rows: Any) -> tuple[Link, ...]:
    return tuple(Link(*row) for row in rows)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def encode_entry(key: str, doc: Document) -> bytes:
    """The model entry for `doc` (stored under `key`; its path is not stored)."""
    encoders = _field_encoders()
    light = [
        _dumps(sorted(doc.anchors())),
        _dumps(_link_rows(doc.cross_links())),
        *(_dumps(encoders[name](getattr(doc, name))) for name in LIGHT),
    ]
    heavy = []
    for name in HEAVY:
        value = getattr(doc, name)
        # The section tree repeats every heading; it is rebuilt from the headings on load
        # when that gives the same tree (checked here, so a parser change cannot slip by).
        if name == "sections" and value == build_sections(doc.headings, doc.line_count):
            heavy.append(b"null")
        else:
            heavy.append(_dumps(encoders[name](value)))
    light_part, heavy_part = b"\n".join(light), b"\n".join(heavy)
    header = {
        "format": FORMAT,
        "key": key,
        "light": [*DERIVED, *LIGHT],
        "heavy": list(HEAVY),
        "light_sha256": hashlib.sha256(light_part).hexdigest(),
        "heavy_sha256": hashlib.sha256(heavy_part).hexdigest(),
    }
    return json.dumps(header, separators=(",", ":")).encode("ascii") + b"\n" + light_part + b"\n" + heavy_part


class EntryError(ValueError):
    """The entry cannot be used (treated as a cache miss)."""


Reparse = Callable[[], Document]


def decode_entry(
    blob: bytes, key: str, path: str, verify: bool = True, reparse: Reparse | None = None, compact: bool = False
) -> Document:
    """The document stored in `blob`, as the document at `path`; raises EntryError if it
    does not fit.

    The header and the light lines (anchors, cross-file links, encoding, line count,
    pseudo-links, comments: what a warm run reads) are checked here. The other fields'
    checksum is checked when one of them is first read; if it fails then, the document comes
    from `reparse` (or EntryError is raised). `verify=False` skips both checksums (a blob a
    worker of this run just made). `compact`: keep the heavy lines compressed until read (a
    cold run's parent holds every document and reads the heavy fields of a few)."""
    try:
        head, _, body = blob.partition(b"\n")
        header = json.loads(head)
        if not (
            isinstance(header, dict)
            and header.get("format") == FORMAT
            and header.get("key") == key
            and header.get("light") == [*DERIVED, *LIGHT]
            and header.get("heavy") == list(HEAVY)
        ):
            raise EntryError("entry header does not match")
        parts = body.split(b"\n", len(DERIVED) + len(LIGHT))
        if len(parts) != len(DERIVED) + len(LIGHT) + 1:
            raise EntryError("entry has the wrong number of lines")
        heavy = parts.pop()
        if verify and header.get("light_sha256") != hashlib.sha256(body[: len(body) - len(heavy) - 1]).hexdigest():
            raise EntryError("entry checksum does not match")
        raw = dict(zip((*(f"#{d}" for d in DERIVED), *LIGHT), parts))
        expected = header.get("heavy_sha256") if verify else None
        if compact:
            heavy = _Zipped(zlib.compress(heavy, 1))
        return LazyDocument.load(path, raw, heavy, expected, reparse)
    except (ValueError, TypeError, KeyError, RecursionError) as exc:
        raise EntryError(str(exc)) from None


class _Zipped(bytes):
    """Heavy lines kept zlib-compressed (`decode_entry(compact=True)`): JSON shrinks about
    6x, and on the 10x corpus the parent held 125 MB of them for the few it reads."""


class LazyDocument(Document):
    """A `Document` whose fields are decoded from their JSON on first access.

    The slots of the frozen dataclass start empty; reading an empty slot falls through to
    `__getattr__`, which decodes that field and fills the slot, so later reads cost nothing.
    A lazy and an eager document with the same content are not `==` (dataclass equality
    compares classes): use `materialise` to compare.
    """

    __slots__ = ("_raw", "_heavy", "_heavy_sha256", "_reparse", "_anchors", "_cross_links")

    @classmethod
    def load(
        cls, path: str, raw: dict[str, bytes], heavy: bytes, heavy_sha256: str | None, reparse: Reparse | None
    ) -> LazyDocument:
        doc = object.__new__(cls)
        object.__setattr__(doc, "path", path)
        object.__setattr__(doc, "_raw", raw)
        object.__setattr__(doc, "_heavy", heavy)
        object.__setattr__(doc, "_heavy_sha256", heavy_sha256)
        object.__setattr__(doc, "_reparse", reparse)
        for name in _EAGER:
            object.__setattr__(doc, name, _decode_field(doc, name, raw[name]))
        return doc

    def anchors(self) -> frozenset[str]:
        # memoised: link rules ask a target for its anchors once per link into it
        try:
            found: frozenset[str] = object.__getattribute__(self, "_anchors")
        except AttributeError:
            raw: dict[str, bytes] = object.__getattribute__(self, "_raw")
            found = frozenset(_loads_strings(raw["#anchors"]))
            object.__setattr__(self, "_anchors", found)
        return found

    def cross_links(self) -> tuple[Link, ...]:
        try:
            found: tuple[Link, ...] = object.__getattribute__(self, "_cross_links")
        except AttributeError:
            raw: dict[str, bytes] = object.__getattribute__(self, "_raw")
            found = _links_from_rows(json.loads(raw["#cross_links"]))
            object.__setattr__(self, "_cross_links", found)
        return found

    def narrowed(self, links: tuple[Link, ...]) -> LazyDocument:
        """This document with only `links` (relative links) and no pseudo-links, its other
        fields still decoded on first read (`lazy.narrow_inbound`; decoding all of forty
        inbound documents to replace one field was a tenth of a pre-commit run)."""
        doc = object.__new__(LazyDocument)
        for name in ("path", "_heavy", "_heavy_sha256", "_reparse", *_EAGER):
            object.__setattr__(doc, name, object.__getattribute__(self, name))
        object.__setattr__(doc, "_raw", dict(object.__getattribute__(self, "_raw")))
        for name in (*LIGHT, *HEAVY):  # fields decoded already (or taken from a reparse)
            try:
                object.__setattr__(doc, name, object.__getattribute__(self, name))
            except AttributeError:
                pass
        object.__setattr__(doc, "links", links)
        object.__setattr__(doc, "pseudo_links", ())
        object.__setattr__(doc, "_cross_links", tuple(link for link in links if link.kind == "relative"))
        return doc

    def _open_heavy(self) -> None:
        """Check the heavy lines' checksum and split them into fields (once); if they are
        damaged, take every heavy field from a fresh parse instead."""
        heavy: bytes = object.__getattribute__(self, "_heavy")
        if isinstance(heavy, _Zipped):
            heavy = zlib.decompress(heavy)
        expected: str | None = object.__getattribute__(self, "_heavy_sha256")
        lines = heavy.split(b"\n")
        if (expected is not None and hashlib.sha256(heavy).hexdigest() != expected) or len(lines) != len(HEAVY):
            reparse: Reparse | None = object.__getattribute__(self, "_reparse")
            if reparse is None:
                raise EntryError(f"{self.path}: cache entry damaged")
            fresh = reparse()
            for name in HEAVY:
                try:
                    object.__getattribute__(self, name)  # set already (a narrowed copy's links)
                except AttributeError:
                    object.__setattr__(self, name, getattr(fresh, name))
        else:
            raw: dict[str, bytes] = object.__getattribute__(self, "_raw")
            raw.update(zip(HEAVY, lines))
        object.__setattr__(self, "_heavy", b"")
        object.__setattr__(self, "_heavy_sha256", None)

    def __getattr__(self, name: str) -> Any:
        raw: dict[str, bytes] = object.__getattribute__(self, "_raw")
        if name not in raw:
            if name not in _HEAVY_SET or not object.__getattribute__(self, "_heavy"):
                raise AttributeError(name)
            self._open_heavy()
            try:
                return object.__getattribute__(self, name)  # filled by a reparse
            except AttributeError:
                pass
        value = _decode_field(self, name, raw[name])
        object.__setattr__(self, name, value)
        return value


def _loads_strings(blob: bytes) -> list[str]:
    value = json.loads(blob)
    if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise EntryError("a derived line is not a list of strings")
    return value


def _decode_field(doc: Document, name: str, blob: bytes) -> Any:
    data = json.loads(blob)
    if name == "sections" and data is None:
        return build_sections(doc.headings, doc.line_count)
    return decoder(field_types(Document)[name])(data)


def materialise(doc: Document) -> Document:
    """A plain `Document` with every field decoded (for comparison and pickling)."""
    if type(doc) is Document:
        return doc
    return Document(**{name: getattr(doc, name) for name in FIELDS})
