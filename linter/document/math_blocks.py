"""Display math the parser's tokens do not show: `$$` lines that no math block consumed.

One function, kept apart from the parser because it works on source lines, not tokens.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .model import Formula


def unclosed_dollar_blocks(source: Sequence[str], code_lines: set[int], formulas: list[Formula]) -> list[Formula]:
    """A lone `$$` line that no math block consumed opens a block GitHub never closes.

    markdown-it (like GitHub) ends a `$$` block at a blank line, so `$$ a <blank> b $$`
    leaves two lone `$$` lines. The later one is the author's intended closer: record one
    unclosed formula spanning both (its content keeps the blank line, so the math rule can
    say why it broke) rather than two.
    """
    consumed: set[int] = set()
    found: list[Formula] = []
    n = len(source)
    for i, raw in enumerate(source, start=1):
        if i in code_lines or i in consumed or raw.strip() != "$$":
            continue
        col = raw.find("$$") + 1
        end = None
        for j in range(i + 1, n + 1):
            line = source[j - 1]
            if re.match(r"^ {0,3}#{1,6}(\s|$)", line) and j not in code_lines:
                break
            if line.strip() == "$$" and j not in code_lines:
                end = j
                break
        if end is None:
            end = i
            while end < n and source[end].strip():
                end += 1
            body = source[i:end]
        else:
            consumed.add(end)
            body = source[i : end - 1]
        found.append(Formula("display", i, end, col, "\n".join(body), False, i + 1, 1))
        consumed.update(range(i, end + 1))
    if not found:
        return formulas
    # the paragraph scan saw these lone `$$` lines as strays; they are openers/closers
    return [f for f in formulas if not (f.kind == "fragment" and f.line in consumed)] + found
