"""Where and when a link report was made, and how it links back to the files.

The HTML report names the commit and the time it describes, links every document to the
file (relative to where the report is written, so it works from a checkout), and, when the
repository's remote is on GitHub, to the file at that commit on GitHub (a blob URL with the
line). git is asked best-effort, with argument lists and a timeout: a folder outside git, or
no git at all, gives a report without commit and blob links, never an error.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

_GITHUB = re.compile(r"^(?:https://(?:[^@/]+@)?github\.com/|git@github\.com:|ssh://git@github\.com/)([^/]+)/([^/]+?)(?:\.git)?/?$")


@dataclass(frozen=True, slots=True)
class ReportContext:
    commit: str | None = None  # the commit the corpus was at (None: not a git checkout)
    generated: str = ""  # UTC time, ISO 8601
    relative_base: str = ""  # from the report's folder to the root, ending in "/" (or "")
    blob_base: str | None = None  # https://github.com/OWNER/REPO/blob/COMMIT/PREFIX (ends in "/")

    def file_href(self, path: str) -> str:
        return quote(self.relative_base + path)

    def blob_href(self, path: str, line: int | None = None) -> str | None:
        if self.blob_base is None:
            return None
        return self.blob_base + quote(path) + (f"#L{line}" if line else "")


def github_repository(remote: str) -> str | None:
    """`OWNER/REPO` of a GitHub remote URL (https, scp-like or ssh), else None."""
    m = _GITHUB.match(remote.strip())
    return f"{m.group(1)}/{m.group(2)}" if m else None


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout.strip() if proc.returncode == 0 and proc.stdout.strip() else None


def _now() -> str:
    # SOURCE_DATE_EPOCH (reproducible builds' convention) pins the time for identical reports
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.isdigit() else int(time.time())
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def report_context(root: Path, output: Path | None = None) -> ReportContext:
    """The context of a report on `root` written to `output` (None: stdout, links from the root)."""
    root = root.resolve()
    base = ""
    if output is not None and str(output) != "-":
        rel = os.path.relpath(root, output.resolve().parent)
        base = "" if rel == "." else Path(rel).as_posix() + "/"
    commit = _git(root, "rev-parse", "HEAD")
    blob = None
    top = _git(root, "rev-parse", "--show-toplevel")
    remote = _git(root, "config", "--get", "remote.origin.url")
    repo = github_repository(remote) if remote else None
    if repo is None and os.environ.get("GITHUB_REPOSITORY") and os.environ.get("GITHUB_SERVER_URL") == "https://github.com":
        repo = os.environ["GITHUB_REPOSITORY"]
    if commit and top and repo:
        prefix = root.relative_to(Path(top).resolve()).as_posix() if root.is_relative_to(Path(top).resolve()) else ""
        blob = f"https://github.com/{repo}/blob/{commit}/" + ("" if prefix in ("", ".") else quote(prefix) + "/")
    return ReportContext(commit, _now(), base, blob)
