"""The `formalai-lint` command line: a thin click layer over `linter.api`.

Exit codes: 0 no errors; 1 errors found; 2 usage, configuration or internal error (a
one-line message on stderr, never a traceback).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from ..resources import __version__
from ..api import LintResult, RunOptions, find_root, lint_paths, lint_stdin
from ..run.cache import CACHE_DIR_NAME, clear as clear_cache, user_cache_dir
from ..run.cap import cap_findings
from .links import links_command
from .output import emit, is_stdout, parser_option, write_file
from ..util.safe_read import read_prefix
from .schema import schema_group
from .docs import docs_command
from .init import init_command
from ..config.json_schema import schema_text
from ..corpus import Corpus
from ..run.progress import wanted as progress_wanted
from ..config.settings import Config, ConfigError
from ..diagnostics import Severity
from ..document.model import Document, Section
from .reporters import REPORTERS
from .reporters import text as text_reporter
from .render import REPLAY_MAX, exit_code as exit_code, render, rendered_indexed
from .warm import parse as warm_parse, split_keys, tune_gc, write_bytes_out
from ..rules import ALL_RULES, get_rule
from ..document.serde import document_to_data

if TYPE_CHECKING:
    from ..run.baseline import Comparison


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="formalai-lint")
def cli() -> None:
    """Lint a Markdown knowledge base: structure, TOC, links and anchors, formulas, references."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--root", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Corpus root (default: nearest folder with a config file or .git).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Config file (default: the root's .formalai-lint.yaml or pyproject.toml).")
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to a file instead of stdout (- for stdout).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True, help="Colour for --format text (auto: on a TTY without NO_COLOR).")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path), help="Report only findings not recorded in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False, path_type=Path), help="Record the current findings in this file and exit 0.")
@click.option("--changed-since", metavar="REF", help="Lint files changed since the merge base with REF, and the files linking into them.")
@click.option("--select", metavar="RULES", help="Run only these rules: comma-separated ids, names, families (links) or id prefixes (LK).")
@click.option("--extend-select", metavar="RULES", help="Run these rules too (as --select), even if off by default.")
@click.option("--ignore", "ignore_rules", metavar="RULES", help="Never run these rules (as --select).")
@click.option("--output-format", type=click.Choice(["concise", "full"]), default="concise", show_default=True, help="--format text: one line per finding, or with the source line, a caret and the suggestion.")
@click.option("--statistics", is_flag=True, help="Print a count per rule (name, severity, fixable) instead of each finding.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings fail the run (config and usage errors still exit 2).")
@click.option("--stdin-filename", metavar="PATH", help="With the path `-`: the file the text on stdin is (for editors).")
@click.option("--junit-per", type=click.Choice(["file", "rule"]), default="file", show_default=True, help="JUnit test cases: one per file or one per rule.")
@click.option("--no-cache", is_flag=True, help="Parse every file; neither read nor write the cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), help="Cache folder (default: ROOT/.formalai-lint-cache).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Parser processes (default: the CPU count).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or notes on stderr.")
@click.option("--max-findings-per-rule", "max_findings", type=click.IntRange(min=0), help="Report at most N findings per rule per file, then one 'and N more' (default: the config's, 200; 0: all).")
@click.option("--fix", is_flag=True, help="Apply the safe fixes, re-lint until nothing changes, report what is left.")
@click.option("--unsafe-fixes", is_flag=True, help="Apply the unsafe fixes too (implies --fix unless --diff).")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of what --fix would change; write nothing (exit 1 if it would change something).")
@click.option("--verbose", "-v", is_flag=True, help="Say on stderr which preset and which schema applied to each document.")
@parser_option()
def check(
    paths: tuple[Path, ...],
    root: Path | None,
    config_file: Path | None,
    fmt: str,
    output: Path | None,
    color: str,
    strict: bool,
    baseline_file: Path | None,
    write_baseline: Path | None,
    changed_since: str | None,
    select: str | None,
    extend_select: str | None,
    ignore_rules: str | None,
    output_format: str,
    statistics: bool,
    exit_zero: bool,
    stdin_filename: str | None,
    junit_per: str,
    no_cache: bool,
    cache_dir: Path | None,
    jobs: int | None,
    quiet: bool,
    max_findings: int | None = None,
    fix: bool = False,
    unsafe_fixes: bool = False,
    show_diff: bool = False,
    verbose: bool = False,
    parser: str | None = None,
) -> None:
    """Lint PATHS (files or folders; default: the whole root).

    Exit codes: 0 no errors, 1 errors found (--strict: warnings too), 2 usage, config or
    internal error.
    """
    if baseline_file is not None and write_baseline is not None:
        raise click.UsageError("--baseline and --write-baseline cannot be used together")
    stdin = _stdin_request(paths, stdin_filename)
    selection: dict[str, Any] = {"select": split_keys(select), "extend_select": split_keys(extend_select),
                                 "ignore": split_keys(ignore_rules)}
    fixing = fix or unsafe_fixes or show_diff
    # a plain check leaves a run record: the next identical one is answered from it (cli.warm)
    record_wanted = stdin is None and not fixing and changed_since is None and not no_cache
    applied = None
    if fixing and write_baseline is not None:
        raise click.UsageError("--write-baseline cannot be used with --fix, --unsafe-fixes or --diff")
    if fixing and stdin is not None:
        raise click.UsageError("--fix, --unsafe-fixes and --diff need files, not `-` (stdin)")
    loop = False
    try:
        if stdin is not None:
            result = lint_stdin(sys.stdin.buffer, stdin, root, config_file=config_file, parser=parser, **selection)
        else:
            common: dict[str, Any] = dict(
                root=root,
                config_file=config_file,
                changed_since=changed_since,
                parser=parser,
                **selection,
                options=RunOptions(cache=not no_cache, cache_dir=cache_dir, jobs=jobs,
                                   progress=progress_wanted(quiet=quiet), quiet=quiet, record=record_wanted),
            )
            if fixing:
                from .fixing import run_fix

                result, loop = run_fix(list(paths) or [Path(".")], common, unsafe_fixes, show_diff, output)
            else:
                result = lint_paths(list(paths) or [Path(".")], **common)
        recorded = result  # before the baseline and the cap: what a run record keeps
        if fmt == "json" and not statistics and stdin is None:
            applied = result.applied()
            result = dataclasses.replace(result, known_applied=applied)
        corpus = result.corpus or Corpus(result.root)
        if write_baseline is not None or baseline_file is not None:
            from ..run import baseline
        if write_baseline is not None:
            # a run on some files updates only their entries of an existing baseline
            partial = (paths or changed_since) and set(result.files) != set(corpus.paths)
            subset = result.files if partial else None
            done = baseline.write(write_baseline, result.diagnostics, corpus, subset)
            if not quiet:
                click.echo(done.describe(write_baseline), err=True)
            sys.exit(0)
        if baseline_file is not None:
            cmp = baseline.compare(result.diagnostics, baseline.read(baseline_file), corpus, result.files)
            result = dataclasses.replace(result, diagnostics=cmp.new)
            if not quiet:
                _baseline_note(cmp)
        if verbose:
            _applied_note(result)
        config = result.config or Config.default()
        limit = config.max_findings_per_rule if max_findings is None else max_findings
        if not statistics:  # the counts are of every finding
            result = dataclasses.replace(result, diagnostics=tuple(cap_findings(result.diagnostics, limit)))
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None

    def render_to(stream: TextIO) -> None:
        render(result, stream, fmt, statistics=statistics, color=color, full=output_format == "full",
               junit_per=junit_per, strict=strict)

    code = 0 if exit_zero else max(exit_code(result.diagnostics, strict), 1 if loop else 0)
    # a command line the warm entry point answers (`cli.warm`) keeps this report's bytes with
    # its record: the next identical run, if nothing changed, writes them without rendering
    # (a report of at most `REPLAY_MAX` findings: it is rendered in memory first)
    replayable = _warm_options() if record_wanted and is_stdout(output) and len(result.diagnostics) <= REPLAY_MAX else None
    shown, index = b"", None
    # the colour decision the warm entry point makes (and keys the kept report by)
    decided = fmt == "text" and text_reporter.use_color(color, sys.stdout, os.environ)
    try:
        if replayable is not None:
            shown, index = rendered_indexed(result, fmt, decided, full=output_format == "full", strict=strict,
                                            errors="backslashreplace")
            write_bytes_out(shown)
        else:
            emit(output, render_to)
            sys.stdout.flush()
    except BrokenPipeError:
        # the reader stopped (`| head`): the verdict stands; silence the flush at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if record_wanted:  # after the report: the record costs the reader no time
        from ..run.record import save

        saved = save(recorded, list(paths) or [Path(".")], config_file,
                     [selection["select"], selection["extend_select"], selection["ignore"]], cache_dir, applied)
        if saved is not None and replayable is not None:
            from ..run.replay import keep, report_key

            keep(saved.folder, saved.key, report_key(replayable, decided, os.getcwd()), saved.check, shown, code, index)
    sys.exit(code)


# The command line `main` was given: the full run keeps its report for replay only when the
# warm entry point would answer the same line (`cli.warm.parse`).
_ARGV: list[str] | None = None


def _warm_options() -> dict[str, Any] | None:
    return warm_parse(_ARGV) if _ARGV is not None else None


def _stdin_request(paths: Sequence[Path], stdin_filename: str | None) -> str | None:
    """The file name stdin's text stands for, when the path is `-`."""
    if Path("-") not in paths:
        if stdin_filename is not None:
            raise click.UsageError("--stdin-filename needs the path `-` (read the document from stdin)")
        return None
    if len(paths) > 1:
        raise click.UsageError("`-` (stdin) cannot be combined with other paths")
    if stdin_filename is None:
        raise click.UsageError("`-` needs --stdin-filename PATH: the file the text on stdin is")
    return stdin_filename


def _applied_note(result: LintResult) -> None:
    """`--verbose`: the preset and why, then each document's schema, on stderr."""
    applied = result.applied()
    click.echo(f"preset: {applied.preset} ({applied.reason})", err=True)
    for d in applied.documents:
        where = f"{d.schema} ({d.source})" if d.schema else "no schema"
        click.echo(f"schema: {d.path}: {where}", err=True)


def _baseline_note(cmp: Comparison) -> None:
    """What the baseline hid and what can be removed from it, on stderr (not in the report)."""
    click.echo(f"baseline: {cmp.known} known finding(s) not reported, {len(cmp.new)} new", err=True)
    if cmp.fixed:
        total = sum(f[3] for f in cmp.fixed)
        click.echo(
            f"baseline: {total} recorded finding(s) are fixed; update the file with --write-baseline to remove them:",
            err=True,
        )
        for path, rule_id, text, n in cmp.fixed:
            click.echo(f"  {path}: {rule_id} {text!r}" + (f" (x{n})" if n > 1 else ""), err=True)


@cli.command("config-schema")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file (e.g. schemas/config.schema.json).")
def config_schema(output: Path | None) -> None:
    """Print the JSON Schema of the config file, generated from the rules' options."""
    text = schema_text()
    if is_stdout(output):
        click.echo(text, nl=False)
    else:
        assert output is not None
        write_file(output, text)


@cli.group()
def cache() -> None:
    """Manage the parse cache."""


@cache.command("clear")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), help="Corpus root (default: as for check).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), help="Cache folder to clear.")
def cache_clear(root: Path | None, cache_dir: Path | None) -> None:
    """Delete the cache of ROOT (its own folder and its user-cache fallback)."""
    root = (root or find_root([Path(".")])).resolve()
    folders = [cache_dir] if cache_dir else [root / CACHE_DIR_NAME, user_cache_dir(root)]
    try:
        cleared = [f for f in folders if clear_cache(f)]
    except ConfigError as exc:  # a folder this tool did not make
        raise click.ClickException(str(exc)) from None
    click.echo(f"cleared {', '.join(map(str, cleared))}" if cleared else "no cache to clear")


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
@parser_option()
def parse(file: Path, fmt: str, parser: str | None = None) -> None:
    """Print the structured model of FILE (for scripting and debugging)."""
    from ..document.encoding import DEFAULT_MAX_BYTES

    try:  # never opens a FIFO or device; reads at most one byte over the size limit
        data = read_prefix(file, DEFAULT_MAX_BYTES + 1)
    except OSError as exc:
        raise click.ClickException(f"cannot read {file}: {exc.strerror}") from None
    from ..document.parse import parse_bytes
    from ..references.export import references_data

    from ..document.parsers import DEFAULT_PARSER

    doc = parse_bytes(data, file.as_posix(), parser=parser or DEFAULT_PARSER)
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
    """List every rule: id, name, family, default severity, what --fix can do, summary."""
    if fmt == "json":
        rows = [
            {"id": r.id, "name": r.name, "family": r.family, "severity": r.severity.value,
             "fixable": r.fixable, "fix": list(r.fix_applicability), "summary": r.summary}
            for r in ALL_RULES
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        click.echo(rules_markdown())
    else:
        for r in ALL_RULES:
            off = "" if r.enabled else " (off by default)"
            fix = "+".join(r.fix_applicability)
            click.echo(f"{r.id}  {r.name:<28} {r.family:<10} {r.severity.value:<7} {fix:<11} {r.summary}{off}")


def rules_markdown() -> str:
    """The README's rule table (a test keeps the README in sync with the registry)."""
    lines = ["| id | name | family | severity | fix | summary |", "|---|---|---|---|---|---|"]
    for r in ALL_RULES:
        off = " (off by default)" if not r.enabled else ""
        fix = ", ".join(r.fix_applicability)
        lines.append(f"| {r.id} | `{r.name}` | {r.family} | {r.severity.value} | {fix} | {r.summary}{off} |")
    return "\n".join(lines)


@cli.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Print the page of RULE (id or name)."""
    r = get_rule(rule)
    if r is None:
        raise click.ClickException(f"unknown rule {rule!r}; see `formalai-lint rules`")
    fix = f", fix: {' and '.join(r.fix_applicability)}" if r.fix_applicability else ""
    header = f"{r.id} {r.name} ({r.family}, {r.severity.value}{fix})"
    if r.aliases:
        header += f" [formerly {', '.join(r.aliases)}]"
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
cli.add_command(docs_command)
cli.add_command(init_command)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: usage and config errors exit 2 with one line; so does any crash."""
    global _ARGV
    tune_gc()
    _ARGV = list(argv) if argv is not None else sys.argv[1:]
    try:
        cli.main(args=_ARGV, prog_name="formalai-lint", standalone_mode=False)
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
