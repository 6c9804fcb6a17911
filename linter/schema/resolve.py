"""Which schema applies to a path: the user's (glob, schema) pairs first, then the preset's.

Schemas are loaded once per process and shared (they are frozen). A reference is either a
path to a YAML file or a built-in name: `formalai/concept-topic` (or just `concept-topic`
for the FormalAI preset).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path

from ..resources import schemas_dir
from ..util.globs import selects
from .loader import SchemaError, read_schema_file
from .model import DataFile, Preset, Schema

DEFAULT_PRESET = "formalai"

Mapping_ = Sequence[tuple[str, str]]


def _builtin_path(name: str) -> Path | None:
    base = schemas_dir()
    candidates = [name] if "/" in name else [f"{DEFAULT_PRESET}/{name}"]
    for cand in candidates:
        for suffix in ("", ".yaml", ".yml"):
            p = base / f"{cand}{suffix}"
            if p.is_file():
                return p
    return None


@functools.lru_cache(maxsize=128)
def _load_file(path: str) -> Schema | Preset | DataFile:
    p = Path(path)
    base = schemas_dir()
    source = p.relative_to(base).as_posix() if p.is_relative_to(base) else p.as_posix()
    return read_schema_file(p, "schemas/" + source if p.is_relative_to(base) else source)


def load_schema(ref: str, base: Path | None = None) -> Schema:
    """Load a document schema by file path (relative to `base`) or by built-in name."""
    path = Path(ref)
    if not path.is_absolute() and base is not None:
        path = base / path
    found = path if path.is_file() else _builtin_path(ref)
    if found is None:
        raise SchemaError(ref, 1, "", "no such schema file or built-in schema")
    loaded = _load_file(str(found.resolve()))
    if not isinstance(loaded, Schema):
        raise SchemaError(ref, 1, "kind", "is a preset; expected a document schema")
    return loaded


def load_preset(name: str = DEFAULT_PRESET) -> tuple[tuple[str, Schema], ...]:
    """The built-in preset as (glob, schema) pairs, in order (the first match wins)."""
    path = schemas_dir() / name / "preset.yaml"
    if not path.is_file():
        raise SchemaError(f"schemas/{name}/preset.yaml", 1, "", "no such preset")
    preset = _load_file(str(path.resolve()))
    if not isinstance(preset, Preset):
        raise SchemaError(preset.source, 1, "kind", "expected a preset")
    return tuple((e.glob, load_schema(str(path.parent / e.schema))) for e in preset.entries)


def resolve(path: str, mapping: Sequence[tuple[str, Schema]]) -> Schema | None:
    """The schema of the first glob that matches `path` (root-relative POSIX), or None."""
    for glob, schema in mapping:
        if selects(glob, path):
            return schema
    return None


def build_mapping(user: Mapping_ = (), base: Path | None = None, preset: str | None = DEFAULT_PRESET) -> tuple[tuple[str, Schema], ...]:
    """The user's (glob, reference) pairs loaded, followed by the preset's pairs."""
    pairs = tuple((glob, load_schema(ref, base)) for glob, ref in user)
    return pairs + (load_preset(preset) if preset else ())


def schema_resolver(user: Mapping_ = (), base: Path | None = None, preset: str | None = DEFAULT_PRESET) -> Callable[[str], Schema | None]:
    """A `schema_for(path)` function for the engine (loads every schema up front, so a bad
    schema fails before any document is linted)."""
    mapping = build_mapping(user, base, preset)

    def schema_for(path: str) -> Schema | None:
        return resolve(path, mapping)

    return schema_for
