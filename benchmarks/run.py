"""Benchmarks for issue 7 (speed): formalai-lint against the parse floor and its peers.

    .venv/bin/python benchmarks/run.py [--runs 3] [--runs-10x 1] [--skip-peers] [--skip-10x]

Times whole processes (wall clock, `subprocess` + `os.wait4`, so the peak RSS is the largest
process of the run, workers included) on ../shared/formalai and on a 10x copy built in a
temp dir, and writes the table to docs/benchmarks.md with each goal of the issue marked met
or not. Runs whose ratio is a goal are interleaved (floor, check, floor, check, ...) so load
from other work on the machine hits both alike. Peers are installed into a temp dir from
the package registries (pip: rumdl, pymarkdownlnt; npm: markdownlint-cli2, remark-cli,
remark-validate-links); a peer that fails to install is skipped with a note.

Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared" / "formalai"
ONE_FILE = "concepts/01-AI三层模型架构/README.md"  # linked from ~40 documents


@dataclass
class Timing:
    label: str
    corpus: str
    runs: list[float] = field(default_factory=list)
    peak_mb: float = 0.0
    note: str = ""
    base: Timing | None = None  # the row the ratio column compares with

    @property
    def median(self) -> float:
        return statistics.median(self.runs) if self.runs else float("nan")


def run_once(cmd: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None,
             timeout: float = 1800) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB (largest process of the tree), exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            raise TimeoutError(" ".join(cmd))
        time.sleep(0.005)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, proc.returncode


def measure(t: Timing, cmd: Sequence[str], before: Callable[[], None] | None = None,
            ok: tuple[int, ...] = (0, 1), **kw: object) -> None:
    if before is not None:
        before()
    wall, peak, code = run_once(cmd, **kw)  # type: ignore[arg-type]
    if code not in ok:
        raise RuntimeError(f"{t.label}: exit {code}: {' '.join(cmd)}")
    t.runs.append(wall)
    t.peak_mb = max(t.peak_mb, peak)
    print(f"  {t.label:<44} {t.corpus:<4} {wall:7.3f} s  {peak:6.0f} MB", flush=True)


def lint_cmd(root: Path, cache: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "linter", "check", "--root", str(root), "--cache-dir", str(cache), "--quiet", *extra]


def floor_cmd(root: Path, jobs: int) -> list[str]:
    return [sys.executable, str(PROJECT / "benchmarks" / "parse_floor.py"), str(root), "--jobs", str(jobs)]


def clear(path: Path) -> Callable[[], None]:
    return lambda: shutil.rmtree(path, ignore_errors=True)


def copy_corpus(src: Path, dest: Path, times: int) -> Path:
    """`times` copies of the corpus side by side (links inside each copy stay valid)."""
    dest.mkdir(parents=True)
    (dest / ".git").mkdir()
    for i in range(times):
        shutil.copytree(src, dest / f"copy{i}", ignore=shutil.ignore_patterns(".formalai-lint-cache"))
    for p in dest.rglob("*"):
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    return dest


# -- peers -------------------------------------------------------------------------------------

def install_peers(tmp: Path) -> dict[str, list[str] | str]:
    """name -> command prefix, or a note saying why it is missing."""
    peers: dict[str, list[str] | str] = {}
    env_dir = tmp / "pyvenv"
    try:
        venv.create(env_dir, with_pip=True)
        pip = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q"]
        for name, exe in (("rumdl", "rumdl"), ("pymarkdownlnt", "pymarkdown")):
            r = subprocess.run([*pip, name], capture_output=True, text=True, timeout=600)
            peers[name] = [str(env_dir / "bin" / exe)] if r.returncode == 0 else f"pip install failed: {r.stderr.strip().splitlines()[-1:]}"
    except Exception as exc:  # noqa: BLE001
        peers.setdefault("rumdl", f"no venv: {exc}")
        peers.setdefault("pymarkdownlnt", f"no venv: {exc}")
    npm_dir = tmp / "npm"
    npm_dir.mkdir()
    npm = shutil.which("npm")
    if npm is None:
        peers["markdownlint-cli2"] = peers["remark-validate-links"] = "npm not found"
        return peers
    r = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(npm_dir),
                        "markdownlint-cli2", "remark-cli", "remark-validate-links"],
                       capture_output=True, text=True, timeout=900)
    bin_dir = npm_dir / "node_modules" / ".bin"
    if r.returncode != 0:
        peers["markdownlint-cli2"] = peers["remark-validate-links"] = f"npm install failed: {r.stderr.strip()[-200:]}"
        return peers
    config = tmp / "only-md051.markdownlint-cli2.jsonc"
    config.write_text('{"config": {"default": false, "MD051": true}}\n', "utf-8")
    peers["markdownlint-cli2"] = [str(bin_dir / "markdownlint-cli2"), "--config", str(config), "**/*.md"]
    plugin = npm_dir / "node_modules" / "remark-validate-links" / "index.js"
    peers["remark-validate-links"] = [str(bin_dir / "remark"), ".", "--use", f"{plugin}=repository:false",
                                      "--no-stdout", "--quiet", "--no-config"]
    return peers


def peer_args(name: str, prefix: list[str], root: Path) -> tuple[list[str], Path | None, str]:
    """Full command, working folder, what it checks."""
    if name == "rumdl":
        return [*prefix, "check", str(root), "--enable", "MD051,MD057", "--no-cache", "--color", "never"], None, \
            "MD051+MD057: same- and cross-file anchors, relative files; no cache"
    if name == "pymarkdownlnt":
        return [*prefix, "scan", "-r", str(root)], None, "its default rules (no cross-file checks)"
    if name == "markdownlint-cli2":
        return prefix, root, "MD051 only (same-file anchors)"
    return prefix, root, "remark-validate-links: same- and cross-file anchors and files"


# -- the report --------------------------------------------------------------------------------

def fmt(x: float) -> str:
    return f"{x:.3f}" if x == x else "n/a"


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} CPUs ({cpu or platform.machine()}), Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def _commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(PROJECT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        dirty = subprocess.run(["git", "-C", str(PROJECT), "status", "--porcelain", "linter"], capture_output=True, text=True)
        return out.stdout.strip() + (" with uncommitted changes under linter/" if dirty.stdout.strip() else "")
    except OSError:
        return "unknown"


def write_report(out: Path, rows: list[Timing], goals: list[tuple[str, str, bool | None]], notes: list[str],
                 load: tuple[str, str], runs: int, runs10: int) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Written by `benchmarks/run.py` (one run of the script; do not edit by hand). Whole-process wall",
        "time, median of the runs shown; peak RSS is the largest single process of a run (the parent",
        "or a worker), from `os.wait4`. Ratios are between rows of this same run on this same machine.",
        "",
        f"- machine: {machine()}",
        f"- code: commit {_commit()}",
        f"- load average (1, 5, 15 min) at start: {load[0]}; at end: {load[1]}. The machine is shared",
        "  with other work, so absolute times are noisy; the floor/check pairs were interleaved.",
        f"- runs per row: {runs} on the 1x corpus, {runs10} on the 10x copy, 1 for slow peers",
        "",
        "| scenario | corpus | runs | median s | ratio | peak MB | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = f"{r.median / r.base.median:.3f}x {r.base.label} ({r.base.corpus})" if r.base and r.base.runs else ""
        lines.append(f"| {r.label} | {r.corpus} | {len(r.runs)} | {fmt(r.median)} | {ratio} | {r.peak_mb:.0f} | {r.note} |")
    lines += ["", "## Goals (issue 7)", "", "| goal | measured | met |", "|---|---|---|"]
    for goal, measured, met in goals:
        mark = "yes" if met else ("no" if met is False else "not measured")
        lines.append(f"| {goal} | {measured} | {mark} |")
    if notes:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in notes]
    out.write_text("\n".join(lines) + "\n", "utf-8")


# -- main --------------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--runs-10x", type=int, default=1)
    ap.add_argument("--skip-peers", action="store_true")
    ap.add_argument("--skip-10x", action="store_true")
    ap.add_argument("--corpus", type=Path, default=SHARED)
    ap.add_argument("--output", type=Path, default=PROJECT / "docs" / "benchmarks.md")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"corpus not found: {args.corpus}")
    jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    load_start = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    rows: list[Timing] = []
    notes: list[str] = []
    n = args.runs
    with tempfile.TemporaryDirectory(prefix="formalai-bench-") as tmp_name:
        tmp = Path(tmp_name)
        root = args.corpus.resolve()
        cache = tmp / "cache-1x"

        # 1. full checks against the floor, interleaved
        floor = Timing(f"parse floor, {jobs} processes", "1x")
        cold = Timing(f"cold full check (--jobs {jobs}, empty cache)", "1x", base=floor)
        for _ in range(n):
            measure(floor, floor_cmd(root, jobs))
            measure(cold, lint_cmd(root, cache, str(root)), before=clear(cache))
        warm = Timing("warm full check (nothing changed)", "1x", base=cold)
        for _ in range(n):
            measure(warm, lint_cmd(root, cache, str(root)))
        floor1 = Timing("parse floor, 1 process", "1x")
        cold1 = Timing("cold full check (--jobs 1)", "1x", base=floor1)
        for _ in range(n):
            measure(floor1, floor_cmd(root, 1))
            measure(cold1, lint_cmd(root, cache, str(root), "--jobs", "1"), before=clear(cache))
        nocache = Timing(f"full check --no-cache (--jobs {jobs})", "1x", base=floor)
        for _ in range(n):
            measure(nocache, lint_cmd(root, cache, str(root), "--no-cache"))
        rows += [floor, cold, warm, floor1, cold1, nocache]

        # 2. one changed file, on a writable copy
        copy = copy_corpus(root, tmp / "copy-1x", 1) / "copy0"
        target = copy / ONE_FILE
        original = target.read_bytes()
        copy_cache = tmp / "cache-copy"
        counter = iter(range(1_000_000))

        def touch() -> None:
            target.write_bytes(original + f"\n<!-- edit {next(counter)} -->\n".encode())

        measure(Timing("(warm-up)", "1x"), lint_cmd(copy, copy_cache, str(copy)))
        one_warm = Timing("one changed file, warm cache", "1x", note=f"`{ONE_FILE}`")
        one_cold = Timing("one file, empty cache", "1x", note="same file")
        for _ in range(n):
            measure(one_warm, lint_cmd(copy, copy_cache, str(target)), before=touch)
        for _ in range(n):
            measure(one_cold, lint_cmd(copy, copy_cache, str(target)), before=clear(copy_cache))
        rows += [one_warm, one_cold]

        # 3. the 10x copy
        if not args.skip_10x:
            big = copy_corpus(root, tmp / "copy-10x", 10)
            big_cache = tmp / "cache-10x"
            n10 = args.runs_10x
            floor10 = Timing(f"parse floor, {jobs} processes", "10x", base=floor)
            cold10 = Timing(f"cold full check (--jobs {jobs}, empty cache)", "10x", base=cold)
            warm10 = Timing("warm full check (nothing changed)", "10x", base=warm)
            for _ in range(n10):
                measure(floor10, floor_cmd(big, jobs))
                measure(cold10, lint_cmd(big, big_cache, str(big)), before=clear(big_cache))
            for _ in range(max(n10, 2)):
                measure(warm10, lint_cmd(big, big_cache, str(big)))
            rows += [floor10, cold10, warm10]
            shutil.rmtree(big)

        # 4. peers
        peer_rows: dict[str, Timing] = {}
        if not args.skip_peers:
            print("installing peers ...", flush=True)
            for name, how in install_peers(tmp).items():
                if isinstance(how, str):
                    notes.append(f"{name} skipped: {how}")
                    continue
                cmd, cwd, what = peer_args(name, how, root)
                t = Timing(f"peer: {name}", "1x", note=what, base=warm)
                runs = n if name == "rumdl" else 1
                try:
                    for _ in range(runs):
                        measure(t, cmd, cwd=cwd, ok=tuple(range(0, 256)))
                except (TimeoutError, OSError, RuntimeError) as exc:
                    notes.append(f"{name} failed to run: {exc}")
                    continue
                peer_rows[name] = t
                rows.append(t)

    # goals
    goals: list[tuple[str, str, bool | None]] = []
    r = cold.median / floor.median
    goals.append(("cold full check <= 1.3x the parse floor (same process count)", f"{r:.2f}x ({fmt(cold.median)} s vs {fmt(floor.median)} s)", r <= 1.3))
    r1 = cold1.median / floor1.median
    goals.append(("(same, 1 process)", f"{r1:.2f}x ({fmt(cold1.median)} s vs {fmt(floor1.median)} s)", r1 <= 1.3))
    r = warm.median / cold.median
    goals.append(("warm full check <= 0.08x the cold check", f"{r:.3f}x ({fmt(warm.median)} s)", r <= 0.08))
    if "rumdl" in peer_rows:
        ru = peer_rows["rumdl"].median
        goals.append(("warm full check no slower than rumdl's uncached anchor-and-link check", f"{fmt(warm.median)} s vs {fmt(ru)} s", warm.median <= ru))
    else:
        goals.append(("warm full check no slower than rumdl's uncached anchor-and-link check", "rumdl not run", None))
    goals.append(("one changed file, warm cache: under 0.5 s", f"{fmt(one_warm.median)} s", one_warm.median < 0.5))
    goals.append(("one file, cold cache: under 2 s", f"{fmt(one_cold.median)} s", one_cold.median < 2.0))
    if not args.skip_10x:
        r = cold10.median / cold.median
        goals.append(("10x corpus: cold check time <= 11x", f"{r:.2f}x ({fmt(cold10.median)} s)", r <= 11))
        r = cold10.median / floor10.median
        goals.append(("10x corpus: cold check <= 1.3x its parse floor", f"{r:.2f}x", r <= 1.3))
        r = warm10.median / warm.median
        goals.append(("10x corpus: warm check time <= 11x", f"{r:.2f}x ({fmt(warm10.median)} s)", r <= 11))
        peak = max(cold10.peak_mb, warm10.peak_mb)
        goals.append(("10x corpus: peak memory <= 300 MB", f"{peak:.0f} MB", peak <= 300))
    goals.append(("cached and --no-cache runs give identical diagnostics", "tests/test_cache.py (shared corpus + hypothesis)", None))
    notes.append("where the time goes (and, when one is missed, why): docs/speed.md, section \"Where the time goes\"")
    load_end = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    args.output.parent.mkdir(parents=True, exist_ok=True)
    write_report(args.output, rows, goals, notes, (load_start, load_end), n, args.runs_10x)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
