"""One document's per-document findings, stored per rule, apart from its parsed model.

A findings entry is keyed by the document's model key, its path and the findings
environment (schemas; `linter.run.keys`), and holds each rule's findings with the key of the
options it ran with (`keys.option_key`):

    {"format": 7, "key": ..., "path": ..., "sha256": <of the next line>}
    {"MK010": ["<option key>", [<finding as a row>, ...]], ...}

So a config edit never parses: a rule whose options are unchanged is taken from the entry
and stamped with its (maybe new) severity; a rule turned off is left out; only a rule turned
on, or given other options, runs, over the cached model. A rule's findings stay in the entry
when it is off, so turning it back on costs nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..config.settings import ResolvedRule
from ..diagnostics import Diagnostic
from ..document.encoding import decode
from ..document.model import Document
from ..document.parsers import DEFAULT_PARSER
from .engine import applicable, run_rule
from .entry import FORMAT, EntryError
from .keys import option_key
from .rows import RowError, diagnostic_rows, diagnostics_from_rows

# rule id -> (option key, that rule's findings on the document, stamped)
Results = dict[str, tuple[str, list[Diagnostic]]]


def encode_findings(key: str, path: str, results: Mapping[str, tuple[str, Sequence[Diagnostic]]]) -> bytes:
    body = json.dumps(
        {rid: [okey, diagnostic_rows(path, found)] for rid, (okey, found) in sorted(results.items())},
        ensure_ascii=False, separators=(",", ":"),
    ).encode("utf-8")
    header = {"format": FORMAT, "key": key, "path": path, "sha256": hashlib.sha256(body).hexdigest()}
    # ASCII-escaped: a file name that is not UTF-8 holds lone surrogates (os.fsdecode)
    return json.dumps(header, separators=(",", ":")).encode("ascii") + b"\n" + body


def decode_findings(blob: bytes, key: str, path: str, verify: bool = True) -> Results:
    """The per-rule findings stored in `blob`; raises EntryError if it does not fit."""
    try:
        head, _, body = blob.partition(b"\n")
        header = json.loads(head)
        if not (isinstance(header, dict) and header.get("format") == FORMAT
                and header.get("key") == key and header.get("path") == path):
            raise EntryError("findings header does not match")
        if verify and header.get("sha256") != hashlib.sha256(body).hexdigest():
            raise EntryError("findings checksum does not match")
        data = json.loads(body)
        if not isinstance(data, dict):
            raise EntryError("findings are not a mapping")
        out: Results = {}
        for rid, value in data.items():
            okey, rows = value
            if not isinstance(okey, str):
                raise EntryError("a rule's option key is not a string")
            out[rid] = (okey, diagnostics_from_rows(path, rows))
        return out
    except (ValueError, TypeError, KeyError, RecursionError, RowError) as exc:
        raise EntryError(str(exc)) from None


def stored_findings(doc: Document, rules: Sequence[ResolvedRule], stored: Results) -> list[Diagnostic] | None:
    """The per-document findings of `doc` under `rules`, from `stored` alone; None when a
    rule that applies has no stored findings for its current options."""
    out: list[Diagnostic] = []
    for r in applicable(doc, rules):
        got = stored.get(r.rule.id)
        if got is None or got[0] != option_key(r.rule.id, r.options):
            return None
        out.extend(d.with_severity(r.severity) for d in got[1])
    return out


def complete(
    doc: Document,
    lines: Callable[[], Sequence[str]],
    rules: Sequence[ResolvedRule],
    schema: Callable[[], Any],
    stored: Results,
) -> tuple[list[Diagnostic], Results | None]:
    """The per-document findings of `doc`: stored ones where their options match, the
    other rules run now (on `lines()` and `schema()`, each asked for once). Also the updated results to store,
    or None when nothing ran."""
    out: list[Diagnostic] = []
    updated: Results | None = None
    text: tuple[str, ...] | None = None
    known: list[Any] = []
    for r in applicable(doc, rules):
        okey = option_key(r.rule.id, r.options)
        got = stored.get(r.rule.id)
        if got is not None and got[0] == okey:
            out.extend(d.with_severity(r.severity) for d in got[1])
            continue
        if text is None:
            text = tuple(lines())
            known.append(schema())
        found = run_rule(doc, text, r, known[0])
        updated = dict(stored) if updated is None else updated
        updated[r.rule.id] = (okey, found)
        out.extend(found)
    return out, updated


def analyse(
    path: str, data: bytes, rules: Sequence[ResolvedRule], schema: Any, max_bytes: int, parser: str = DEFAULT_PARSER
) -> tuple[Document, list[Diagnostic], Results]:
    """Decode once, parse, and run the per-document rules on the same decoded text."""
    decoded = decode(data, max_bytes)
    if decoded.encoding.error is not None:
        doc = Document(path=path, encoding=decoded.encoding, line_count=0)
        found, results = complete(doc, lambda: (), rules, lambda: schema, {})
        return doc, found, results or {}
    from ..document.parse import parse_text  # here: reading entries never needs the parser

    doc = parse_text(decoded.text, path, decoded.encoding, parser)
    found, results = complete(doc, lambda: decoded.text.split("\n"), rules, lambda: schema, {})
    return doc, found, results or {}
