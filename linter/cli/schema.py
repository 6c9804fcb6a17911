"""`formalai-lint schema check FILE...` and `schema show NAME`: the schema files as a user
edits them. A bad schema exits 2 with one line, `error: FILE:LINE: key: message`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import yaml

from ..resources import schemas_dir
from ..schema import SchemaError, read_schema_file
from ..schema.loader import MAX_SCHEMA_BYTES, load_marked
from ..util.safe_read import read_bytes
from ..schema.model import DataFile, Preset, Schema


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


@click.group("schema")
def schema_group() -> None:
    """Check and show document-type schemas (schemas/**/*.yaml)."""


@schema_group.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def check_command(files: tuple[Path, ...]) -> None:
    """Validate schema FILES against the meta-schema (schemas/meta-schema.json)."""
    for f in files:
        try:
            loaded = read_schema_file(f)
        except SchemaError as exc:
            _fail(str(exc))
            return
        what = {Schema: "document schema", Preset: "preset", DataFile: "references data"}[type(loaded)]
        name = loaded.name if isinstance(loaded, (Schema, Preset)) else loaded.kind
        click.echo(f"{f.as_posix()}: ok ({what} {name})")


def _find(name: str) -> Path | None:
    base = schemas_dir()
    for cand in (name, f"formalai/{name}"):
        for suffix in ("", ".yaml", ".yml"):
            p = base / f"{cand}{suffix}"
            if p.is_file():
                return p
    p = Path(name)
    return p if p.is_file() else None


@schema_group.command("show")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
def show_command(name: str, fmt: str) -> None:
    """Print schema NAME (`concept-topic`, `formalai/preset`, or a path) after validating it."""
    path = _find(name)
    if path is None:
        _fail(f"{name}: no such schema (see schemas/formalai/preset.yaml)")
        return
    try:
        read_schema_file(path)
        data = load_marked(read_bytes(path, MAX_SCHEMA_BYTES).decode("utf-8-sig"), path.as_posix()).data
    except (SchemaError, OSError, UnicodeDecodeError) as exc:
        _fail(str(exc))
        return
    click.echo(f"# {path.relative_to(schemas_dir()).as_posix() if path.is_relative_to(schemas_dir()) else path}")
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(yaml.safe_dump(data, allow_unicode=True, sort_keys=False).rstrip())
