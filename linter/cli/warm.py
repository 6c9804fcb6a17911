"""The `formalai-lint` entry point: a `check` that its run record answers, before the CLI loads.

Half of a warm run used to be Python importing the tool (click, YAML, the rules, the
parser). When the command line is a plain `check` (paths, `--root`, `--config`,
`--cache-dir`, `--format text|json`, colour, selection, `--strict`, `--exit-zero`, `--quiet`,
`--jobs`, `--max-findings-per-rule`) and its run record (`linter.run.record`) says nothing
it read has changed, the findings are printed from the record, exactly as the full run
prints them. When only a few documents changed and a text report was kept with the record,
`linter.cli.edited` lints them and splices the kept report. Anything else, including any
option not listed here and any doubt, goes to the click CLI (`linter.cli.main`), which then
writes a new record.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# option -> (destination, allowed values or None for any; "flag" for a flag)
_VALUED: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "--root": ("root", None),
    "--config": ("config", None),
    "--cache-dir": ("cache_dir", None),
    "--format": ("fmt", ("text", "json")),
    "--color": ("color", ("auto", "always", "never")),
    "--output-format": ("output_format", ("concise", "full")),
    "--select": ("select", None),
    "--extend-select": ("extend_select", None),
    "--ignore": ("ignore", None),
    "--jobs": ("jobs", None),
    "-j": ("jobs", None),
    "--max-findings-per-rule": ("max_findings", None),
}
_FLAGS = {"--strict": "strict", "--exit-zero": "exit_zero", "--quiet": "quiet", "-q": "quiet"}


def split_keys(option: str | None) -> list[str] | None:
    """A comma-separated `--select`-style value as the CLI passes it on."""
    return [k for k in option.split(",") if k.strip()] if option else None


def parse(argv: Sequence[str]) -> dict[str, Any] | None:
    """The options of a plain `check` command line; None for anything else."""
    if not argv or argv[0] != "check":
        return None
    out: dict[str, Any] = {"paths": []}
    args = list(argv[1:])
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if not arg.startswith("-"):
            out["paths"].append(arg)
            continue
        name, eq, value = arg.partition("=")
        if name in _FLAGS and not eq:
            out[_FLAGS[name]] = True
            continue
        if name not in _VALUED:
            return None  # "-", "--", a short option bundle, anything else: the full CLI decides
        if not eq:
            if i >= len(args):
                return None
            value = args[i]
            i += 1
        dest, choices = _VALUED[name]
        if choices is not None and value not in choices:
            return None
        out[dest] = value
    for dest, low in (("jobs", 1), ("max_findings", 0)):
        if dest in out:
            if not out[dest].isdigit() or int(out[dest]) < low:
                return None
            out[dest] = int(out[dest])
    return out


def answer(argv: Sequence[str]) -> int | None:
    """Print the report of `argv` from its run record; the exit code, or None (not answered)."""
    opts = parse(argv)
    if opts is None:
        return None
    from ..config.root import find_root
    from ..run.record import answer as from_record

    paths = [Path(p) for p in opts["paths"]] or [Path(".")]
    if not all(p.exists() for p in paths):
        return None
    if "root" in opts:
        root = Path(opts["root"])
        if not root.is_dir():
            return None
        root = root.resolve()
    else:
        root = find_root(paths)
    if not all(p.resolve().is_relative_to(root) for p in paths):
        return None
    config_file = Path(opts["config"]) if "config" in opts else None
    if config_file is not None and config_file.is_dir():
        return None
    cache_dir = Path(opts["cache_dir"]) if "cache_dir" in opts else None
    selection = [split_keys(opts.get(k)) for k in ("select", "extend_select", "ignore")]
    fmt = opts.get("fmt", "text")
    from ..run.record import run_key
    from ..run.replay import keep, read_kept, replay, report_key
    from .reporters.text import use_color

    color = fmt == "text" and use_color(opts.get("color", "auto"), sys.stdout, os.environ)
    key = run_key(root, paths, config_file, selection)
    report = report_key(opts, color, os.getcwd())
    kept = read_kept(root, key, report, cache_dir)
    same = replay(root, kept) if kept is not None else None
    if same is not None:  # the same report as the last warm run: its bytes, nothing rendered
        output, code = same
        write_bytes_out(output)
        return code
    found = from_record(root, paths, config_file, selection, cache_dir, need_applied=fmt == "json")
    if found is None:
        if kept is None:
            return None
        from .edited import answer_edit  # a few documents changed: splice the kept report

        return answer_edit(opts, paths, root, config_file, selection, cache_dir, report, kept, color)
    from .render import capped, exit_code, rendered_indexed

    result = capped(found.result, opts.get("max_findings", found.max_findings))
    strict = opts.get("strict", False)
    output, index = rendered_indexed(result, fmt, color, full=opts.get("output_format") == "full", strict=strict,
                                     errors=sys.stdout.errors or "strict")
    code = 0 if opts.get("exit_zero") else exit_code(result.diagnostics, strict)
    keep(found.folder, key, report, found.check, output, code, index)
    write_bytes_out(output)
    return code


def tune_gc() -> None:
    """Collect cyclic garbage rarely: the command-line process is ours to tune.

    Parsing allocates about 1.5 million short-lived, acyclic objects (markdown-it tokens),
    which reference counting frees. With Python's default thresholds (700, 10, 10) the cycle
    collector still runs thousands of times, and as parsed documents accumulate each full
    collection walks all of them: a fifth of a cold run (and 28 ms, 78 collections, of a
    check after an edit, mostly during imports; 3 ms once the entry point raised them). mypy
    raises the thresholds for the same reason. `freeze` moves what the imports made out of
    the collector's sight (and keeps forked workers from touching, and so copying, those
    pages). The library API leaves the embedding program's settings alone; the click CLI and
    a spliced check (`cli.edited`), the two that lint, call this.
    """
    gc.freeze()
    gc.set_threshold(*_THRESHOLDS)


_THRESHOLDS = (100_000, 20, 20)


def write_bytes_out(output: bytes) -> None:
    try:
        binary = getattr(sys.stdout, "buffer", None)
        if binary is None:  # a text-only stream (tests, embedding): the same text
            sys.stdout.write(output.decode(sys.stdout.encoding or "utf-8", sys.stdout.errors or "strict"))
        else:
            sys.stdout.flush()
            binary.write(output)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader stopped (`| head`): the verdict stands; silence the flush at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> None:
    gc.set_threshold(*_THRESHOLDS)  # from the start: reading a record makes many objects (`tune_gc`)
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        code = answer(args)
    except (OSError, ValueError):
        code = None  # whatever went wrong here, the full CLI does it properly
    if code is not None:
        sys.exit(code)
    from .main import main as full

    full(args)
