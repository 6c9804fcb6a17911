"""`formalai-lint init` studies a corpus: families, inferred schemas and rule settings with
their evidence, a trial run, `--dry-run`, and never overwriting without `--force`.

tests/fixtures/other_style is a corpus written for these tests in a style unlike FormalAI:
English headings numbered `## 1. Overview`, `### 2.1 ...`, half-width metadata with Chinese
dates (`**Updated**: 2025年1月15日`), APA references, no TOCs. It carries one defect per
kind, listed in SEEDED below (four that any knowledge base would call a defect, nine that
break a convention the rest of the corpus follows).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from linter import lint_paths
from linter.config.files import load_config
from linter.infer.families import group, shape
from linter.infer.study import root_corpus, study
from linter.schema import read_schema_file

from .helpers import write_tree

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "other_style"

CONVENTION_FREE_DEFECTS = [
    ("guides/02-install.md", 23, "LK001"),  # link to a file that does not exist
    ("guides/03-configure.md", 23, "LK002"),  # #appendix: no such heading
    ("guides/04-deploy.md", 36, "MK010"),  # a ```yaml fence never closed
    ("guides/05-monitor.md", 35, "MT004"),  # **Author** twice
]
CONVENTION_DEFECTS = [
    ("guides/01-intro.md", 1, "MK021"),  # a notice above the title
    ("guides/01-intro.md", 31, "RF001"),  # a reference without its year
    ("guides/06-backup.md", 7, "ST001"),  # no Usage section
    ("guides/07-restore.md", 19, "ST101"),  # H2 numbers 1, 2, 4
    ("guides/08-upgrade.md", 15, "ST102"),  # ### 9.2 under ## 2.
    ("guides/09-security.md", 33, "MT007"),  # **Updated**：with a full-width colon
    ("guides/10-logging.md", 33, "MT002"),  # 2025年2月30日
    ("guides/11-testing.md", 33, "MT005"),  # updated before created
    ("guides/12-release.md", 33, "MT001"),  # no **Author**
]
SEEDED = sorted(CONVENTION_FREE_DEFECTS + CONVENTION_DEFECTS)


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "linter", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture
def other(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE, root)
    (root / ".git").mkdir()
    return root


def _found(root: Path) -> list[tuple[str, int, str]]:
    return sorted((d.path, d.line, d.rule_id) for d in lint_paths([root], root=root).diagnostics)


def test_without_config_only_convention_free_findings(other: Path) -> None:
    assert load_config(other).preset == "neutral"
    assert _found(other) == sorted(CONVENTION_FREE_DEFECTS)


def test_after_init_only_the_seeded_defects(other: Path) -> None:
    r = _run("init", cwd=other)
    assert r.returncode == 0, r.stderr
    assert (other / ".formalai-lint.yaml").is_file()
    assert sorted(p.name for p in (other / ".formalai-lint/schemas").iterdir()) == ["guides.yaml", "notes.yaml"]
    assert _found(other) == SEEDED
    # what init printed: per family, the documents passing as they stand
    assert "  guides (guides/[0-9][0-9]-*.md): 4 of 12 pass; 9 findings:" in r.stderr
    assert "  notes (notes/*.md): 6 of 6 pass" in r.stderr.splitlines()


def test_init_writes_evidence_and_measured_conventions(other: Path) -> None:
    result = study(root_corpus(other))
    guides = yaml.safe_load(result.schemas[".formalai-lint/schemas/guides.yaml"])
    assert [(i["name"], i.get("required", False)) for i in guides["sections"]["items"]] == [
        ("Overview", True), ("Usage", True), ("Details", True), ("References", True),
    ]
    assert guides["numbering"] == {"h2": {"style": "arabic", "start": 1}, "h3": {"style": "dotted", "parent_prefix": True}}
    assert "toc" not in guides  # no TOCs in this corpus
    assert guides["metadata"]["colon"] == "half" and guides["metadata"]["required"] == ["Created", "Updated", "Author"]
    text = result.schemas[".formalai-lint/schemas/guides.yaml"]
    assert "    # present in 11 of 12 documents, required\n    - {\"name\": \"Usage\"" in text
    assert "# 1 of 36 metadata lines use a full-width colon, 35 a half-width one" in text
    config = yaml.safe_load(result.config)
    assert config["extends"] == "neutral"
    assert config["rules"]["metadata-value"] == {"options": {"date-formats": ["cjk"]}}
    assert "  # dates: 24 of 24 are YYYY年M月D日\n" in result.config
    style = config["overrides"][0]["rules"]["reference-style"]
    assert style["options"]["sections"] == [{"title": "^References$", "styles": ["apa"]}]


def test_dry_run_prints_and_writes_nothing(other: Path) -> None:
    r = _run("init", "--dry-run", cwd=other)
    assert r.returncode == 0, r.stderr
    assert not (other / ".formalai-lint.yaml").exists() and not (other / ".formalai-lint").exists()
    parts = r.stdout.split("# --- ")
    assert [p.split("\n", 1)[0] for p in parts[1:]] == [
        ".formalai-lint.yaml", ".formalai-lint/schemas/guides.yaml", ".formalai-lint/schemas/notes.yaml",
    ]
    result = study(root_corpus(other))
    assert parts[1].split("\n", 1)[1] == result.config
    assert parts[2].split("\n", 1)[1] == result.schemas[".formalai-lint/schemas/guides.yaml"]
    for name, text in result.schemas.items():  # every written schema is valid as it stands
        target = other / "check" / Path(name).name
        target.parent.mkdir(exist_ok=True)
        target.write_text(text, "utf-8")
        assert read_schema_file(target).name == Path(name).stem  # type: ignore[union-attr]


def test_never_overwrites_without_force(other: Path) -> None:
    (other / ".formalai-lint.yaml").write_text("# mine\n", "utf-8")
    r = _run("init", cwd=other)
    assert r.returncode == 2 and "already exists; not overwriting it (use --force)" in r.stderr
    assert (other / ".formalai-lint.yaml").read_text("utf-8") == "# mine\n"
    assert not (other / ".formalai-lint").exists()
    r = _run("init", "--force", cwd=other)
    assert r.returncode == 0 and (other / ".formalai-lint.yaml").read_text("utf-8").startswith("# formalai-lint configuration")
    # a schema file in the way is not replaced either
    (other / ".formalai-lint.yaml").unlink()
    (other / ".formalai-lint/schemas/notes.yaml").write_text("# mine\n", "utf-8")
    r = _run("init", cwd=other)
    assert r.returncode == 2 and "schemas/guides.yaml already exists" in r.stderr
    assert (other / ".formalai-lint/schemas/notes.yaml").read_text("utf-8") == "# mine\n"


def test_schemas_dir_must_stay_inside_the_root(other: Path) -> None:
    r = _run("init", "--schemas-dir", "../out", cwd=other)
    assert r.returncode == 2 and "expected a folder inside the root" in r.stderr


def test_families_follow_folder_and_name_shapes() -> None:
    assert shape("01.1.1-图灵机") == "[0-9][0-9].[0-9]*-*"
    assert shape("01-基础") == "[0-9][0-9]-*"
    assert shape("T03_视角") == "T[0-9][0-9]_*"
    assert shape("README") is None
    paths = [f"concepts/0{i}-a/0{i}.{j}-b.md" for i in range(1, 4) for j in range(1, 3)]
    paths += [f"concepts/0{i}-a/README.md" for i in range(1, 4)] + ["misc/x.md"]
    families, rest = group(paths, min_size=3)
    assert [(f.glob, len(f.paths)) for f in families] == [
        ("concepts/[0-9][0-9]-*/[0-9][0-9].[0-9]*-*.md", 6), ("concepts/[0-9][0-9]-*/README.md", 3),
    ]
    assert rest == ["misc/x.md"]


def test_an_empty_corpus_gets_the_starter(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "kb", {"notes.txt": "not markdown\n"})
    r = _run("init", cwd=root)
    assert r.returncode == 0 and (root / ".formalai-lint.yaml").read_text("utf-8").startswith("# formalai-lint configuration. Reference")
