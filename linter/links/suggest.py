""""Did you mean": the likely intended heading or file for a broken link.

Anchors break in the corpus in three ways (guide/corpus.md section 3): a heading was
renumbered (`#十核心结论` while the heading is `十一、核心结论`), CJK/Latin spacing changed
(`#00-zfc公理系统` vs `#00-zfc-公理系统`), or the text was edited. So the heading is matched
first ignoring dashes, then ignoring its leading number (closest number wins), then by
similarity. Files break by one `../` too many or too few, or by moving: so a path with one
`../` more or less is tried, then the same file name elsewhere in the corpus.
"""

from __future__ import annotations

import bisect
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


# How much similarity work the did-you-mean search may do for the links of one document
# (per pass, per kind of link: see `Budget`). A unit is about one comparison of two 16-letter
# anchors; the busiest document of the FormalAI snapshot uses under a tenth of it. A
# document past it (1,000 broken anchors into 500 headings took 41 s) still gets the
# spacing and link-text guesses, which cost nothing, for every link.
SUGGEST_BUDGET = 40_000
# Longer anchors are not compared by similarity (difflib is quadratic in length); the
# longest anchor in the snapshot has 154 characters.
MAX_SIMILAR_LENGTH = 256


class Budget:
    """The similarity work left for a sequence of searches (deterministic: it counts
    comparisons, not time). A search that runs out gives up its similarity steps."""

    __slots__ = ("left",)

    def __init__(self, limit: int = SUGGEST_BUDGET) -> None:
        self.left = limit

    def spend(self, units: int) -> bool:
        self.left -= units
        return self.left >= 0


class _OutOfBudget(Exception):
    pass


@dataclass(frozen=True, slots=True)
class _Entry:
    heading: Heading
    flat: str  # the anchor without dashes
    base_flat: str  # the undeduplicated slug without dashes
    core: str  # the undeduplicated slug without its leading number and dashes
    number: str  # that leading number as written


def _base(h: Heading) -> str:
    """The heading's slug before deduplication (`52-判定方法`, not `52-判定方法-1`)."""
    return slug(h.text)


class HeadingIndex:
    """A document's headings prepared for the search once, not once per broken link: each
    heading's slug is computed here, and exact matches are dictionary look-ups."""

    def __init__(self, headings: Sequence[Heading], entries: Sequence[_Entry] | None = None) -> None:
        self.headings = tuple(headings)
        self.entries: list[_Entry] = []
        self.lines = [h.line for h in self.headings]
        self.by_flat: dict[str, Heading] = {}  # dashless anchor or slug -> first such heading
        self.flat_count: dict[str, int] = {}  # how many headings have that dashless form
        self.by_core: dict[str, list[_Entry]] = {}
        self.by_anchor: dict[str, Heading] = {}
        for i, h in enumerate(self.headings):
            if entries is not None:
                entry = entries[i]
            else:
                base = _base(h)
                core, number = _core(base)
                entry = _Entry(h, h.anchor.replace("-", ""), base.replace("-", ""), core, number)
            self.entries.append(entry)
            for key in {entry.flat, entry.base_flat}:
                self.by_flat.setdefault(key, h)
                self.flat_count[key] = self.flat_count.get(key, 0) + 1
            self.by_core.setdefault(entry.core, []).append(entry)
            self.by_anchor.setdefault(h.anchor, h)

    def span(self, lo: int, hi: int) -> tuple[int, int]:
        """The index range of the headings strictly between two lines (they are in order)."""
        return bisect.bisect_right(self.lines, lo), bisect.bisect_left(self.lines, hi)

    def part(self, start: int, stop: int) -> HeadingIndex:
        return HeadingIndex(self.headings[start:stop], self.entries[start:stop])


def _similarity(a: str, b: str, budget: Budget, best: float) -> float:
    """difflib's ratio of `a` and `b`, or 0.0 when it cannot beat `best` (difflib's own
    upper bounds decide that without the quadratic part)."""
    if not a or not b or len(a) > MAX_SIMILAR_LENGTH or len(b) > MAX_SIMILAR_LENGTH:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() <= best or matcher.quick_ratio() <= best:
        return 0.0
    if not budget.spend(1 + len(a) * len(b) // 256):
        raise _OutOfBudget
    return matcher.ratio()


def _match(
    fragment: str, index: HeadingIndex, link_text: str, cutoff: float, budget: Budget
) -> AnchorGuess | None:
    flat = fragment.replace("-", "")
    found = index.by_flat.get(flat)
    if found is not None:
        return AnchorGuess(found, "spacing", index.flat_count[flat] == 1)
    by_text = index.by_anchor.get(slug(link_text)) if link_text else None
    try:
        return _search(fragment, flat, index, by_text, cutoff, budget)
    except _OutOfBudget:
        # too much work for this document already: only the guesses that cost nothing, and
        # never as clear (a fuller search might have found a better heading)
        return AnchorGuess(by_text, "link text") if by_text is not None else None


def _search(
    fragment: str, flat: str, index: HeadingIndex, by_text: Heading | None, cutoff: float, budget: Budget
) -> AnchorGuess | None:
    core, number = _core(fragment)
    same_text = index.by_core.get(core, []) if core else []
    if same_text:
        if not budget.spend(len(same_text)):
            raise _OutOfBudget
        closest = min(same_text, key=lambda e: _number_distance(number, e.number))
        return AnchorGuess(closest.heading, "renumbered", len(same_text) == 1)
    if not budget.spend(len(index.entries)):
        raise _OutOfBudget
    best: tuple[float, Heading] | None = None
    rivals = 0
    for e in index.entries:
        # a candidate is skipped only when it can neither beat the best nor be a rival
        # near-identical heading (which makes a "similar" guess unclear)
        floor = min(best[0], CLOSE_SIMILARITY - 1e-9) if best is not None else -1.0
        score = max(
            _similarity(flat, e.flat, budget, floor),
            _similarity(core, e.core, budget, floor) if core else 0.0,
        )
        if best is None or score > best[0]:
            best = (score, e.heading)
        rivals += score >= CLOSE_SIMILARITY
    # A near-identical heading (`三数据层的形式化定义` for `三数据层形式化定义`) beats the link
    # text: in a cross-file link the text is usually the target's title, not the section.
    if best is not None and best[0] >= CLOSE_SIMILARITY:
        return AnchorGuess(best[1], "similar", rivals == 1)
    if by_text is not None:
        return AnchorGuess(by_text, "link text", True)
    if best is not None and best[0] >= cutoff:
        return AnchorGuess(best[1], "similar")
    return None


def suggest_anchor(
    fragment: str,
    headings: Sequence[Heading] | HeadingIndex,
    link_text: str = "",
    between: tuple[int, int] | None = None,
    budget: Budget | None = None,
) -> AnchorGuess | None:
    """The heading a broken `#fragment` most likely meant, or None.

    `between` is, for a TOC entry, the lines of the headings its nearest working neighbours
    in the TOC point at: a stale entry almost always meant a heading between those two, so
    that range is searched first (this tells `5.2 判定方法` under 七 from the one under 五).
    Pass a `HeadingIndex` and one `Budget` for many searches in the same document.
    """
    index = headings if isinstance(headings, HeadingIndex) else HeadingIndex(headings)
    budget = budget if budget is not None else Budget()
    if not index.headings or not fragment:
        return None
    if between is not None:
        start, stop = index.span(*between)
        if not budget.spend(stop - start):
            return _match(fragment, index, link_text, MIN_SIMILARITY, budget)  # spacing, link text
        found = _match(fragment, index.part(start, stop), link_text, MIN_SIMILARITY_NEAR, budget)
        if found is not None:
            return AnchorGuess(found.heading, found.why + ", by TOC position", found.clear)
    return _match(fragment, index, link_text, MIN_SIMILARITY, budget)


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
