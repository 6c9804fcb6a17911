"""The findings about suppression comments themselves (the engine produces them)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Severity
from .base import DocContext, rule


@rule("MK900", "unused-suppression", "markdown", aliases=("MD900",), severity=Severity.WARNING)
def unused_suppression(ctx: DocContext) -> Iterator[Diagnostic]:
    """A suppression comment silences no finding, or names an unknown rule.

    ## Why
    `<!-- formalai-lint-disable ... -->` comments outlive the problems they were written
    for: once the link is fixed, the comment would silently hide the next real problem in
    the same place. A comment that silences nothing is reported so it can be removed, and a
    misspelt rule (`MK01O`) is reported instead of doing nothing.

    ## Fails
    ```markdown
    # 标题

    <!-- formalai-lint-disable-next-line -->
    正文没有任何问题。
    ```

    ## Passes
    ```markdown
    # 标题

    <!-- 普通注释不是指令 -->
    正文。
    ```

    ## Fix
    Delete the comment (or correct the rule id or name it gives). The engine applies
    suppressions and produces this rule's findings; a directive naming a rule that did not
    run is not judged.
    """
    # The engine reports unused suppressions after applying them (linter.config.suppress); this
    # rule is the registry entry that carries the id, name, severity and page.
    return iter(())
RULES = (unused_suppression,)
