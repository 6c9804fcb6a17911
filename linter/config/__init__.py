"""The configuration layer: what a run is asked to do.

The effective settings (`settings`: `Config`, per-path overrides, rule settings), the config
file loader and its JSON Schema (`files`, `json_schema`), the starter config of `init`
(`starter`), `.gitignore` rules (`gitignore`) and suppression comments (`suppress`).

May import: `linter.rules` (the registry: rule ids, option schemas) and everything below it
(document, corpus, schema, references, links, util, diagnostics). Imported by `linter.run`,
`linter.fix`, `linter.api` and `linter.cli`.
"""
