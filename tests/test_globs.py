"""One glob meaning for every setting that names files (README "Configuration"; util/globs.py).

The same glob selects the same files as an `ignore` entry, as an override's `files` and as a
`schemas` mapping.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.api import lint_paths
from linter.config.files import config_from_text
from linter.corpus import Corpus
from linter.util.globs import selects

from .helpers import write_tree

CASES = [
    ("concepts/*.md", "concepts/a.md", True),
    ("concepts/*.md", "concepts/sub/b.md", False),  # `*` stays in one folder (fnmatch crossed `/`)
    ("concepts/**/*.md", "concepts/sub/b.md", True),
    ("concepts/**/*.md", "concepts/a.md", True),
    ("concepts", "concepts/sub/b.md", True),  # a folder selects what is inside it
    ("concepts/", "concepts/a.md", True),
    ("archive/**", "archive/x/y.md", True),
    ("drafts", "notes/drafts/a.md", True),  # no `/`: a name at any depth
    ("*.draft.md", "a/b/c.draft.md", True),
    ("/README.md", "README.md", True),
    ("/README.md", "docs/README.md", False),  # a leading `/` anchors at the root
    ("README.md", "docs/README.md", True),
    ("docs/T[0-9]_*.md", "docs/T1_x.md", True),
    ("docs/T[!0-9]_*.md", "docs/T1_x.md", False),
    ("con?epts/a.md", "concepts/a.md", True),
    ("con?epts/a.md", "con/epts/a.md", False),
    ("**", "a/b.md", True),
]


@pytest.mark.parametrize("glob,path,hit", CASES)
def test_selects(glob: str, path: str, hit: bool) -> None:
    assert selects(glob, path) is hit


FILES = {
    "concepts/a.md": "# a\n\n# again\n",
    "concepts/sub/b.md": "# b\n\n# again\n",
    "notes/c.md": "# c\n\n# again\n",
}


def _reported(root: Path, config_text: str) -> set[str]:
    result = lint_paths([str(root)], root=str(root), config=config_from_text(config_text))
    return {d.path for d in result.diagnostics if d.rule_id == "MK020"}


@pytest.mark.parametrize("glob", ["concepts/*.md", "concepts/**", "*.md", "sub", "/notes/c.md"])
def test_one_glob_selects_the_same_files_in_ignore_overrides_and_schemas(tmp_path: Path, glob: str) -> None:
    root = write_tree(tmp_path / "repo", FILES)
    every = set(FILES)
    selected = {p for p in every if selects(glob, p)}
    assert selected  # each case selects something, and all but the broad ones not everything
    assert selected != every or glob == "*.md"
    ignored = every - {p for p in Corpus(root, ignore=[glob]).paths}
    assert ignored == selected
    overridden = every - _reported(root, f"overrides:\n  - files: ['{glob}']\n    rules: {{single-h1: off}}\n")
    assert overridden == selected
    config = config_from_text(f"schemas:\n  '{glob}': default\n")
    assert {p for p in every if config.schema_ref(p) is not None} == selected
