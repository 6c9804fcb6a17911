"""formalai-lint: document consistency and linting for large Markdown knowledge bases."""

from __future__ import annotations

__version__ = "0.1.0"

from .api import LintResult, lint_paths, lint_text  # noqa: E402 - after __version__, which submodules read
from .config.settings import Config, ConfigError  # noqa: E402
from .config.files import load_config  # noqa: E402
from .diagnostics import Diagnostic, Severity  # noqa: E402

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
