"""The pages of the corpus-scope LK rules do not lie either: their examples, linted beside the
files their notes mention ("when … exists"), fail and pass as they say."""

from __future__ import annotations

import pytest

from linter.api import lint_text
from linter.config.settings import Config
from linter.rules.base import Rule
from linter.rules.links import RULES

from .test_registry import _examples

# The files each page's "(when … exists)" note assumes.
BESIDE: dict[str, dict[str, str]] = {
    "LK001": {"concepts/02-x/README.md": "# 02\n"},
    "LK003": {"concepts/06-x/README.md": "# 06\n\n## 四、核心概念形式化定义\n"},
    "LK004": {"concepts/README.md": "# 概念\n"},
    "LK006": {"docs/README.md": "# 说明\n"},
    "LK010": {"images/arch.png": ""},
}


@pytest.mark.parametrize("rule", [pytest.param(r, id=r.id) for r in RULES if r.scope == "corpus"])
def test_corpus_rule_page_examples(rule: Rule) -> None:
    config = Config(only=frozenset({rule.id}))
    others = BESIDE.get(rule.id, {})
    fails, passes = _examples(rule.doc, "## Fails"), _examples(rule.doc, "## Passes")
    assert fails and passes
    for path, text in fails:
        assert [d for d in lint_text(text, path, config, others) if d.rule_id == rule.id], text
    for path, text in passes:
        assert not [d for d in lint_text(text, path, config, others) if d.rule_id == rule.id], text
