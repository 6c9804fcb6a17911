"""Document families: documents whose folder and file name follow the same pattern.

A folder or file name that starts with a number (`01-基础`, `01.2-逻辑`, `T03_视角`) becomes
a glob of its shape (`[0-9][0-9]-*`, `[0-9][0-9].[0-9]*-*`, `T[0-9][0-9]_*`); other folder
names stay literal; a file name shared by several folders (`README.md`) stays literal, any
other becomes `*`. `concepts/01-a/01.1.1-b.md` is then in the family
`concepts/[0-9][0-9]-*/[0-9][0-9].[0-9]*-*.md`, as in the hand-written FormalAI preset.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

_NUMBERED = re.compile(r"^(?P<letters>[A-Za-z]{0,3})(?P<first>\d+)(?P<rest>(?:\.\d+)*)(?P<sep>[-_ .])")


def shape(name: str) -> str | None:
    """The glob of a numbered name's shape, or None when it does not start with a number."""
    m = _NUMBERED.match(name)
    if m is None or (m["sep"] == "." and not name[m.end() :].strip()):
        return None
    rest = ".[0-9]*" if m["rest"] else ""
    return f"{m['letters']}{'[0-9]' * len(m['first'])}{rest}{m['sep']}*"


def folder_glob(folder: str) -> str:
    return "/".join(shape(seg) or seg for seg in folder.split("/")) if folder else ""


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    glob: str
    paths: tuple[str, ...]


def _name_glob(filename: str, common: set[str]) -> str:
    if filename in common:
        return filename
    stem, dot, ext = filename.rpartition(".")
    numbered = shape(stem + "-") if stem and "-" not in stem and "_" not in stem else shape(stem) if stem else None
    return f"{numbered}.{ext}" if numbered and dot else f"*.{ext}" if dot else "*"


def _slug(glob: str) -> str:
    words = [w for w in re.split(r"[^a-z0-9]+", glob.lower().replace("[0-9]", " ")) if w and w not in ("md", "markdown")]
    return "-".join(words)[:48].strip("-")


def group(paths: Sequence[str], min_size: int = 5) -> tuple[list[Family], list[str]]:
    """The families of at least `min_size` documents (largest first) and the paths left over."""
    folders = [p.rpartition("/")[0] for p in paths]
    names = [p.rpartition("/")[2] for p in paths]
    # a file name that several folders share is a role (README.md, EXAMPLE_EVAL_CARD.md)
    per_name = Counter((folder_glob(f), n) for f, n in zip(folders, names))
    common = {n for (_, n), count in per_name.items() if count >= min_size}
    buckets: dict[str, list[str]] = {}
    for path, folder, name in zip(paths, folders, names):
        fglob = folder_glob(folder)
        glob = f"{fglob}/{_name_glob(name, common)}" if fglob else f"/{_name_glob(name, common)}"
        buckets.setdefault(glob, []).append(path)
    families: list[Family] = []
    rest: list[str] = []
    used: set[str] = set()
    for glob, members in sorted(buckets.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(members) < min_size:
            rest.extend(members)
            continue
        base = _slug(glob) or ("root" if glob.startswith("/") else "family")
        name, k = base, 2
        while name in used:
            name, k = f"{base}-{k}", k + 1
        used.add(name)
        families.append(Family(name, glob, tuple(sorted(members))))
    return families, sorted(rest)


def ordered(families: Sequence[Family]) -> list[Family]:
    """Config order: in one folder pattern, literal names before numbered ones before `*`
    (the first matching glob wins)."""

    def rank(f: Family) -> tuple[int, str]:
        last = f.glob.rpartition("/")[2]
        return (2 if last.startswith("*") else 1 if "[0-9]" in last else 0, f.glob)

    return sorted(families, key=rank)
