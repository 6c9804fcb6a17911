"""One parametrised test per YAML case: the exact set of a rule's findings on a fixture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from .case_runner import parse_expect, run_case, run_fix_case

CASES = Path(__file__).parent / "cases"


def _load() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        for name, case in data["cases"].items():
            params.append(pytest.param(data["rule"], case, id=f"{data['rule']}::{name}"))
    return params


@pytest.mark.parametrize(("rule_id", "case"), _load())
def test_case(rule_id: str, case: dict[str, Any], tmp_path: Path) -> None:
    found, multi = run_case(rule_id, case, tmp_path)
    expected = parse_expect(case.get("expect", []))

    def key(path: str, line: int, col: int) -> str:
        return f"{path}:{line}:{col}" if multi else f"{line}:{col}"

    got = sorted(key(d.path, d.line, d.column) for d in found)
    assert got == sorted(e.at for e in expected), "\n".join(
        f"{key(d.path, d.line, d.column)} {d.message}" for d in found
    )
    by_pos = {key(d.path, d.line, d.column): d.message for d in found}
    for e in expected:
        if e.message is not None:
            assert e.message in by_pos[e.at], f"{e.at}: {by_pos[e.at]!r} lacks {e.message!r}"


def _fix_cases() -> list[Any]:
    return [p for p in _load() if "fixed" in p.values[1]]  # type: ignore[operator]


@pytest.mark.parametrize(("rule_id", "case"), _fix_cases())
def test_fix_case(rule_id: str, case: dict[str, Any], tmp_path: Path) -> None:
    """`fixed:` in a case is the text `--fix --unsafe-fixes` leaves (for a multi-file case, a
    mapping of the files it changes); a second run changes nothing."""
    after = run_fix_case(rule_id, case, tmp_path / "1")
    want = case["fixed"] if isinstance(case["fixed"], dict) else {case.get("path", "doc.md"): case["fixed"]}
    assert {p: after[p] for p in want} == want
    again = dict(case, **({"files": after} if "files" in case else {"text": next(iter(after.values()))}))
    assert run_fix_case(rule_id, again, tmp_path / "2") == after
