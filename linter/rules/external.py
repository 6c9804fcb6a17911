"""The LK900 rule record (off by default): check a corpus's external links as one batch.

It is a corpus rule so that every distinct URL of the run is fetched once, through one pool,
whatever the number of documents naming it. Registering it (`ALL_RULES`) is the lead's job;
`enabled=False` keeps a plain `check` offline unless the config turns it on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic
from .base import CorpusContext, corpus_rule
from ..external.options import OPTIONS_SCHEMA, options_from_mapping
from ..external.report import PAGE, RULE_ID, RULE_NAME, collect_urls, external_diagnostics
from ..external.summary import options_from_rule_settings

RULE_OPTIONS = {
    **OPTIONS_SCHEMA,
    "report_timeouts": {
        "type": "boolean",
        "default": False,
        "description": "also report links that timed out or stayed rate limited",
    },
}


def external_link_broken(ctx: CorpusContext) -> Iterator[Diagnostic]:
    options, report = options_from_rule_settings(ctx.options, ctx.corpus.root)
    from ..external.checker import check_urls  # http.client and ssl only when the rule is on

    docs = list(ctx.documents())
    results = check_urls(collect_urls(docs), options)
    yield from external_diagnostics(docs, results, report=report, rule_id=ctx.rule_id)


external_link_broken.__doc__ = PAGE  # the page is the docstring (read by @corpus_rule)


def _check_options(options: Mapping[str, Any]) -> str | None:
    """The config's options as `Options` would take them, relative to a stand-in root
    (the real one is not known yet; `cache_path` is checked the same way against it)."""
    values = {k: v for k, v in options.items() if k != "report_timeouts"}
    try:
        options_from_mapping(values, base=Path("/formalai-lint-root"))
    except (ValueError, TypeError) as exc:
        return str(exc)
    return None


RULE = dataclasses.replace(
    corpus_rule(RULE_ID, RULE_NAME, "links", options=RULE_OPTIONS, enabled=False)(external_link_broken),
    check_options=_check_options,
)
RULES = (RULE,)
