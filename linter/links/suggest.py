""""Did you mean": the likely intended heading or file for a broken link.

Anchors break in the corpus in three ways (guide/corpus.md section 3): a heading was
renumbered (`#十核心结论` while the heading is `十一、核心结论`), CJK/Latin spacing changed
(`#00-zfc公理系统` vs `#00-zfc-公理系统`), or the text was edited. So the heading is matched
first ignoring dashes, then ignoring its leading number (closest number wins), then by
similarity. Files break by one `../` too many or too few, or by moving: so a path with one
`../` more or less is tried, then the same file name elsewhere in the corpus.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..document.model import Heading
from ..document.slug import slug
from .resolve import FileTree, encode_spaces, relative, resolve

_CJK_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CJK_UNITS = {"十": 10, "百": 100, "千": 1000}
# A heading number at the start of a slug: `十一` (from `十一、`), `312` (from `3.1.2`).
_NUMBER_PREFIX = re.compile(r"^(?:[零〇一二两三四五六七八九十百千]+|[0-9]+)")
# Names that occur in most folders: moving one is only plausible into a same-named folder.
_GENERIC_NAMES = frozenset({"readme.md", "index.md", "mindmap_index.md"})
MIN_SIMILARITY = 0.6
# Within the TOC neighbours' range the position is itself evidence, so a weaker match will do.
CLOSE_SIMILARITY = 0.9
MIN_SIMILARITY_NEAR = 0.5


def cjk_number(text: str) -> int | None:
    """`十一` -> 11, `二十三` -> 23, `三` -> 3; None when `text` is not a CJK numeral."""
    total, digit = 0, None
    for ch in text:
        if ch in _CJK_DIGITS:
            digit = _CJK_DIGITS[ch]
        elif ch in _CJK_UNITS:
            total += (digit if digit is not None else 1) * _CJK_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0) if text else None


def _core(anchor: str) -> tuple[str, str]:
    """The anchor without its leading number and dashes, and that number as written."""
    m = _NUMBER_PREFIX.match(anchor)
    prefix = m.group(0) if m else ""
    return anchor[len(prefix) :].replace("-", ""), prefix


def _number_distance(a: str, b: str) -> tuple[int, int]:
    """How far apart two heading numbers are; smaller is closer.

    Dotted numbers lose their dots in slugs (`7.1` -> `71`), so a number that ends the
    other (`71` vs `1`: section 7's first subsection, written `1.`) counts as closest.
    """
    if not a or not b:
        return (2, 0)
    if a.isdigit() and b.isdigit():
        return (0 if a.endswith(b) or b.endswith(a) else 1, abs(int(a) - int(b)))
    na, nb = cjk_number(a), cjk_number(b)
    if na is not None and nb is not None:
        return (1, abs(na - nb))
    return (2, 0)


@dataclass(frozen=True, slots=True)
class AnchorGuess:
    heading: Heading
    why: str  # "spacing", "renumbered", "link text", "similar"
    # One candidate is clearly right (the only heading equal up to dashes, the only one with
    # this title after the number, a near-identical text with no rival): a fix may apply it.
    clear: bool = False


def _base(h: Heading) -> str:
    """The heading's slug before deduplication (`52-判定方法`, not `52-判定方法-1`)."""
    return slug(h.text)


def _match(fragment: str, headings: Sequence[Heading], link_text: str, cutoff: float) -> AnchorGuess | None:
    flat = fragment.replace("-", "")
    spaced = [h for h in headings if h.anchor.replace("-", "") == flat or _base(h).replace("-", "") == flat]
    if spaced:
        return AnchorGuess(spaced[0], "spacing", len(spaced) == 1)
    core, number = _core(fragment)
    same_text = [h for h in headings if core and _core(_base(h))[0] == core]
    if same_text:

        def distance(h: Heading) -> tuple[int, int]:
            return _number_distance(number, _core(_base(h))[1])

        return AnchorGuess(min(same_text, key=distance), "renumbered", len(same_text) == 1)
    scored: list[tuple[float, Heading]] = []
    for h in headings:
        hcore = _core(_base(h))[0]
        score = max(
            difflib.SequenceMatcher(None, flat, h.anchor.replace("-", "")).ratio(),
            difflib.SequenceMatcher(None, core, hcore).ratio() if core and hcore else 0.0,
        )
        scored.append((score, h))
    best = max(scored, key=lambda x: x[0]) if scored else None
    # A near-identical heading (`三数据层的形式化定义` for `三数据层形式化定义`) beats the link
    # text: in a cross-file link the text is usually the target's title, not the section.
    if best is not None and best[0] >= CLOSE_SIMILARITY:
        rivals = sum(1 for score, _ in scored if score >= CLOSE_SIMILARITY)
        return AnchorGuess(best[1], "similar", rivals == 1)
    if link_text:
        by_text = slug(link_text)
        for h in headings:
            if h.anchor == by_text:
                return AnchorGuess(h, "link text", True)
    if best is not None and best[0] >= cutoff:
        return AnchorGuess(best[1], "similar")
    return None


def suggest_anchor(
    fragment: str,
    headings: Sequence[Heading],
    link_text: str = "",
    between: tuple[int, int] | None = None,
) -> AnchorGuess | None:
    """The heading a broken `#fragment` most likely meant, or None.

    `between` is, for a TOC entry, the lines of the headings its nearest working neighbours
    in the TOC point at: a stale entry almost always meant a heading between those two, so
    that range is searched first (this tells `5.2 判定方法` under 七 from the one under 五).
    """
    if not headings or not fragment:
        return None
    if between is not None:
        lo, hi = between
        inside = [h for h in headings if lo < h.line < hi]
        found = _match(fragment, inside, link_text, MIN_SIMILARITY_NEAR)
        if found is not None:
            return AnchorGuess(found.heading, found.why + ", by TOC position", found.clear)
    return _match(fragment, headings, link_text, MIN_SIMILARITY)


@dataclass(frozen=True, slots=True)
class PathGuess:
    dest: str  # the new destination path (spaces as %20), without the fragment
    target: str  # the root-relative path it reaches
    why: str
    clear: bool = False  # the only existing target that matches: a fix may apply it


def _shared_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a.split("/")), reversed(b.split("/"))):
        if x != y:
            break
        n += 1
    return n


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a.split("/"), b.split("/")):
        if x != y:
            break
        n += 1
    return n


def suggest_path(doc_path: str, written: str, tree: FileTree) -> PathGuess | None:
    """An existing target for a broken relative path (`written` as in the link, no `#`)."""
    variants: list[tuple[str, str]] = []
    if written.startswith("../"):
        variants.append((written[3:], "one ../ less"))
    elif written.startswith("./"):
        variants.append(("../" + written[2:], "one ../ more"))
    variants.append(("../" + written, "one ../ more"))
    hits: list[PathGuess] = []
    for candidate, why in variants:
        r = resolve(doc_path, candidate)
        if candidate and not r.escapes and tree.kind(r.path) is not None and r.path not in {h.target for h in hits}:
            hits.append(PathGuess(encode_spaces(candidate), r.path, why))
    if hits:
        # clear only when one `../` more and one less do not both reach something
        return PathGuess(hits[0].dest, hits[0].target, hits[0].why, len(hits) == 1)
    wanted = resolve(doc_path, written).path
    name = posixpath.basename(wanted)
    same_name = [p for p in tree.by_name.get(name, ()) if p != doc_path]
    if name.lower() in _GENERIC_NAMES:
        parent = posixpath.basename(posixpath.dirname(wanted))
        same_name = [p for p in same_name if posixpath.basename(posixpath.dirname(p)) == parent]
    if not same_name:
        return None
    here = posixpath.dirname(doc_path)
    best = max(same_name, key=lambda p: (_shared_suffix(p, wanted), _shared_prefix(p, here), -len(p)))
    if len(same_name) == 1:
        return PathGuess(encode_spaces(relative(doc_path, best)), best, "moved", True)
    why = f"moved; nearest of {len(same_name)} files with this name"
    return PathGuess(encode_spaces(relative(doc_path, best)), best, why)
