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
# a file of the repository named in the text (`view/T05_x.md`, `` `Philosophy/00-导航.md` ``):
# the fix is a link, not a venue and a year
_REPO_FILE = re.compile(r"(?<![\w/.:%-])(?:[\w\-\u4e00-\u9fff]+/)*[\w\-\u4e00-\u9fff.]+\.md\b")
# a line pointing elsewhere (`见下文`, `各view文件的参考文献部分`) rather than citing a work
_POINTER = re.compile(r"见下文|见上文|参见|详见|如下|下文|上文|各\S{0,12}(?:文件|文档|章节)\S{0,8}部分")


def classify(item: ReferenceItem) -> ItemKind:
    text = item.text.strip()
    if _BOLD_LABEL.fullmatch(text):
        return "group" if item.has_sublist else "label"
    if _INTERNAL.match(text):
        return "internal"
    if "://" not in text and _REPO_FILE.search(text):
        return "internal"
    if _POINTER.search(text) and not _EVIDENCE.search(text):
        return "label"
    if _CJK_LABEL.match(text) and not _EVIDENCE.search(text):
        return "label"
    return "citation"
