"""One document read from standard input, linted as if it were the file it names.

Editors pipe the unsaved buffer (`formalai-lint check - --stdin-filename docs/a.md`): the
text replaces that file, which need not exist yet, and every other document is read from the
disk, so links into and out of it are checked against the corpus as it is.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..corpus import Corpus


class StdinCorpus(Corpus):
    """A corpus where `relpath` has the given bytes instead of (or without) a file on disk."""

    def __init__(self, root: Path, relpath: str, data: bytes, **kwargs: Any) -> None:
        super().__init__(root, **kwargs)
        self.stdin_path = relpath
        self.stdin_data = data

    def _scan(self) -> None:
        super()._scan()
        assert self._files is not None and self._dirs is not None
        self._files = self._files | {self.stdin_path}
        parts = self.stdin_path.split("/")[:-1]
        self._dirs = self._dirs | {"/".join(parts[: i + 1]) for i in range(len(parts))}

    def read(self, relpath: str) -> bytes | None:
        return self.stdin_data if relpath == self.stdin_path else super().read(relpath)

    def stat(self, relpath: str) -> os.stat_result | None:
        return None if relpath == self.stdin_path else super().stat(relpath)
