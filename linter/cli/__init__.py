"""The command-line layer: the `formalai-lint` click commands and the output formats.

`main` (the `check`, `rules`, `explain`, `init`, `cache` ... commands), `links` (the link
audit command), `schema` (`schema check/show`) and `reporters/` (text, JSON, SARIF, GitHub,
JUnit). The CLI is a thin layer over `linter.api`.

May import: every other layer. Nothing in `linter` imports it but `linter.__main__`; the
`formalai-lint` entry point is `linter.cli.warm:main`, which answers a plain `check` from
its run record when nothing changed and otherwise hands over to `linter.cli.main:main`.
"""
