"""The shipped schemas' digests as validated: a shipped file whose bytes are listed is not
validated again at load.

Checking the built-in preset's eight files against the meta-schema took 100-150 ms of every
run that loads schemas (jsonschema's import and validator build are most of it), more than
a pre-commit run's whole parse. The shipped files only change with the tool, so
`schemas/validated.json` lists the SHA-256 of each `*.yaml` under `schemas/` and of the
meta-schema, written by `make schema` and checked by a test that validates each
listed file. A file whose bytes differ (a user edited the copy in their checkout) is
validated as any user's schema file is; so is every file when the meta-schema differs.
"""

from __future__ import annotations

import hashlib
import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..resources import schemas_dir

MANIFEST = "validated.json"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def current() -> dict[str, Any]:
    """The manifest the shipped files have now (what `make schemas-manifest` writes)."""
    folder = schemas_dir()
    files = {p.relative_to(folder).as_posix(): _digest(p.read_bytes()) for p in sorted(folder.rglob("*.yaml"))}
    return {"meta-schema": _digest((folder / "meta-schema.json").read_bytes()), "files": files}


@lru_cache(maxsize=1)
def _listed() -> dict[str, str]:
    """The listed files' digests; empty (validate everything) for a missing or stale manifest."""
    folder = schemas_dir()
    try:
        data = json.loads((folder / MANIFEST).read_bytes())
        meta = _digest((folder / "meta-schema.json").read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("meta-schema") != meta or not isinstance(data.get("files"), dict):
        return {}
    return {str(k): str(v) for k, v in data["files"].items()}


def known_valid(path: Path, raw: bytes) -> bool:
    """Whether `path` is a shipped schema file whose bytes `raw` are as validated."""
    folder = schemas_dir().resolve()
    try:
        rel = path.resolve().relative_to(folder).as_posix()
    except ValueError:
        return False
    listed = _listed().get(rel)
    return listed is not None and listed == _digest(raw)


def main() -> None:
    from ..util.safe_write import write_text

    target = schemas_dir() / MANIFEST
    write_text(target, json.dumps(current(), indent=2, sort_keys=True) + "\n", root=schemas_dir())
    sys.stdout.write(f"wrote {target}\n")

