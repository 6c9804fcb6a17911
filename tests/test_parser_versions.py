"""The parsers' versions in the model cache's key, read from the installed wheels' dist-info
folder names, and importlib.metadata where that does not answer."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.parametrize("distribution", ["markdown-it-py", "mdit-py-plugins", "pyromark"])
def test_a_parser_version_read_from_its_dist_info_is_importlib_metadatas(distribution: str) -> None:
    """The cache key names the parsers' versions without importlib.metadata (about 40 ms of
    a pre-commit run): the version in the wheel's dist-info folder name is the same one."""
    from importlib import metadata

    from linter.document.parsers import installed_version

    try:
        expected = metadata.version(distribution)
    except metadata.PackageNotFoundError:
        pytest.skip(f"{distribution} is not installed")
    assert installed_version(distribution) == expected


def test_an_unusual_install_asks_importlib_metadata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One `NAME-VERSION.dist-info` beside the module gives its version; none or two (an
    editable install, a botched upgrade) give None, and the identity asks importlib.metadata."""
    import sys

    from linter.document import parsers

    (tmp_path / "fakepkg").mkdir()
    (tmp_path / "fakepkg" / "__init__.py").write_text("", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(parsers._MODULES, "fake-dist", "fakepkg")
    sys.modules.pop("fakepkg", None)
    assert parsers.installed_version("fake-dist") is None
    (tmp_path / "fake_dist-1.2.3.dist-info").mkdir()
    assert parsers.installed_version("fake-dist") == "1.2.3"
    (tmp_path / "fake_dist-1.2.4.dist-info").mkdir()
    assert parsers.installed_version("fake-dist") is None
    for folder in tmp_path.glob("*.dist-info"):
        folder.rmdir()
    assert parsers._version("fake-dist") == "missing"  # importlib.metadata's answer
