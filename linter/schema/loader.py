"""Load schema files: YAML with line marks, checked against the meta-schema, built into records.

Every error names the file, the line and the offending key (`concept-topic.yaml:12:
sections.items.2.title: ...`), because a schema is data users edit by hand. jsonschema runs
with an empty `referencing.Registry()`, so no `$ref` is ever fetched over the network or
from `file:` URLs (guide/reliability.md section 2: the default registry still does).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
import yaml.reader

from ..util.escape import excerpt
from ..util.safe_read import ReadRefused, read_bytes
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..resources import schemas_dir
from .shipped import known_valid
from ..util.regex_safety import UnsafePattern, check_pattern

if TYPE_CHECKING:
    import jsonschema
from .model import (
    DataFile,
    LevelNumbering,
    MetadataSpec,
    Preset,
    PresetEntry,
    Schema,
    SectionList,
    SectionSpec,
    TocSpec,
)

MAX_SCHEMA_BYTES = 256 * 1024  # schemas are small; a cap keeps a hostile file from costing much


class SchemaError(Exception):
    """A schema file that cannot be used: `FILE:LINE: key: message`."""

    def __init__(self, source: str, line: int, key: str, message: str) -> None:
        self.source, self.line, self.key, self.message = source, line, key, message
        where = f"{key}: " if key else ""
        super().__init__(f"{source}:{line}: {where}{message}")


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases: an alias bomb expands to millions of nodes on any
    traversal (yaml/pyyaml#235), and a schema never needs one."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(None, None, "aliases are not allowed in schema files", event.start_mark)
        return super().compose_node(parent, index)


@dataclass(frozen=True, slots=True)
class Marked:
    """A plain value plus the line of every key path in it (("sections", "items", 2) -> 14)."""

    data: Any
    lines: Mapping[tuple[str | int, ...], int]

    def line_of(self, path: tuple[str | int, ...]) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


class _Shared(Exception):
    """A node reached twice while constructing: the text has an alias."""


def _fast_compose(text: str) -> Node | None:
    """The node tree by libyaml's composer (about 15x faster than PyYAML's pure-Python one:
    90 of a warm run's milliseconds went to composing the preset's schemas); None when
    libyaml is missing, the text fails to compose, or it holds a character PyYAML's reader
    refuses (then PyYAML composes it and reports the error). libyaml resolves an alias to
    the anchor's node; `_construct` refuses a node it meets twice."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None
    try:
        node: Node | None = yaml.compose(text, Loader=loader)
    except (yaml.YAMLError, RecursionError):
        return None
    return node


def _visit(node: Node, seen: set[int] | None) -> None:
    """Refuse a node met twice (libyaml gives an alias the anchor's node); None: PyYAML's
    composer, which refuses aliases itself."""
    if seen is not None:
        if id(node) in seen:
            raise _Shared()
        seen.add(id(node))


def _construct(node: Node, path: tuple[str | int, ...], lines: dict[tuple[str | int, ...], int], source: str,
               seen: set[int] | None = None) -> Any:
    _visit(node, seen)
    lines[path] = node.start_mark.line + 1
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            _visit(key_node, seen)
            if not isinstance(key_node, ScalarNode):
                raise SchemaError(source, key_node.start_mark.line + 1, _dotted(path), "mapping keys must be strings")
            key = str(key_node.value)
            if key in out:
                raise SchemaError(source, key_node.start_mark.line + 1, _dotted((*path, key)), "duplicate key")
            where = (*path, key)  # a name, not `lines[(*path, key)]`: mypy on 3.10 misreads that
            out[key] = _construct(value_node, where, lines, source, seen)
            lines[where] = key_node.start_mark.line + 1
        return out
    if isinstance(node, SequenceNode):
        return [_construct(item, (*path, i), lines, source, seen) for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    # resolve the scalar the way safe_load would (ints, bools, null)
    # the composer already resolved the tag (int, bool, null, str); construct just the scalar
    return _SCALAR_LOADER.construct_object(node, deep=True)


_SCALAR_LOADER = yaml.SafeLoader("")


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path)


def load_marked(text: str, source: str, fast: bool = False) -> Marked:
    """Parse YAML text keeping the line of every key; errors become `SchemaError`.

    `fast`: compose with libyaml when it is installed (`_fast_compose`); what it cannot
    compose, or composes with an alias, is composed again by PyYAML, whose errors (and
    refusal of aliases) are the ones reported. Only for the shipped schemas, on which both
    give the same result (tested): libyaml accepts a few texts PyYAML refuses (`>#`), and a
    user's file gets PyYAML's verdict."""
    if len(text.encode("utf-8")) > MAX_SCHEMA_BYTES:
        raise SchemaError(source, 1, "", f"file is larger than {MAX_SCHEMA_BYTES} bytes")
    node = _fast_compose(text) if fast else None
    if node is not None:
        found: dict[tuple[str | int, ...], int] = {}
        try:
            return Marked(_construct(node, (), found, source, set()), found)
        except _Shared:
            pass  # an alias: the pure-Python composer below refuses it at its line
        except RecursionError:
            raise SchemaError(source, 1, "", "nesting too deep") from None
    try:
        node = yaml.compose(text, Loader=_NoAliasLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise SchemaError(source, line, "", f"invalid YAML: {exc.problem or exc.context}") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise SchemaError(source, 1, "", f"invalid YAML: {type(exc).__name__}") from None
    if node is None:
        raise SchemaError(source, 1, "", "empty file; expected a mapping with kind and name")
    lines: dict[tuple[str | int, ...], int] = {}
    try:
        data = _construct(node, (), lines, source)
    except RecursionError:
        raise SchemaError(source, 1, "", "nesting too deep") from None
    return Marked(data, lines)


_META: dict[str, Any] | None = None


def meta_schema() -> dict[str, Any]:
    """The JSON Schema every schema file must satisfy (`schemas/meta-schema.json`)."""
    global _META  # noqa: PLW0603 - read-only cache of a shipped file
    if _META is None:
        _META = json.loads((schemas_dir() / "meta-schema.json").read_text("utf-8"))
    return _META


def _validator(schema: Mapping[str, Any]) -> jsonschema.protocols.Validator:
    # jsonschema is imported on first validation: a warm run reads no schema file
    import jsonschema
    import referencing

    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return cls(schema, registry=referencing.Registry(), format_checker=cls.FORMAT_CHECKER)


def _deepest(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For if/then/else and $ref failures, the most specific sub-error explains best."""
    from jsonschema.exceptions import best_match

    while error.context:
        error = best_match(error.context) or error
        if not error.context:
            break
    return error


def is_references_data(data: Any) -> bool:
    """references.yaml (reference styles, read by linter.references) has no `kind` key."""
    return isinstance(data, dict) and "kind" not in data and "styles" in data and "families" in data


def validate_marked(marked: Marked, source: str) -> None:
    """Check a parsed schema file against the meta-schema; the first error (by line) raises."""
    if not isinstance(marked.data, dict):
        raise SchemaError(source, 1, "", "expected a mapping with kind and name")
    schema = meta_schema()
    if is_references_data(marked.data):
        schema = {"$defs": schema["$defs"], "$ref": "#/$defs/references_data"}
    errors = sorted(
        (_deepest(e) for e in _validator(schema).iter_errors(marked.data)),
        key=lambda e: marked.line_of(tuple(e.absolute_path)),
    )
    if errors:
        err = errors[0]
        path = tuple(err.absolute_path)
        message = _short(err)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict) and isinstance(err.schema, dict):
            # point at the unexpected key itself, not at the mapping holding it
            known = set(err.schema.get("properties", {}))
            patterns = [re.compile(p) for p in err.schema.get("patternProperties", {})]
            extra = [k for k in err.instance if k not in known and not any(p.search(k) for p in patterns)]
            if extra:
                path = (*path, extra[0])
                message = "unknown key" + (f"; expected one of: {', '.join(sorted(known))}" if known else "")
        raise SchemaError(source, marked.line_of(path), _dotted(path) or "(top)", message)
    values = marked.data.get("metadata", {}).get("values")
    if values is not None:
        for path, ref in _refs(values, ("metadata", "values")):
            if not str(ref).startswith("#"):
                raise SchemaError(source, marked.line_of(path), _dotted(path), f"$ref {ref!r} would be fetched; only local '#/...' references are allowed")
        import jsonschema

        try:
            jsonschema.Draft202012Validator.check_schema(values)
        except jsonschema.SchemaError as exc:
            path = ("metadata", "values", *exc.absolute_path)
            raise SchemaError(source, marked.line_of(path), _dotted(path), _short(exc)) from None
        _check_local_refs(values, marked, source)
    for path, pattern in _patterns(marked.data):
        try:
            re.compile(pattern)
            check_pattern(pattern)
        except re.error as exc:
            raise SchemaError(source, marked.line_of(path), _dotted(path), f"invalid regular expression: {exc}") from None
        except UnsafePattern as exc:
            raise SchemaError(
                source, marked.line_of(path), _dotted(path), f"pattern {_excerpt(pattern)} can backtrack without bound: {exc}"
            ) from None


def _excerpt(pattern: str) -> str:
    return repr(pattern if len(pattern) <= 80 else pattern[:77] + "...")


def _check_local_refs(values: Any, marked: Marked, source: str) -> None:
    """Every local `$ref` of `metadata.values` must point somewhere: a dangling pointer or
    an unknown anchor passes `check_schema` but fails the first validation, mid-run.
    (Resolved against the values schema itself; one with nested `$id`s is left to jsonschema.)"""
    if not isinstance(values, dict) or any(p[-1] == "$id" for p, _ in _keys(values, ())):
        return
    import referencing
    import referencing.exceptions
    from referencing.jsonschema import DRAFT202012

    base = "urn:formalai-lint:values"
    resource = DRAFT202012.create_resource(values)
    resolver = referencing.Registry().with_resource(base, resource).resolver(base_uri=base)
    targets: dict[str, Any] = {}
    for path, ref in _refs(values, ("metadata", "values")):
        if path[-1] != "$ref" or not isinstance(ref, str):
            continue
        try:
            targets[ref] = resolver.lookup(base + ref).contents
        except referencing.exceptions.Unresolvable:
            what = "unknown anchor" if not ref.startswith("#/") and ref != "#" else "points to nothing"
            raise SchemaError(source, marked.line_of(path), _dotted(path),
                              f"$ref {excerpt(ref)!r}: {what} in metadata.values") from None
    # A cycle of references that never descends into the instance (A -> B -> A, or A ->
    # allOf -> A) recurses for ever on the first value validated: reject it here.
    graph = {ref: set(_in_place_refs(target)) & set(targets) for ref, target in targets.items()}
    for path, ref in _refs(values, ("metadata", "values")):
        if isinstance(ref, str) and ref in graph and _cycles(graph, ref):
            raise SchemaError(source, marked.line_of(path), _dotted(path),
                              f"$ref {excerpt(ref)!r} refers back to itself without descending into the value")


_IN_PLACE = ("allOf", "anyOf", "oneOf", "not", "if", "then", "else")


def _in_place_refs(schema: Any) -> Iterator[str]:
    """The `$ref`s applied to the same value as `schema` (not to its items or properties)."""
    if not isinstance(schema, dict):
        return
    if isinstance(schema.get("$ref"), str):
        yield schema["$ref"]
    for key in _IN_PLACE:
        sub = schema.get(key)
        for s in sub if isinstance(sub, list) else [sub]:
            yield from _in_place_refs(s)


def _cycles(graph: Mapping[str, set[str]], start: str) -> bool:
    seen: set[str] = set()
    todo = list(graph.get(start, ()))
    while todo:
        ref = todo.pop()
        if ref == start:
            return True
        if ref not in seen:
            seen.add(ref)
            todo.extend(graph.get(ref, ()))
    return False


def _keys(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield (*path, k), v
            yield from _keys(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _keys(v, (*path, i))


def _short(err: jsonschema.exceptions._Error) -> str:
    msg = err.message
    if len(msg) > 160:
        msg = msg[:157] + "..."
    return msg[:1].lower() + msg[1:]


def _refs(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k in ("$ref", "$dynamicRef"):
                yield (*path, k), v
            yield from _refs(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _refs(v, (*path, i))


def _patterns(data: Mapping[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every regular expression in a document schema, with its key path."""

    def walk(sec: Mapping[str, Any], path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
        for i, item in enumerate(sec.get("items", [])):
            if "title" in item:
                yield (*path, "items", i, "title"), item["title"]
            if "children" in item:
                yield from walk(item["children"], (*path, "items", i, "children"))

    if isinstance(data.get("sections"), dict):
        yield from walk(data["sections"], ("sections",))
    meta = data.get("metadata", {})
    if "placeholder" in meta:
        yield ("metadata", "placeholder"), meta["placeholder"]
    if isinstance(meta, dict) and "values" in meta:
        yield from _value_patterns(meta["values"], ("metadata", "values"))


def _value_patterns(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """The `pattern`s and `patternProperties` keys of the JSON Schema for metadata values
    (jsonschema matches them with `re.search` on every value)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "pattern" and isinstance(v, str):
                yield (*path, k), v
            elif k == "patternProperties" and isinstance(v, dict):
                yield from (((*path, k, name), name) for name in v if isinstance(name, str))
            if k != "pattern":
                yield from _value_patterns(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _value_patterns(v, (*path, i))


def _sections(data: Mapping[str, Any]) -> SectionList:
    items = []
    for item in data.get("items", []):
        children = _sections(item["children"]) if "children" in item else None
        items.append(
            SectionSpec(
                name=item["name"],
                title=re.compile(item["title"]) if "title" in item else None,
                required=bool(item.get("required", False)),
                repeat=bool(item.get("repeat", False)),
                separator_before=bool(item.get("separator_before", False)),
                children=children,
            )
        )
    return SectionList(tuple(items), bool(data.get("closed", False)))


def build_schema(data: Mapping[str, Any], source: str) -> Schema:
    numbering = {
        int(key[1:]): LevelNumbering(
            style=spec["style"],
            start=int(spec.get("start", 1)),
            parent_prefix=bool(spec.get("parent_prefix", True)),
            contiguous=bool(spec.get("contiguous", True)),
        )
        for key, spec in data.get("numbering", {}).items()
    }
    toc = None
    if "toc" in data:
        t = data["toc"]
        toc = TocSpec(
            required=bool(t.get("required", False)),
            levels=tuple(sorted(t.get("levels", [2, 3]))),
            check_text=bool(t.get("check_text", True)),
            check_order=bool(t.get("check_order", True)),
            check_depth=bool(t.get("check_depth", True)),
        )
    meta = None
    if "metadata" in data:
        m = data["metadata"]
        meta = MetadataSpec(
            required=tuple(m.get("required", ())),
            unique=bool(m.get("unique", True)),
            colon=m.get("colon", "any"),
            created=tuple(m.get("created", ())),
            updated=tuple(m.get("updated", ())),
            placeholder=re.compile(m["placeholder"]) if "placeholder" in m else None,
            values=dict(m.get("values", {})),
        )
    return Schema(
        name=data["name"],
        source=source,
        description=data.get("description", ""),
        title_matches_filename=bool(data.get("title", {}).get("match_filename", False)),
        sections=_sections(data["sections"]) if "sections" in data else None,
        numbering=numbering,
        toc=toc,
        metadata=meta,
        references=dict(data["references"]) if "references" in data else None,
        formula_labels=tuple(data["formula_labels"]) if "formula_labels" in data else None,
    )


def build_preset(data: Mapping[str, Any], source: str) -> Preset:
    entries = tuple(PresetEntry(e["glob"], e["schema"]) for e in data["schemas"])
    return Preset(data["name"], source, entries)


def read_schema_file(path: Path, source: str | None = None, *, trust_listed: bool = True) -> Schema | Preset | DataFile:
    """Load, validate and build one schema or preset file. `trust_listed`: a shipped file
    whose bytes `schemas/validated.json` lists is not validated again (`shipped`); False
    for a command that is asked to validate (`schema check`)."""
    source = source or path.as_posix()
    try:  # stat first (a FIFO is never opened); the size checked before reading
        raw = read_bytes(path, MAX_SCHEMA_BYTES)
    except ReadRefused as exc:
        raise SchemaError(source, 1, "", f"cannot read file: {exc.reason}") from None
    except OSError as exc:
        raise SchemaError(source, 1, "", f"cannot read file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SchemaError(source, 1, "", f"not UTF-8 (byte {exc.start})") from None
    shipped = path.resolve().is_relative_to(schemas_dir().resolve())
    marked = load_marked(text, source, fast=shipped)
    if not (trust_listed and shipped and known_valid(path, raw)):  # a shipped file as validated
        validate_marked(marked, source)
    if is_references_data(marked.data):
        return DataFile("references", source)
    if marked.data["kind"] == "preset":
        return build_preset(marked.data, source)
    return build_schema(marked.data, source)
