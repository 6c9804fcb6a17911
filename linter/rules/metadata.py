"""Family `metadata`: the bold `**键**：值` header/footer lines (not YAML front matter).

Keys, value formats and uniqueness come from the schema's `metadata` section; values are
validated with JSON Schema (`linter.schema.values`) and each error points at its line.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..diagnostics import Diagnostic, Severity, Suggestion
from ..document.model import MetadataField
from ..schema.model import MetadataSpec, Schema
from ..schema.dates import DEFAULT_FORMATS, FORMATS, iso_text, parse_date
from ..schema.values import clean_value, first_fields, is_placeholder, validate_values
from ..util.escape import excerpt
from .base import DocContext, Rule, rule
from .fixes import replace_span, safe


def _spec(ctx: DocContext) -> MetadataSpec | None:
    return ctx.schema.metadata if isinstance(ctx.schema, Schema) else None


_ITEM = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|>)")


def _fields(ctx: DocContext) -> tuple[MetadataField, ...]:
    """The document's own metadata lines. A `- **状态**: ✅` inside a list or a quote labels
    an item of the content (reports list dozens of them), not the document."""
    lines = ctx.lines
    if not lines:
        return ctx.doc.metadata
    return tuple(f for f in ctx.doc.metadata if f.line > len(lines) or not _ITEM.match(lines[f.line - 1]))


def _blocks(fields: tuple[MetadataField, ...]) -> list[list[MetadataField]]:
    """Runs of metadata lines separated by at most one blank line (a header, a footer)."""
    out: list[list[MetadataField]] = []
    for f in fields:
        if out and f.line - out[-1][-1].line <= 2:
            out[-1].append(f)
        else:
            out.append([f])
    return out


def _date(value: str) -> dt.date | None:
    """The day a value names in any known format (`2025-01-15`, `2025年1月15日`, ...):
    the format is MT002's concern, the day is MT005's and MT006's."""
    return parse_date(clean_value(value))


def _same_date(a: str, b: str) -> bool:
    """`2025-01-15` and `2025年1月15日` name the same day (the format is MT002's concern)."""

    def norm(v: str) -> str:
        v = clean_value(v)
        return iso_text(v) or v

    return norm(a) == norm(b)


@rule("MT001", "required-metadata", "metadata")
def required_metadata(ctx: DocContext) -> Iterator[Diagnostic]:
    """A metadata key the schema requires is missing.

    ## Why
    Every concept topic document ends with `**最后更新**`, `**维护者**` and `**文档版本**`
    (155/155), and Philosophy/DOCUMENT_METADATA_CHECKLIST.md makes 最后更新 and 维护者
    mandatory: without them nobody can tell how stale a page is or whom to ask. The finding
    is placed at the existing metadata block, or at the last line.

    ## Fails
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ---

    **最后更新**：2025-01-15
    **维护者**：FormalAI项目组
    ```

    ## Passes
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ---

    **最后更新**：2025-01-15
    **维护者**：FormalAI项目组
    **文档版本**：v2.0
    ```

    ## Fix
    Add the line in the footer, in the corpus's form `**键**：值`.
    """
    spec = _spec(ctx)
    if spec is None or not spec.required:
        return
    present = {f.key for f in _fields(ctx)}
    anchor = _fields(ctx)[-1].line if _fields(ctx) else max(ctx.doc.line_count, 1)
    for key in spec.required:
        if key not in present:
            colon = ": " if spec.colon == "half" else "："
            yield ctx.report(anchor, 1, f"metadata {key} is missing; expected a line **{key}**{colon}…", context=key)


@rule(
    "MT002",
    "metadata-value",
    "metadata",
    options={
        "date-formats": {
            "type": "array",
            "items": {"type": "string", "enum": list(FORMATS)},
            "minItems": 1,
            "uniqueItems": True,
            "default": list(DEFAULT_FORMATS),
            "description": "the spellings a date may use: iso YYYY-MM-DD (FormalAI), cjk YYYY年M月D日, "
            "slash YYYY/MM/DD, dotted YYYY.MM.DD",
        }
    },
)
def metadata_value(ctx: DocContext) -> Iterator[Diagnostic]:
    """A metadata value does not have the format the schema requires (an invalid date).

    ## Why
    Dates are `YYYY-MM-DD` (Philosophy/DOCUMENT_METADATA_CHECKLIST.md, docs/CITATION_STYLE_GUIDE.md);
    scripts sort and compare them as strings, which only works for ISO dates. `2025年1月2日`
    and `2025-13-45` break that. Placeholders such as `2025-01-XX` are MT003's warning, and
    a note after the date (`2025-11-10（补充…）`) is ignored.

    ## Fails
    ```markdown
    # 标题

    **最后更新**：2025年1月2日
    ```

    ## Passes
    ```markdown
    # 标题

    **最后更新**：2025-01-02
    ```

    A corpus that writes `2025年1月15日` on purpose sets `date-formats: [cjk]` (or lists
    several); the day must still exist. Whatever the format, MT005 and MT006 compare the day.

    ## Fix
    Write the date in an accepted format (`YYYY-MM-DD` in FormalAI).
    """
    spec = _spec(ctx)
    if spec is None:
        return
    formats = tuple(ctx.options.get("date-formats") or DEFAULT_FORMATS)
    for err in validate_values(spec, _fields(ctx), formats):
        f = err.field
        yield ctx.report(f.line, f.column, err.message, context=f.key)


@rule("MT003", "placeholder-date", "metadata", severity=Severity.WARNING)
def placeholder_date(ctx: DocContext) -> Iterator[Diagnostic]:
    """A metadata date is a placeholder (`2025-01-XX`) rather than a real date.

    ## Why
    The metadata checklist allows `YYYY-MM-XX` while a date is unknown, so it is a warning,
    not an error; but 133 `最后更新` values are still placeholders, and the batch scripts that
    "fix" them replace every match anywhere in the file with an invented date.

    ## Fails
    ```markdown
    # 标题

    **最后更新**：2025-01-XX
    ```

    ## Passes
    ```markdown
    # 标题

    **最后更新**：2025-01-15
    ```

    ## Fix
    Put the real date (from `git log -1 --format=%cs -- FILE` if nothing better is known).
    """
    spec = _spec(ctx)
    if spec is None or spec.placeholder is None:
        return
    dates = set(spec.date_keys())
    for f in _fields(ctx):
        value = clean_value(f.value)
        if f.key in dates and is_placeholder(spec, value):
            yield ctx.report(f.line, f.column, f"{f.key} '{value}' is a placeholder; expected a real date YYYY-MM-DD", context=f.key)


@rule("MT004", "duplicate-metadata", "metadata")
def duplicate_metadata(ctx: DocContext) -> Iterator[Diagnostic]:
    """A metadata key appears twice.

    ## Why
    Two `**维护者**` lines in one block (concepts/DOCUMENT_STRUCTURE_STANDARD.md has them at
    lines 106 and 108), or a header and a footer giving two different `最后更新` dates, leave
    the reader guessing which one holds; tools read the first and drop the other. Lines
    inside lists label content items (`- **状态**: ✅`) and are not document metadata.

    ## Fails
    ```markdown
    # 标题

    **维护者**：FormalAI项目组
    **文档版本**：v2.0
    **维护者**：FormalAI项目组
    ```

    ## Passes
    ```markdown
    # 标题

    **维护者**：FormalAI项目组
    **文档版本**：v2.0
    ```

    ## Fix
    Keep one line per key (merge the values if both matter). A header and a footer may
    repeat a date, but only with the same value.
    """
    spec = _spec(ctx)
    if spec is None or not spec.unique:
        return
    fields = _fields(ctx)
    starts = _document_starts(ctx)
    blocks = _blocks(fields)
    # which block each field is in, found once (asking per repeated date was quadratic)
    block_of = {f.line: n for n, block in enumerate(blocks) for f in block}
    for block in blocks:
        first: dict[str, MetadataField] = {}
        for f in block:
            key = _field(f.key)
            prev = first.get(key)
            if prev is None:
                first[key] = f
            elif prev.key != f.key:
                # `**最后更新**：…` then `**Last Updated**：…`: one field in two languages
                if not _same_date(prev.value, f.value):
                    yield ctx.report(
                        f.line, f.column,
                        f"metadata {f.key} '{clean_value(f.value)}' disagrees with {prev.key} "
                        f"'{clean_value(prev.value)}' at line {prev.line} (a bilingual pair); expected the same value",
                        context=f.key,
                    )
            else:
                yield ctx.report(
                    f.line, f.column,
                    f"metadata {f.key} repeats line {prev.line}; expected one {f.key} line"
                    + _concatenated(starts, prev.line, f.line),
                    context=f.key,
                )
    # A header and a footer may both carry a date, but not two different ones.
    dates = {_field(k) for k in (*spec.created, *spec.updated)}
    seen: dict[str, MetadataField] = {}
    for f in fields:
        if _field(f.key) not in dates:
            continue
        prev = seen.setdefault(_field(f.key), f)
        if prev is not f and prev.line < f.line and not _same_date(prev.value, f.value):
            if block_of[prev.line] == block_of[f.line]:
                continue  # already reported as a repeat
            yield ctx.report(
                f.line, f.column,
                f"metadata {f.key} '{clean_value(f.value)}' contradicts '{clean_value(prev.value)}' at line "
                f"{prev.line}; expected one value" + _concatenated(starts, prev.line, f.line),
                context=f.key,
            )


# English spellings of the corpus's keys: a bilingual footer writes both, as one field
_BILINGUAL = {
    "Last updated": "最后更新", "Last Updated": "最后更新", "Updated": "最后更新", "Created": "创建日期",
    "Maintainer": "维护者", "Maintainers": "维护者", "Version": "版本", "Status": "状态",
    "Author": "作者", "Authors": "作者",
}


def _field(key: str) -> str:
    return _BILINGUAL.get(key, key)


def _document_starts(ctx: DocContext) -> list[tuple[int, str]]:
    """Lines after the first where another document begins: an H1, or a byte-order mark
    left in mid-file by concatenating files (GitHub shows `\ufeff# T` as text)."""
    found = [(h.line, h.text) for h in ctx.doc.headings if h.level == 1]
    found += [
        (n, line.lstrip("\ufeff# ").strip()) for n, line in enumerate(ctx.lines, 1) if n > 1 and line.startswith("\ufeff")
    ]
    found.sort()
    return found[1:]  # the first start is the file's own title


def _concatenated(starts: list[tuple[int, str]], before: int, after: int) -> str:
    """Say so when another document starts between two metadata lines."""
    # `starts` is sorted: a bisect, not a scan per repeated key (12,000 repeats, many H1s)
    i = bisect.bisect_right(starts, before, key=lambda start: start[0])
    if i < len(starts) and starts[i][0] < after:
        line, title = starts[i]
        return (
            f" (line {line} starts another document, `# {excerpt(title, 30)}`: the file looks "
            "concatenated; expected one document per file)"
        )
    return ""


@rule("MT005", "update-before-creation", "metadata")
def update_before_creation(ctx: DocContext) -> Iterator[Diagnostic]:
    """The last-update date is earlier than the creation date.

    ## Why
    A document cannot be updated before it exists; one of the two dates is wrong (the batch
    date scripts rewrote `2025-11-10` to `2025-01-15` in place, which produces exactly this).

    ## Fails
    ```markdown
    # 标题

    **创建日期**：2025-11-10
    **最后更新**：2025-02-01
    ```

    ## Passes
    ```markdown
    # 标题

    **创建日期**：2025-02-01
    **最后更新**：2025-11-10
    ```

    ## Fix
    Correct whichever date is wrong (git history has the real ones).
    """
    spec = _spec(ctx)
    if spec is None or not spec.created or not spec.updated:
        return
    firsts = first_fields(_fields(ctx))
    created = next((firsts[k] for k in spec.created if k in firsts), None)
    if created is None or (c := _date(created.value)) is None:
        return
    for f in _fields(ctx):
        if f.key in spec.updated and (u := _date(f.value)) is not None and u < c:
            yield ctx.report(
                f.line, f.column,
                f"{f.key} {u.isoformat()} is earlier than {created.key} {c.isoformat()} (line {created.line}); "
                f"expected on or after it",
                context=f.key,
            )


@rule(
    "MT006",
    "future-date",
    "metadata",
    options={
        "today": {
            "type": "string",
            "default": "",
            "description": "the date to compare with, YYYY-MM-DD (empty: the real clock's today)",
        }
    },
)
def future_date(ctx: DocContext) -> Iterator[Diagnostic]:
    """A metadata date lies in the future.

    ## Why
    `最后更新` records the past; a future date is a typo (a wrong year or month) or a planned
    date written into the wrong key, and it defeats staleness checks. `下次更新` is a plan
    and is not checked.

    ## Fails
    ```markdown
    # 标题

    **最后更新**：2099-01-15
    ```

    ## Passes
    ```markdown
    # 标题

    **最后更新**：2025-01-15
    ```

    ## Fix
    Correct the date.
    """
    spec = _spec(ctx)
    if spec is None:
        return
    fixed = str(ctx.options.get("today") or "")
    today = _date(fixed) if fixed else dt.date.today()
    if today is None:
        return
    keys = set(spec.date_keys()) | set(spec.created) | set(spec.updated)
    for f in _fields(ctx):
        d = _date(f.value) if f.key in keys else None
        if d is not None and d > today:
            yield ctx.report(
                f.line, f.column, f"{f.key} {d.isoformat()} is in the future; expected a date on or before {today.isoformat()}",
                context=f.key,
            )


@rule(
    "MT007",
    "metadata-colon",
    "metadata",
    severity=Severity.WARNING,
    fixable=True,
    options={
        "colon": {
            "type": "string",
            "enum": ["schema", "full", "half", "any"],
            "default": "schema",
            "description": "schema: the document schema's metadata.colon (FormalAI's say full, `：`); "
            "full or half: that colon everywhere; any: both accepted",
        }
    },
)
def metadata_colon(ctx: DocContext) -> Iterator[Diagnostic]:
    """A metadata line uses a half-width colon where the corpus writes a full-width one.

    ## Why
    The corpus writes `**最后更新**：2025-11-10` with `：` on all but 8 of its metadata lines;
    scripts and searches written for one form miss the other.

    ## Fails
    ```markdown
    # 标题

    **最后更新**: 2025-01-15
    ```

    ## Passes
    ```markdown
    # 标题

    **最后更新**：2025-01-15
    ```

    The colon comes from the schema (`metadata.colon`) unless the `colon` option names one; a
    corpus that writes `**Updated**: 2025-01-15` sets `colon: half`.

    ## Fix
    Safe: `--fix` replaces `:` with `：` and drops the spaces after it (`：` carries its own
    spacing); with `colon: half`, `：` becomes `: `.
    """
    spec = _spec(ctx)
    chosen = str(ctx.options.get("colon") or "schema")
    colon = spec.colon if chosen == "schema" and spec is not None else chosen
    if spec is None or colon not in ("full", "half"):
        return
    want, wrong = ("：", "half") if colon == "full" else (":", "full")
    found = ":" if wrong == "half" else "："
    for f in _fields(ctx):
        if f.colon != wrong:
            continue
        column = f.column
        fix = None
        if ctx.lines and f.line <= len(ctx.lines):
            raw = ctx.lines[f.line - 1]
            at = raw.find(found, f.column - 1)
            if at >= 0:
                column = at + 1
                end = at + 1
                if wrong == "half":
                    while end < len(raw) and raw[end] in " \t":
                        end += 1
                    text = want
                else:
                    text = want + ("" if raw[end:end + 1] in ("", " ", "*") else " ")
                fix = safe(replace_span(ctx.doc.path, f.line, at + 1, end + 1, text), description=f"use '{want}'")
        yield ctx.report(
            f.line, column, f"metadata {f.key} uses '{found}'; expected '{want}'",
            suggestion=Suggestion(replacement=want, description="use the corpus's colon"),
            context=f.key, fix=fix,
        )


def _check_today(options: Mapping[str, Any]) -> str | None:
    fixed = str(options.get("today") or "")
    if fixed and _date(fixed) is None:
        return f"today {excerpt(fixed)!r} is not a date; expected YYYY-MM-DD (or empty for the real clock's today)"
    return None


future_date = dataclasses.replace(future_date, check_options=_check_today)

RULES: tuple[Rule, ...] = (
    required_metadata,
    metadata_value,
    placeholder_date,
    duplicate_metadata,
    update_before_creation,
    future_date,
    metadata_colon,
)
