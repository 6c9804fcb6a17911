"""Output formats: each reporter writes a run's findings to a text stream."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from ...api import LintResult


class Reporter(Protocol):
    def __call__(self, result: LintResult, out: TextIO, /) -> None: ...


def _lazy(module: str) -> Reporter:
    """The `report` function of a reporter module, imported when first called (SARIF
    fingerprints and JUnit's XML cost imports a plain text run does not need)."""

    def report(result: LintResult, out: TextIO, /) -> None:
        importlib.import_module(f".{module}", __name__).report(result, out)

    return report


REPORTERS: dict[str, Reporter] = {
    "text": _lazy("text"),
    "json": _lazy("json_reporter"),
    "sarif": _lazy("sarif"),
    "github": _lazy("github"),
    "junit": _lazy("junit"),
}
