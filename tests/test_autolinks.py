"""GFM extended autolinks and raw-text links: cmark-gfm's boundaries, and linear scans."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from linter.document.autolinks import extended_autolinks
from linter.document.raw_links import html_links, pseudo_links


@pytest.mark.parametrize(
    ("text", "links"),
    [
        # GFM spec 0.29 examples 621-631 (extended www, url and e-mail autolinks)
        ("www.commonmark.org", ["http://www.commonmark.org"]),
        ("Visit www.commonmark.org/help for more information.", ["http://www.commonmark.org/help"]),
        ("Visit www.commonmark.org/a.b.", ["http://www.commonmark.org/a.b"]),
        ("www.google.com/search?q=Markup+(business)))", ["http://www.google.com/search?q=Markup+(business)"]),
        ("(www.google.com/search?q=Markup+(business))", ["http://www.google.com/search?q=Markup+(business)"]),
        ("www.google.com/search?q=commonmark&hl;", ["http://www.google.com/search?q=commonmark"]),
        ("www.commonmark.org/he<lp", ["http://www.commonmark.org/he"]),
        ("http://commonmark.org", ["http://commonmark.org"]),
        ("(Visit https://encrypted.google.com/search?q=Markup+(business))",
         ["https://encrypted.google.com/search?q=Markup+(business)"]),
        ("foo@bar.baz", ["mailto:foo@bar.baz"]),
        ("hello@mail+xyz.example isn't valid, but hello+xyz@mail.example is.", ["mailto:hello+xyz@mail.example"]),
        ("a.b-c_d@a.b.", ["mailto:a.b-c_d@a.b"]),
        ("a.b-c_d@a.b-", []),
        ("a.b-c_d@a.b_", []),
        ("www.xxx.yyy._zzz", []),
        # cmark-gfm: the scheme is the run of ASCII letters before `:`; CJK text is not cut
        ("参见：https://example.org/x。下文", ["https://example.org/x。下文"]),
        ("xhttps://example.org", []),
        ("文本www.example.org", []),
    ],
)
def test_boundaries(text: str, links: list[str]) -> None:
    assert [href for _, _, href in extended_autolinks(text)] == links


def _ratio(scan: Callable[[str], object], unit: str, n: int = 4000) -> float:
    """Time on 8n units over time on n units (linear: about 8).

    Each size takes the fastest of five runs of CPU time: other processes on a busy machine
    only ever slow a run down, so the minimum is the one that measures the scan.
    """
    def run(k: int) -> float:
        # CPU time, best of five: wall time of a millisecond on a shared machine is noise
        text = unit * k
        best = float("inf")
        for _ in range(5):
            start = time.process_time()
            scan(text)
            best = min(best, time.process_time() - start)
        return best

    run(n)  # warm up
    return run(8 * n) / max(run(n), 1e-9)


@pytest.mark.parametrize(
    ("scan", "unit"),
    [
        (extended_autolinks, "https://a/"),
        (extended_autolinks, "a@"),
        (extended_autolinks, "a.a@a"),
        (extended_autolinks, "www.a "),
        (extended_autolinks, "(https://a.b/)"),
        (lambda t: list(pseudo_links(t)), "[x](a "),
        (lambda t: list(pseudo_links(t)), "[[[x]"),
        (lambda t: list(html_links(t)), "<a href=x>"),
        (lambda t: list(html_links(t)), "<a "),
    ],
)
def test_scans_are_linear(scan: Callable[[str], object], unit: str) -> None:
    # a quadratic scan gives about 64 for 8 times the input; allow noise up to 24
    assert _ratio(scan, unit) < 24
