"""Cross-file coherence: when a fix renames heading anchors, rewrite every link to them.

`renamed_anchors` pairs the headings of a document before and after a fix and says which
anchors changed (the `-1`/`-2` duplicate suffixes are the parser's, so they come out
recomputed). `follow_renames` finds every link in the corpus whose target is one of those
anchors (the document's TOC and same-file links, `other.md#old` in every other document,
relative paths resolved as GitHub resolves them) and returns edits that replace only the
fragment, written the way the author wrote it (raw or percent-encoded). A TOC entry that
shows the renamed heading's title gets its text changed with it (`renamed_titles`), so a
renumbering does not leave entries TC004 reports and a second pass would regenerate.

Pure: reads documents and lines from the corpus, writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from difflib import SequenceMatcher

from ..corpus import Corpus
from ..diagnostics import TextEdit
from ..document.model import Document, Heading, Link
from ..document.parse import parse_text
from ..links.locate import fragment_edit
from ..links.resolve import resolve, split
from .edits import Source, apply_edits


def renamed_anchors(before: Document, after: Document) -> dict[str, str]:
    """Old anchor -> new anchor for the headings whose anchor a fix changed.

    Headings are paired by position when both documents have the same sequence of levels
    (a renumbering or a title fix); otherwise the unchanged runs are aligned first and
    headings inside a replaced run of equal length are paired by position, so an inserted
    or deleted heading never pairs two unrelated ones. An anchor that is also an explicit
    `<a id>` of the document still resolves after the fix and is left alone.
    """
    return {a: b.anchor for a, (_, b) in _renamed(before, after).items()}


def renamed_titles(before: Document, after: Document) -> dict[str, tuple[str, str]]:
    """Old anchor -> (old title, new title) for the headings `renamed_anchors` renames."""
    return {a: (h.text, g.text) for a, (h, g) in _renamed(before, after).items()}


def _renamed(before: Document, after: Document) -> dict[str, tuple[Heading, Heading]]:
    old, new = before.headings, after.headings
    pairs: list[tuple[int, int]] = []
    if [h.level for h in old] == [h.level for h in new]:
        pairs = [(i, i) for i in range(len(old))]
    else:
        matcher = SequenceMatcher(
            None, [(h.level, h.text) for h in old], [(h.level, h.text) for h in new], autojunk=False
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
                pairs.extend(zip(range(i1, i2), range(j1, j2)))
    explicit = {a.name for a in before.explicit_anchors} | {a.name for a in after.explicit_anchors}
    renames: dict[str, tuple[Heading, Heading]] = {}
    for i, j in pairs:
        a, b = old[i], new[j]
        if a.anchor != b.anchor and a.anchor not in explicit:
            renames[a.anchor] = (a, b)
    return renames


def follow_renames(corpus: Corpus, path: str, renames: Mapping[str, str]) -> list[TextEdit]:
    """Edits to every link in the corpus whose target is `path#old` for an `old` in `renames`."""
    return follow_all_renames(corpus, {path: renames})


Titles = Mapping[str, Mapping[str, tuple[str, str]]]  # path -> old anchor -> (old title, new title)


def follow_all_renames(
    corpus: Corpus,
    renames: Mapping[str, Mapping[str, str]],
    titles: Titles | None = None,
    *,
    sources: Sequence[str] | None = None,
    done: frozenset[str] = frozenset(),
) -> list[TextEdit]:
    """`follow_renames` for several renamed documents in one pass over the corpus's links
    (a corpus-wide renumbering renames anchors in hundreds of files). With `titles`, a TOC
    entry showing a renamed heading's title also gets the title's new number (`_title_edit`).
    `sources` limits the documents whose links are edited; the links of a document in `done`
    to its own anchors are left (the fix engine rewrote them with the fix itself)."""
    wanted = {p: r for p, r in renames.items() if r}
    if not wanted:
        return []
    edits: list[TextEdit] = []
    seen: set[TextEdit] = set()
    for source in corpus.paths if sources is None else sources:
        doc = corpus.document(source)
        if doc is None or not doc.readable:
            continue
        lines: tuple[str, ...] | None = None
        # a document none of whose anchors changed can point at a renamed one only through a
        # relative path: its cross-file links (a light field of a cached or pooled model, so
        # the hundreds of other documents' link lists are never decoded)
        for link in doc.links if source in wanted else doc.cross_links():
            hit = _renamed_target(source, link, wanted)
            if hit is None or (hit[0] == source and source in done):
                continue
            target, old = hit
            if lines is None:
                lines = corpus.lines(source)
            found = [fragment_edit(source, lines, link.line, link.column, link.dest, wanted[target][old])]
            title = (titles or {}).get(target, {}).get(old)
            if title is not None and link.in_toc:
                found.append(_title_edit(source, lines, link, *title))
            # two reference-style links sharing one definition give the same edit
            for edit in found:
                if edit is not None and edit not in seen:
                    seen.add(edit)
                    edits.append(edit)
    return edits


def follow_in_text(path: str, text: str, renames: Mapping[str, str], titles: Mapping[str, tuple[str, str]],
                   *, toc: bool) -> str:
    """`text` (a fix's replacement in `path`, such as a regenerated TOC) with its links to
    `path`'s renamed anchors rewritten as `follow_all_renames` would rewrite them once the text
    is in the file; with `toc`, its `#anchor` links are TOC entries and take the new titles."""
    lines = text.split("\n")
    links = toc_links(lines)
    found: list[TextEdit | None] = []
    for link in parse_text(text, path).links if links is None else links:
        hit = _renamed_target(path, link, {path: renames})
        if hit is None:
            continue
        found.append(fragment_edit(path, lines, link.line, link.column, link.dest, renames[hit[1]]))
        if toc and hit[1] in titles and link.dest.startswith("#"):
            found.append(_title_edit(path, lines, replace(link, in_toc=True), *titles[hit[1]]))
    return apply_edits(Source.from_text(text), [e for e in found if e is not None]).raw


# A TOC line whose one link the parser would read exactly as written: a bullet, link text
# with no character that could be markup, escape, entity or HTML, and a `#` destination with
# none either (no backslash or `&`, which markdown-it unescapes; no space, control character,
# angle bracket or parenthesis); nothing after it. (Control characters are out of the text
# too: markdown-it turns NUL into U+FFFD.)
_PLAIN_ENTRY = re.compile(
    r"( *)[-*+] \[([^\s\x00-\x1f\x7f\[\]\\`*_<>&!|~$](?:[^\x00-\x1f\x7f\[\]\\`*_<>&!|~$]*"
    r"[^\s\x00-\x1f\x7f\[\]\\`*_<>&!|~$])?)\]\((#[^()\s\x00-\x1f\x7f<>\\&]*)\)"
)


def toc_links(lines: Sequence[str]) -> tuple[Link, ...] | None:
    """The links of a TOC list (a regenerated TOC: `follow_in_text`) without parsing it, when
    every line is a plain entry (`_PLAIN_ENTRY`), the first at the margin, none blank, and
    none indented more than two spaces past the line before: then each line is a list
    item (never indented code, a continuation or a break; an item's content column is its
    indent plus two) holding exactly that link, as markdown-it reads it (a property test
    compares them). None: parse the text."""
    out: list[Link] = []
    previous = -2
    for n, line in enumerate(lines, start=1):
        m = _PLAIN_ENTRY.fullmatch(line)
        if m is None or len(m.group(1)) > previous + 2 or (n == 1 and m.group(1)):
            return None if line or n != len(lines) else tuple(out)  # (a final newline)
        previous = len(m.group(1))
        out.append(Link(m.group(3), m.group(2), n, len(m.group(1)) + 3, "anchor"))
    return tuple(out)


# Characters that would make a title written into link text render differently.
_MARKUP = frozenset("\\`*_[]<>&!|~$")


def _title_edit(path: str, lines: Sequence[str], link: Link, old: str, new: str) -> TextEdit | None:
    """The edit that gives a TOC entry showing `old` (whole, or its first-language part, as
    TC004 accepts) the changed part of `new`: the titles' differing prefixes (`四` -> `五`
    for `四、定义` -> `五、定义`; an insertion for `一、定义` -> `十一、定义`), replaced only where
    the entry's source writes it literally."""
    if not (link.text == old or (" / " in old and link.text == old.split(" / ")[0].strip())):
        return None
    k = 0
    while k < min(len(old), len(new)) and old[len(old) - 1 - k] == new[len(new) - 1 - k]:
        k += 1
    before, after = old[: len(old) - k], new[: len(new) - k]
    if before == after or not link.text.startswith(before) or any(c in _MARKUP for c in after):
        return None
    if not 1 <= link.line <= len(lines):
        return None
    text = lines[link.line - 1]
    at = link.column  # 0-based index of the character after the link's `[`
    if text[at - 1 : at] != "[":
        return None
    while at < len(text) and text[at] in "*_":  # emphasis around the title: `[**四、定义**]`
        at += 1
    if not text.startswith(before, at):
        return None
    return TextEdit(path, link.line, at + 1, link.line, at + 1 + len(before), after)


def _renamed_target(source: str, link: Link, wanted: Mapping[str, Mapping[str, str]]) -> tuple[str, str] | None:
    """(target document, renamed anchor) when `link` (in `source`) points at a renamed
    anchor, else None."""
    if link.kind not in ("anchor", "relative") or "#" not in link.dest:
        return None
    parts = split(link.dest)
    if parts.path:
        r = resolve(source, parts.path)
        if r.escapes or r.folder_syntax:
            return None
        target = r.path
    else:
        target = source
    table = wanted.get(target)
    if table is None or (parts.query is not None and "plain=1" in parts.query.split("&")):
        return None  # `?plain=1#L5` is the code view's line anchor, not a heading
    fragment = parts.decoded_fragment or ""
    # GitHub finds a heading whatever the fragment's letter case (linter.links.check._resolves)
    for key in (fragment, fragment.lower()):
        if key in table:
            return target, key
    return None
