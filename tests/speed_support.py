"""Helpers for the cache, parallel and lazy-mode tests: a small corpus writer, a test-local
cross-file anchor rule (the real link rules live in their own branch), and a parse counter."""

from __future__ import annotations

import contextlib
import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from linter.document import parse as parse_module
from linter.run import findings as findings_module
from linter import rules as registry
from linter.api import RunOptions, lint_paths
from linter.config.settings import Config
from linter.diagnostics import Diagnostic
from linter.rules.base import CorpusContext, corpus_rule
from tests.helpers import write_tree


@corpus_rule("LK999", "test-anchor-into-file", "links")
def anchor_into_file(ctx: CorpusContext) -> Iterator[Diagnostic]:
    """A `path.md#anchor` link must name a heading of that file (test-local rule).

    ## Why
    test only
    ## Fails
    ## Passes
    ## Fix
    """
    for doc in ctx.documents():
        for link in doc.links:
            if link.kind != "relative" or "#" not in link.dest:
                continue
            target, anchor = link.dest.split("#", 1)
            path = posixpath.normpath(posixpath.join(posixpath.dirname(doc.path), unquote(target)))
            anchors = ctx.corpus.anchors(path)
            if anchors is not None and unquote(anchor) not in anchors:
                yield ctx.report(doc.path, link.line, link.column, f"anchor #{unquote(anchor)} not found in {path}")


write = write_tree  # the speed tests' name for the shared helper


@contextlib.contextmanager
def with_link_rule() -> Iterator[None]:
    """The registry plus LK999, for the duration (works under hypothesis, unlike a fixture)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(registry, "ALL_RULES", (*registry.ALL_RULES, anchor_into_file))
        yield


@contextlib.contextmanager
def count_parses() -> Iterator[list[str]]:
    """Paths parsed in this process while the block runs (worker processes not counted)."""
    seen: list[str] = []
    original = parse_module.parse_text

    def counting(text: str, path: str = "doc.md", encoding: Any = None, *args: Any) -> Any:
        seen.append(path)
        return original(text, path, encoding, *args)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(parse_module, "parse_text", counting)
        yield seen


@contextlib.contextmanager
def count_rule_runs() -> Iterator[list[tuple[str, str]]]:
    """(path, rule id) of each per-document rule run in this process while the block runs."""
    seen: list[tuple[str, str]] = []
    original = findings_module.run_rule

    def counting(doc: Any, lines: Any, r: Any, schema: Any = None) -> Any:
        seen.append((doc.path, r.rule.id))
        return original(doc, lines, r, schema)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(findings_module, "run_rule", counting)
        yield seen


def check(
    root: Path,
    paths: list[Path] | None = None,
    config: Config | None = None,
    **options: Any,
) -> list[tuple[str, int, int, str, str, str]]:
    """Lint like the CLI does; findings as comparable tuples (severity included)."""
    result = lint_paths(paths or [root], root=root, config=config, options=RunOptions(**options))
    return [(d.path, d.line, d.column, d.rule_id, d.message, d.severity.value) for d in result.diagnostics]
