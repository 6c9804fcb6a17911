"""A check after an edit, printed by splicing the report kept with its run record.

When a few documents changed since the last full check, the ordinary run lints them (and
the documents linking into them) and keeps the record's findings for the rest
(`api.lint_edited`). Most of what was left of such a run was decoding the 4,600 kept
findings of the shared corpus back into `Diagnostic`s and rendering them again (0.2 s of
0.8 s), only to print the lines the last run had printed. The report kept for replay
(`run.replay`) knows the byte span and counts of each document's block of a text report;
this run takes the blocks of the untouched documents from it as bytes, renders the blocks
of the documents it linted, and adds up the summary from the counts. The record it writes
keeps the untouched documents' lines as read. The bytes printed, the exit code and the
record are those of the ordinary run (tests/test_edit_splice.py compares all three).

Only a text report, and only when the kept report was printed from the very record this run
started from; anything else (or any doubt) returns None and the click CLI runs as usual.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any

from ..run.replay import Kept

# the fields of one document's entry in a kept text report's index (`render.rendered_indexed`)
_ENTRY = 9


def answer_edit(opts: dict[str, Any], paths: list[Path], root: Path, config_file: Path | None,
                selection: list[list[str] | None], cache_dir: Path | None, report: str, kept: Kept,
                color: bool) -> int | None:
    """Print the report of the check `opts` asks for after a few documents changed, from
    `kept` (the report of the record it starts from) and the linted documents; the exit
    code, or None (nothing printed: the ordinary run follows)."""
    if kept.blocks is None or opts.get("fmt", "text") != "text" or any(p.resolve() != root for p in paths):
        return None  # (a check of some files, a pre-commit run, lints them and what links into them)
    entries = _entries(kept)
    if entries is None:
        return None
    from .warm import tune_gc

    tune_gc()  # (as the click CLI does: 78 collections were 28 ms of this run)
    from ..api import lint_edited
    from ..run.parallel import RunOptions
    from ..run.progress import wanted
    from ..run.record import CHECK_FIELDS

    quiet = bool(opts.get("quiet", False))
    options = RunOptions(cache=True, cache_dir=cache_dir, jobs=opts.get("jobs"), progress=wanted(quiet=quiet),
                         quiet=quiet, record=True)
    try:
        edited = lint_edited(paths, root, options=options, config_file=config_file, select=selection[0],
                             extend_select=selection[1], ignore=selection[2])
        if edited is None or kept.check != {k: edited.base.data[k] for k in CHECK_FIELDS}:
            return None  # not a few changed, or the kept report is not of the record this run started from
        untouched = edited.facts.lines or {}
        affected = set(edited.affected)
        if {path for path in entries if path not in affected} != untouched.keys():
            return None
        output, code, recorded, index = _splice(opts, kept, color, edited, entries)
    except Exception:  # noqa: BLE001 - nothing is printed yet: the click CLI runs as usual,
        return None  # and says what is wrong (a config error exits 2, a crash is one line)
    from ..run.record import save
    from ..run.replay import keep
    from .render import REPLAY_MAX
    from .warm import write_bytes_out

    write_bytes_out(output)
    try:
        saved = save(recorded, paths, config_file, selection, cache_dir)
        if saved is not None and sum(entry[7] for entry in index) <= REPLAY_MAX:
            keep(saved.folder, saved.key, report, saved.check, output, code, index)
    except (OSError, ValueError):
        pass  # the report is printed (the click CLI must not print it again); the next run is an ordinary one
    return code


def _entries(kept: Kept) -> dict[str, list[Any]] | None:
    """The kept report's index by document, None if an entry is not what `rendered_indexed` writes."""
    out: dict[str, list[Any]] = {}
    size = len(kept.output)
    for entry in kept.blocks or ():
        if not (isinstance(entry, list) and len(entry) == _ENTRY and isinstance(entry[0], str)
                and all(type(x) is int and x >= 0 for x in entry[1:8]) and entry[1] <= entry[2] <= size
                and isinstance(entry[8], list) and all(isinstance(r, str) for r in entry[8])):
            return None
        if entry[0] in out:
            return None  # a document's findings in two places: not a report its blocks make
        out[entry[0]] = entry
    return out


def _splice(opts: dict[str, Any], kept: Kept, color: bool, edited: Any, entries: dict[str, list[Any]]
            ) -> tuple[bytes, int, Any, list[list[Any]]]:
    """The report's bytes, the exit code, the result to record and the new index."""
    from ..run.cap import cap_findings
    from ..run.result import LintResult
    from .render import encoded_blocks, laid_out
    from .reporters.text import Totals, tail

    run = edited.run
    limit = opts.get("max_findings", run.config.max_findings_per_rule)
    untouched = edited.facts.lines or {}
    kept_rules = frozenset(r for path in untouched for r in entries[path][8])
    recorded = LintResult(run.root, run.targets, edited.fresh, run.corpus, run.config,
                          facts=dataclasses.replace(edited.facts, kept_rules=kept_rules))
    shown = dataclasses.replace(recorded, diagnostics=tuple(cap_findings(recorded.diagnostics, limit)))
    fresh = {piece[0]: piece for piece in encoded_blocks(shown, color, opts.get("output_format") == "full")}
    pieces = []
    for path in sorted(untouched.keys() | fresh.keys()):
        if path in fresh:
            pieces.append(fresh[path])
        else:
            entry = entries[path]
            pieces.append((path, kept.output[entry[1]:entry[2]], entry[3:]))
    parts, index = laid_out(pieces)
    totals = Totals.add_up([(e[0], *e[3:7]) for e in index], run.targets)
    parts.append(tail(totals).encode(sys.stdout.encoding or "utf-8", "backslashreplace"))
    failing = totals.errors + (totals.warnings if opts.get("strict") else 0)
    code = 0 if opts.get("exit_zero") else int(failing > 0)
    return b"".join(parts), code, recorded, index
