"""`formalai-lint init`: study the corpus, then write `.formalai-lint.yaml` and one schema per
document family (`linter.infer`), each setting commented with its evidence; print how many
documents of each family pass as they stand. `--dry-run` prints the files instead; an
existing config or schema file is never replaced without `--force`; every write goes
through `linter.util.safe_write`."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..config.starter import starter_config
from ..util.safe_write import UnsafeWrite, make_folder
from .output import write_file

CONFIG_NAME = ".formalai-lint.yaml"


@click.command("init")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."), help="The corpus to study, where .formalai-lint.yaml goes.")
@click.option("--dry-run", is_flag=True, help="Print the config and the schema files instead of writing them.")
@click.option("--force", is_flag=True, help="Replace an existing config and schema files.")
@click.option("--schemas-dir", default=".formalai-lint/schemas", show_default=True, help="Folder (under the root) for the inferred schema files.")
@click.option("--min-family", type=click.IntRange(min=2), default=5, show_default=True, help="Fewest documents that make a family.")
@click.option("--template", is_flag=True, help="Write the commented starter config instead of studying the corpus.")
def init_command(root: Path, dry_run: bool, force: bool, schemas_dir: str, min_family: int, template: bool) -> None:
    """Study the corpus and write a config (and schemas) that fit what it already does."""
    from ..infer.study import root_corpus, study, summary

    target = root / CONFIG_NAME
    if os.path.lexists(target) and not (force or dry_run):
        raise click.ClickException(f"{target} already exists; not overwriting it (use --force)")
    folder = schemas_dir.strip("/")
    if not folder or folder.startswith("..") or "/../" in f"/{folder}/" or Path(folder).is_absolute():
        raise click.ClickException(f"--schemas-dir {schemas_dir!r}: expected a folder inside the root")
    corpus = root_corpus(root)
    if template or not corpus.paths:
        # nothing to learn from: today's commented starter
        _write(target, starter_config(), dry_run, force)
        if not dry_run:
            click.echo(f"wrote {target}")
        return
    result = study(corpus, min_family, folder)
    if dry_run:
        click.echo(f"# --- {CONFIG_NAME}")
        click.echo(result.config, nl=False)
        for path, text in result.schemas.items():
            click.echo(f"# --- {path}")
            click.echo(text, nl=False)
    else:
        existing = [p for p in result.schemas if os.path.lexists(root / p)]
        if existing and not force:
            raise click.ClickException(f"{root / existing[0]} already exists; not overwriting it (use --force)")
        if result.schemas:
            try:
                make_folder(root / folder, root.resolve())
            except (UnsafeWrite, OSError) as exc:
                raise click.ClickException(f"cannot create {root / folder}: {exc}") from None
        for path, text in result.schemas.items():
            write_file(root / path, text, overwrite=force)
        _write(target, result.config, dry_run, force)
        click.echo(f"wrote {target} and {len(result.schemas)} schema file(s) under {root / folder}", err=True)
    for line in summary(result):
        click.echo(line, err=True)


def _write(target: Path, text: str, dry_run: bool, force: bool) -> None:
    if dry_run:
        click.echo(text, nl=False)
        return
    write_file(target, text, overwrite=force)  # without --force: never overwrites, even in a race
