"""formalai-lint: document consistency and linting for large Markdown knowledge bases."""

from __future__ import annotations

__version__ = "0.1.0"
