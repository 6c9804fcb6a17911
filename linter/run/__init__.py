"""The run layer: how a check is executed over a corpus.

The engine that runs rules and applies suppressions (`engine`), the parse cache and its
entries (`cache`, `entry`), the process pool (`parallel`), the inbound links of a few files
(`lazy`), changed-files mode (`changed`), baselines (`baseline`) and the progress bar
(`progress`).

May import: `linter.config`, `linter.rules` and everything below them. Imported by
`linter.fix`, `linter.api` and `linter.cli`.
"""
