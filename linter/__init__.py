"""formalai-lint: document consistency and linting for large Markdown knowledge bases."""

from __future__ import annotations

from .api import LintResult, lint_paths, lint_text
from .config.files import load_config
from .config.settings import Config, ConfigError
from .diagnostics import Diagnostic, Severity
from .resources import __version__

__all__ = [
    "Config",
    "ConfigError",
    "Diagnostic",
    "LintResult",
    "Severity",
    "__version__",
    "lint_paths",
    "lint_text",
    "load_config",
]
