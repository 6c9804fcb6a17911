"""Bold metadata lines such as `**最后更新**：2025-11-10`, found on raw lines outside code.

The corpus writes metadata as bold `key：value` lines in a header or a footer (not YAML), with
three variants measured in guide/corpus.md section 7: `**键**：值` (the norm), the colon
inside the bold `**键：**值`, and plain `键：值` lines. Only known metadata keys are taken
(Chinese and their usual English counterparts, `**Updated**: 2025-01-15`):
the same shape is used everywhere for content labels (`**形式化表述**：`, `**核心论点**：…`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from .model import MetadataField

METADATA_KEYS = frozenset(
    {
        "最后更新", "更新日期", "更新时间", "创建日期", "创建时间", "维护者", "维护", "维护责任人",
        "文档版本", "版本", "状态", "文档状态", "下次更新", "作者", "审核者", "审核", "负责人",
        # English knowledge bases write the same footer (none of these occurs in FormalAI)
        "Last updated", "Last Updated", "Updated", "Created", "Author", "Authors", "Maintainer",
        "Maintainers", "Version", "Status",
    }
)
_BOLD = re.compile(r"^\*\*(?P<key>[^*\n：:]{1,24}?)\*\*\s*(?P<colon>[：:])\s*(?P<value>.*?)\s*$")
_BOLD_INSIDE = re.compile(r"^\*\*(?P<key>[^*\n：:]{1,24}?)\s*(?P<colon>[：:])\s*\*\*\s*(?P<value>.*?)\s*$")
_PLAIN = re.compile(r"^(?P<key>[^*\s：:]{1,12})\s*(?P<colon>[：:])\s*(?P<value>.*?)\s*$")
_PREFIX = re.compile(r"^(\s*>)*\s*(?:[-*+]\s+)?")
# a line can only hold a field if it holds a known key (most lines with a colon do not)
_ANY_KEY = re.compile("|".join(sorted(map(re.escape, METADATA_KEYS), key=len, reverse=True)))


def scan_metadata(lines: Sequence[str], skip: Collection[int]) -> tuple[MetadataField, ...]:
    found: list[MetadataField] = []
    for number, raw in enumerate(lines, start=1):
        if number in skip or "：" not in raw and ":" not in raw or not _ANY_KEY.search(raw):
            continue
        prefix = _PREFIX.match(raw)
        start = prefix.end() if prefix else 0
        body = raw[start:]
        for style, pattern in (("bold", _BOLD), ("bold-colon-inside", _BOLD_INSIDE), ("plain", _PLAIN)):
            m = pattern.match(body)
            if not m:
                continue
            key = m.group("key").strip()
            value = m.group("value")
            # keep the first field of `最后更新：2025-01-02  · 维护：FormalAI 项目组` lines
            if style == "plain":
                value = re.split(r"\s+[·|]\s+", value)[0]
            if key not in METADATA_KEYS:
                break  # a content label such as `**核心论点**：…`, not metadata
            colon = "full" if m.group("colon") == "：" else "half"
            found.append(MetadataField(key, value, number, start + 1, colon, style))  # type: ignore[arg-type]
            break
    return tuple(found)
