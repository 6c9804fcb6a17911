"""A run answered from the parse cache imports none of what only parsing, schema validation,
process pools, HTTP checks or other output formats need (docs/speed.md: half of a warm run
is start-up, so an import that creeps back is a regression nobody would notice)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import write_tree

FILES = {
    "README.md": "# 总览\n\n- [概念](concepts/a.md#一概述)\n",
    "concepts/a.md": "# A\n\n## 一、概述\n\n**形式化表述**：\n\n$$\nx^2\n$$\n\n见 [总览](../README.md)。\n",
}
# What must stay out of a warm run (imported where it is used instead).
HEAVY = ("markdown_it", "mdit_py_plugins", "jsonschema", "concurrent.futures.process", "ssl",
         "http.client", "xml.etree.ElementTree", "linter.document.parse", "linter.links.audit", "linter.run.baseline",
         "linter.cli.reporters.sarif")

_PROBE = """
import sys
from linter.cli.main import main
try:
    main(["check", sys.argv[1], "--quiet"])
except SystemExit:
    pass
print("\\n".join(sorted(sys.modules)))
"""


def _modules_after_check(root: Path) -> set[str]:
    out = subprocess.run([sys.executable, "-c", _PROBE, str(root)], capture_output=True, text=True, check=True)
    return set(out.stdout.split("\n"))


def test_a_warm_check_imports_no_parser_validator_pool_or_http(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", FILES)
    cold = _modules_after_check(root)
    assert {"markdown_it", "linter.document.parse"} <= cold  # the first run parsed (this probe works)
    warm = _modules_after_check(root)
    assert sorted(m for m in HEAVY if m in warm) == []
