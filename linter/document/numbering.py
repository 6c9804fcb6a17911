"""Heading numbers: `三、` (CJK numeral), `3.1` / `3.1.1` (dotted), `1.` / `1、` (arabic)."""

from __future__ import annotations

import re

from .model import HeadingNumber

_CJK_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CJK_UNITS = {"十": 10, "百": 100, "千": 1000}
_CJK = re.compile(r"^([零〇一二两三四五六七八九十百千]+)\s*[、．.]")
_DOTTED = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+)\.?(?=[\s\-–—:：、)）]|$|[^\d.])")
_ARABIC = re.compile(r"^(\d{1,3})(?:[.．](?=\s)|、|\s*[)）](?=\s))")


def cjk_to_int(numeral: str) -> int | None:
    """`十一` -> 11, `二十三` -> 23, `一百零五` -> 105; None if malformed."""
    total, digit = 0, None
    for ch in numeral:
        if ch in _CJK_DIGITS:
            if digit is not None and digit != 0:
                return None  # two digits in a row, e.g. 一二
            digit = _CJK_DIGITS[ch]
        elif ch in _CJK_UNITS:
            total += (1 if digit is None else digit) * _CJK_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def int_to_cjk(n: int) -> str:
    """11 -> 十一, 20 -> 二十, 105 -> 一百零五 (the forms the corpus writes)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n - 10] if n > 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + digits[rest] if rest < 10 else int_to_cjk(rest) if rest >= 20 else "一" + int_to_cjk(rest))
    return digits[n // 100] + "百" + tail


def parse_number(text: str) -> HeadingNumber | None:
    """The leading number of a heading's rendered text, if any."""
    text = text.lstrip()
    m = _CJK.match(text)
    if m:
        value = cjk_to_int(m.group(1))
        return HeadingNumber("cjk", (value,), m.group(1)) if value else None
    m = _DOTTED.match(text)
    if m:
        return HeadingNumber("dotted", tuple(int(p) for p in m.group(1).split(".")), m.group(1))
    m = _ARABIC.match(text)
    if m:
        return HeadingNumber("arabic", (int(m.group(1)),), m.group(1))
    return None
