"""Resolving link destinations the way GitHub does (linter/links/resolve.py)."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from linter.links.resolve import FileTree, encode_spaces, is_local_absolute, relative, resolve, split


def test_split_path_query_fragment() -> None:
    d = split("a/b.md?plain=1#三、x")
    assert (d.path, d.query, d.fragment) == ("a/b.md", "plain=1", "三、x")
    assert split("#").fragment == "" and split("a.md").fragment is None
    assert split("#%E7%BB%93").decoded_fragment == "结"


def test_resolve_dotdot_percent_and_root() -> None:
    assert resolve("concepts/02-x/a.md", "../01-y/README.md") == resolve("concepts/02-x/a.md", "./../01-y/README.md")
    assert resolve("concepts/02-x/a.md", "../01-y/README.md").path == "concepts/01-y/README.md"
    assert resolve("concepts/02-x/a.md", "../../01-y/README.md").path == "01-y/README.md"
    assert resolve("docs/a.md", "../../x.md").escapes
    assert resolve("docs/a.md", "%2e%2e/%2E%2E/x.md").escapes
    assert resolve("docs/a.md", "03-Scaling%20Law/README.md").path == "docs/03-Scaling Law/README.md"
    assert resolve("docs/deep/a.md", "/concepts/x.md").path == "concepts/x.md"
    folder = resolve("docs/a.md", "../view/")
    assert (folder.path, folder.folder_syntax, folder.escapes) == ("view", True, False)
    assert resolve("a.md", "..\\b.md").path == "..\\b.md"  # a backslash is part of the name


def test_local_absolute_paths() -> None:
    for p in ("c:\\Users\\me\\a.md", "../c:\\Users\\x.plan.md", "D:/notes/a.md", "/home/user1/a.md",
              "/Users/me/a.md", "\\\\server\\share\\a.md", "~/notes.md"):
        assert is_local_absolute(p), p
    for p in ("../concepts/a.md", "/concepts/a.md", "docs/c.md", "a:b.md"):
        assert not is_local_absolute(p), p


def test_near_miss_case_and_normalisation() -> None:
    tree = FileTree(["docs/README.md", "café.md", "a.md"], ["docs"])
    case = tree.near_miss("Docs/readme.md")
    assert case is not None and case.path == "docs/README.md" and case.how == "letter case"
    nfd = tree.near_miss("cafe\u0301.md")
    assert nfd is not None and nfd.path == "café.md" and nfd.how == "Unicode normalisation (NFC/NFD)"
    assert tree.near_miss("a.md") is None and tree.near_miss("b.md") is None
    assert tree.kind("") == "dir" and tree.kind("docs") == "dir" and tree.kind("a.md") == "file"


def test_encode_spaces() -> None:
    assert encode_spaces("../03-Scaling Law与收敛分析/README.md") == "../03-Scaling%20Law与收敛分析/README.md"


_segment = st.text(alphabet="ab三 -_", min_size=1, max_size=4).filter(lambda s: s.strip(" ") == s and s not in (".", ".."))
_path = st.lists(_segment, min_size=1, max_size=4).map("/".join)


@given(doc=_path, target=_path)
def test_relative_round_trips(doc: str, target: str) -> None:
    """The destination `relative` writes resolves back to the target, never escaping."""
    doc = doc + ".md"
    r = resolve(doc, encode_spaces(relative(doc, target)))
    assert r.path == target and not r.escapes


@given(doc=_path, dest=st.lists(st.sampled_from(["..", ".", "a", "三", "%2e%2e", ""]), max_size=6).map("/".join))
def test_resolved_paths_are_normal(doc: str, dest: str) -> None:
    r = resolve(doc + ".md", dest)
    parts = r.path.split("/") if r.path else []
    assert all(p not in ("", ".", "..") for p in parts)
    assert r.path == posixpath.normpath(r.path) or r.path == ""
