"""The commented starter config that `formalai-lint init` writes."""

from __future__ import annotations

STARTER = """\
# formalai-lint configuration. Reference: docs/ci-integration.md;
# JSON Schema for editors: `formalai-lint config-schema -o config.schema.json`, then
# point the YAML extension at it (e.g. `# yaml-language-server: $schema=config.schema.json`).

# Start from the built-in FormalAI preset (or a path to another config file).
extends: formalai

# Files never linted (globs relative to this folder; `**` spans folders).
ignore:
  - "archive/**"

# .gitignore files are honoured unless this is false.
gitignore: true

# Rules by id or name: true/false, on/off, a severity (error, warning, info),
# or {enabled, severity, options}. `formalai-lint rules` lists them all and
# `formalai-lint explain RULE` prints a rule's page with its options.
rules:
  byte-order-mark: warning
  # unclosed-code-fence: off
  # MK020: {severity: warning}

# Settings for some files only; later entries win.
overrides:
  - files: ["drafts/**"]
    rules:
      single-h1: warning

# Document schemas by glob (the first match wins).
# schemas:
#   "concepts/**/*.md": concept-topic   # `formalai-lint schema list` names them all
"""


def starter_config() -> str:
    return STARTER
