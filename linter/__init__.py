"""formalai-lint: document consistency and linting for large Markdown knowledge bases."""

from __future__ import annotations

from .api import FixResult, LintResult, fix_paths, lint_paths, lint_text
from .config.files import load_config
from .config.settings import Config, ConfigError
from .diagnostics import Diagnostic, Severity
from .resources import __version__

__all__ = [
    "Config",
    "ConfigError",
    "Diagnostic",
    "FixResult",
    "LintResult",
    "Severity",
    "__version__",
    "fix_paths",
    "lint_paths",
    "lint_text",
    "load_config",
]
