"""Replayed reports: the exact bytes a warm `check` printed, kept beside its run record.

Answering from the run record (`linter.run.record`) still costs a warm run most of its time:
the record holds every finding with its fix and related locations (5.5 MB on the shared
corpus), and reading it back into `Diagnostic`s and rendering them takes longer than
checking that nothing changed. So the full run that writes the record keeps the report it
printed (when `cli.warm` would answer its command line), and a warm run that renders a
report from the record keeps that one, each with a copy of the record's facts about what
the run read
(`record.CHECK_FIELDS`: the tool's stamp, the inputs' stats, the listing hash, each document's
stat and digest, the day when a rule reads the clock). The next identical command line, in
the same folder, with the same colour decision, checks those facts exactly as the record
would (`record.fresh`) and writes the kept bytes: no findings are read or rendered.

The file is `<record key>.<report key>.out` in the record's folder: a JSON header line
(checksums of the other three parts and the exit code), the facts as one JSON line, the
byte span and counts of each document's block of a text report as one JSON line (`null` for
other formats: what a check after an edit splices, `linter.cli.edited`), then the report's
bytes. Any doubt (a checksum, a shape, a stale fact) is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from ..util.safe_read import read_bytes
from .folder import is_tag
from .record import Miss, folders, fresh, replay_path

LAYOUT = 2  # 2: a line of the text report's blocks after the facts
MAX_REPLAY_BYTES = 64 * 1024 * 1024
# the environment variables a report's bytes depend on (colour, see cli.reporters.text)
ENVIRONMENT = ("NO_COLOR", "FORCE_COLOR")


def report_key(options: Mapping[str, Any], color: bool, cwd: str) -> str:
    """How a report was asked for: the command line's options (paths included: findings are
    printed relative to the working folder), the colour decision, the working folder and
    stdout's encoding (a report kept as ASCII with escapes is not replayed, or spliced, into
    a UTF-8 one)."""
    facts = {
        "layout": LAYOUT,
        "options": {k: options[k] for k in sorted(options)},
        "color": color,
        "cwd": cwd,
        "env": {name: os.environ.get(name) for name in ENVIRONMENT},
        "encoding": sys.stdout.encoding,
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True, ensure_ascii=True, default=str).encode()).hexdigest()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Kept(NamedTuple):
    """A kept report, checked for shape and checksums but not for freshness."""

    folder: Path
    output: bytes
    code: int
    check: dict[str, Any]  # the record's facts when the report was printed (`record.CHECK_FIELDS`)
    # a text report's blocks: [path, start, end, errors, warnings, fixable, safe, findings,
    # rules] each (`cli.render.rendered_indexed`); None for other reports
    blocks: list[Any] | None


def read_kept(root: Path, key: str, report: str, cache_dir: Path | None) -> Kept | None:
    """The report kept for run `key` rendered as `report`, fresh or not; None if none is whole."""
    for folder in folders(root, cache_dir):
        if not is_tag(folder / "CACHEDIR.TAG"):
            continue
        try:
            blob = read_bytes(replay_path(folder, key, report), MAX_REPLAY_BYTES, follow_links=False)
        except OSError:
            continue
        try:
            head, facts, index, output = blob.split(b"\n", 3)  # (each partition copied the rest)
            header = json.loads(head)
            if not (isinstance(header, dict) and header.get("layout") == LAYOUT and header.get("key") == key
                    and header.get("report") == report and header.get("facts") == _sha(facts)
                    and header.get("index") == _sha(index) and header.get("output") == _sha(output)
                    and isinstance(header.get("code"), int)):
                continue
            check, blocks = json.loads(facts), json.loads(index)
        except (ValueError, RecursionError):
            continue
        if isinstance(check, dict) and (blocks is None or isinstance(blocks, list)):
            return Kept(folder, output, int(header["code"]), check, blocks)
    return None


def replay(root: Path, kept: Kept) -> tuple[bytes, int] | None:
    """The kept report's bytes and exit code, when nothing the run it came from read has
    changed; None otherwise."""
    try:
        fresh(root, kept.check, kept.folder)
    except (Miss, ValueError, KeyError, TypeError, IndexError):
        return None  # the record this report came from no longer answers: neither does it
    return kept.output, kept.code


def keep(folder: Path, key: str, report: str, check: Mapping[str, Any], output: bytes, code: int,
         index: list[Any] | None = None) -> bool:
    """Keep `output` (and the exit code, and a text report's `index`) for the next identical
    warm run; False when it cannot be written (a full disk, a read-only folder: the next run
    renders again)."""
    from ..util.safe_write import UnsafeWrite, write_bytes

    facts = json.dumps(dict(check), ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogateescape")
    blocks = json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogateescape")
    header = {"layout": LAYOUT, "key": key, "report": report, "facts": _sha(facts), "index": _sha(blocks),
              "output": _sha(output), "code": code}
    try:
        write_bytes(replay_path(folder, key, report), json.dumps(header).encode("ascii") + b"\n" + facts + b"\n"
                    + blocks + b"\n" + output, root=folder, durable=False)
    except (OSError, UnsafeWrite):
        return False
    return True
