"""The rule interface: a `Rule` record, the contexts rules run in, and the `@rule` decorator.

A rule is a documented generator. Per-document rules get a `DocContext` (one parsed
document); corpus rules get a `CorpusContext` (the documents being linted plus lazy access
to every other document). Rules never choose their severity, never read config files,
never see suppressions and never touch markdown-it tokens.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..diagnostics import Diagnostic, Fix, Related, Severity, Suggestion
from ..document.model import Document

if TYPE_CHECKING:
    from ..corpus import Corpus

Family = Literal["structure", "toc", "links", "math", "references", "metadata", "markdown"]
FAMILIES: tuple[Family, ...] = (
    "markdown",
    "structure",
    "toc",
    "links",
    "math",
    "references",
    "metadata",
)
Scope = Literal["document", "corpus"]

RULE_ID = re.compile(r"^[A-Z]{2}[0-9]{3}$")
RULE_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
# Every rule page has these sections (ruff's convention); a test enforces it.
PAGE_SECTIONS = ("## Why", "## Fails", "## Passes", "## Fix")


@dataclass(frozen=True, slots=True)
class DocContext:
    doc: Document
    options: Mapping[str, Any]
    rule_id: str
    # The schema that applies to this document's path, if any (see linter.schema).
    schema: Any = None
    # The document's source lines (for the few checks that need raw text).
    lines: tuple[str, ...] = ()

    def report(
        self,
        line: int,
        column: int,
        message: str,
        *,
        end_line: int | None = None,
        end_column: int | None = None,
        suggestion: Suggestion | None = None,
        context: str = "",
        fix: Fix | None = None,
        related: tuple[Related, ...] = (),
    ) -> Diagnostic:
        return Diagnostic(
            path=self.doc.path,
            line=line,
            column=column,
            rule_id=self.rule_id,
            message=message,
            end_line=end_line,
            end_column=end_column,
            suggestion=suggestion,
            context=context,
            fix=fix,
            related=related,
        )


@dataclass(frozen=True, slots=True)
class CorpusContext:
    corpus: Corpus
    targets: tuple[str, ...]  # root-relative paths of the documents being linted
    options: Mapping[str, Any]
    rule_id: str

    def documents(self) -> Iterator[Document]:
        """The target documents, parsed (each parsed once per run, then shared)."""
        for path in self.targets:
            doc = self.corpus.document(path)
            if doc is not None:
                yield doc

    def report(
        self,
        path: str,
        line: int,
        column: int,
        message: str,
        *,
        end_line: int | None = None,
        end_column: int | None = None,
        suggestion: Suggestion | None = None,
        context: str = "",
        fix: Fix | None = None,
        related: tuple[Related, ...] = (),
    ) -> Diagnostic:
        return Diagnostic(
            path=path,
            line=line,
            column=column,
            rule_id=self.rule_id,
            message=message,
            end_line=end_line,
            end_column=end_column,
            suggestion=suggestion,
            context=context,
            fix=fix,
            related=related,
        )


DocCheck = Callable[[DocContext], Iterable[Diagnostic]]
CorpusCheck = Callable[[CorpusContext], Iterable[Diagnostic]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str
    family: Family
    scope: Scope
    check: Callable[[Any], Iterable[Diagnostic]]
    doc: str
    severity: Severity = Severity.ERROR
    # JSON-Schema `properties` of the rule's options, each with a `default`.
    options: Mapping[str, Any] = field(default_factory=dict)
    fixable: bool = False
    aliases: tuple[str, ...] = ()
    enabled: bool = True  # on unless the config says otherwise
    # Rules that report on files which could not be decoded; every other rule skips them.
    reads_unreadable: bool = False
    # Checks beyond the options' JSON Schema (a real calendar date, a path that must stay in
    # the cache folder): the error message for the given options, or None. Run when a config
    # file is read, so a bad value is a configuration error instead of a silent no-op.
    check_options: Callable[[Mapping[str, Any]], str | None] | None = None

    @property
    def summary(self) -> str:
        """The first line of the rule's page."""
        return self.doc.strip().splitlines()[0].rstrip(".") if self.doc.strip() else ""

    @property
    def fix_applicability(self) -> tuple[str, ...]:
        """What `--fix` can do for this rule: ("safe",), ("unsafe",), both, or () when the rule
        attaches no fixes. A fixable rule's `## Fix` section says it in sentences starting
        `Safe` / `Unsafe` (a test holds every page to it)."""
        if not self.fixable:
            return ()
        section = self.doc.partition("## Fix")[2]
        # a sentence (or the section) starting "Safe" / "Unsafe": "Safe: ...", "Unsafe (anchors change) ..."
        return tuple(
            kind for kind in ("safe", "unsafe") if re.search(rf"(?:^|\n|[.;]\s)\s*{kind.capitalize()}\b", section.strip())
        )

    def defaults(self) -> dict[str, Any]:
        return {k: v.get("default") for k, v in self.options.items()}


def _page(fn: Callable[..., Any]) -> str:
    import inspect

    return inspect.cleandoc(fn.__doc__ or "")


def _decorator(scope: Scope, rule_id: str, name: str, family: Family, **kwargs: Any) -> Callable[[Any], Rule]:
    def wrap(fn: Callable[[Any], Iterable[Diagnostic]]) -> Rule:
        return Rule(id=rule_id, name=name, family=family, scope=scope, check=fn, doc=_page(fn), **kwargs)

    return wrap


def rule(
    rule_id: str,
    name: str,
    family: Family,
    *,
    severity: Severity = Severity.ERROR,
    options: Mapping[str, Any] | None = None,
    fixable: bool = False,
    aliases: tuple[str, ...] = (),
    enabled: bool = True,
) -> Callable[[DocCheck], Rule]:
    """Turn a documented per-document generator into a `Rule`."""
    return _decorator(
        "document", rule_id, name, family, severity=severity, options=dict(options or {}),
        fixable=fixable, aliases=aliases, enabled=enabled,
    )


def corpus_rule(
    rule_id: str,
    name: str,
    family: Family,
    *,
    severity: Severity = Severity.ERROR,
    options: Mapping[str, Any] | None = None,
    fixable: bool = False,
    aliases: tuple[str, ...] = (),
    enabled: bool = True,
) -> Callable[[CorpusCheck], Rule]:
    """Turn a documented corpus-level generator into a `Rule`."""
    return _decorator(
        "corpus", rule_id, name, family, severity=severity, options=dict(options or {}),
        fixable=fixable, aliases=aliases, enabled=enabled,
    )
