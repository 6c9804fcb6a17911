"""What a top-level item of a reference section is, before any style is applied."""

from __future__ import annotations

import re
from typing import Literal

from ..document.model import ReferenceItem

ItemKind = Literal["citation", "group", "label", "internal"]

# `**2025年最新研究**：` (a heading for the sub-bullets below it) and `**Français / French:**`
_BOLD_LABEL = re.compile(r"\*\*[^*]+\*\*\s*[：:]?|\*\*[^*]+[：:]\*\*")
# `**技术媒体**：SegmentFault、36氪…`: a Chinese label with a description, not a citation
_CJK_LABEL = re.compile(r"\*\*[^*]*[\u4e00-\u9fff][^*]*\*\*\s*[：:]")
_EVIDENCE = re.compile(r"\((?:1[5-9]|20)\d\d|[\"“]|arxiv|doi|https?://|\*[^*\s][^*]*\*(?!\*)", re.I)
# `[text](path) - 说明`: an internal reference, whose target the link rules check
_INTERNAL = re.compile(r"^\[[^\]]*\]\([^)]*\)")


def classify(item: ReferenceItem) -> ItemKind:
    text = item.text.strip()
    if _BOLD_LABEL.fullmatch(text):
        return "group" if item.has_sublist else "label"
    if _INTERNAL.match(text):
        return "internal"
    if _CJK_LABEL.match(text) and not _EVIDENCE.search(text):
        return "label"
    return "citation"
