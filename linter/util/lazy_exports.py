"""Package attributes imported on first use (PEP 562), so importing a package is cheap.

A warm `check` takes every per-document finding from the parse cache; it should not pay
for importing what only parsing, schema validation or HTTP checks use (jsonschema, ssl,
the YAML schema loader). A package lists its public names and the submodule of each; the
names are imported for type checkers under `TYPE_CHECKING` as usual.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` that imports `exports[name]` (a relative submodule) on demand."""

    def __getattr__(name: str) -> Any:
        submodule = exports.get(name)
        if submodule is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(submodule, package), name)
        # kept as a plain attribute: the next lookup is a dict hit, not this function (the
        # reference rules asked for names 9,000 times per run on the corpus)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
