"""A one-line progress bar on stderr for long runs.

Drawn only when stderr is a terminal and `CI` is not set (so piped output, pre-commit logs
and CI logs stay clean), only after the run has taken a moment, and at most ~10 times a
second. `--quiet` turns it off.
"""

from __future__ import annotations

import os
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

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._start < _DELAY or (now - self._last < _INTERVAL and self.done < self.total):
            return
        self._last = now
        filled = _WIDTH * min(self.done, self.total) // self.total
        bar = "#" * filled + "-" * (_WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total}")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            # clear the line so the report starts on a clean one
            self.stream.write("\r" + " " * (len(self.label) + _WIDTH + 24) + "\r")
            self.stream.flush()
            self._drawn = False
