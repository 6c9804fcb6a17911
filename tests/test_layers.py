"""The package layers stay layered: a module imports its own package or lower layers only.

The ranks are the architecture of README "Layout"; a new package must be given one here.
Imports under `if TYPE_CHECKING:` count too: a type from a higher layer is still a
dependency on it.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "linter"

# Lower number = lower layer. Equal ranks may not import each other (only within one package).
RANKS = {
    "linter.util": 0,
    "linter.diagnostics": 0,
    "linter.resources": 0,
    "linter.document": 1,
    "linter.corpus": 2,
    "linter.schema": 2,
    "linter.references": 2,
    "linter.links": 3,
    "linter.external": 3,
    "linter.rules": 4,
    "linter.config": 5,
    "linter.run": 6,
    "linter.fix": 7,
    "linter.infer": 7,  # `init`'s corpus study: runs the engine on what it inferred
    "linter.api": 8,
    "linter.cli": 9,
    "linter.__main__": 10,
    "linter": 11,  # the package's __init__: the public API re-exports
}


def _module(path: Path, package: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def _unit(module: str) -> str:
    """The layer unit a module belongs to: `linter.run.cache` -> `linter.run`."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else "linter"


def _imports(path: Path, root: Path) -> list[tuple[int, str]]:
    module, is_pkg = _module(path, root)
    package = module.split(".") if is_pkg else module.split(".")[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "linter"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "linter":
                continue
            if target == "linter" or target.count(".") == 0:
                # `from linter import x`: x may be a submodule (a unit of its own)
                found += [(node.lineno, f"linter.{a.name}") if f"linter.{a.name}" in RANKS else (node.lineno, "linter")
                          for a in node.names]
            else:
                found.append((node.lineno, target))
    return found


def _violations(package: Path = PACKAGE) -> list[str]:
    bad = []
    for path in sorted(package.rglob("*.py")):
        module, _ = _module(path, package)
        unit = _unit(module)
        assert unit in RANKS, f"{module}: package {unit} has no layer in tests/test_layers.py"
        for line, target in _imports(path, package):
            other = _unit(target)
            if other == unit:
                continue
            if RANKS[other] >= RANKS[unit]:
                bad.append(f"{path.relative_to(package.parent).as_posix()}:{line}: {unit} (layer {RANKS[unit]}) "
                           f"imports {target} (layer {RANKS[other]})")
    return bad


def test_every_import_goes_down_the_layers() -> None:
    assert _violations() == []


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    fake = tmp_path / "linter"
    for folder in ("document", "run"):
        (fake / folder).mkdir(parents=True)
        (fake / folder / "__init__.py").write_text("")
    (fake / "__init__.py").write_text("")
    (fake / "document" / "model.py").write_text("from ..run import engine\n")
    (fake / "run" / "engine.py").write_text("from ..document.model import X\nfrom . import cache\n")
    assert _violations(fake) == ["linter/document/model.py:1: linter.document (layer 1) imports linter.run (layer 6)"]
