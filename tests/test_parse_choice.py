"""The parser is a setting: `parser:` in the config, `--parser` on check, links and parse; the
reports are the same with either (the models are, tests/test_parse_native.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli.main import cli, main
from linter.config.files import load_config
from linter.document import parsers

pytest.importorskip("pyromark")

EXAMPLE = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture()
def example(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(EXAMPLE, root)
    return root


def test_check_json_is_the_same_with_either_parser(example: Path) -> None:
    out = {}
    for choice in parsers.CHOICES:
        result = CliRunner().invoke(cli, ["check", str(example), "--no-cache", "--format", "json", "--parser", choice])
        assert result.exit_code == 1, result.output  # the example corpus has deliberate errors
        out[choice] = result.output
    assert out[parsers.PULLDOWN] == out[parsers.MARKDOWN_IT]
    assert '"LK' in out[parsers.MARKDOWN_IT]  # a real report, with link findings


def test_links_and_parse_take_the_option(example: Path) -> None:
    doc = next(example.rglob("*.md"))
    for choice in parsers.CHOICES:
        links = CliRunner().invoke(cli, ["links", str(example), "--no-cache", "--format", "json", "--parser", choice])
        assert links.exit_code in (0, 1), links.output
        parsed = CliRunner().invoke(cli, ["parse", str(doc), "--parser", choice])
        assert parsed.exit_code == 0 and '"headings"' in parsed.output


def test_an_unknown_parser_is_a_usage_error(example: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(example), "--parser", "commonmark-py"])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_the_config_key_chooses_and_is_validated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".formalai-lint.yaml").write_text("parser: pulldown-cmark\n", encoding="utf-8")
    assert load_config(tmp_path).parser == parsers.PULLDOWN
    (tmp_path / ".formalai-lint.yaml").write_text("parser: markdown-it\n", encoding="utf-8")
    assert load_config(tmp_path).parser == parsers.MARKDOWN_IT
    (tmp_path / ".formalai-lint.yaml").write_text("parser: cmark\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["check", str(tmp_path)])
    assert exited.value.code == 2
    assert "parser: 'cmark' is not one of" in capsys.readouterr().err
    (tmp_path / ".formalai-lint.yaml").unlink()
    assert load_config(tmp_path).parser == parsers.DEFAULT_PARSER
