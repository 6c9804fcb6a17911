"""The `formalai-lint` command line: a thin click layer over `linter.api`.

Exit codes: 0 no errors; 1 errors found; 2 usage, configuration or internal error (a
one-line message on stderr, never a traceback).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from . import __version__
from .api import lint_paths
from .cli_links import links_command
from .cli_schema import schema_group
from .config import ConfigError
from .diagnostics import Severity
from .model import Document, Section
from .parse import parse_bytes
from .references.export import references_data
from .reporters import REPORTERS
from .rules import ALL_RULES, get_rule
from .serde import document_to_data


def exit_code(result_diagnostics: Sequence[Any], strict: bool = False) -> int:
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return 1 if any(d.severity in failing for d in result_diagnostics) else 0


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="formalai-lint")
def cli() -> None:
    """Lint a Markdown knowledge base: structure, TOC, links and anchors, formulas, references."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), help="Corpus root (default: nearest folder with a config file or .git).")
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
def check(paths: tuple[Path, ...], root: Path | None, fmt: str, strict: bool) -> None:
    """Lint PATHS (files or folders; default: the whole root)."""
    try:
        result = lint_paths(list(paths) or [Path(".")], root=root)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    REPORTERS[fmt](result, sys.stdout)
    sys.exit(exit_code(result.diagnostics, strict))


def _tree(sections: Sequence[Section], depth: int = 0) -> list[str]:
    lines: list[str] = []
    for s in sections:
        h = s.heading
        num = f"  [{h.number.style} {'.'.join(map(str, h.number.parts))}]" if h.number else ""
        lines.append(f"{'  ' * depth}{'#' * h.level} {h.text}  (lines {s.start_line}-{s.end_line}, #{h.anchor}){num}")
        lines.extend(_tree(s.children, depth + 1))
    return lines


def _tree_view(doc: Document) -> str:
    out = _tree(doc.sections)
    if doc.toc:
        out.append(f"\nTOC at lines {doc.toc.start_line}-{doc.toc.end_line}: {len(doc.toc.entries)} entries")
    out.append(
        f"links {len(doc.links)}, pseudo-links {len(doc.pseudo_links)}, formulas {len(doc.formulas)}, "
        f"fences {len(doc.fences)}, reference items {sum(len(r.items) for r in doc.references)}, "
        f"metadata {len(doc.metadata)}"
    )
    return "\n".join(out)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "tree"]), default="json", show_default=True)
def parse(file: Path, fmt: str) -> None:
    """Print the structured model of FILE (for scripting and debugging)."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"cannot read {file}: {exc.strerror}") from None
    doc = parse_bytes(data, file.as_posix())
    if fmt == "tree":
        click.echo(_tree_view(doc))
    else:
        model = document_to_data(doc)
        # the reference lists parsed into authors, year, title, venue and identifiers
        model["parsed_references"] = references_data(doc)
        click.echo(json.dumps(model, ensure_ascii=False, indent=2))


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
def rules_command(fmt: str) -> None:
    """List every rule: id, name, family, default severity, summary."""
    if fmt == "json":
        rows = [
            {"id": r.id, "name": r.name, "family": r.family, "severity": r.severity.value,
             "fixable": r.fixable, "summary": r.summary}
            for r in ALL_RULES
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        click.echo(rules_markdown())
    else:
        for r in ALL_RULES:
            off = "" if r.enabled else " (off by default)"
            click.echo(f"{r.id}  {r.name:<28} {r.family:<10} {r.severity.value:<7} {r.summary}{off}")


def rules_markdown() -> str:
    """The README's rule table (a test keeps the README in sync with the registry)."""
    lines = ["| id | name | family | severity | summary |", "|---|---|---|---|---|"]
    for r in ALL_RULES:
        off = " (off by default)" if not r.enabled else ""
        lines.append(f"| {r.id} | `{r.name}` | {r.family} | {r.severity.value} | {r.summary}{off} |")
    return "\n".join(lines)


@cli.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Print the page of RULE (id or name)."""
    r = get_rule(rule)
    if r is None:
        raise click.ClickException(f"unknown rule {rule!r}; see `formalai-lint rules`")
    header = f"{r.id} {r.name} ({r.family}, {r.severity.value}{', fixable' if r.fixable else ''})"
    body = r.doc
    if r.options:
        opts = "\n".join(
            f"- `{k}` ({v.get('type', 'any')}, default `{v.get('default')!r}`): {v.get('description', '')}"
            for k, v in r.options.items()
        )
        if "## Options" not in body:
            body += "\n\n## Options\n" + opts
    click.echo(f"{header}\n\n{body}")


cli.add_command(links_command)
cli.add_command(schema_group)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: usage and config errors exit 2 with one line; so does any crash."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="formalai-lint", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(2)
    except (KeyboardInterrupt, BrokenPipeError):
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - the promise is "never a traceback"
        click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(2)
