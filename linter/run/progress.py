"""A one-line progress bar on stderr for long runs.

Drawn only when stderr is a terminal and `CI` is not set (so piped output, pre-commit logs
and CI logs stay clean), only after the run has taken a moment, and at most ~10 times a
second. `--quiet` turns it off.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from typing import TextIO

_DELAY = 0.5  # seconds before the bar appears: short runs never show it
_INTERVAL = 0.1
_WIDTH = 30


def wanted(stream: TextIO | None = None, quiet: bool = False) -> bool:
    """Whether a bar makes sense: an interactive terminal, outside CI, not quiet."""
    stream = stream or sys.stderr
    if quiet or os.environ.get("CI"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    def __init__(self, total: int, label: str, enabled: bool, stream: TextIO | None = None) -> None:
        self.total = total
        self.label = label
        self.enabled = enabled and total > 0
        self.done = 0
        self.stream = stream or sys.stderr
        self._start = time.monotonic()
        self._last = 0.0
        self._drawn = False
        self._columns = 80

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._start < _DELAY or (now - self._last < _INTERVAL and self.done < self.total):
            return
        self._last = now
        self.stream.write("\r" + self.line(shutil.get_terminal_size((80, 24)).columns))
        self.stream.flush()
        self._drawn = True

    def line(self, columns: int) -> str:
        """The bar as it fits in `columns` (a line that wraps redraws as a new line each time)."""
        counts = f"{self.done}/{self.total}"
        self._columns = columns
        room = min(_WIDTH, columns - 1 - len(self.label) - len(counts) - 4)
        if room < 5:  # too narrow for a bar: the counts alone, cut to fit
            return counts[: max(columns - 1, 0)]
        filled = room * min(self.done, self.total) // self.total
        return f"{self.label} [{'#' * filled}{'-' * (room - filled)}] {counts}"

    def close(self) -> None:
        if self._drawn:
            # clear the line so the report starts on a clean one
            width = min(len(self.label) + _WIDTH + 24, self._columns - 1)
            self.stream.write("\r" + " " * width + "\r")
            self.stream.flush()
            self._drawn = False
