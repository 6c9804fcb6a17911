"""Exit codes and option combinations of `check` that CI relies on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "linter", "check", str(root), *args], capture_output=True, text=True, timeout=120,
        cwd=root,  # text output names files relative to the current directory
    )


def test_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.md").write_text("# T\n\n<!-- formalai-lint-disable-next-line -->\n正文。\n", "utf-8")
    plain = check(tmp_path)
    assert plain.returncode == 0
    assert plain.stdout.splitlines()[0].startswith("a.md:3:1: MK900 warning: formalai-lint-disable-next-line for every rule")
    assert check(tmp_path, "--strict").returncode == 1
    (tmp_path / "a.md").write_text("# T\n\n正文。\n", "utf-8")
    assert check(tmp_path, "--strict").returncode == 0


def test_usage_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.md").write_text("# T\n", "utf-8")
    both = check(tmp_path, "--baseline", "x.json", "--write-baseline", "y.json")
    assert both.returncode == 2 and "cannot be used together" in both.stderr
    bad_format = check(tmp_path, "--format", "xml")
    assert bad_format.returncode == 2 and "Traceback" not in bad_format.stderr
    missing_config = check(tmp_path, "--config", str(tmp_path / "nope.yaml"))
    assert missing_config.returncode == 2 and "config file not found" in missing_config.stderr


def test_not_a_git_repository_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / ".formalai-lint.yaml").write_text("rules: {}\n", "utf-8")
    (tmp_path / "a.md").write_text("# T\n", "utf-8")
    r = check(tmp_path, "--changed-since", "main")
    assert r.returncode == 2
    assert r.stderr.startswith("error: git rev-parse failed") and "Traceback" not in r.stderr


def test_explicit_config_file(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.md").write_text("# T\n\n# U\n", "utf-8")
    (tmp_path / "ci.yaml").write_text("extends: formalai\nrules:\n  single-h1: off\n", "utf-8")
    (tmp_path / ".formalai-lint.yaml").write_text("extends: formalai\n", "utf-8")
    assert check(tmp_path).returncode == 1
    assert check(tmp_path, "--config", str(tmp_path / "ci.yaml")).returncode == 0


def test_unwritable_outputs_exit_2_with_one_line(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.md").write_text("# T\n", "utf-8")
    nowhere = tmp_path / "no" / "such" / "dir"
    r = check(tmp_path, "--write-baseline", str(nowhere / "b.json"))
    assert r.returncode == 2 and r.stderr.startswith("error: cannot write baseline") and "Traceback" not in r.stderr
    r = check(tmp_path, "--format", "sarif", "--output", str(nowhere / "r.sarif"))
    assert r.returncode == 2 and r.stderr.startswith("error: cannot write") and "Traceback" not in r.stderr


def test_oversized_config_is_refused(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.md").write_text("# T\n", "utf-8")
    (tmp_path / ".formalai-lint.yaml").write_text("ignore:\n" + '  - "x"\n' * 200_000, "utf-8")
    r = check(tmp_path)
    assert r.returncode == 2 and "config larger than 1048576 bytes" in r.stderr


def test_select_runs_only_the_named_rules(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.md").write_text("# T\n\n# U\n\n```\nx\n", "utf-8")
    r = check(tmp_path, "--select", "single-h1", "--format", "github")
    assert r.returncode == 1
    assert [ln.split("::")[1].split(",title=")[1] for ln in r.stdout.splitlines()] == ["MK020 single-h1"]
    both = check(tmp_path, "--select", "MK020, unclosed-code-fence", "--format", "github")
    assert sorted(ln.split("title=")[1].split(" ")[0] for ln in both.stdout.splitlines()) == ["MK010", "MK020"]
    bad = check(tmp_path, "--select", "MK020,nope")
    assert bad.returncode == 2 and bad.stderr.strip() == (
        "error: --select: unknown rule, family or prefix 'nope'; expected an id (LK003), a name (bad-anchor), "
        "a family (markdown, structure, toc, links, math, references, metadata) or an id prefix (LK); "
        "see `formalai-lint rules`"
    )
