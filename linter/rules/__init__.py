"""The rule registry: every rule, listed explicitly (no import-time discovery)."""

from __future__ import annotations

from ..external import rule as external
from . import links, markdown, math, metadata, numbering, references, structure, suppression, toc
from .base import Rule

ALL_RULES: tuple[Rule, ...] = (
    *markdown.RULES,
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


def get_rule(key: str) -> Rule | None:
    """Find a rule by id (`MD010`), name (`unclosed-code-fence`) or alias."""
    for r in ALL_RULES:
        if key in (r.id, r.name) or key in r.aliases or key.upper() == r.id:
            return r
    return None
