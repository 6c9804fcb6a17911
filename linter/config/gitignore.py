"""`.gitignore` files honoured the way git does, folder by folder.

Each `.gitignore` applies to paths below its folder, with git's wildmatch semantics
(negation, anchoring, `**`, directory-only patterns), which `pathspec` implements; a deeper
file's rules are checked after (and so override) a shallower one's.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec

Reader = Callable[[str], bytes | None]


class GitIgnore:
    def __init__(self, files: Iterable[str], read: Reader) -> None:
        self._specs: list[tuple[str, pathspec.GitIgnoreSpec]] = []
        for f in sorted(files, key=lambda p: (p.count("/"), p)):
            if posixpath.basename(f) != ".gitignore":
                continue
            data = read(f)
            if data is None:
                continue
            lines = data.decode("utf-8", errors="replace").splitlines()
            import pathspec  # here: a root without .gitignore files never needs it

            spec = pathspec.GitIgnoreSpec.from_lines(lines)
            self._specs.append((posixpath.dirname(f), spec))

    def matches(self, relpath: str) -> bool:
        """Whether git would ignore the root-relative POSIX path `relpath`."""
        ignored = False
        for folder, spec in self._specs:
            if folder and not relpath.startswith(folder + "/"):
                continue
            sub = relpath[len(folder) + 1 :] if folder else relpath
            # include is None when no pattern of this file speaks about the path
            result = spec.check_file(sub)
            if result.include is not None:
                ignored = result.include
        return ignored


def lazy_gitignore(files: Callable[[], Iterable[str]], read: Reader) -> Callable[[str], bool]:
    """A predicate that reads the `.gitignore` files the first time it is asked."""
    holder: list[GitIgnore] = []

    def check(relpath: str) -> bool:
        if not holder:
            holder.append(GitIgnore(files(), read))
        return holder[0].matches(relpath)

    return check
