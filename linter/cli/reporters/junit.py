"""JUnit XML for CI dashboards: one test case per linted file (or per rule), a failure per
file (or rule) with findings that fail the run (errors; warnings too with --strict), so the
dashboard and the exit code agree. Other findings are listed in the case's system-out. ElementTree escapes markup; characters XML 1.0 cannot hold
at all (control characters from a broken file) are replaced."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, TextIO

from ...api import LintResult
from ...diagnostics import Diagnostic, Severity
from ...rules import ALL_RULES, get_rule

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def _line(d: Diagnostic) -> str:
    return _clean(f"{d.path}:{d.line}:{d.column}: {d.rule_id} {d.severity.value}: {d.message}")


def build(result: LintResult, per: str = "file", strict: bool = False) -> ET.Element:
    groups: dict[str, list[Diagnostic]] = defaultdict(list)
    if per == "rule":
        names = [r.id for r in ALL_RULES]
        for d in result.diagnostics:
            groups[d.rule_id].append(d)
    else:
        names = list(result.files)
        for d in result.diagnostics:
            groups[d.path].append(d)
    names = list(dict.fromkeys([*names, *sorted(groups)]))
    import xml.etree.ElementTree as ET  # noqa: F811 - here: only --format junit builds XML

    suites = ET.Element("testsuites", name="formalai-lint")
    suite = ET.SubElement(suites, "testsuite", name=f"formalai-lint ({per})")
    failures = 0
    for name in names:
        case = ET.SubElement(suite, "testcase", name=_clean(name), classname=f"formalai-lint.{per}")
        failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
        found = [d for d in groups.get(name, []) if d.severity in failing]
        rest = [d for d in groups.get(name, []) if d.severity not in failing]
        if found:
            failures += 1
            r = get_rule(name) if per == "rule" else None
            summary = f"{len(found)} finding(s)" + (f" of {r.name}" if r else "")
            fail = ET.SubElement(case, "failure", message=_clean(summary), type="lint")
            fail.text = "\n".join(_line(d) for d in found)
        if rest:
            ET.SubElement(case, "system-out").text = "\n".join(_line(d) for d in rest)
    suite.set("tests", str(len(names)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suites.set("tests", str(len(names)))
    suites.set("failures", str(failures))
    return suites


def report(result: LintResult, out: TextIO, per: str = "file", strict: bool = False) -> None:
    import xml.etree.ElementTree as ET  # noqa: F811

    tree = build(result, per, strict)
    ET.indent(tree)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(tree, encoding="unicode"))
    out.write("\n")
