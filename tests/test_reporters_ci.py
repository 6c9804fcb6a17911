"""CI report formats: SARIF (validated against the official schema), GitHub, JUnit, colour."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import referencing

from linter import lint_paths
from linter.api import LintResult
from linter.diagnostics import Diagnostic, Severity
from linter.cli.reporters import github, junit, sarif
from linter.cli.reporters.text import report as text_report
from linter.cli.reporters.text import use_color
from linter.rules import ALL_RULES

SCHEMA = Path(__file__).resolve().parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"


@pytest.fixture()
def result(tmp_path: Path) -> LintResult:
    (tmp_path / ".git").mkdir()
    (tmp_path / "概念 一.md").write_text("# 一\n\n## 1.1 小节\n\n# 二\n", "utf-8")
    (tmp_path / "b.md").write_text("# B\n\n```python\nx = 1\n", "utf-8")
    (tmp_path / "ok.md").write_text("# OK\n", "utf-8")
    # the fixtures are built around these two rules; other rules are not the subject here
    return lint_paths([tmp_path], root=tmp_path, select=["MK010", "MK020"])


def test_sarif_validates_against_the_official_schema(result: LintResult) -> None:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    out = io.StringIO()
    sarif.report(result, out)
    data = json.loads(out.getvalue())
    validator = jsonschema.Draft7Validator(schema, registry=referencing.Registry())
    errors = sorted(validator.iter_errors(data), key=str)
    assert errors == []
    # and the schema is strict enough to notice a broken log
    broken = json.loads(out.getvalue())
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert list(validator.iter_errors(broken))


def test_sarif_content(result: LintResult) -> None:
    data = sarif.build(result)
    run = data["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in ALL_RULES]
    md010 = rules[[r.id for r in ALL_RULES].index("MK010")]
    assert md010["name"] == "unclosed-code-fence" and "## Why" in md010["help"]["markdown"]
    assert md010["defaultConfiguration"]["level"] == "error"
    got = [
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["level"],
            rules[r["ruleIndex"]]["id"],
        )
        for r in run["results"]
    ]
    assert got == [
        ("MK010", "b.md", 3, "error", "MK010"),
        ("MK020", "%E6%A6%82%E5%BF%B5%20%E4%B8%80.md", 5, "error", "MK020"),
    ]
    fps = [r["partialFingerprints"]["formalaiLint/v2"] for r in run["results"]]
    assert len(set(fps)) == 2 and all(len(f) == 32 for f in fps)


def test_sarif_fingerprint_survives_inserted_lines(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    doc = tmp_path / "a.md"
    doc.write_text("# 一\n\n## 节\n\n# 二\n", "utf-8")
    before = sarif.build(lint_paths([doc], root=tmp_path, select=["MK020"]))["runs"][0]["results"][0]
    doc.write_text("# 一\n\n## 节\n\n新的一段。\n\n# 二\n", "utf-8")
    after = sarif.build(lint_paths([doc], root=tmp_path, select=["MK020"]))["runs"][0]["results"][0]
    assert after["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
    assert after["partialFingerprints"] == before["partialFingerprints"]


def _one(d: Diagnostic, root: Path = Path(".")) -> LintResult:
    return LintResult(root, (d.path,), (d,))


def test_github_annotations_escape_data_and_properties() -> None:
    d = Diagnostic("a,b:c.md", 3, 7, "MK020", "100% wrong\r\nsecond line", Severity.WARNING)
    out = io.StringIO()
    github.report(_one(d), out)
    assert out.getvalue() == (
        "::warning file=a%2Cb%3Ac.md,line=3,col=7,title=MK020 single-h1::100%25 wrong%0D%0Asecond line\n"
    )


def test_github_severity_commands(result: LintResult) -> None:
    out = io.StringIO()
    github.report(result, out)
    assert out.getvalue().splitlines() == [
        "::error file=b.md,line=3,col=1,endLine=3,endColumn=9,title=MK010 unclosed-code-fence::code fence ``` (python) is never "
        "closed, so line 4 renders as code; expected a closing ```",
        "::error file=概念 一.md,line=5,col=1,endLine=5,endColumn=3,title=MK020 single-h1::second H1 '二'; expected one H1 per "
        "document (the title at line 1)",
    ]
    info = Diagnostic("x.md", 1, 1, "MK003", "m", Severity.INFO)
    assert github.format_line(info.path, 1, 1, "MK003", "m", Severity.INFO).startswith("::notice ")


def test_junit_per_file_and_per_rule(result: LintResult) -> None:
    root = ET.fromstring(_junit(result, "file"))
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert sorted(cases) == ["b.md", "ok.md", "概念 一.md"]
    assert cases["ok.md"].find("failure") is None
    fail = cases["b.md"].find("failure")
    assert fail is not None and fail.get("message") == "1 finding(s)"
    assert fail.text == (
        "b.md:3:1: MK010 error: code fence ``` (python) is never closed, so line 4 renders as code; "
        "expected a closing ```"
    )
    suite = root.find("testsuite")
    assert suite is not None and (suite.get("tests"), suite.get("failures")) == ("3", "2")
    by_rule = ET.fromstring(_junit(result, "rule"))
    failing = [c.get("name") for c in by_rule.iter("testcase") if c.find("failure") is not None]
    assert failing == ["MK010", "MK020"]


def test_junit_escapes_markup_and_control_characters() -> None:
    d = Diagnostic("<a>&.md", 1, 1, "MK020", 'bad "x" <y> & \x07bell')
    text = _junit(_one(d), "file")
    root = ET.fromstring(text)  # parses: well-formed XML
    fail = next(root.iter("failure"))
    assert fail.text == '<a>&.md:1:1: MK020 error: bad "x" <y> & \ufffdbell'
    assert "&lt;y&gt; &amp;" in text


def _junit(result: LintResult, per: str) -> str:
    out = io.StringIO()
    junit.report(result, out, per=per)
    return out.getvalue()


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("mode", "tty", "env", "expected"),
    [
        ("auto", True, {}, True),
        ("auto", False, {}, False),
        ("auto", True, {"NO_COLOR": "1"}, False),
        ("auto", True, {"NO_COLOR": ""}, True),  # no-color.org: only a non-empty value counts
        ("always", False, {"NO_COLOR": "1"}, True),
        ("never", True, {}, False),
    ],
)
def test_use_color(mode: str, tty: bool, env: dict[str, str], expected: bool) -> None:
    stream = FakeTTY() if tty else io.StringIO()
    assert use_color(mode, stream, env) is expected


def test_coloured_text_keeps_the_plain_text(result: LintResult) -> None:
    plain, coloured = io.StringIO(), io.StringIO()
    text_report(result, plain)
    text_report(result, coloured, color=True)
    assert "\x1b[" not in plain.getvalue()
    assert "\x1b[31mMK010\x1b[0m" in coloured.getvalue()
    import re

    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured.getvalue()) == plain.getvalue()


def test_cli_color_always_and_output_file(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / ".git").mkdir()
    (tmp_path / "b.md").write_text("# B\n\n```\nx\n", "utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "linter", "check", str(tmp_path), "--color", "always"],
        capture_output=True, text=True, timeout=120,
    )
    assert r.returncode == 1 and "\x1b[31mMK010" in r.stdout
    out = tmp_path / "report.sarif"
    r = subprocess.run(
        [sys.executable, "-m", "linter", "check", str(tmp_path), "--format", "sarif", "-o", str(out)],
        capture_output=True, text=True, timeout=120,
    )
    assert r.returncode == 1 and r.stdout == ""
    assert json.loads(out.read_text("utf-8"))["runs"][0]["results"][0]["ruleId"] == "MK010"
