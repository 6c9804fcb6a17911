"""The on-disk result cache: one JSON file, written atomically, forgiving on read.

Only settled answers are cached (ok, redirected, broken): a timeout or a connection error
says more about the network at that moment than about the link, so it is retried next run.
A missing, unreadable, corrupt or foreign file is an empty cache, never a crash: the cache
is an optimisation, and losing it costs only time.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .result import Result
from ..util.escape import excerpt
from ..util.safe_read import inside, read_bytes
from ..util.safe_write import UnsafeWrite, make_folder, write_text

VERSION = 1
CACHEABLE = frozenset({"ok", "redirected", "broken"})
MAX_BYTES = 64 * 1024 * 1024  # a results file larger than this is not ours: an empty cache


def load(path: Path, now: float, ttl: float, root: Path | None = None) -> dict[str, Result]:
    """Fresh entries of the cache at `path` (age <= ttl), keyed by URL. With a `root`, a
    file that resolves outside it is not read (an empty cache)."""
    raw = _read(path) if root is None or inside(path, root) else {}
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


def save(path: Path, results: Mapping[str, Result], now: float, ttl: float, root: Path | None = None) -> None:
    """Merge `results` into the cache file and write it atomically (`linter.util.safe_write`;
    with a `root`, never outside it, not even through a linked cache folder).

    Entries already on disk that are still fresh are kept, so runs on different parts of a
    corpus share one cache; expired ones are dropped so the file does not grow forever.
    Write errors are ignored for the same reason a corrupt file is: the cache is optional.
    """
    merged: dict[str, Any] = {u: r.to_data() for u, r in load(path, now, ttl, root).items()}
    for url, result in results.items():
        if result.status in CACHEABLE and not result.cached:
            merged[url] = result.to_data()
    payload = json.dumps({"version": VERSION, "entries": merged}, ensure_ascii=False, indent=1, sort_keys=True)
    try:
        if root is not None:
            make_folder(path.parent, root)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, payload, root=root)
    except (OSError, UnsafeWrite) as exc:
        # skipped, never written elsewhere: the cache is optional, but say why
        print(f"warning: external-link cache not written: {excerpt(str(exc), 200)}", file=sys.stderr)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(read_bytes(path, MAX_BYTES, follow_links=False))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return {}
    entries = data.get("entries")
    return entries if isinstance(entries, dict) else {}
