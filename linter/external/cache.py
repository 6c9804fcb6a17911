"""The on-disk result cache: one JSON file, written atomically, forgiving on read.

Only settled answers are cached (ok, redirected, broken): a timeout or a connection error
says more about the network at that moment than about the link, so it is retried next run.
A missing, unreadable, corrupt or foreign file is an empty cache, never a crash: the cache
is an optimisation, and losing it costs only time.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .result import Result

VERSION = 1
CACHEABLE = frozenset({"ok", "redirected", "broken"})


def load(path: Path, now: float, ttl: float) -> dict[str, Result]:
    """Fresh entries of the cache at `path` (age <= ttl), keyed by URL."""
    raw = _read(path)
    fresh: dict[str, Result] = {}
    for url, record in raw.items():
        try:
            result = Result.from_data(record)
        except (KeyError, TypeError, ValueError):
            continue  # one bad record does not spoil the others
        # A clock that went backwards (future timestamp) makes the entry suspect: drop it.
        if result.url == url and result.status in CACHEABLE and 0 <= now - result.checked_at <= ttl:
            fresh[url] = result
    return fresh


def save(path: Path, results: Mapping[str, Result], now: float, ttl: float) -> None:
    """Merge `results` into the cache file and write it atomically (temp file + os.replace).

    Entries already on disk that are still fresh are kept, so runs on different parts of a
    corpus share one cache; expired ones are dropped so the file does not grow forever.
    Write errors are ignored for the same reason a corrupt file is: the cache is optional.
    """
    merged: dict[str, Any] = {u: r.to_data() for u, r in load(path, now, ttl).items()}
    for url, result in results.items():
        if result.status in CACHEABLE and not result.cached:
            merged[url] = result.to_data()
    payload = json.dumps({"version": VERSION, "entries": merged}, ensure_ascii=False, indent=1, sort_keys=True)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        # os.replace is atomic on POSIX and Windows: readers see the old file or the new one
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return {}
    entries = data.get("entries")
    return entries if isinstance(entries, dict) else {}
