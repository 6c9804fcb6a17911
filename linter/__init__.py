"""formalai-lint: document consistency and linting for large Markdown knowledge bases."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .util.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from .api import FixResult, LintResult, fix_paths, lint_paths, lint_text
    from .config.files import load_config
    from .config.settings import Config, ConfigError
    from .diagnostics import Diagnostic, Severity
    from .resources import __version__

# imported on first use: `python -m linter check` answered from its run record imports
# neither the rules nor the parser (linter.cli.warm)
__getattr__ = lazy_exports(
    __name__,
    {
        "FixResult": ".api",
        "LintResult": ".api",
        "fix_paths": ".api",
        "lint_paths": ".api",
        "lint_text": ".api",
        "load_config": ".config.files",
        "Config": ".config.settings",
        "ConfigError": ".config.settings",
        "Diagnostic": ".diagnostics",
        "Severity": ".diagnostics",
        "__version__": ".resources",
    },
)

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
