"""The document layer: what one Markdown file is, with no knowledge of any other file.

Decoding (`encoding`), the parser (`parse`, the only module that sees markdown-it tokens),
the frozen model it builds (`model`) and its JSON round trip (`serde`), GitHub anchors
(`slug`), heading numbers (`numbering`), the section tree (`sections`), bold metadata lines
(`metadata_lines`) and TeX tokens (`tex`).

May import: the standard library, markdown-it-py, `linter.util`, `linter.diagnostics`,
`linter.resources`. Imported by every layer above it (corpus, schema, references, links, rules, ...).
"""
