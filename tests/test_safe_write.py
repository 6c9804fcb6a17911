"""linter.util.safe_write: atomic, never through a symlink, never onto a non-regular file,
only inside the root when one is given, mode kept."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from linter.util.safe_write import UnsafeWrite, write_bytes, write_text


def test_creates_and_replaces_keeping_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    write_text(target, "one\r\n")
    assert target.read_bytes() == b"one\r\n"  # no newline translation
    os.chmod(target, 0o751)
    write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert stat.S_IMODE(target.stat().st_mode) == 0o751
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]  # no temporary left behind


def test_refuses_a_symlink_at_the_target(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    link = tmp_path / "B.json"
    link.symlink_to(victim)
    with pytest.raises(UnsafeWrite, match="symbolic link"):
        write_text(link, "{}")
    assert victim.read_text() == "keep" and link.is_symlink()


def test_a_planted_fixed_name_temp_symlink_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    (tmp_path / "B.json.tmp").symlink_to(victim)
    write_text(tmp_path / "B.json", "{}")
    assert victim.read_text() == "keep"
    assert (tmp_path / "B.json").read_text() == "{}"


def test_refuses_a_fifo_and_a_folder(tmp_path: Path) -> None:
    fifo = tmp_path / "x.json"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeWrite, match="not a regular file"):
        write_text(fifo, "{}")
    (tmp_path / "d").mkdir()
    with pytest.raises(UnsafeWrite, match="not a regular file"):
        write_text(tmp_path / "d", "{}")


def test_refuses_outside_the_root_also_through_a_linked_folder(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "cache").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafeWrite, match="outside the root"):
        write_text(root / "cache" / "entry.json", "{}", root=root)
    with pytest.raises(UnsafeWrite, match="outside the root"):
        write_text(tmp_path / "elsewhere.md", "x", root=root)
    assert list(outside.iterdir()) == []
    write_text(root / "ok.md", "x", root=root)
    assert (root / "ok.md").read_text() == "x"


def test_a_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.json"
    target.write_text("old")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        write_text(target, "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_durable_writes_sync_and_cache_writes_do_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # users' files (fixes, baselines, reports) are synced to disk; cache entries, which are
    # checked when read and can be rebuilt, skip the two fsyncs but stay atomic
    from linter.run import cache as cache_module

    synced: list[int] = []
    real = os.fsync

    def counting(fd: int) -> None:
        synced.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", counting)
    write_bytes(tmp_path / "user.md", b"# A\n")
    assert len(synced) == 2  # the file, then its folder (the rename)
    synced.clear()
    write_bytes(tmp_path / "entry.json", b"{}", durable=False)
    assert synced == [] and (tmp_path / "entry.json").read_bytes() == b"{}"
    folder = tmp_path / "cache"
    folder.mkdir()
    cache_module.Cache(folder, "e" * 64, "f" * 64).store("models", "cd" + "0" * 62, b"{}")
    assert synced == [] and len(list(folder.rglob("*.json"))) == 1
