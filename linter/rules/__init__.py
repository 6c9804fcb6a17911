"""The rule registry: every rule, listed explicitly (no import-time discovery)."""

from __future__ import annotations

from . import code_blocks, external
from . import links, markdown, math, metadata, numbering, references, structure, suppression, toc
from .base import Rule

ALL_RULES: tuple[Rule, ...] = (
    *markdown.RULES,
    *code_blocks.RULES,
    *suppression.RULES,
    *structure.RULES,
    *numbering.RULES,
    *toc.RULES,
    *links.RULES,
    *math.RULES,
    *references.RULES,
    *metadata.RULES,
    *external.RULES,
)


# id, name and aliases -> rule, rebuilt when ALL_RULES is replaced (tests swap in their own)
_INDEX: tuple[tuple[Rule, ...], dict[str, Rule]] | None = None


def get_rule(key: str) -> Rule | None:
    """Find a rule by id (`MK010`), name (`unclosed-code-fence`) or alias (`MD010`).

    Ids, and aliases that are former ids, match in any letter case; names match exactly.
    """
    global _INDEX
    if _INDEX is None or _INDEX[0] is not ALL_RULES:
        index: dict[str, Rule] = {}
        for r in reversed(ALL_RULES):  # the first rule listed wins, as in a scan
            index.update(dict.fromkeys((r.id, r.name, *r.aliases), r))
        _INDEX = (ALL_RULES, index)
    table = _INDEX[1]
    found = table.get(key)
    if found is None:
        found = table.get(key.upper())
        if found is not None and key.upper() not in (found.id, *found.aliases):
            found = None  # only ids (current or former) are case-insensitive
    return found
