"""The one result type: a `Diagnostic`, plus its severity and machine-readable suggestion.

Rules yield diagnostics without a severity of their own choosing: the engine stamps the
configured severity (yamllint's model), so the same rule can be an error in one project and a
warning in another.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any


class Severity(str, enum.Enum):
    """How serious a finding is. `error` fails the run; `warning` fails only with --strict."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace `old` with `new` on one 1-based line (column is 1-based, in characters)."""

    line: int
    column: int
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A likely fix, as data: what to write instead, and where it comes from.

    `replacement` is the new text for the offending span (a link destination, an anchor, a
    heading number); `target_line` points at the evidence (the heading the anchor probably
    meant), so a later autofix can apply it and a reviewer can check it.
    """

    replacement: str
    description: str = ""
    target_path: str | None = None
    target_line: int | None = None
    edits: tuple[Edit, ...] = ()


class Applicability(str, enum.Enum):
    """Whether `--fix` applies a fix on its own (`safe`) or only with `--unsafe-fixes`.

    `safe`: meaning-preserving or purely derived (a regenerated TOC, `%20` for a raw space).
    `unsafe`: a guess (the anchor a stale link probably meant), or a change to a public
    anchor that sites outside the corpus may link to (renumbering a heading).
    """

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace the text from (start_line, start_column) up to, not including, (end_line,
    end_column) in `path` with `replacement`. Lines and columns are 1-based, columns count
    characters of the decoded text (as `Diagnostic.column` does); an insertion has equal
    start and end. `path` is root-relative POSIX, like `Diagnostic.path`."""

    path: str
    start_line: int
    start_column: int
    end_line: int
    end_column: int
    replacement: str


@dataclass(frozen=True, slots=True)
class AnchorRename:
    """A heading anchor of the finding's document that its fix changes: `old` becomes `new`
    and the heading's title becomes `title`."""

    old: str
    new: str
    title: str


@dataclass(frozen=True, slots=True)
class Fix:
    """What a finding's fix would change: edits (possibly in several files), how safe it is,
    and one line saying what it does ("renumber 四、A -> 五、A and 12 more headings").

    `renames` is the rule's prediction of the anchors its document will have once this fix
    and its siblings (the rest of one numbering plan) are applied: the fix engine rewrites
    the document's own TOC entries and links in the same pass instead of parsing the file
    twice, and falls back to following the parsed result when the prediction is wrong.
    Not part of the JSON or SARIF output."""

    edits: tuple[TextEdit, ...]
    applicability: Applicability
    description: str
    renames: tuple[AnchorRename, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape (`check --format json`): line 0 in an edit is the byte-order mark."""
        return {
            "applicability": self.applicability.value,
            "description": self.description,
            "edits": [
                {
                    "path": e.path, "start_line": e.start_line, "start_column": e.start_column,
                    "end_line": e.end_line, "end_column": e.end_column, "replacement": e.replacement,
                }
                for e in self.edits
            ],
        }


@dataclass(frozen=True, slots=True)
class Related:
    """Another location a finding is about (SARIF `relatedLocations`, JSON `related`): each
    heading a renumbering changes, the TOC entries that follow a rename."""

    path: str
    line: int
    column: int
    message: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: where, which rule, what was found and what was expected."""

    path: str  # root-relative POSIX path
    line: int  # 1-based
    column: int  # 1-based, in characters
    rule_id: str
    message: str  # lower-case start, no trailing period, no rule id inside
    severity: Severity = Severity.ERROR
    end_line: int | None = None
    end_column: int | None = None
    suggestion: Suggestion | None = None
    # Text the finding is about (a link destination, a heading): used for baseline
    # fingerprints, which must survive unrelated edits that shift line numbers.
    context: str = field(default="", compare=False)
    fix: Fix | None = None
    related: tuple[Related, ...] = ()

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.rule_id, self.message)

    def with_severity(self, severity: Severity) -> Diagnostic:
        # most findings already carry the severity they are stamped with
        return self if self.severity is severity else replace(self, severity=severity)

    def to_dict(self, name: str = "", family: str = "") -> dict[str, Any]:
        """The JSON shape documented in the README (`check --format json`)."""
        sug: dict[str, Any] | None = None
        if self.suggestion is not None:
            s = self.suggestion
            sug = {"replacement": s.replacement, "description": s.description}
            if s.target_path is not None:
                sug["target_path"] = s.target_path
            if s.target_line is not None:
                sug["target_line"] = s.target_line
            if s.edits:
                sug["edits"] = [
                    {"line": e.line, "column": e.column, "old": e.old, "new": e.new} for e in s.edits
                ]
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line if self.end_line is not None else self.line,
            "end_column": self.end_column if self.end_column is not None else self.column,
            "rule": self.rule_id,
            "name": name,
            "family": family,
            "severity": self.severity.value,
            "message": self.message,
            "suggestion": sug,
            "fix": None if self.fix is None else self.fix.to_dict(),
            "related": [
                {"path": r.path, "line": r.line, "column": r.column, "message": r.message} for r in self.related
            ],
        }
