"""Family `references`: academic reference lists (style, identifiers, numbering, duplicates).

Which sections hold citations, and which styles their items may use, come from the
document's schema (`schemas/formalai/references.yaml`, family picked by path when no schema
is attached). Internal reference items (`- [text](path) - 说明`) are left to the link rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ..diagnostics import Diagnostic, Severity
from ..document.model import ReferenceItem, ReferenceSection
from .. import references as refs  # the item parser loads when a rule first runs
from ..document.numbering import parse_number
from ..references.schema import Style, default_schema, family_for, schema_for
from ..references.items import classify
from .base import DocContext, Rule, rule

_CODE_SPAN = re.compile(r"(`+).+?\1")


def _citation_sections(ctx: DocContext) -> Iterator[ReferenceSection]:
    family = family_for(ctx.schema, ctx.doc.path)
    for section in ctx.doc.references:
        if family.is_citation_section(section.title) and not family.is_internal_section(section.title):
            yield section


def _text_column(ctx: DocContext, item: ReferenceItem) -> int:
    """Column where the item's text starts on its first line (after the list marker)."""
    line = ctx.lines[item.line - 1] if 0 < item.line <= len(ctx.lines) else ""
    first = item.text.split("\n", 1)[0]
    at = line.find(first) if first else -1
    return at + 1 if at >= 0 else 1


def _at(ctx: DocContext, item: ReferenceItem, offset: int) -> tuple[int, int]:
    """File line and column of `offset` in the item's text."""
    before = item.text[:offset]
    extra = before.count("\n")
    if extra == 0:
        return item.line, _text_column(ctx, item) + offset
    line = item.line + extra
    raw = ctx.lines[line - 1] if 0 < line <= len(ctx.lines) else ""
    indent = len(raw) - len(raw.lstrip())
    return line, indent + offset - before.rfind("\n")


def _excerpt(text: str, width: int = 32) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else "…" + text[-width:]


def _unnumbered(title: str) -> str:
    """`4. References` -> `References`, `十、参考文献` -> `参考文献` (the option names titles)."""
    number = parse_number(title)
    if number is None or not title.lstrip().startswith(number.raw):
        return title.strip()
    return title.lstrip()[len(number.raw) :].lstrip(" 、.．").strip()


def _section_styles(ctx: DocContext) -> list[tuple[ReferenceSection, tuple[Style, ...]]] | None:
    """The `sections` option: each reference section whose title matches an entry, with that
    entry's styles (None when the option is empty: the family decides)."""
    entries = ctx.options.get("sections") or []
    if not entries:
        return None
    known = schema_for(ctx.schema).styles
    compiled = [(re.compile(str(e["title"])), tuple(known[n] for n in e["styles"] if n in known)) for e in entries]
    out = []
    for section in ctx.doc.references:
        title = _unnumbered(section.title)
        hit = next((styles for pattern, styles in compiled if pattern.search(title)), None)
        if hit:
            out.append((section, hit))
    return out


@rule(
    "RF001",
    "reference-style",
    "references",
    severity=Severity.WARNING,
    options={
        "sections": {
            "type": "array",
            "default": [],
            "description": "citation styles per reference section: [{title: REGEX, styles: [NAME, ...]}]; "
            "a section whose title (its number stripped) matches an entry takes the first such entry's styles (empty: the document "
            "family's sections and styles from schemas/formalai/references.yaml)",
            "items": {
                "type": "object",
                "required": ["title", "styles"],
                "additionalProperties": False,
                "properties": {
                    "title": {"type": "string", "description": "searched in the section's heading text"},
                    "styles": {"type": "array", "minItems": 1, "items": {"type": "string", "enum": sorted(default_schema().styles)}},
                },
            },
        }
    },
)
def reference_style(ctx: DocContext) -> Iterator[Diagnostic]:
    """A citation in an academic reference section does not follow an allowed style.

    ## Why
    A reference list is only useful if every entry names its authors, year, title and
    venue in the same places, so readers can find the work and tools can export the list.
    The styles are data in `schemas/formalai/references.yaml`, each a sequence of parts
    (authors, year, title, venue, note), so the finding names the part that is missing.
    Concept documents use `**Wei, J., et al. (2022)**: "Title". *Venue*. 说明` (or an italic
    book title and a publisher); `docs/` uses APA-like styles and the guide's
    `作者. (年份). 标题. 来源.`. Group labels, internal `[text](path)` items and placeholder
    groups are not citations (see `placeholder-reference-group`).

    ## Fails
    ```markdown path=concepts/01-x/01.1.1-x.md
    # 01.1.1 标题

    ### 10.2 学术参考文献

    1. **Qin, Z., et al. (2022)**: "The Devil in Linear Transformer". 线性注意力的梯度问题。
    ```

    ## Passes
    ```markdown path=concepts/01-x/01.1.1-x.md
    # 01.1.1 标题

    ### 10.2 学术参考文献

    1. **Qin, Z., et al. (2022)**: "The Devil in Linear Transformer". *EMNLP*. 线性注意力的梯度问题。
    2. **Pierce, B. C. (2002)**: *Types and Programming Languages*. MIT Press. 经典教材。
    ```

    ## Fix
    Add the missing part where the message says; the example of each style is in the data
    file. A document family allows other styles by listing them under its `styles`.
    """
    family = family_for(ctx.schema, ctx.doc.path)
    chosen = _section_styles(ctx)
    pairs = [(sec, family.styles) for sec in _citation_sections(ctx)] if chosen is None else chosen
    for section, allowed in pairs:
        for item in section.items:
            kind = classify(item)
            if kind == "group":
                yield from _style_sub_items(ctx, item, allowed)
            if kind != "citation":
                continue
            text = item.text.strip()
            m = refs.best_match(text, allowed)
            if m.ok or m.missing is None:
                continue
            start = item.text.find(text)
            if m.matched >= 2:
                line, col = _at(ctx, item, start + m.end)
                where = f"after {_excerpt(text[: m.end])!r}"
            else:
                # after the first part alone the place is ambiguous: point at the item, and
                # quote what matched (a bold title is not "the authors")
                line, col = _at(ctx, item, start)
                where = f"after {_excerpt(text[: m.end])!r}" if m.matched else "at the start"
            yield ctx.report(
                line,
                col,
                f"reference does not match the {m.style.name} style: expected {m.missing.label} {where}",
                context=text,
            )


def _style_sub_items(ctx: DocContext, item: ReferenceItem, styles: Sequence[refs.Style]) -> Iterator[Diagnostic]:
    """The sub-bullets of a group that cite a work must follow a style like any item."""
    label = item.text.strip()
    for sub in refs.sub_items(ctx.lines, item.line + 1, item.end_line):
        if not refs.cites_a_work(sub.text) or sub.text.startswith("["):
            continue  # a topic line, or an internal `[text](path)` item
        m = refs.best_match(sub.text, styles)
        if m.ok or m.missing is None:
            continue
        if not refs.names_authors(sub.text):
            # `**MatrixFlow系统** (2025年3月): …（arXiv:2503.05290）`: a work, but whose?
            yield ctx.report(
                sub.line,
                sub.column,
                f"citation under group {label} names no authors (only a name, a date or an identifier); "
                f"expected the {m.style.name} style, e.g. {m.style.example.split(' ', 1)[-1]}",
                context=sub.text,
            )
            continue
        offset = m.end if m.matched >= 2 else 0
        where = f"after {_excerpt(sub.text[: m.end])!r}" if m.matched else "at the start"
        yield ctx.report(
            sub.line,
            sub.column + offset,
            f"citation under group {label} does not match the {m.style.name} style: "
            f"expected {m.missing.label} {where}",
            context=sub.text,
        )


@rule("RF002", "reference-identifier", "references")
def reference_identifier(ctx: DocContext) -> Iterator[Diagnostic]:
    """An arXiv id or DOI in a reference list is malformed or an unfilled placeholder.

    ## Why
    An identifier is the one part of a citation a machine can resolve; a wrong one sends
    readers to a different paper or nowhere. arXiv ids are `YYMM.NNNNN` (four digits after
    the dot before 2015), optionally `vN`; DOIs are `10.NNNN/suffix`. Placeholders such as
    `arXiv:2407.xxx` were left for later and never filled in.

    ## Fails
    ```markdown
    # 标题

    ## 参考文献

    1. **Chen, L., et al. (2024)**: "Scaling Inference". *arXiv:2407.xxx*. 说明
    ```

    ## Passes
    ```markdown
    # 标题

    ## 参考文献

    1. **Wang, X., et al. (2022)**: "Self-Consistency". *arXiv:2203.11175*. 说明
    2. Smith, J. (2020). A title. *Nature*, doi:10.1038/s41586-020-2649-2.
    ```

    ## Fix
    Look the paper up and write its real identifier, or remove the identifier.
    """
    code = {n for f in ctx.doc.fences for n in range(f.line, f.end_line + 1)}
    seen: set[int] = set()
    for section in ctx.doc.references:
        for item in section.items:
            for number in range(item.line, item.end_line + 1):
                if number in seen or number in code or not 0 < number <= len(ctx.lines):
                    continue
                seen.add(number)
                # an example in inline code (`arXiv:2505.15344`) is not a citation
                masked = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), ctx.lines[number - 1])
                for ident in refs.find_identifiers(masked):
                    if ident.valid:
                        continue
                    name = "arXiv id" if ident.kind == "arxiv" else "DOI"
                    form = "NNNN.NNNNN(vN)" if ident.kind == "arxiv" else "10.NNNN/suffix"
                    yield ctx.report(
                        number,
                        ident.offset + 1,
                        f"{name} {ident.value!r} {ident.problem}; expected {form}",
                        context=ident.value,
                    )


@rule("RF003", "reference-numbering", "references", severity=Severity.WARNING)
def reference_numbering(ctx: DocContext) -> Iterator[Diagnostic]:
    """The numbers of a reference list are not 1, 2, 3, … in order.

    ## Why
    Readers cite entries by number (`[3]`); a skipped, repeated or restarted number makes two
    entries share a number or leaves a gap. (GitHub renumbers a single list, but not two
    lists split by a paragraph, and the source numbers are what other documents quote.)

    ## Fails
    ```markdown
    # 标题

    ## 参考文献

    1. Smith, J. (2020). A title. *Nature*.
    3. Doe, J. (2021). Another title. *Science*.
    ```

    ## Passes
    ```markdown
    # 标题

    ## 参考文献

    1. Smith, J. (2020). A title. *Nature*.
    2. Doe, J. (2021). Another title. *Science*.
    ```

    ## Fix
    Renumber the list from 1 without gaps.
    """
    for section in _citation_sections(ctx):
        expected = 1
        for item in section.items:
            if item.number is None:
                continue
            if item.number != expected:
                column = _text_column(ctx, item) - len(item.marker) - 1
                yield ctx.report(
                    item.line,
                    max(1, column),
                    f"reference number {item.number} out of sequence; expected {expected}",
                    context=item.text,
                )
            expected = item.number + 1


_NON_WORD = re.compile(r"[\W_]+")


def _title_key(title: str) -> str:
    return _NON_WORD.sub("", title.casefold())


def _work_key(parsed: refs.ParsedReference) -> str | None:
    """Title, first author's surname and year: two books may share a title (Rotman 2009 and
    Weibel 1994 both wrote *An Introduction to Homological Algebra*), one work does not
    change its author or year. None when any of the three is unknown."""
    title = _title_key(parsed.title or "")
    surname = _title_key(parsed.authors[0].split(",")[0]) if parsed.authors else ""
    if len(title) < 8 or not surname or not parsed.year:
        return None
    return f"{title}|{surname}|{parsed.year[:4]}"


@rule("RF004", "duplicate-reference", "references", severity=Severity.WARNING)
def duplicate_reference(ctx: DocContext) -> Iterator[Diagnostic]:
    """The same work is listed twice in one reference list (same identifier, or same title, authors and year).

    ## Why
    A duplicate entry inflates the list and splits citations of one work across two numbers;
    it usually means a paragraph was pasted twice or two sections were merged. A duplicate
    is the same arXiv id or DOI, or the same title (case and punctuation ignored) by the same
    first author in the same year: different books may share a title (Rotman 2009 and
    Weibel 1994, *An Introduction to Homological Algebra*), and an item whose authors or
    year cannot be read is never called a duplicate on its title alone.

    ## Fails
    ```markdown
    # 标题

    ## 参考文献

    1. **Vaswani, A., et al. (2017)**: "Attention Is All You Need". *NeurIPS*. 原始论文。
    2. **Vaswani, A., et al. (2017)**: "Attention is all you need". *NIPS*. 重复。
    ```

    ## Passes
    ```markdown
    # 标题

    ## 参考文献

    1. **Vaswani, A., et al. (2017)**: "Attention Is All You Need". *NeurIPS*. 原始论文。
    2. **Dao, T., et al. (2022)**: "FlashAttention". *NeurIPS*. IO 感知的注意力。
    3. **Rotman, J. J. (2009)**: *An Introduction to Homological Algebra*. Springer. 第二版。
    4. **Weibel, C. A. (1994)**: *An Introduction to Homological Algebra*. Cambridge University Press. 另一本书。
    ```

    ## Fix
    Delete the later entry (and renumber), or merge their notes.
    """
    family = family_for(ctx.schema, ctx.doc.path)
    for section in _citation_sections(ctx):
        titles: dict[str, int] = {}
        idents: dict[str, int] = {}
        for item in section.items:
            if classify(item) != "citation":
                continue
            parsed = refs.parse_reference(item.text.strip(), family.styles, item.line, item.number)
            found = False
            for ident in parsed.identifiers:
                key = f"{ident.kind}:{ident.value.lower()}"
                if ident.valid and key in idents and idents[key] != item.line:
                    yield ctx.report(
                        item.line,
                        _text_column(ctx, item),
                        f"duplicate reference: {ident.value} is also cited at line {idents[key]}",
                        context=item.text,
                    )
                    found = True
                    break
                idents.setdefault(key, item.line)
            work = _work_key(parsed)
            if work is None:
                continue
            if not found and work in titles:
                yield ctx.report(
                    item.line,
                    _text_column(ctx, item),
                    f"duplicate reference: title {parsed.title!r} by the same first author and year "
                    f"is also listed at line {titles[work]}",
                    context=item.text,
                )
            else:
                titles.setdefault(work, item.line)


def _sub_items_cite(ctx: DocContext, item: ReferenceItem) -> bool:
    """Some sub-bullet of the group cites a work (`linter.references.subitems`)."""
    return any(refs.cites_a_work(sub.text) for sub in refs.sub_items(ctx.lines, item.line + 1, item.end_line))


@rule("RF005", "placeholder-reference-group", "references", severity=Severity.WARNING)
def placeholder_reference_group(ctx: DocContext) -> Iterator[Diagnostic]:
    """A numbered item of a reference list is only a bold group label over sub-bullets.

    ## Why
    Items such as `3. **2025年最新研究**：` followed by bullets like `**注意力机制** (2017-2025)`
    take a number in the reference list but cite nothing: no author, no title, no venue. The
    sub-bullets summarise topics rather than list works, so nothing in them can be cited by
    number either. A group whose sub-bullets do cite works, such as the per-language groups
    of `docs/`, is not reported: a sub-bullet cites when it has a well-formed arXiv id or
    DOI, a URL, an RFC number, an ISBN, or an author and a year (`Wadler 1992`,
    `Solar-Lezama, A. (2008).`). A year where the id belongs (`（arXiv:2025）`) is no
    evidence. The citing sub-bullets are style-checked by `reference-style`.

    ## Fails
    ```markdown
    # 标题

    ## 参考文献

    1. **Vaswani, A., et al. (2017)**: "Attention Is All You Need". *NeurIPS*. 原始论文。
    2. **2025年最新研究**：
       - **注意力机制** (2017-2025): 从稀疏注意力到线性注意力
    ```

    ## Passes
    ```markdown
    # 标题

    ## 参考文献

    1. **Vaswani, A., et al. (2017)**: "Attention Is All You Need". *NeurIPS*. 原始论文。
    2. **Dao, T., et al. (2022)**: "FlashAttention". *NeurIPS*. IO 感知的注意力。
    ```

    ## Fix
    Replace the group with the works it summarises, one numbered reference each, or move the
    summary out of the reference list (for example into a `2025年最新发展` section).
    """
    for section in _citation_sections(ctx):
        for item in section.items:
            if classify(item) == "group" and not _sub_items_cite(ctx, item):
                label = item.text.strip()
                yield ctx.report(
                    item.line,
                    _text_column(ctx, item),
                    f"reference item {label} is a group label whose sub-bullets cite no identifiable work "
                    "(no author-year, identifier or URL); expected one reference per numbered item",
                    context=label,
                )


RULES: tuple[Rule, ...] = (
    reference_style,
    reference_identifier,
    reference_numbering,
    duplicate_reference,
    placeholder_reference_group,
)
