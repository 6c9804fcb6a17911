"""`formalai-lint links`: the maintainers' link audit (text, JSON, DOT or one HTML page).

The lead wires it into the main CLI with `cli.add_command(links_command)`. An `--external`
option (http checks, linter/external/) can be added here: `Audit.external_links()` lists the
URLs in scope with their positions.
"""

from __future__ import annotations

import dataclasses

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..api import RunOptions, collect_targets, find_root, make_corpus, with_parser
from ..config.files import load_config
from ..config.settings import Config, ConfigError
from ..corpus import Corpus
from ..run.parallel import Session
from ..run.progress import wanted as progress_wanted
from ..external import attach_to_report, options_from_rule_settings, run_external
from .output import is_stdout, parser_option, stdout, write_file

if TYPE_CHECKING:
    from ..links.audit import Audit


def render_text(audit: Audit, top: int = 20) -> str:
    from ..links.audit import GROUP_ORDER

    t = audit.totals()
    lines = [
        f"{t['documents']} documents, {t['links']} links ({t['internal']} internal), "
        f"{t['broken']} broken, {t['orphans']} orphans, {t['dead_ends']} dead ends",
        "",
        f"{'folder':<28}{'docs':>6}{'links':>8}{'broken':>8}",
    ]
    for r in audit.folders:
        lines.append(f"{r.folder:<28}{r.documents:>6}{r.links:>8}{r.broken:>8}")
    counts = audit.cause_counts()
    lines += ["", "broken links by cause:"]
    lines += [f"  {c:<18}{n:>6}" for c, n in sorted(counts.items(), key=lambda x: -x[1])]
    groups = audit.broken_by_group()
    for g in GROUP_ORDER:
        if g not in groups:
            continue
        lines += ["", f"{g} ({len(groups[g])}):"]
        for v in groups[g][:top]:
            sug = f"  -> {v.suggestion.replacement}" if v.suggestion else ""
            lines.append(f"  {v.source}:{v.line}:{v.column}  {v.dest}{sug}")
        if len(groups[g]) > top:
            lines.append(f"  … {len(groups[g]) - top} more (use --format html or json for all)")
    lines += ["", "most-wanted missing targets:"]
    lines += [f"  {n:>4}  {p}" + (f"  (now {s}?)" if s else "") for p, n, s in audit.missing_targets(10)]
    lines += ["", f"orphans ({t['orphans']}):"] + [f"  {p}" for p in audit.orphans()[:top]]
    return "\n".join(lines) + "\n"


def open_corpus(root: Path, config: Config, options: RunOptions) -> Corpus:
    """Every document under `root`, from the parse cache that `check` fills, the rest parsed
    in the process pool (the audit reads the whole corpus: a cold run is the work of a full
    `check`, a warm one decodes cache entries only)."""
    session = Session.open(root, config, None, options)
    corpus = make_corpus(root, config, session.load)
    session.prepare(corpus, corpus.paths)
    return corpus


def _focus(focus: Path | None, corpus: Corpus, level: str) -> str | None:
    """`--focus FILE` as a root-relative document path (a usage error when it is not one)."""
    if focus is None:
        return None
    if level != "documents":
        raise click.UsageError("--focus shows one document's links: use it with --graph documents")
    absolute = focus.resolve()
    if not absolute.is_relative_to(corpus.root):
        raise click.UsageError(f"--focus {focus} is outside the root {corpus.root}")
    rel = absolute.relative_to(corpus.root).as_posix()
    if rel not in corpus.paths:
        raise click.UsageError(f"--focus {focus}: not a document of the corpus")
    return rel


def _renderer(fmt: str) -> Callable[[Audit], str]:
    from ..links.graph import audit_dot, audit_json

    return {"text": render_text, "json": audit_json, "dot": audit_dot}[fmt]


@click.command("links")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), help="Corpus root (default: nearest folder with a config file or .git).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "dot", "html"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to FILE instead of stdout (- for stdout).")
@click.option("--entry-point", "entry_points", multiple=True, metavar="GLOB", help="Documents that are never orphans (README/INDEX always are exempt).")
@click.option("--external", is_flag=True, help="Also check http(s) links over the network (options: rule external-link-broken in the config).")
@click.option("--exclude-url", "exclude_urls", multiple=True, metavar="PATTERN", help="With --external: skip URLs matching this glob (or re:REGEX); repeatable.")
@click.option("--graph", "graph_level", type=click.Choice(["documents", "folders"]), default="documents", show_default=True, help="--format dot: one node per document (clustered by folder), or per folder with link counts.")
@click.option("--focus", type=click.Path(dir_okay=False, path_type=Path), help="--format dot: only the links from and to this document.")
@click.option("--no-cache", is_flag=True, help="Parse every file; neither read nor write the cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), help="Cache folder (default: ROOT/.formalai-lint-cache).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Parser processes (default: the CPU count).")
@parser_option()
def links_command(
    paths: tuple[Path, ...],
    root: Path | None,
    fmt: str,
    output: Path | None,
    entry_points: Sequence[str],
    external: bool,
    exclude_urls: Sequence[str],
    graph_level: str = "documents",
    focus: Path | None = None,
    no_cache: bool = False,
    cache_dir: Path | None = None,
    jobs: int | None = None,
    parser: str | None = None,
) -> None:
    """Audit the links of PATHS (default: the whole root): broken links with suggestions,
    orphans, dead ends, most-linked documents, and the link graph (json/dot/html)."""
    as_paths = list(paths) or [Path(".")]
    for p in as_paths:
        if not p.exists():
            raise click.ClickException(f"path not found: {p}")
    root_path = root.resolve() if root is not None else find_root(as_paths)
    for p in as_paths:
        if not p.resolve().is_relative_to(root_path):
            raise click.ClickException(f"{p} is outside the root {root_path}")
    try:  # the root's config, as for `check`: its ignores and the LK900 options apply here too
        config = with_parser(load_config(root_path), parser)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    corpus = open_corpus(root_path, config, RunOptions(
        cache=not no_cache, cache_dir=cache_dir, jobs=jobs, progress=progress_wanted(), quiet=True,
    ))
    targets = collect_targets(corpus, as_paths)
    from ..links.audit import build_audit  # the audit's modules load only for this command

    audit = build_audit(corpus, targets, entry_points)
    if fmt == "html":
        from ..links.html import render_html
        from ..links.provenance import report_context

        report = render_html(audit, f"Link audit: {root_path.name}", report_context(root_path, output))
    elif fmt == "dot":
        from ..links.graph import audit_dot

        report = audit_dot(audit, graph_level, _focus(focus, corpus, graph_level))
    else:
        report = _renderer(fmt)(audit)
    if external:
        setting = config.rules.get("LK900")
        try:
            options, statuses = options_from_rule_settings(
                dict(setting.options) if setting else {}, root_path
            )
            if exclude_urls:
                options = dataclasses.replace(options, exclude=(*options.exclude, *exclude_urls))
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        docs = [d for p in targets if (d := corpus.document(p)) is not None]
        report = attach_to_report(fmt, report, run_external(docs, options, report=statuses))
    if is_stdout(output):
        stdout().write(report)
        return
    assert output is not None
    write_file(output, report)
    click.echo(f"wrote {output} ({audit.totals()['broken']} broken links)", err=True)
