"""A corpus whose files can be replaced in memory: what the fix engine re-lints.

Fixed text lives here between passes, so each pass lints the corpus as it would be after
the fixes so far, and nothing reaches the disk until the last pass is done (or ever, for
`--diff`). An updated file is parsed again on its next use; the link checker, which
remembers anchors and verdicts per corpus, is dropped with it.
"""

from __future__ import annotations

import os

from ..corpus import Corpus
from ..links.check import forget_checker


class OverlayCorpus(Corpus):
    """A `Corpus` with an in-memory layer of replaced files over the disk."""

    _overlay: dict[str, bytes]

    def _layer(self) -> dict[str, bytes]:
        try:
            return self._overlay
        except AttributeError:
            self._overlay = {}
            return self._overlay

    def read(self, relpath: str) -> bytes | None:
        layer = self._layer()
        if relpath in layer:
            return layer[relpath]
        return super().read(relpath)

    def stat(self, relpath: str) -> os.stat_result | None:
        # a replaced file has no stat of its own: it is read (and hashed) from memory
        return None if relpath in self._layer() else super().stat(relpath)

    def update(self, relpath: str, data: bytes) -> None:
        """Replace `relpath` with `data` for every later read and parse."""
        self._layer()[relpath] = data
        self._docs.pop(relpath, None)
        forget_checker(self)

    def replaced(self) -> dict[str, bytes]:
        return dict(self._layer())
