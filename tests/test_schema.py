"""The schema package: loading with line marks, meta-schema errors, globs, resolution,
metadata value validation, and that jsonschema never fetches anything."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linter.document.model import MetadataField
from linter.resources import schemas_dir
from linter.schema import Schema, SchemaError, load_preset, load_schema, read_schema_file, resolve, schema_resolver
from linter.util.globs import glob_match
from linter.schema.loader import load_marked
from linter.schema.values import validate_values


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, "utf-8")
    return p


def _error(tmp_path: Path, text: str) -> SchemaError:
    with pytest.raises(SchemaError) as info:
        read_schema_file(_write(tmp_path, text), "s.yaml")
    return info.value


def test_every_shipped_schema_is_valid() -> None:
    """Validated here against the meta-schema, since a load skips it for a listed file."""
    from linter.schema.loader import validate_marked

    files = sorted(schemas_dir().rglob("*.yaml"))
    assert {f.name for f in files} >= {"preset.yaml", "concept-topic.yaml", "default.yaml"}
    for f in files:
        validate_marked(load_marked(f.read_text("utf-8"), f.name), f.name)
        read_schema_file(f)


def test_the_validated_manifest_lists_the_shipped_files_as_they_are() -> None:
    """`schemas/validated.json` is what `make schema` writes now: every shipped file's
    digest (validated by the test above) and the meta-schema's."""
    import json

    from linter.schema.shipped import MANIFEST, current

    assert json.loads((schemas_dir() / MANIFEST).read_text("utf-8")) == current(), "run `make schema`"


def test_a_shipped_file_is_validated_again_once_its_bytes_differ(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A listed file loads without jsonschema; the same file edited (a user's checkout), or
    any file once the meta-schema differs from the listed one, is validated as a user's is."""
    import shutil

    from linter.schema import loader, shipped

    copy = tmp_path / "schemas"
    shutil.copytree(schemas_dir(), copy)
    for module in (loader, shipped):
        monkeypatch.setattr(module, "schemas_dir", lambda: copy)
    shipped._listed.cache_clear()
    monkeypatch.setattr(shipped, "_listed", shipped._listed.__wrapped__)  # no memo across the edits below
    validated: list[str] = []
    original = loader.validate_marked
    monkeypatch.setattr(loader, "validate_marked", lambda marked, source: (validated.append(source), original(marked, source))[1])
    target = copy / "formalai" / "default.yaml"
    read_schema_file(target, "default.yaml")
    assert validated == []
    target.write_text(target.read_text("utf-8") + "unknown_key: 1\n", "utf-8")
    with pytest.raises(SchemaError, match="unknown key"):
        read_schema_file(target, "default.yaml")
    assert validated == ["default.yaml"]
    shutil.copy(schemas_dir() / "formalai" / "default.yaml", target)
    meta = copy / "meta-schema.json"
    meta.write_text(meta.read_text("utf-8") + "\n", "utf-8")
    read_schema_file(target, "default.yaml")
    assert validated == ["default.yaml", "default.yaml"]


@pytest.mark.parametrize(
    ("text", "line", "key", "message"),
    [
        ("kind: document\nname: x\nnumbering:\n  h2: {style: roman}\n", 4, "numbering.h2.style", "'roman' is not one of"),
        ("kind: document\nname: x\ntoc:\n  required: true\n  levelz: [2]\n", 5, "toc.levelz", "unknown key"),
        ("kind: document\nname: x\nsections:\n  items:\n    - name: a\n      title: '('\n", 6,
         "sections.items.0.title", "invalid regular expression"),
        ("kind: documnt\nname: x\n", 1, "kind", "'documnt' is not one of"),
        ("name: x\n", 1, "(top)", "'kind' is a required property"),
        ("kind: document\nname: Bad Name\n", 2, "name", "does not match"),
        ("kind: preset\nname: p\nschemas:\n  - glob: '**'\n    schema: ../escape.yaml\n", 5, "schemas.0.schema", "does not match"),
        ("kind: document\nname: x\nmetadata:\n  values:\n    type: object\n    properties:\n      a: {type: 12}\n", 7,
         "metadata.values.properties.a.type", ""),
    ],
)
def test_bad_schema_names_file_line_and_key(tmp_path: Path, text: str, line: int, key: str, message: str) -> None:
    err = _error(tmp_path, text)
    assert (err.source, err.line, err.key) == ("s.yaml", line, key)
    assert message in err.message
    assert str(err).startswith(f"s.yaml:{line}: {key}: ")


def test_invalid_yaml_and_aliases_are_one_line_errors(tmp_path: Path) -> None:
    err = _error(tmp_path, "kind: document\nname: x\n  bad: [\n")
    assert err.line == 3 and "invalid YAML" in err.message
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n"
    err = _error(tmp_path, bomb)
    assert err.line == 2 and "aliases are not allowed" in err.message  # the first alias
    assert "empty file" in _error(tmp_path, "").message
    assert "duplicate key" in _error(tmp_path, "kind: document\nkind: preset\n").message


_TRICKY = [
    "kind: document\nname: x\n  bad: [\n", "a: &a [x, x]\nb: &b [*a, *a]\n", "&k a: 1\n*k : 2\n", "? [a]\n: 1\n",
    "", "# only a comment\n", "kind: document\nkind: preset\n", "a: 1\n\x01b: 2\n", "a: '\u2028'\nb: \"\\x85\"\n",
    "a:\n  - {b: [1, 2.5, true, null, ~, 0x1F, 2026-12-01]}\n", "\ufeffa: 1\n", "a: |\n  x\n   y\n", "[" * 200,
]


def _either(text: str, fast: bool) -> tuple[str, Any]:
    try:
        marked = load_marked(text, "s.yaml", fast=fast)
    except SchemaError as exc:
        return "error", (exc.line, exc.key, exc.message)
    return "ok", (marked.data, dict(marked.lines))


@pytest.mark.parametrize("text", [*_TRICKY, *(f.read_text("utf-8") for f in sorted(schemas_dir().rglob("*.yaml")))])
def test_libyaml_composes_what_pyyaml_composes(text: str) -> None:
    """The fast composer (libyaml) gives the same data and key lines as PyYAML's, and every
    error (invalid YAML, an alias, a duplicate key) as PyYAML reports it."""
    assert _either(text, True) == _either(text, False)


def test_only_the_shipped_schemas_take_the_fast_composer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """libyaml accepts some texts PyYAML refuses (`>#`: a folded scalar followed by `#`
    without a space), so a user's schema file is always composed by PyYAML, whose verdicts
    the messages are written against; the shipped files (compared above) by libyaml."""
    import yaml

    if hasattr(yaml, "CSafeLoader"):  # (PyYAML built without libyaml: both paths are PyYAML's)
        assert _either(">#", True)[0] == "ok" and _either(">#", False)[0] == "error"
    assert "invalid YAML" in _error(tmp_path, ">#").message
    from linter.schema import loader

    calls: list[str] = []
    original = loader._fast_compose
    monkeypatch.setattr(loader, "_fast_compose", lambda text: calls.append(text) or original(text))
    read_schema_file(_write(tmp_path, "kind: document\nname: x\n"))
    assert calls == []
    read_schema_file(schemas_dir() / "formalai" / "default.yaml")
    assert len(calls) == 1

def test_remote_and_file_refs_are_refused_and_never_fetched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a schema tried to open a connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    for ref in ("http://127.0.0.1:1/x.json", f"file://{tmp_path}/x.json"):
        text = f"kind: document\nname: x\nmetadata:\n  values:\n    properties:\n      a: {{$ref: '{ref}'}}\n"
        err = _error(tmp_path, text)
        assert err.line == 6 and "would be fetched" in err.message


def test_local_refs_work_with_the_empty_registry(tmp_path: Path) -> None:
    text = (
        "kind: document\nname: x\nmetadata:\n  values:\n    $defs:\n      iso: {type: string, format: date}\n"
        "    properties:\n      最后更新: {$ref: '#/$defs/iso'}\n"
    )
    schema = read_schema_file(_write(tmp_path, text))
    assert isinstance(schema, Schema) and schema.metadata is not None
    field = MetadataField("最后更新", "2025-13-45", 9, 1, "full", "bold")
    errors = list(validate_values(schema.metadata, [field]))
    assert [(e.field.line, e.message) for e in errors] == [
        (9, "最后更新 '2025-13-45' is not a valid calendar date; expected an existing date YYYY-MM-DD")
    ]


def test_metadata_values_skip_placeholders_and_notes() -> None:
    spec = load_schema("concept-topic").metadata
    assert spec is not None
    fields = [
        MetadataField("最后更新", "2025-01-XX", 3, 1, "full", "bold"),
        MetadataField("创建日期", "2025-11-10（补充 Nature 2023 结论）", 4, 1, "full", "bold"),
        MetadataField("更新日期", "2025年1月2日", 5, 1, "full", "bold"),
        MetadataField("文档版本", "v2.0（增强版）", 6, 1, "full", "bold"),
    ]
    assert [(e.field.line, e.message) for e in validate_values(spec, fields)] == [
        (5, "更新日期 '2025年1月2日' is not an ISO date; expected YYYY-MM-DD")
    ]


@pytest.mark.parametrize(
    ("glob", "path", "hit"),
    [
        ("concepts/[0-9][0-9]-*/[0-9][0-9].[0-9]*-*.md", "concepts/08-AI历史/08.4.5-涌现.md", True),
        ("concepts/[0-9][0-9]-*/[0-9][0-9].[0-9]*-*.md", "concepts/07-x/07.10-现象层重构：零公式叙事.md", True),
        ("concepts/[0-9][0-9]-*/[0-9][0-9].[0-9]*-*.md", "concepts/08-x/README.md", False),
        ("concepts/[0-9][0-9]-*/[0-9][0-9].[0-9]*-*.md", "concepts/08-x/sub/08.1.1-a.md", False),
        ("docs/**/EXAMPLE_EVAL_CARD.md", "docs/a/b/EXAMPLE_EVAL_CARD.md", True),
        ("docs/**/EXAMPLE_EVAL_CARD.md", "docs/EXAMPLE_EVAL_CARD.md", True),
        ("**", "a/b/c.md", True),
        ("view/T[0-9][0-9]_*.md", "view/T01_DKB.md", True),
        ("view/T[0-9][0-9]_*.md", "view/VIEW_x.md", False),
        ("*.md", "a/b.md", False),
    ],
)
def test_globs(glob: str, path: str, hit: bool) -> None:
    assert glob_match(glob, path) is hit


@given(st.lists(st.text(alphabet="ab/*?[]!.-", max_size=6), max_size=4), st.text(alphabet="ab/.-", max_size=12))
def test_glob_never_crashes(parts: list[str], path: str) -> None:
    assert isinstance(glob_match("/".join(parts), path), bool)


@given(st.text(alphabet="abc-_.", min_size=1, max_size=8), st.text(alphabet="abc-_.", min_size=1, max_size=8))
def test_star_stays_in_one_segment(folder: str, name: str) -> None:
    assert glob_match("*/*.md", f"{folder}/{name}.md")
    assert not glob_match("*.md", f"{folder}/{name}.md")
    assert glob_match("**/*.md", f"{folder}/{name}.md")


def test_preset_resolution_first_match_wins() -> None:
    mapping = load_preset()
    names = {
        "concepts/08-AI历史进程与原理演进/08.4.5-涌现的底层机制.md": "concept-topic",
        "concepts/08-AI历史进程与原理演进/README.md": "concept-readme",
        "concepts/08-AI历史进程与原理演进/MINDMAP_INDEX.md": "default",
        "docs/01-foundations/01.1-形式逻辑/README.md": "docs-module",
        "docs/04-a/04.1-b/EXAMPLE_MODEL_CARD.md": "model-card",
        "view/T01_DKB_唯一性定理.md": "view-topic",
        "README.md": "default",
    }
    for path, name in names.items():
        found = resolve(path, mapping)
        assert found is not None and found.name == name, path


def test_user_mapping_comes_before_the_preset(tmp_path: Path) -> None:
    _write(tmp_path, "kind: document\nname: mine\ntoc: {required: true}\n", "mine.yaml")
    schema_for = schema_resolver([("notes/**", "mine.yaml")], base=tmp_path)
    mine = schema_for("notes/a.md")
    assert mine is not None and mine.name == "mine" and mine.toc is not None and mine.toc.required
    other = schema_for("concepts/01-a/01.1.1-b.md")
    assert other is not None and other.name == "concept-topic"
    builtin = schema_resolver([("x/**", "formalai/eval-card")])("x/y.md")
    assert builtin is not None and builtin.name == "eval-card"


def test_unknown_or_preset_reference_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="no such schema"):
        schema_resolver([("**", "nope.yaml")], base=tmp_path)
    with pytest.raises(SchemaError, match="is a preset"):
        load_schema("formalai/preset")


def test_concept_topic_schema_content() -> None:
    s = load_schema("concept-topic")
    assert s.sections is not None and s.toc is not None and s.metadata is not None
    required = [i.name for i in s.sections.items if i.required]
    assert required == ["概述", "core section", "与三层模型的关系", "核心结论", "相关主题", "参考文档"]  # 目录: TC001
    assert [i.name for i in s.sections.items if i.separator_before] == ["目录", "相关主题", "参考文档"]
    assert {lvl: n.style for lvl, n in s.numbering.items()} == {2: "cjk", 3: "dotted", 4: "dotted"}
    assert s.toc.levels == (1, 2, 3)
    assert s.metadata.required == ("最后更新", "维护者", "文档版本")
    assert s.references == {"family": "concept"}


_VALUE_TEXTS = st.one_of(
    st.sampled_from(["2025-01-31", "2025-02-30", "2024-02-29", "2023-02-29", "2025-1-31", "２０２５-01-31", "v1.2",
                     "v1.2.3", "1.2", "v1", "", "2025-01-31\n", " 2025-01-31", "9999-12-31", "0000-01-01"]),
    st.text(alphabet="0123456789-v.年月日 ", max_size=12),
)
_PLAIN_SUBSCHEMAS = st.sampled_from([
    {"type": "string"}, {"type": "string", "format": "date"}, {"type": "string", "pattern": r"^v\d+(\.\d+){1,2}"},
    {"type": "string", "pattern": r"^v?\d+\.\d+(\.\d+)?"}, {"type": "string", "format": "date", "pattern": "^2025"},
    {"type": "string", "format": "email"}, {"type": "integer"}, {"type": "string", "minLength": 3},
    {"type": "string", "enum": ["v1.2"]}, {"format": "date"},
])


@given(st.dictionaries(st.sampled_from(["最后更新", "创建日期", "文档版本"]), _PLAIN_SUBSCHEMAS, max_size=3),
       st.dictionaries(st.sampled_from(["最后更新", "创建日期", "文档版本", "作者"]), _VALUE_TEXTS, max_size=4),
       st.sampled_from([{}, {"required": ["作者"]}, {"additionalProperties": False}, {"title": "t"}]))
def test_a_plainly_valid_instance_has_no_error_jsonschema_reports(
    properties: dict[str, Any], instance: dict[str, str], extra: dict[str, Any]
) -> None:
    """`plainly_valid` answers True only where jsonschema finds no error on a key (the
    errors `validate_values` reports), and it answers for the presets' schemas."""
    from linter.schema.values import _validator, plainly_valid

    schema = {"type": "object", "properties": properties, **extra}
    reported = [e for e in _validator(schema).iter_errors(instance) if list(e.absolute_path)]
    if plainly_valid(schema, instance):
        assert reported == []
    elif not reported and not extra.keys() - {"required", "title"} and all(
        set(sub) <= {"type", "format", "pattern"} and sub.get("type") == "string" and sub.get("format", "date") == "date"
        for sub in properties.values()
    ):
        raise AssertionError(f"a plain schema left to jsonschema: {schema} {instance}")


def test_the_presets_dates_are_judged_without_jsonschema() -> None:
    from linter.schema.values import plainly_valid

    for path in sorted(schemas_dir().rglob("*.yaml")):
        values = load_marked(path.read_text("utf-8"), path.name).data.get("metadata", {}).get("values")
        if values is not None:
            assert plainly_valid(values, {"最后更新": "2025-11-10", "作者": "x"}), path
            assert not plainly_valid(values, {"最后更新": "2025-02-30"}), path
