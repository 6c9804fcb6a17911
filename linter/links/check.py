"""Judge every link of a document the way GitHub renders it: one verdict per link.

The link rules (linter/rules/links.py) and the maintainers' audit (linter/links/audit.py)
both read these verdicts, so `check` and `links` can never disagree. A verdict has one cause
(the first that applies, in the order GitHub meets them: scheme, local path, backslash,
root escape, file, anchor), a message and, where one is likely, a suggestion as data.

`LinkChecker` is shared by all rules of a run (`checker_for(corpus)`): a document linked
to is parsed once by the corpus, its anchor set is built once here, and each document's
verdicts are computed once however many rules ask.
"""

from __future__ import annotations

import typing

import dataclasses
import posixpath
import re
from urllib.parse import unquote
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from ..diagnostics import Suggestion
from ..document.model import Document, Heading, Link, PseudoLink
from .git_history import Rename, git_renames
from .resolve import Destination, FileTree, encode_spaces, is_local_absolute, resolve, split
from .suggest import Budget, HeadingIndex, PathGuess, suggest_anchor, suggest_path

if TYPE_CHECKING:
    from ..corpus import Corpus

Cause = Literal[
    "ok",
    "missing-file",
    "missing-image",
    "bad-anchor",
    "bad-cross-anchor",
    "escapes-root",
    "local-path",
    "case-mismatch",
    "backslash",
    "empty",
    "unsafe-scheme",
    "pseudo-link",
]
# What the audit counts as broken (everything but ok); `empty` with only an empty fragment
# still works on GitHub (it scrolls to the top) but is reported as a smell.
BROKEN_CAUSES: tuple[Cause, ...] = tuple(
    c for c in typing.get_args(Cause) if c != "ok"
)
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "file", "data"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# The browser scrolls to the top for `#top` without any element of that id (HTML spec).
# Fragments into non-Markdown files (`s.py#L12`, GitHub's line anchors) are not checked.
_TOP = "top"


def target_facts(doc: Document | None) -> tuple[object, ...]:
    """What a link checker reads of a document as another document's link target: whether
    it can be read, its anchors, and its headings (a "did you mean" names a heading, its
    anchor and its line). Two versions of a target with equal facts give every link into
    it the same verdict, so the documents linking into it need no second look."""
    if doc is None or not doc.readable:
        return (False,)
    return (True, doc.anchors(), tuple(doc.headings))


class _Elsewhere(Exception):
    """A link a local judgement leaves out (it leads to another file)."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """One link (or pseudo-link) and what GitHub does with it."""

    source: str  # the document holding the link
    line: int
    column: int
    dest: str
    text: str
    kind: str  # the parser's kind, or "pseudo"
    image: bool
    cause: Cause
    target: str | None  # root-relative file or folder the link reaches (when it does)
    message: str = ""
    suggestion: Suggestion | None = None
    # The root-relative path the link asks for, also when it does not exist (for the audit's
    # "most wanted missing targets"); None for anchors in the same file and non-path links.
    wanted: str | None = None
    # When one candidate is clearly right: which part of the destination to rewrite
    # ("fragment" or "path") and its new text, for the rules' unsafe fixes.
    repair: tuple[Literal["fragment", "path"], str] | None = None

    @property
    def broken(self) -> bool:
        return self.cause != "ok"

    @property
    def internal(self) -> bool:
        return self.kind in ("anchor", "relative", "pseudo", "empty")


def _did_you_mean_anchor(guess_heading: Heading | None) -> str:
    if guess_heading is None:
        return "; expected the anchor of a heading"
    return f"; did you mean #{guess_heading.anchor} (line {guess_heading.line})?"


class LinkChecker:
    """Verdicts for the links of a corpus's documents, computed lazily and memoised."""

    def __init__(self, corpus: Corpus | None, exact_case: bool = False) -> None:
        # Without a corpus only what the document alone decides is judged correctly (same-file
        # anchors, schemes, empty and local paths): that is what per-document rules use.
        self.corpus = corpus
        # GitHub finds a heading whatever the fragment's letter case; strict renderers do not
        self.exact_case = exact_case
        self.tree = FileTree(corpus.files, corpus.dirs) if corpus is not None else FileTree((), ())
        self._verdicts: dict[str, tuple[Verdict, ...]] = {}
        self._cross: dict[str, tuple[Verdict, ...]] = {}
        self._own: tuple[Document, frozenset[str]] | None = None
        self._anchors: dict[str, frozenset[str] | None] = {}
        # each target's headings indexed once for the did-you-mean search (by document)
        self._indexes: dict[str, tuple[Document, HeadingIndex]] = {}
        # The did-you-mean work left for the document being judged, one budget per kind of
        # link (same-file `#x`, relative path): the cross-file pass judges exactly the
        # relative links, in the same order, so both passes spend it alike.
        self._budgets: dict[str, Budget] = {}
        self._renames: dict[str, Rename] | None = None
        self._local = False  # set by `judge_document(local=True)`

    def renames(self) -> dict[str, Rename]:
        """Renames git history records under the corpus root (asked once, on first need;
        never for an in-memory corpus)."""
        if self._renames is None:
            from ..corpus import MemoryCorpus

            corpus = self.corpus
            on_disk = corpus is not None and not isinstance(corpus, MemoryCorpus)
            self._renames = git_renames(corpus.root) if on_disk and corpus is not None else {}
        return self._renames

    def anchors(self, path: str) -> frozenset[str] | None:
        """The anchors of a Markdown target, None when it cannot be read (not checked)."""
        if path not in self._anchors:
            doc = self.corpus.document(path) if self.corpus is not None else None
            self._anchors[path] = doc.anchors() if doc is not None and doc.readable else None
        return self._anchors[path]

    def _own_anchors(self, doc: Document) -> frozenset[str]:
        # a document's same-file links ask for its anchors once each: build the set once
        if self._own is None or self._own[0] is not doc:
            self._own = (doc, doc.anchors())
        return self._own[1]

    def verdicts(self, path: str) -> tuple[Verdict, ...]:
        if path not in self._verdicts:
            doc = self.corpus.document(path) if self.corpus is not None else None
            self._verdicts[path] = self.judge_document(doc) if doc is not None else ()
        return self._verdicts[path]

    def cross_verdicts(self, path: str) -> tuple[Verdict, ...]:
        """The broken verdicts of the document's links that can depend on other files (its
        relative links and pseudo-links): every verdict whose cause a cross-file rule reports."""
        if path in self._verdicts:
            return tuple(v for v in self._verdicts[path] if v.kind in ("relative", "pseudo") and v.broken)
        if path not in self._cross:
            doc = self.corpus.document(path) if self.corpus is not None else None
            found: tuple[Verdict, ...] = ()
            if doc is not None and doc.readable:
                self._budgets = {}
                judged = [self.judge(doc, x) for x in doc.cross_links() if not self._plainly_ok(doc, x)]
                judged.extend(self.judge_pseudo(doc, p) for p in doc.pseudo_links)
                found = tuple(sorted((v for v in judged if v.broken), key=lambda v: (v.line, v.column)))
            self._cross[path] = found
        return self._cross[path]

    def _plainly_ok(self, doc: Document, link: Link) -> bool:
        """True for a relative link `judge` would find ok by its most common route (an
        existing target inside the root, no backslash, any fragment found): the cross-file
        pass skips building verdicts for the three quarters of links that work. False means
        only "ask `judge`"."""
        parts = split(link.dest)
        if not parts.path or "\\" in parts.path or parts.fragment == "" or is_local_absolute(parts.path):
            return False
        r = resolve(doc.path, parts.path)
        if r.escapes or r.path == doc.path:
            return False
        kind = self.tree.kind(r.path)
        if kind is None:
            return False
        if not _heading_fragment(parts, kind, r.path):
            return True
        fragment = parts.decoded_fragment or ""
        anchors = self.anchors(r.path)
        return anchors is None or _resolves(fragment, anchors, self.exact_case)

    def judge_document(self, doc: Document, local: bool = False) -> tuple[Verdict, ...]:
        """Every link and pseudo-link of `doc`, in document order. `local`: only the links
        the document decides alone (the per-document rules' verdicts): links into other
        files or above the root, and pseudo-links, are left out, not judged."""
        if not doc.readable:
            return ()
        bounds = toc_bounds(doc)
        self._budgets = {}
        found: list[Verdict] = []
        self._local = local
        try:
            for link in doc.links:
                try:
                    found.append(self.judge(doc, link, bounds.get((link.line, link.column))))
                except _Elsewhere:
                    pass
        finally:
            self._local = False
        if not local:
            found.extend(self.judge_pseudo(doc, p) for p in doc.pseudo_links)
        return tuple(sorted(found, key=lambda v: (v.line, v.column)))

    # -- one link ----------------------------------------------------------------------------

    def judge(self, doc: Document, link: Link, between: tuple[int, int] | None = None) -> Verdict:
        def verdict(
            cause: Cause, target: str | None = None, message: str = "", suggestion: Suggestion | None = None
        ) -> Verdict:
            return Verdict(
                doc.path, link.line, link.column, link.dest, link.text, link.kind, link.image,
                cause, target, message, suggestion, target,
            )

        dest = link.dest
        if link.kind == "empty":
            return verdict("empty", message="link destination is empty; expected a path, #anchor or URL")
        if link.kind in ("external", "mailto"):
            return verdict("ok")
        m = _SCHEME.match(dest)
        if link.kind == "scheme" and m:
            scheme = m.group(1).lower()
            if scheme in UNSAFE_SCHEMES:
                return verdict(
                    "unsafe-scheme",
                    message=f"{scheme}: link is removed by GitHub's sanitizer; expected a relative path or https URL",
                )
            return verdict("ok")
        parts = split(dest)
        if is_local_absolute(parts.path):
            return verdict(
                "local-path",
                message=f"link {dest} points at a file on the author's machine; expected a path relative to this document",
            )
        if "\\" in parts.path:
            fixed = parts.path.replace("\\", "/")
            r = resolve(doc.path, fixed)
            sug = None
            if not r.escapes and self.tree.kind(r.path) is not None:
                sug = Suggestion(_with_fragment(fixed, parts.fragment), "use / separators", r.path)
            return verdict(
                "backslash",
                message=f"link {dest} uses \\ as a separator; expected / (GitHub reads \\ as part of the name)",
                suggestion=sug,
            )
        if parts.fragment == "":
            return verdict("empty", message=f"link fragment is empty in {dest}; expected #anchor of a heading or no #")
        if not parts.path:
            return self._anchor(doc, link, doc.path, parts.decoded_fragment or "", verdict, between)
        r = resolve(doc.path, parts.path)
        if r.path == doc.path and not r.escapes:
            if parts.fragment is None:
                return verdict("ok", r.path)
            return self._anchor(doc, link, doc.path, parts.decoded_fragment or "", verdict, between)
        if self._local and (r.escapes or r.path != doc.path):
            # another file's question (the cross-file pass judges it against the file tree);
            # per document, the empty tree made every such link a `missing-file` guess search
            raise _Elsewhere
        if r.escapes:
            guess = suggest_path(doc.path, parts.path, self.tree)
            sug = _path_suggestion(guess, parts.fragment)
            tail = f"; did you mean {sug.replacement}?" if sug else ""
            return verdict(
                "escapes-root",
                message=f"link {dest} goes above the repository root{tail}",
                suggestion=sug,
            )
        kind = self.tree.kind(r.path)
        if kind is None:
            return self._missing(doc, link, parts.path, parts.fragment, r.path, verdict)
        if _heading_fragment(parts, kind, r.path):
            return self._anchor(doc, link, r.path, parts.decoded_fragment or "", verdict)
        return verdict("ok", r.path)

    def _anchor(
        self,
        doc: Document,
        link: Link,
        target: str,
        fragment: str,
        verdict: _Make,
        between: tuple[int, int] | None = None,
    ) -> Verdict:
        same = target == doc.path
        anchors = self._own_anchors(doc) if same else self.anchors(target)
        if anchors is None or _resolves(fragment, anchors, self.exact_case):
            return verdict("ok", target)
        target_doc = doc if same or self.corpus is None else self.corpus.document(target)
        index = self._index(target, target_doc)
        budget = self._budgets.setdefault(link.kind, Budget())
        guess = suggest_anchor(fragment, index, link.text, between if same else None, budget)
        sug = None
        if guess is not None:
            written = split(link.dest).path
            replacement = f"{written}#{guess.heading.anchor}"
            sug = Suggestion(
                replacement, f"heading {guess.heading.text!r} ({guess.why})", target, guess.heading.line
            )
        tail = _did_you_mean_anchor(guess.heading if guess else None)
        if same:
            found = verdict("bad-anchor", target, f"anchor #{fragment} not found{tail}", sug)
        else:
            found = verdict("bad-cross-anchor", target, f"anchor #{fragment} not found in {target}{tail}", sug)
        if guess is not None and guess.clear:
            found = dataclasses.replace(found, repair=("fragment", guess.heading.anchor))
        return found

    def _index(self, path: str, doc: Document | None) -> HeadingIndex:
        if doc is None:
            return HeadingIndex(())
        known = self._indexes.get(path)
        if known is None or known[0] is not doc:
            known = (doc, HeadingIndex(doc.headings))
            self._indexes[path] = known
        return known[1]

    def _missing(
        self, doc: Document, link: Link, written: str, fragment: str | None, wanted: str, verdict: _Make
    ) -> Verdict:
        near = self.tree.near_miss(wanted)
        if near is not None:
            fixed = _relative_like(written, doc.path, near.path)
            return verdict(
                "case-mismatch",
                near.path,
                f"link {link.dest} differs from the existing {near.path} only by {near.how}; "
                "GitHub paths are exact",
                Suggestion(_with_fragment(fixed, fragment), f"exact name {near.path}", near.path),
            )
        what = "image file" if link.image else "file or folder"
        cause: Cause = "missing-image" if link.image else "missing-file"
        moved = self.renames().get(wanted)
        if moved is not None and self.tree.kind(moved.new) is not None:
            # git recorded the rename: evidence, preferred to any guess by name
            fixed = _relative_like(written, doc.path, moved.new)
            known = Suggestion(
                _with_fragment(fixed, fragment),
                f"git history: {moved.old} renamed to {moved.new} in {moved.commit}",
                moved.new,
            )
            found = verdict(
                cause, None,
                f"{what} {wanted} not found (link {link.dest}); did you mean {known.replacement}? "
                f"(git history: renamed in {moved.commit})",
                known,
            )
            return dataclasses.replace(found, wanted=wanted, repair=("path", fixed))
        guess = suggest_path(doc.path, written, self.tree)
        sug = _path_suggestion(guess, fragment)
        tail = f"; did you mean {sug.replacement}?" if sug else ""
        found = verdict(cause, None, f"{what} {wanted or '/'} not found (link {link.dest}){tail}", sug)
        repair: tuple[Literal["fragment", "path"], str] | None = None
        if guess is not None and guess.clear:
            repair = ("path", guess.dest)
        return dataclasses.replace(found, wanted=wanted, repair=repair)

    def judge_pseudo(self, doc: Document, p: PseudoLink) -> Verdict:
        """A `[t](a b.md)` GitHub shows as text: would `%20` or `<…>` make it a working link?"""
        parts = split(p.dest)
        fixed = encode_spaces(p.dest)
        sug: Suggestion | None
        if _SCHEME.match(p.dest) or not parts.path:
            # a URL or a `#fragment`: no file of this corpus to look for
            what = "URL" if parts.path else "fragment"
            return Verdict(
                doc.path, p.line, p.column, p.dest, p.text, "pseudo", False, "pseudo-link", None,
                f"[{p.text}]({p.dest}) is shown as plain text (raw space in the {what}); "
                f"write ({fixed}) or (<{p.dest}>)",
                Suggestion(fixed, "encode spaces as %20", None), None,
            )
        r = resolve(doc.path, parts.path)
        exists = not r.escapes and self.tree.kind(r.path) is not None
        if exists:
            msg = f"[{p.text}]({p.dest}) is shown as plain text (raw space); write ({fixed}) or (<{p.dest}>)"
            sug = Suggestion(fixed, "encode spaces as %20", r.path)
        else:
            guess = suggest_path(doc.path, parts.path, self.tree) if parts.path else None
            sug = _path_suggestion(guess, parts.fragment)
            tail = f"; did you mean ({sug.replacement})?" if sug else ""
            msg = (
                f"[{p.text}]({p.dest}) is shown as plain text (raw space), and {r.path or p.dest} "
                f"does not exist either{tail}"
            )
        return Verdict(
            doc.path, p.line, p.column, p.dest, p.text, "pseudo", False, "pseudo-link",
            r.path if exists else None, msg, sug, None if r.escapes or not parts.path else r.path,
        )


def _resolves(fragment: str, anchors: frozenset[str], exact_case: bool) -> bool:
    """Whether `#fragment` scrolls somewhere. On GitHub letter case does not matter: its page
    script retries a fragment that names no element in lower case, so `#PHP` finds
    `## PHP` (anchor `php`), `#VS-Code` finds `vs-code` (rsc/markdown#19: "GitHub actually
    supports any casing at all"; serokell/xrefcheck#211, confirmed by its maintainers)."""
    if fragment in anchors or fragment.lower() == _TOP:
        return True
    return not exact_case and fragment.lower() in anchors


def _heading_fragment(parts: Destination, kind: str | None, path: str) -> bool:
    """Whether the link's fragment must name a heading of a rendered Markdown file.

    Fragments into other files are GitHub's line anchors (`s.py#L12`, `#L3-L9`), and so are
    they in a Markdown file shown as source: `x.md?plain=1#L5` opens the code view, where
    GitHub serves `#L<n>` (docs: "Creating a permanent link to a code snippet").
    """
    if parts.fragment is None or kind != "file" or not path.lower().endswith((".md", ".markdown")):
        return False
    return not (parts.query is not None and "plain=1" in parts.query.split("&"))


def toc_bounds(doc: Document) -> dict[tuple[int, int], tuple[int, int]]:
    """For each TOC link that resolves to no heading: the lines of the headings that its
    nearest resolving TOC neighbours point at (0 and a large number at the ends)."""
    line_of = {h.anchor: h.line for h in doc.headings}
    toc = [link for link in doc.links if link.in_toc]
    lines = [line_of.get(unquote(link.dest[1:])) for link in toc]
    # the nearest resolving neighbour on each side, from one pass each way (not a scan per
    # entry: a TOC of 10,000 stale entries was quadratic)
    before: list[int] = []
    last = 0
    for line in lines:
        before.append(last)
        last = line if line is not None else last
    after: list[int] = []
    last = 1 << 30
    for line in reversed(lines):
        after.append(last)
        last = line if line is not None else last
    after.reverse()
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for link, line, lo, hi in zip(toc, lines, before, after):
        if line is None and lo < hi:
            out[(link.line, link.column)] = (lo, hi)
    return out


class _Make(Protocol):  # the signature of the local `verdict` helper
    def __call__(
        self, cause: Cause, target: str | None = None, message: str = "", suggestion: Suggestion | None = None
    ) -> Verdict: ...


def _with_fragment(path: str, fragment: str | None) -> str:
    return path if fragment is None else f"{path}#{fragment}"


def _path_suggestion(guess: PathGuess | None, fragment: str | None) -> Suggestion | None:
    if guess is None:
        return None
    return Suggestion(_with_fragment(guess.dest, fragment), guess.why, guess.target)


def _relative_like(written: str, doc_path: str, target: str) -> str:
    """`target` written relative to the document, keeping a leading `./` if the link had one."""
    rel = posixpath.relpath(target, posixpath.dirname(doc_path) or ".")
    return encode_spaces(("./" + rel) if written.startswith("./") and not rel.startswith("../") else rel)


def checker_for(corpus: Corpus, exact_case: bool = False) -> LinkChecker:
    """The run's shared checker for `corpus` (one per corpus object and case mode).

    Kept on the corpus itself, so it lives exactly as long as the corpus. (A module-level
    WeakKeyDictionary did not: its values hold their corpus, so no key ever died and the
    API leaked every corpus it linted.)"""
    key = f"link-checker-{'exact' if exact_case else 'folded'}"
    found = corpus.memo.get(key)
    if not isinstance(found, LinkChecker):
        found = LinkChecker(corpus, exact_case)
        corpus.memo[key] = found
    return found


def forget_checker(corpus: Corpus) -> None:
    """Drop `corpus`'s checker: a file of it changed (the fix engine's in-memory passes)."""
    for key in [k for k in corpus.memo if k.startswith("link-checker-")]:
        del corpus.memo[key]


# The per-document link rules (LK002, LK008, LK009) and TC003 all read the same verdicts of
# the document being linted; the engine runs them one after another on one document, so
# remembering the last document (by identity) judges each document's links once.
_last_judged: tuple[Document, bool, tuple[Verdict, ...]] | None = None


def document_verdicts(doc: Document, exact_case: bool = False) -> tuple[Verdict, ...]:
    """`LinkChecker(None, exact_case).judge_document(doc, local=True)` (what the per-document
    rules read: same-file anchors, schemes, empty links), memoised for the most recent
    document."""
    global _last_judged
    if _last_judged is None or _last_judged[0] is not doc or _last_judged[1] != exact_case:
        _last_judged = (doc, exact_case, LinkChecker(None, exact_case).judge_document(doc, local=True))
    return _last_judged[2]
