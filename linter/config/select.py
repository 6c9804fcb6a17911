"""`--select`, `--extend-select` and `--ignore`: rule selectors as ruff and markdownlint users
write them.

A selector is a rule id (`LK003`), a former id (`MD010`), a name (`bad-anchor`), a family
(`links`), an id prefix (`LK`, `LK00`) or `ALL`. A rule named exactly runs even when it is off
by default (`--select LK900` turns the network check on); a family, prefix or `ALL` expands
to the rules that are on by default, so `--select LK` never opens a network connection.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from ..rules import ALL_RULES, get_rule
from ..rules.base import FAMILIES, Rule
from .settings import Config, ConfigError

_PREFIX = re.compile(r"^[A-Za-z]{2}[0-9]{0,2}$")


def expand(selector: str, option: str, every: bool = False, rules: Sequence[Rule] = ALL_RULES) -> frozenset[str]:
    """The rule ids `selector` names (`every`: with the rules off by default, as --ignore wants)."""
    key = selector.strip()
    exact = get_rule(key)
    if exact is not None:
        return frozenset({exact.id})
    if key.upper() == "ALL":
        return frozenset(r.id for r in rules if r.enabled or every)
    if key.lower() in FAMILIES:
        return frozenset(r.id for r in rules if r.family == key.lower() and (r.enabled or every))
    if _PREFIX.match(key):
        prefix = key.upper()
        found = frozenset(r.id for r in rules if r.id.startswith(prefix) and (r.enabled or every))
        if found:
            return found
    raise ConfigError(
        f"{option}: unknown rule, family or prefix {key!r}; expected an id (LK003), a name "
        f"(bad-anchor), a family ({', '.join(FAMILIES)}) or an id prefix (LK); see `formalai-lint rules`"
    )


def _union(selectors: Sequence[str], option: str, every: bool = False) -> frozenset[str]:
    out: set[str] = set()
    for s in selectors:
        if s.strip():
            out |= expand(s, option, every)
    return frozenset(out)


def apply_selection(
    config: Config,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
) -> Config:
    """`config` with the command line's selection applied (select, then extend, then ignore)."""
    changes: dict[str, frozenset[str]] = {}
    if select:
        changes["only"] = _union(select, "--select")
    if extend_select:
        changes["extra"] = config.extra | _union(extend_select, "--extend-select")
    if ignore:
        changes["exclude"] = config.exclude | _union(ignore, "--ignore", every=True)
    return dataclasses.replace(config, **changes) if changes else config  # type: ignore[arg-type]
