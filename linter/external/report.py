"""From documents to URLs, and from results back to diagnostics (rule LK900)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from ..diagnostics import Diagnostic, Suggestion
from ..document.model import Document
from .result import Result, Status

RULE_ID = "LK900"
RULE_NAME = "external-link-broken"
# What is reported by default: a definite failure (broken) or no answer that could be judged
# (DNS failure, refused address, TLS error). Timeouts are noisy in CI and opt-in.
DEFAULT_REPORT: frozenset[Status] = frozenset({"broken", "error"})

PAGE = """\
An external http(s) link does not work: the server answers with an error, or cannot be reached.

Off by default, and never part of a plain `check`: it runs with `formalai-lint links --external`,
or in `check` when the config enables it (`rules: {external-link-broken: enable}`). A default run
opens no network connection.

## Why

Readers follow the links in references and footnotes; a dead one sends them nowhere, and on a
corpus of hundreds of documents nobody notices until someone clicks. Web sites move and vanish
continuously, so a link that worked when it was written is checked again from time to time.

## Fails

A link whose server answers 404 (the check really fetches it):

```text
参见 [规范](https://example.org/spec/removed-page)。
```

A link to a host that does not exist, or to a loopback/private/link-local address (refused
unless `allow_private`; GitHub readers cannot reach it either):

```text
[dashboard](http://localhost:8080/admin)
```

A redirect loop, or more than `max_redirects` redirects.

## Passes

Any 2xx answer, directly or after redirects (up to `max_redirects`); a server that refuses HEAD
but answers GET; a server that says 429 or 503 and then answers after its `Retry-After`.
Excluded URLs and other schemes (`mailto:`, `ftp:`) are never fetched and never reported.

```text
见 <https://example.org/>，以及 [文档](https://example.org/docs#install)。
```

## Fix

Update the link to the page's new address (a result that was redirected names the final URL),
replace it with an archived copy (for example the Wayback Machine), or remove it. For links that
cannot be checked from CI (sites that block robots, intranet pages), add an `exclude` pattern.

## Options

- `workers` (8), `per_host` (2): threads in the pool, and concurrent requests to one host.
- `connect_timeout` (10 s), `timeout` (10 s): connecting, and silence while reading.
- `retries` (2), `backoff` (1 s, doubled each retry), `max_retry_after` (30 s): retries after
  timeouts, dropped connections, 429, 502, 503, 504; a server's `Retry-After` (seconds or an
  HTTP date) is honoured up to the cap.
- `max_redirects` (5), `max_body` (65536 bytes read at most), `deadline` (300 s for the run).
- `exclude`: globs on the whole URL (`https://twitter.com/*`), or regexes written `re:PATTERN`
  (`re:^https?://([a-z]+\\.)?example\\.com/`).
- `cache_path` (none), `ttl` (86400 s): results of settled checks (ok, redirected, broken) are
  kept in a JSON file and reused until they are `ttl` seconds old. The file must lie inside
  the root's `.formalai-lint-cache/` folder (e.g. `.formalai-lint-cache/external.json`).
- `allow_private` (false): let the check reach loopback, private and link-local addresses.
- `use_head` (true): try HEAD before GET.
- `user_agent` (`formalai-lint-linkcheck/0.1`): the User-Agent header sent.
- `report_timeouts` (false): also report links that timed out or stayed rate limited.
"""


def collect_urls(docs: Iterable[Document]) -> list[str]:
    """The distinct external link destinations of `docs`, in first-seen order."""
    seen: dict[str, None] = {}
    for doc in docs:
        for link in doc.links:
            if link.kind == "external":
                seen.setdefault(link.dest.strip(), None)
    return list(seen)


def _message(result: Result) -> str:
    if result.status == "broken" and result.code is not None and result.message.startswith("HTTP "):
        return f"external link {result.url} answers {result.message} (expected 2xx)"
    if result.status == "redirected":
        return f"external link {result.url} redirects to {result.final_url} (expected the final URL)"
    if result.status == "timeout":
        return f"external link {result.url} could not be checked: {result.message}"
    return f"external link {result.url} does not work: {result.message} (expected a 2xx answer)"


def external_diagnostics(
    docs: Iterable[Document],
    results: Mapping[str, Result],
    *,
    report: Collection[Status] = DEFAULT_REPORT,
    rule_id: str = RULE_ID,
) -> list[Diagnostic]:
    """One diagnostic per external link (each occurrence, at its line and column) whose result's
    status is in `report`. Links without a result (not checked) are not reported."""
    out: list[Diagnostic] = []
    for doc in docs:
        for link in doc.links:
            if link.kind != "external":
                continue
            result = results.get(link.dest.strip())
            if result is None or result.status not in report:
                continue
            suggestion = None
            if result.status == "redirected" and result.final_url:
                # only when redirects are reported: the final URL, for a later autofix
                suggestion = Suggestion(
                    replacement=result.final_url,
                    description=f"the link redirects to {result.final_url}",
                )
            out.append(
                Diagnostic(
                    path=doc.path,
                    line=link.line,
                    column=link.column,
                    rule_id=rule_id,
                    message=_message(result),
                    suggestion=suggestion,
                    context=link.dest,
                )
            )
    return sorted(out, key=Diagnostic.sort_key)
