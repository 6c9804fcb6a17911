"""Output formats: each reporter writes a run's findings to a text stream."""

from __future__ import annotations

from typing import Protocol, TextIO

from ..api import LintResult
from . import github, json_reporter, junit, sarif, text


class Reporter(Protocol):
    def __call__(self, result: LintResult, out: TextIO, /) -> None: ...


REPORTERS: dict[str, Reporter] = {
    "text": text.report,
    "json": json_reporter.report,
    "sarif": sarif.report,
    "github": github.report,
    "junit": junit.report,
}
