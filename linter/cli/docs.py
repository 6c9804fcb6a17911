"""`formalai-lint docs [TOPIC]`: the user guide from the installed tool, offline.

The guide is `docs/*.md` in a checkout and `linter/_docs` in the wheel (pyproject's
force-include), so a user without the repository can still read it; a rule's page is
`formalai-lint explain RULE`, and `docs RULE` prints it too.
"""

from __future__ import annotations

import click

from ..resources import docs_dir
from ..rules import get_rule


def _topics() -> dict[str, str]:
    folder = docs_dir()
    return {p.stem: p.read_text("utf-8") for p in sorted(folder.glob("*.md"))} if folder.is_dir() else {}


@click.command("docs")
@click.argument("topic", required=False)
def docs_command(topic: str | None) -> None:
    """Print the guide page TOPIC (`structure`, `links`, `adopting`, ...), or a rule's page;
    without TOPIC, list the pages."""
    topics = _topics()
    if topic is None:
        for name, text in topics.items():
            first = next((ln.lstrip("# ").strip() for ln in text.splitlines() if ln.startswith("#")), "")
            click.echo(f"{name:<20} {first}")
        click.echo("(a rule's page: formalai-lint docs RULE, or formalai-lint explain RULE)")
        return
    key = topic.removesuffix(".md")
    if key in topics:
        click.echo(topics[key].rstrip())
        return
    r = get_rule(topic)
    if r is not None:
        click.echo(f"{r.id} {r.name} ({r.family}, {r.severity.value})\n\n{r.doc}")
        return
    raise click.ClickException(f"no guide page or rule {topic!r}; pages: {', '.join(topics)}")
