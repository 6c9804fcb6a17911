"""Family `links` (LK): relative links, anchors and link syntax, judged as GitHub renders them.

Every rule reads the same verdicts (linter/links/check.py): each link has exactly one cause,
so a link is reported by one rule only, and `formalai-lint links` counts exactly what these
rules report. Links inside code spans and fences are not links (the parser never lists them).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..diagnostics import Diagnostic, Fix, Severity
from ..links.check import Cause, LinkChecker, Verdict, checker_for, document_verdicts
from ..links.resolve import split
from .base import CorpusContext, DocContext, Rule, corpus_rule, rule
from .fixes import find_dest, replace_span, safe
from .link_fixes import with_repair


# GitHub resolves a fragment in any letter case (see `_resolves` in linter/links/check.py);
# a corpus also published with a case-sensitive renderer asks for exact matches.
FRAGMENT_CASE = {
    "fragment_case": {
        "type": "string",
        "enum": ["github", "exact"],
        "default": "github",
        "description": "github: #PHP finds ## PHP, as on GitHub; exact: fragments must match "
        "the anchor's letter case (renderers without GitHub's page script)",
    }
}


def exact_case(options: Mapping[str, Any]) -> bool:
    return bool(options.get("fragment_case", "github") == "exact")


def _corpus_findings(ctx: CorpusContext, *causes: Cause) -> Iterator[Diagnostic]:
    checker = checker_for(ctx.corpus, exact_case(ctx.options))
    for path in ctx.targets:
        lines: tuple[str, ...] | None = None
        for v in checker.cross_verdicts(path):
            if v.cause not in causes:
                continue
            fix = None
            if v.cause in _FIXES:
                lines = ctx.corpus.lines(path) if lines is None else lines
                fix = _FIXES[v.cause](v, lines, checker)
            d = _report_corpus(ctx, v, fix)
            if fix is None and v.repair is not None:
                lines = ctx.corpus.lines(path) if lines is None else lines  # read once per file
                d = with_repair(d, lines, v)
            yield d


def _report_corpus(ctx: CorpusContext, v: Verdict, fix: Fix | None = None) -> Diagnostic:
    return ctx.report(v.source, v.line, v.column, v.message, suggestion=v.suggestion, context=v.dest, fix=fix)


def _dest_fix(v: Verdict, lines: tuple[str, ...], replacement: str, description: str) -> Fix | None:
    at = find_dest(lines, v.line, v.column, v.dest)
    if at is None:
        return None
    line, start, end = at
    return safe(replace_span(v.source, line, start, end, replacement), description=description)


def _anchor_holds(v: Verdict, checker: LinkChecker, fragment: str | None) -> bool:
    """The fragment of a link that starts working resolves too (else the fix would only
    trade one finding for another)."""
    if not fragment or v.target is None or not v.target.lower().endswith((".md", ".markdown")):
        return True
    anchors = checker.anchors(v.target)
    return anchors is not None and fragment in anchors


def _backslash_fix(v: Verdict, lines: tuple[str, ...], checker: LinkChecker) -> Fix | None:
    # the suggestion exists only when the path with `/` exists
    if v.suggestion is None:
        return None
    return _dest_fix(v, lines, v.suggestion.replacement, "use / separators")


def _pseudo_fix(v: Verdict, lines: tuple[str, ...], checker: LinkChecker) -> Fix | None:
    if v.target is None or any(c in v.dest for c in "<>\n") or not _anchor_holds(v, checker, split(v.dest).fragment):
        return None
    return _dest_fix(v, lines, f"<{v.dest}>", "wrap the destination in <…>")


_FIXES = {"backslash": _backslash_fix, "pseudo-link": _pseudo_fix}


def _doc_findings(ctx: DocContext, *causes: Cause) -> Iterator[Diagnostic]:
    for v in document_verdicts(ctx.doc, exact_case(ctx.options)):
        if v.cause in causes and (v.cause != "bad-anchor" or v.target == ctx.doc.path):
            d = ctx.report(v.line, v.column, v.message, suggestion=v.suggestion, context=v.dest)
            yield with_repair(d, ctx.lines, v)


@corpus_rule("LK001", "missing-link-target", "links", fixable=True)
def missing_link_target(ctx: CorpusContext) -> Iterator[Diagnostic]:
    """A relative link points at a file or folder that does not exist.

    ## Why
    A quarter of the corpus's internal links lead to a 404 on GitHub: one `../` too many,
    files renamed (`view/ai_*_view.md` became `view/T0N_*.md`) or moved without updating
    the links to them. Folders are valid targets (GitHub lists them).

    ## Fails
    ```markdown path=concepts/02-x/02.1-a.md
    # 02.1-a

    见 [三层模型](../../01-AI三层模型架构/README.md)。
    ```

    ## Passes
    ```markdown path=concepts/02-x/02.1-a.md
    # 02.1-a

    见 [本主题](./README.md) 与 [上级目录](../)。
    ```
    (when `concepts/02-x/README.md` exists)

    ## Fix
    Unsafe: point the link at the file's current path, rewriting only the path (the `#`
    fragment and query stay as written). The fix is attached when one target clearly
    matches, and its description says where the guess came from: in a git checkout, the
    rename git history records for the old path (`git log --name-status -M`, run once per
    run, bounded; it wins over any guess by name); else the same path with one `../` more or
    less when exactly one of the two exists; else the only file of that name elsewhere in
    the corpus. With several files of that name the nearest is suggested, without a fix.
    On the shared corpus (not a git checkout) 917 of 1,334 findings get a fix: 650 one
    `../` less, 69 one `../` more, 198 the only file of that name; 17 keep a suggestion
    only, 400 have none.
    """
    yield from _corpus_findings(ctx, "missing-file")


@rule("LK002", "bad-anchor", "links", options=FRAGMENT_CASE, fixable=True)
def bad_anchor(ctx: DocContext) -> Iterator[Diagnostic]:
    """A same-file `#anchor` matches no heading and no explicit anchor in the document.

    ## Why
    GitHub anchors are github-slugger slugs of the rendered heading: full-width punctuation
    is dropped (`三、核心结论` gives `#三核心结论`), `/` between spaces gives `--`, repeats get
    `-1`. When a heading is renumbered or re-spaced, the hand-written TOC keeps the old
    anchor and the link silently scrolls nowhere. `#top` always works.

    ## Fails
    ```markdown
    # 文档

    - [十、核心结论](#十核心结论)

    ## 十一、核心结论
    ```

    ## Passes
    ```markdown
    # 文档

    - [十一、核心结论](#十一核心结论)
    - [A / B](#a--b)

    ## 十一、核心结论

    ## A / B
    ```

    Entries of the table of contents are reported by TC003 (`toc-stale-entry`) instead, with
    the same suggestion, so a stale TOC anchor is reported once.

    Letter case does not matter on GitHub: `[PHP](#PHP)` reaches `## PHP` (anchor `#php`),
    because GitHub's page script retries a fragment that names no element in lower case
    (rsc/markdown#19: "GitHub actually supports any casing at all"; serokell/xrefcheck#211,
    tested and confirmed by its maintainers). With the option `fragment_case: exact`, for
    corpora also published by a renderer without that script, `#PHP` is reported.

    ## Options
    - `fragment_case` (`github` | `exact`, default `github`).

    ## Fix
    Unsafe: use the heading's anchor. The suggestion names the heading whose text matches
    once dashes are ignored, or once the number is ignored (the closest number wins; for a
    TOC entry, the heading between its working neighbours first), or the most similar
    heading. The fix rewrites the fragment (percent-encoded if the author encoded it) only
    when that heading is the one clear candidate: the only one equal up to dashes or up to
    the number, a near-identical text (similarity ≥ 0.9) with no rival, or the heading whose
    anchor the link text gives. 2 of the corpus's 13 findings get one.
    """
    toc = {(e.line, e.column) for e in ctx.doc.toc.entries} if ctx.doc.toc else set()
    for d in _doc_findings(ctx, "bad-anchor"):
        if (d.line, d.column) not in toc:  # TOC entries are TC003's (toc-stale-entry)
            yield d


@corpus_rule("LK003", "bad-cross-file-anchor", "links", options=FRAGMENT_CASE, fixable=True)
def bad_cross_file_anchor(ctx: CorpusContext) -> Iterator[Diagnostic]:
    """A `path.md#anchor` link reaches an existing document that has no such anchor.

    ## Why
    Renaming or renumbering a heading breaks links from other documents, which no
    single-file linter sees. The target is parsed once, however many documents link to it.

    ## Fails
    ```markdown
    # A

    见 [定义](concepts/06-x/README.md#三核心概念形式化定义)。
    ```
    (when that README's heading is `## 四、核心概念形式化定义`)

    ## Passes
    ```markdown
    # A

    见 [定义](concepts/06-x/README.md#四核心概念形式化定义)。
    ```

    Letter case does not matter on GitHub (`c.md#PHP` reaches `## PHP`); see LK002 and its
    option `fragment_case`, which this rule has too. Fragments into files that are not
    rendered Markdown are GitHub's line anchors and are not checked: `s.py#L12`, and
    `x.md?plain=1#L5` (the source view of a Markdown file, which has `#L<n>` anchors).

    ## Options
    - `fragment_case` (`github` | `exact`, default `github`).

    ## Fix
    Unsafe: use the target heading's current anchor; the suggestion names it and its line.
    The fix rewrites the fragment when that heading is the one clear candidate (as for
    LK002): 25 of the corpus's 29 findings.
    """
    yield from _corpus_findings(ctx, "bad-cross-anchor")


@corpus_rule("LK004", "link-escapes-root", "links")
def link_escapes_root(ctx: CorpusContext) -> Iterator[Diagnostic]:
    """A link climbs above the repository root, or points at a path on the author's disk.

    ## Why
    After percent-decoding (`%2e%2e` is `..`) and resolving `..`, a path above the root is
    outside the repository: GitHub shows a 404 even when a file of that name exists. Local
    absolute paths (`c:\\Users\\…`, `/home/…`) exist only on the author's machine.

    ## Fails
    ```markdown path=docs/index.md
    # 索引

    - [概念](../../concepts/README.md)
    - [计划](../c:\\Users\\me\\plans\\x.plan.md)
    ```

    ## Passes
    ```markdown path=docs/index.md
    # 索引

    - [概念](../concepts/README.md)
    ```

    ## Fix
    Write the path relative to the document, inside the repository; the suggestion drops
    the extra `../` when the result exists.
    """
    yield from _corpus_findings(ctx, "escapes-root", "local-path")


@corpus_rule("LK005", "pseudo-link", "links", fixable=True)
def pseudo_link(ctx: CorpusContext) -> Iterator[Diagnostic]:
    """`[text](path with space.md)`: CommonMark, and so GitHub, shows it as plain text.

    ## Why
    A raw space ends a link destination, so the whole construct is not a link at all; 221
    such "links" in the corpus came from a script that decoded `%20`. The message says
    whether `%20` or `<…>` would make it work (the target exists) or not.

    ## Fails
    ```markdown path=concepts/04-x/04.1-a.md
    # 04.1-a

    [收敛分析](../03-Scaling Law与收敛分析/README.md)
    ```

    ## Passes
    ```markdown path=concepts/04-x/04.1-a.md
    # 04.1-a

    [收敛分析](../03-Scaling%20Law与收敛分析/README.md)
    [收敛分析](<../03-Scaling Law与收敛分析/README.md>)
    ```

    ## Fix
    Safe, when the target exists (and so does its anchor, if the link has one): `--fix`
    wraps the destination in `<…>` (CommonMark's form for a destination with spaces, which
    GitHub renders as a link), so the path stays readable as written. Otherwise encode the
    spaces as `%20` (the suggestion) or correct the path by hand.
    """
    yield from _corpus_findings(ctx, "pseudo-link")


@corpus_rule("LK006", "path-case-mismatch", "links")
def path_case_mismatch(ctx: CorpusContext) -> Iterator[Diagnostic]:
    """A link differs from an existing path only by letter case or Unicode normalisation.

    ## Why
    macOS and Windows file systems ignore case and NFC/NFD differences, so the link works
    on the author's machine; GitHub compares paths exactly and shows a 404.

    ## Fails
    ```markdown
    # A

    [说明](docs/readme.md)
    ```
    (when the file is `docs/README.md`)

    ## Passes
    ```markdown
    # A

    [说明](docs/README.md)
    ```

    ## Fix
    Write the name exactly as it is in the repository (the suggestion does).
    """
    yield from _corpus_findings(ctx, "case-mismatch")


@corpus_rule("LK007", "backslash-in-link", "links", fixable=True)
def backslash_in_link(ctx: CorpusContext) -> Iterator[Diagnostic]:
    """A relative link uses `\\` as a path separator.

    ## Why
    Windows accepts `\\`; a URL does not. GitHub keeps the backslash as part of the file
    name (`..\\a.md` asks for a file literally named `..\\a.md`), so the link breaks.

    ## Fails
    ```markdown
    # A

    [B](docs\\b.md)
    ```

    ## Passes
    ```markdown
    # A

    [B](docs/b.md)
    ```

    ## Fix
    Use `/`. Safe, when the path with `/` exists: `--fix` writes it (the suggestion).
    """
    yield from _corpus_findings(ctx, "backslash")


@rule("LK008", "empty-link", "links", severity=Severity.WARNING)
def empty_link(ctx: DocContext) -> Iterator[Diagnostic]:
    """A link has an empty destination `[x]()` or an empty fragment `[x](#)`, `[x](a.md#)`.

    ## Why
    Both are placeholders left behind: GitHub renders a link that goes nowhere (the page
    itself, or its top).

    ## Fails
    ```markdown
    # A

    [待补充]() 与 [顶部](#)
    ```

    ## Passes
    ```markdown
    # A

    [顶部](#top)
    ```

    ## Fix
    Fill in the target, drop the `#`, or remove the link.
    """
    yield from _doc_findings(ctx, "empty")


@rule("LK009", "unsafe-link-scheme", "links")
def unsafe_link_scheme(ctx: DocContext) -> Iterator[Diagnostic]:
    """A link uses a `javascript:`, `vbscript:`, `file:` or `data:` URL.

    ## Why
    GitHub's HTML sanitizer removes these links (the text stays, the link is gone), and a
    `file:` URL points at the reader's own disk anyway.

    ## Fails
    ```markdown
    # A

    [运行](javascript:alert(1)) [本地](file:///C:/notes/a.md)
    ```

    ## Passes
    ```markdown
    # A

    [主页](https://example.org/) [邮件](mailto:team@example.org)
    ```

    ## Fix
    Link to a relative path or an https URL, or remove the link.
    """
    yield from _doc_findings(ctx, "unsafe-scheme")


@corpus_rule("LK010", "missing-image", "links")
def missing_image(ctx: CorpusContext) -> Iterator[Diagnostic]:
    """An image `![alt](path)` points at a file that does not exist.

    ## Why
    GitHub shows a broken-image icon (or just the alt text); images are usually moved
    together with documents and the path is forgotten.

    ## Fails
    ```markdown
    # A

    ![架构图](img/arch.png)
    ```
    (the image is in `images/`: the suggestion says so)

    ## Passes
    ```markdown
    # A

    ![架构图](images/arch.png)
    ```
    (when `images/arch.png` exists next to the document)

    ## Fix
    Correct the path (the suggestion finds the same file name elsewhere) or add the image.
    """
    yield from _corpus_findings(ctx, "missing-image")


RULES: tuple[Rule, ...] = (
    missing_link_target,
    bad_anchor,
    bad_cross_file_anchor,
    link_escapes_root,
    pseudo_link,
    path_case_mismatch,
    backslash_in_link,
    empty_link,
    unsafe_link_scheme,
    missing_image,
)
