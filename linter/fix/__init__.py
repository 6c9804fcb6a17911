"""The fix layer: turning findings' `Fix`es into file changes, safely.

Rules attach a `linter.diagnostics.Fix` (text edits, an applicability, a description) to a
finding; this layer applies the edits per file bottom-up, re-lints until nothing changes,
follows anchor renames into the links of every other document, and writes through
`linter.util.safe_write`.

May import: `linter.run`, `linter.config`, `linter.rules` and everything below them.
Imported by `linter.api` and `linter.cli`.
"""
