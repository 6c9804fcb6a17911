"""Which built-in preset a corpus gets when its config does not say (`extends` absent).

The FormalAI preset encodes one corpus's conventions (numbered Chinese headings, hand-written
TOCs, `**键**：值` footers); applied to another knowledge base it buries the real findings
under style findings. So it applies only where the corpus looks like FormalAI: some
Markdown file matches one of the layout globs of `schemas/formalai/preset.yaml` (anything
but its catch-all `**`). Everything else gets the `neutral` preset.

Reading the globs needs only PyYAML (no schema validation), and the walk stops at the
first match, so detection costs one directory walk at most.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..corpus import MARKDOWN_SUFFIXES, SKIP_DIRS
from ..resources import schemas_dir
from ..util.globs import selects

FORMALAI = "formalai"
NEUTRAL = "neutral"


@dataclass(frozen=True, slots=True)
class Detection:
    preset: str
    reason: str


def layout_globs(preset: str = FORMALAI) -> tuple[str, ...]:
    """The preset's schema globs except the catch-all (`**`)."""
    path = schemas_dir() / preset / "preset.yaml"
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return ()
    entries = data.get("schemas") or [] if isinstance(data, dict) else []
    return tuple(str(e["glob"]) for e in entries if isinstance(e, dict) and str(e.get("glob", "**")).strip("/") != "**")


def detect(root: Path, ignore: tuple[str, ...] = ()) -> Detection:
    """`formalai` when a Markdown file under `root` matches a FormalAI layout glob."""
    globs = layout_globs()
    root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        prefix = "" if rel_dir == "." else rel_dir + "/"
        for name in sorted(filenames):
            if not name.lower().endswith(MARKDOWN_SUFFIXES):
                continue
            rel = prefix + name
            if any(selects(g, rel) for g in ignore):
                continue
            hit = next((g for g in globs if selects(g, rel)), None)
            if hit is not None:
                return Detection(FORMALAI, f"detected: {rel} matches the FormalAI layout glob {hit}")
    return Detection(NEUTRAL, "detected: no file matches a FormalAI layout glob")
