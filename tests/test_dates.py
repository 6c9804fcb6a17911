"""Metadata dates in every accepted format name the right day (linter.schema.dates)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, strategies as st

from linter.schema.dates import FORMATS, format_of, iso_text, labels, parse_date


def _render(day: dt.date, name: str) -> str:
    return {
        "iso": f"{day:%Y-%m-%d}",
        "cjk": f"{day.year}年{day.month}月{day.day}日",
        "slash": f"{day:%Y/%m/%d}",
        "dotted": f"{day.year}.{day.month}.{day.day}",
    }[name]


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)), st.sampled_from(sorted(FORMATS)))
def test_every_format_names_its_day(day: dt.date, name: str) -> None:
    text = _render(day, name)
    assert format_of(text) == name
    assert parse_date(text) == day
    assert iso_text(text, (name,)) == day.isoformat()


def test_examples_and_refusals() -> None:
    assert parse_date("2025年1月15日") == dt.date(2025, 1, 15)
    assert parse_date("2025 年 1 月 15 日") == dt.date(2025, 1, 15)
    assert parse_date("2025年01月05日") == dt.date(2025, 1, 5)
    assert parse_date("2025年2月30日") is None  # no such day
    assert iso_text("2025年2月30日", ("cjk",)) == "2025-02-30"  # left for the calendar check
    assert iso_text("2025年1月15日", ("iso",)) is None  # not accepted
    assert parse_date("2025-1-15") is None and format_of("2025-1-15") is None  # ISO has two digits
    assert parse_date("January 15, 2025") is None
    assert labels(("iso", "cjk")) == "YYYY-MM-DD or YYYY年M月D日"
