"""Links and anchors: resolution as GitHub does it, one verdict per link, suggestions, audit.

`resolve` (pure path logic) -> `suggest` (did you mean) -> `check` (verdicts, shared by the LK
rules and the audit) -> `audit` (maintainers' data) -> `graph` / `html` (report formats).
"""
