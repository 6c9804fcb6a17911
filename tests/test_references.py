"""linter.references: the style data, matching with the missing part, identifiers, parsing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
import yaml
from click.testing import CliRunner

from linter.cli.main import cli
from linter.document.model import ReferenceItem
from linter.references import (
    ReferenceSchemaError,
    best_match,
    default_schema,
    family_for,
    find_identifiers,
    parse_reference,
)
from linter.references.items import classify
from linter.references.schema import schema_from_data
from linter.resources import schemas_dir

CONCEPT = default_schema().family("concept")
DOCS = default_schema().family("docs")
assert CONCEPT is not None and DOCS is not None


def test_data_file_loads_and_every_family_names_known_styles() -> None:
    schema = default_schema()
    assert {"concept-paper", "concept-book", "apa", "apa-book", "textbook", "guide", "ieee"} <= set(schema.styles)
    assert [f.name for f in schema.families] == ["concept", "docs", "view", "default"]
    assert schema.formula_labels == ("数学描述", "形式化表述", "形式化定义")
    # each style's example matches the style itself
    for style in schema.styles.values():
        example = style.example.split(". ", 1)[1] if style.example[:1].isdigit() else style.example
        assert best_match(example, [style]).ok, style.key


def test_family_by_path() -> None:
    schema = default_schema()
    assert schema.family_for("concepts/01-x/01.1.1-a.md").name == "concept"
    assert schema.family_for("concepts/README.md").name == "default"
    assert schema.family_for("docs/02-ml/02.1-x/README.md").name == "docs"
    assert schema.family_for("view/T01_x.md").name == "view"
    assert schema.family_for("/abs/checkout/concepts/01-x/a.md").name == "concept"
    assert family_for({"references": {"family": "docs"}}, "concepts/01-x/a.md").name == "docs"


@pytest.mark.parametrize(
    ("text", "style"),
    [
        ('**Wei, J., et al. (2022)**: "Chain-of-Thought Prompting". *NeurIPS*. 思维链。', "concept-paper"),
        ("**Pierce, B. C. (2002)**: *Types and Programming Languages*. MIT Press. 教材。", "concept-book"),
        ("**Russell, S. (2020)**: *AI: A Modern Approach* (4th ed.). Pearson.", "concept-book"),
    ],
)
def test_concept_styles_match(text: str, style: str) -> None:
    m = best_match(text, CONCEPT.styles)
    assert m.ok and m.style.key == style


@pytest.mark.parametrize(
    ("text", "missing", "style"),
    [
        ('**Qin, Z., et al. (2022)**: "The Devil in Linear Transformer". 说明', "venue", "concept-paper"),
        ('**Qin, Z., et al.**: "The Devil". *EMNLP*.', "year", "concept-paper"),
        ("**Qin, Z. (2022)** The Devil. *EMNLP*.", "colon", "concept-paper"),
    ],
)
def test_missing_part_is_named(text: str, missing: str, style: str) -> None:
    m = best_match(text, CONCEPT.styles)
    assert not m.ok and m.style.key == style
    assert m.missing is not None and m.missing.name == missing


def test_docs_styles() -> None:
    for text in (
        "Stone, P., & Veloso, M. (2000). Multiagent systems. *Autonomous Robots*, 8(3), 345-383.",
        "Pearl, J. (2009). *Causality: Models, Reasoning, and Inference*. Cambridge University Press.",
        "**Enderton, H. B.** (2001). _A Mathematical Introduction to Logic_. Academic Press.",
        "OpenAI. (2024). o1 Technical Report. OpenAI.",
    ):
        assert best_match(text, DOCS.styles).ok, text
    m = best_match("Cybenko, G. (1989). Approximation by superpositions.", DOCS.styles)
    assert m.missing is not None and m.missing.name == "venue"


def test_identifiers() -> None:
    ids = find_identifiers("*arXiv:2203.11175v2*, arxiv.org/abs/1706.03762, DOI: 10.1038/nature14539.")
    assert [(i.kind, i.value, i.valid) for i in ids] == [
        ("arxiv", "2203.11175v2", True),
        ("arxiv", "1706.03762", True),
        ("doi", "10.1038/nature14539", True),
    ]
    problems = {i.value: i.problem for i in find_identifiers(
        "arXiv:2407.xxx arXiv:2025 arXiv:1913.12345 arXiv:1906.123 arXiv:1401.12345 doi:10.12/x doi:10.xxxx/y"
    )}
    assert problems == {
        "2407.xxx": "is a placeholder, not an arXiv id",
        "2025": "is a year, not an arXiv id",
        "1913.12345": "has month 13",
        "1906.123": "needs a 5-digit number after the dot for papers since 2015",
        "1401.12345": "needs a 4-digit number after the dot for papers before 2015",
        "10.12/x": "is not of the form 10.NNNN/suffix",
        "10.xxxx/y": "is a placeholder, not a DOI",
    }
    assert find_identifiers("arXiv:hep-th/0301001")[0].valid


def test_parse_reference_fields() -> None:
    ref = parse_reference(
        '**Wei, J., Wang, X., & Zhou, D. (2022)**: "Chain-of-Thought Prompting". *arXiv:2201.11903*. 思维链。',
        CONCEPT.styles,
        line=7,
        number=1,
    )
    assert ref.style == "concept-paper"
    assert ref.authors == ("Wei, J.", "Wang, X.", "Zhou, D.")
    assert (ref.year, ref.title, ref.venue, ref.note) == ("2022", "Chain-of-Thought Prompting", "arXiv:2201.11903", "思维链。")
    assert [i.value for i in ref.identifiers] == ["2201.11903"]
    loose = parse_reference('"Some Title" (2025) somewhere', CONCEPT.styles)
    assert (loose.style, loose.year, loose.title) == (None, "2025", "Some Title")
    assert parse_reference("**Vaswani, A., et al. (2017)**: \"Attention\". *NeurIPS*.", CONCEPT.styles).authors == ("Vaswani, A.",)


def test_classify_items() -> None:
    def item(text: str, sub: bool = False) -> ReferenceItem:
        return ReferenceItem(1, 1, 1, "1.", text, sub)

    assert classify(item("**2025年最新研究**：", True)) == "group"
    assert classify(item("**Français / French:**")) == "label"
    assert classify(item("**技术媒体**：SegmentFault、36氪等")) == "label"
    assert classify(item("[Transformer](./a.md) - 说明")) == "internal"
    assert classify(item("**NVIDIA CUDA Programming Guide**: GPU并行计算的标准文档。")) == "citation"
    assert classify(item('**"A Title"** (2025): [arxiv:2510.04588](https://arxiv.org/abs/2510.04588)')) == "citation"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "expected a mapping at the top level"),
        ({"styles": {}}, "`styles` must be a non-empty mapping"),
        ({"styles": {"s": {"parts": [{"name": "a", "pattern": "("}]}}, "families": {"f": {}}}, "styles.s.parts[0]: bad pattern"),
        ({"styles": {"s": {"parts": [{"name": "a", "pattern": "x"}]}}, "families": {"f": {"styles": ["nope"]}}}, "unknown style 'nope'"),
        ({"styles": {"s": {"parts": [{"name": "a", "pattern": "x"}]}}, "families": {"f": {"paths": "x"}}}, "families.f.paths: expected a list of strings"),
    ],
)
def test_bad_schema_data_gives_one_line_errors(data: object, message: str) -> None:
    with pytest.raises(ReferenceSchemaError, match=message.replace("[", r"\[").replace("(", r"\(")):
        schema_from_data(data)


def test_data_file_is_what_the_yaml_says() -> None:
    raw = yaml.safe_load((schemas_dir() / "formalai" / "references.yaml").read_text("utf-8"))
    assert list(raw["styles"]) == list(default_schema().styles)


def test_cli_parse_exports_parsed_references(tmp_path: Path) -> None:
    doc = tmp_path / "concepts" / "01-x" / "01.3.2-x.md"
    doc.parent.mkdir(parents=True)
    doc.write_text(
        "# 01.3.2 标题\n\n### 10.2 学术参考文献\n\n"
        '1. **Vaswani, A., et al. (2017)**: "Attention Is All You Need". *NeurIPS*. 原始论文。\n'
        '2. **Qin, Z., et al. (2022)**: "The Devil in Linear Transformer". *arXiv:2210.1234x*. 说明\n',
        "utf-8",
    )
    result = CliRunner().invoke(cli, ["parse", str(doc)])
    assert result.exit_code == 0, result.output
    [section] = json.loads(result.output)["parsed_references"]
    assert (section["title"], section["family"], section["citations"]) == ("10.2 学术参考文献", "concept", True)
    first, second = section["items"]
    assert first["authors"] == ["Vaswani, A."] and first["year"] == "2017" and first["venue"] == "NeurIPS"
    assert first["style"] == "concept-paper" and first["valid"] and first["line"] == 5
    assert second["identifiers"] == [{"kind": "arxiv", "value": "2210.1234x", "valid": False}]


@given(st.text(max_size=300))
def test_matching_and_parsing_never_crash(text: str) -> None:
    styles = tuple(default_schema().styles.values())
    m = best_match(text, styles)
    assert 0 <= m.end <= len(text)
    assert m.ok == (m.missing is None)
    ref = parse_reference(text, styles)
    for ident in ref.identifiers:
        assert 0 <= ident.offset < len(text)
        assert ident.valid == (ident.problem == "")


@given(
    st.from_regex(r"[A-Z][a-z]{1,8}, [A-Z]\. \((19|20)\d\d\)\. [A-Z][a-z ]{3,30}\. \*[A-Z][a-z ]{2,20}\*\.", fullmatch=True)
)
def test_generated_apa_items_parse_back(text: str) -> None:
    m = best_match(text, [default_schema().styles["apa"]])
    assert m.ok, text
    assert m.groups["year"] == text.split("(")[1][:4]
