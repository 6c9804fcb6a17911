"""Metadata date formats: which spellings of a day a knowledge base accepts, and the day each
names.

FormalAI writes ISO dates (`2025-01-15`); other corpora write `2025年1月15日`, `2025/01/15`
or `2025.01.15`. MT002 checks that a date uses one of the accepted formats (an option); the
rules that compare dates (MT004, MT005, MT006) read every format, so a corpus of Chinese
dates keeps its update-before-creation and future-date checks.
"""

from __future__ import annotations

import datetime as dt
import re

# name -> (pattern with year/month/day groups, how messages spell it)
FORMATS: dict[str, tuple[re.Pattern[str], str]] = {
    "iso": (re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$"), "YYYY-MM-DD"),
    "cjk": (re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日$"), "YYYY年M月D日"),
    "slash": (re.compile(r"^(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})$"), "YYYY/MM/DD"),
    "dotted": (re.compile(r"^(?P<y>\d{4})\.(?P<m>\d{1,2})\.(?P<d>\d{1,2})$"), "YYYY.MM.DD"),
}
DEFAULT_FORMATS = ("iso",)


def format_of(value: str) -> str | None:
    """The name of the format `value` is written in (the day need not exist)."""
    value = value.strip()
    return next((name for name, (pattern, _) in FORMATS.items() if pattern.match(value)), None)


def iso_text(value: str, accepted: tuple[str, ...] = tuple(FORMATS)) -> str | None:
    """`value` rewritten as `YYYY-MM-DD` when it is in an accepted format (an impossible day
    such as `2025年13月45日` becomes `2025-13-45`, for the calendar check); else None."""
    name = format_of(value)
    if name is None or name not in accepted:
        return None
    m = FORMATS[name][0].match(value.strip())
    assert m is not None
    return f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}"


def parse_date(value: str) -> dt.date | None:
    """The day `value` names, in any known format; None when it names none."""
    text = iso_text(value)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def labels(accepted: tuple[str, ...]) -> str:
    """`YYYY-MM-DD or YYYY年M月D日`, for messages."""
    return " or ".join(FORMATS[name][1] for name in accepted if name in FORMATS) or "YYYY-MM-DD"
