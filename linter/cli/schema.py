"""`formalai-lint schema check FILE...`, `schema show NAME` and `schema list`: the schema
files as a user edits them, and which of them apply where. A bad schema exits 2 with one line, `error: FILE:LINE: key: message`."""

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
            loaded = read_schema_file(f, trust_listed=False)
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


@schema_group.command("list")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True, help="Corpus root whose config is read.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Config file (default: the root's).")
def list_command(root: Path, config_file: Path | None) -> None:
    """List the built-in schemas and presets, and the schemas the config maps, with their
    globs and the files they come from (the first matching glob wins, configured first)."""
    from ..config.files import load_config
    from ..config.settings import ConfigError

    try:
        config = load_config(root, config_file)
    except ConfigError as exc:
        _fail(str(exc))
        return
    if config.schemas:
        click.echo(f"configured ({config.source or 'config'}), tried first:")
        from ..schema import load_schema

        for glob, ref in config.schemas:
            try:
                mine = load_schema(ref, root.resolve())
            except SchemaError as exc:
                _fail(str(exc))
                return
            click.echo(f"  {glob:<48} {mine.name} ({mine.source})")
    active = config.schema_preset
    click.echo(f"preset in use: {config.preset} ({config.preset_reason})")
    base = schemas_dir()
    for folder in sorted(p for p in base.iterdir() if p.is_dir()):
        preset_file = folder / "preset.yaml"
        mark = " (in use)" if folder.name == active else ""
        click.echo(f"built-in preset {folder.name}{mark}: schemas/{folder.name}/preset.yaml")
        try:
            preset = read_schema_file(preset_file) if preset_file.is_file() else None
        except SchemaError as exc:
            _fail(str(exc))
            return
        mapped: set[str] = set()
        if isinstance(preset, Preset):
            for entry in preset.entries:
                loaded = read_schema_file(folder / entry.schema)
                name = loaded.name if isinstance(loaded, Schema) else entry.schema
                mapped.add(entry.schema)
                click.echo(f"  {entry.glob:<48} {name} (schemas/{folder.name}/{entry.schema})")
        for other in sorted(folder.glob("*.yaml")):
            if other.name in mapped or other.name == "preset.yaml":
                continue
            loaded = read_schema_file(other)
            if isinstance(loaded, Schema):
                click.echo(f"  {'(not mapped)':<48} {loaded.name} (schemas/{folder.name}/{other.name})")
