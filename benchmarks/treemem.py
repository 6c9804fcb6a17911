"""Run one command and measure it as a whole process tree: wall time, CPU time, and the peak
of the tree's memory (the sum of the resident set sizes of the parent and every descendant
alive at one sample, sampled from /proc every `interval` seconds).

`os.wait4`'s `ru_maxrss` is the largest *single* process (parent or one worker), which hides
what a pool of workers costs together; the issue's goal is about the whole tree, so the tree
is walked at each sample: every thread's `/proc/PID/task/TID/children` (a process may fork
from any of its threads), falling back to a scan of every `/proc/*/stat` where the kernel
lacks that file. The resident size comes from `/proc/PID/status` (VmRSS, and VmHWM: that
process's own peak, for the largest single process). The sum counts pages that forked
workers share with their parent once per process, so it errs high, never low; a process
that starts and ends between two samples is missed (at 25 ms, only trivial ones).

`ru_maxrss` from `os.wait4` is no use here: Linux counts the pages the child had between
fork and exec, which are the benchmark's own, so every short peer looked as big as the
benchmark process itself.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


@dataclass(frozen=True)
class Measured:
    wall: float  # seconds, start to exit of the parent
    cpu: float  # user + system seconds of the parent and every descendant it waited for
    tree_mb: float  # peak of the summed RSS over the tree, one sample at a time
    single_mb: float  # the largest VmHWM of one process of the tree (its own peak)
    code: int
    samples: int


def children_of(pid: int, proc: Path = Path("/proc")) -> list[int] | None:
    """Direct children of `pid` (over all its threads); None when the kernel cannot say."""
    tasks = proc / str(pid) / "task"
    try:
        tids = os.listdir(tasks)
    except OSError:
        return []  # the process is gone
    found: list[int] = []
    for tid in tids:
        try:
            text = (tasks / tid / "children").read_text()
        except FileNotFoundError:
            if (tasks / tid).exists():
                return None  # no CONFIG_PROC_CHILDREN: use the scan
            continue  # that thread ended
        except OSError:
            continue
        found.extend(int(x) for x in text.split())
    return found


def parents_by_scan(proc: Path = Path("/proc")) -> dict[int, list[int]]:
    """ppid -> children for every process, from /proc/*/stat (the slow path)."""
    out: dict[int, list[int]] = {}
    for name in os.listdir(proc):
        if not name.isdigit():
            continue
        try:
            stat = (proc / name / "stat").read_text()
        except OSError:
            continue
        # the command name (field 2) is in parentheses and may hold spaces or ')'
        fields = stat[stat.rfind(")") + 2:].split()
        out.setdefault(int(fields[1]), []).append(int(name))
    return out


def descendants(root: int, children: Callable[[int], Iterable[int] | None]) -> list[int]:
    """`root` and everything below it, breadth first; each pid once even if listed twice."""
    seen = {root}
    order = [root]
    i = 0
    while i < len(order):
        kids = children(order[i])
        i += 1
        for kid in kids or ():
            if kid not in seen:
                seen.add(kid)
                order.append(kid)
    return order


def tree_pids(root: int, proc: Path = Path("/proc")) -> list[int]:
    if children_of(root, proc) is None:
        table = parents_by_scan(proc)
        return descendants(root, lambda p: table.get(p, []))
    return descendants(root, lambda p: children_of(p, proc) or [])


def memory_kb(pid: int, proc: Path = Path("/proc")) -> tuple[int, int]:
    """(VmRSS, VmHWM) of `pid` in KiB; zeros when it is gone or is a zombie."""
    rss = hwm = 0
    try:
        text = (proc / str(pid) / "status").read_text()
    except OSError:
        return 0, 0
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
        elif line.startswith("VmHWM:"):
            hwm = int(line.split()[1])
    return rss, hwm


def tree_memory(root: int, proc: Path = Path("/proc")) -> tuple[int, int]:
    """(sum of VmRSS over the tree, largest VmHWM of one process in it), in bytes."""
    total = largest = 0
    for pid in tree_pids(root, proc):
        rss, hwm = memory_kb(pid, proc)
        total += rss
        largest = max(largest, hwm)
    return total * 1024, largest * 1024


def run_measured(cmd: Sequence[str], cwd: Path | None = None, env: Mapping[str, str] | None = None,
                 timeout: float = 1800.0, interval: float = 0.025, stdout: int | None = subprocess.DEVNULL) -> Measured:
    """Run `cmd` to its end, sampling the tree's memory every `interval` seconds."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=cwd, env=None if env is None else dict(env),
                            stdout=stdout, stderr=subprocess.DEVNULL)
    peak = largest = 0
    samples = 0
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        total, hwm = tree_memory(proc.pid)
        peak, largest = max(peak, total), max(largest, hwm)
        samples += 1
        if time.perf_counter() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            raise TimeoutError(" ".join(cmd))
        time.sleep(interval)
    wall = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    # one process's own peak bounds the tree's from below, even between two samples
    return Measured(wall, usage.ru_utime + usage.ru_stime, max(peak, largest) / MB, largest / MB, code, samples)
