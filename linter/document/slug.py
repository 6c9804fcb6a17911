"""GitHub heading anchors, exactly as github-slugger computes them.

GitHub lower-cases the rendered heading text, removes every character that is not a letter,
mark, number, connector punctuation, `-` or a space, and turns each space into `-`. It does
not trim, collapse dashes or drop non-ASCII letters, so `三、宏观视角：自组织临界性` becomes
`三宏观视角自组织临界性`, `A / B` becomes `a--b` and `📋 概述` becomes `-概述`. Repeated
slugs get `-1`, `-2`, ... in document order. (github-slugger 2.0, `regex.js`; the corpus
study in guide/corpus.md section 3 measures each case.)
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Unicode general categories github-slugger removes. It keeps L*, M*, Nd, Nl, Pc, the ASCII
# space and `-`; everything else (No, S*, P* but Pc, C*, Z* but U+0020) goes.
_REMOVED_CATEGORIES = frozenset(
    {"No", "Ps", "Pe", "Pi", "Pf", "Po", "Pd", "Sm", "Sc", "Sk", "So", "Cc", "Cf", "Co", "Cn", "Cs", "Zs", "Zl", "Zp"}
)


_ALPHABETIC_SYMBOLS = ((0x24B6, 0x24E9), (0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189))


@lru_cache(maxsize=65536)
def _keep(ch: str) -> bool:
    if ch == " " or ch == "-":
        return True
    cat = unicodedata.category(ch)
    if cat in _REMOVED_CATEGORIES:
        # github-slugger's regex keeps characters with the Alphabetic property even in removed
        # categories. The only symbols (So) that are Alphabetic are the enclosed Latin letters:
        # circled U+24B6-24E9, squared U+1F130-1F149, negative circled U+1F150-1F169 and
        # negative squared U+1F170-1F189 (Unicode PropList.txt, Other_Alphabetic).
        return cat == "So" and any(lo <= ord(ch) <= hi for lo, hi in _ALPHABETIC_SYMBOLS)
    return True


class _KeepTable(dict[int, "int | None"]):
    """A `str.translate` table filled on demand: a code point maps to itself or to None."""

    def __missing__(self, code: int) -> int | None:
        value = code if _keep(chr(code)) else None
        self[code] = value
        return value


_TABLE = _KeepTable()


def slug(text: str) -> str:
    """The anchor GitHub gives a heading whose rendered text is `text` (before deduplication)."""
    # translate walks the text in C; each distinct character is classified once per process
    return text.lower().translate(_TABLE).replace(" ", "-")


class Slugger:
    """Assigns unique anchors in document order: `a`, `a-1`, `a-2`, like github-slugger.

    A generated `a-1` also counts as taken, so a later heading literally titled `a-1`
    becomes `a-1-1`, as on GitHub.
    """

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def slug(self, text: str) -> str:
        base = slug(text)
        result = base
        while result in self._seen:
            self._seen[base] += 1
            result = f"{base}-{self._seen[base]}"
        self._seen[result] = 0
        return result
