"""Lossless JSON round trip for the frozen dataclasses of `linter.document.model`.

Generic over field type hints, so adding a field to the model needs no serialiser change.
Used by `formalai-lint parse --format json` and by the parse cache (JSON, never pickle:
a cache directory may come from an untrusted branch).
"""

from __future__ import annotations

import dataclasses
import enum
import sys
import types
import typing
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar, Union

from . import model

T = TypeVar("T")


def to_data(obj: Any) -> Any:
    """Dataclasses to dicts, tuples to lists; everything else is already JSON-able."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_data(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (tuple, list)):
        return [to_data(x) for x in obj]
    return obj


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    # the model's names, plus the class's own module (Diagnostic, Suggestion, Severity)
    return typing.get_type_hints(cls, {**vars(model), **vars(sys.modules[cls.__module__])})


def from_data(cls: type[T], data: Any) -> T:
    """Rebuild a dataclass of type `cls` from `to_data` output; raises ValueError on mismatch."""
    return typing.cast(T, _builder(cls)(data))


Build = Callable[[Any], Any]
# One decoder per type, compiled once from the type hints: the parse cache decodes
# thousands of documents per run, and re-reading type hints per value was 4x slower.
_BUILDERS: dict[Any, Build] = {}


def _builder(tp: Any) -> Build:
    found = _BUILDERS.get(tp)
    if found is None:
        if dataclasses.is_dataclass(tp) and isinstance(tp, type):
            # register a forwarder first: model types are recursive (Section.children)
            cell: list[Build] = []
            _BUILDERS[tp] = lambda data: cell[0](data)
            cell.append(_compile(tp))
            found = _BUILDERS[tp] = cell[0]
        else:
            found = _BUILDERS[tp] = _compile(tp)
    return found


def _compile(tp: Any) -> Build:
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        return _union(tp)
    if origin is tuple:
        return _tuple(tp)
    if origin is typing.Literal:
        allowed = typing.get_args(tp)

        def literal(data: Any) -> Any:
            if data not in allowed or type(data) is bool:
                raise ValueError(f"{data!r} is not one of {allowed}")
            return data

        return literal
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _dataclass(tp)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return lambda data: tp(data)  # ValueError when not a member
    if tp is Any:
        return lambda data: data
    if tp in (int, str, bool, float):
        return _scalar(tp)
    raise TypeError(f"unsupported type in model: {tp!r}")


def _scalar(tp: type) -> Build:
    # bool is an int subclass: keep them apart so a corrupt cache cannot smuggle one in
    accept = (int, float) if tp is float else (tp,)

    def scalar(data: Any) -> Any:
        if type(data) not in accept:
            raise ValueError(f"expected {tp.__name__}, got {type(data).__name__}")
        return data

    return scalar


def _union(tp: Any) -> Build:
    args = typing.get_args(tp)
    nullable = type(None) in args
    variants = [_builder(a) for a in args if a is not type(None)]
    if len(variants) == 1:
        only = variants[0]
        return lambda data: None if data is None and nullable else only(data)

    def union(data: Any) -> Any:
        if data is None and nullable:
            return None
        errors = []
        for variant in variants:
            try:
                return variant(data)
            except (ValueError, TypeError) as exc:
                errors.append(str(exc))
        raise ValueError(f"no variant of {tp} fits {data!r}: {errors}")

    return union


def _tuple(tp: Any) -> Build:
    args = typing.get_args(tp)
    if len(args) == 2 and args[1] is Ellipsis:
        item = _builder(args[0])

        def homogeneous(data: Any) -> Any:
            if type(data) is not list:
                raise ValueError(f"expected a list for {tp}, got {type(data).__name__}")
            return tuple([item(x) for x in data])

        return homogeneous
    items = [_builder(a) for a in args]

    def fixed(data: Any) -> Any:
        if type(data) is not list:
            raise ValueError(f"expected a list for {tp}, got {type(data).__name__}")
        return tuple(b(x) for b, x in zip(items, data, strict=True))

    return fixed


def _dataclass(cls: type) -> Build:
    hints = _hints(cls)
    fields = [(f.name, _builder(hints[f.name])) for f in dataclasses.fields(cls)]
    names = frozenset(name for name, _ in fields)

    def general(data: Any) -> Any:
        if type(data) is not dict:
            raise ValueError(f"expected an object for {cls.__name__}")
        if not names.issuperset(data):
            raise ValueError(f"unknown fields for {cls.__name__}: {sorted(set(data) - names)}")
        return cls(**{name: b(data[name]) for name, b in fields if name in data})

    if not all(f.init for f in dataclasses.fields(cls)):
        return general
    return _generated(cls, hints, general)


def _bad(cls: type, name: str, value: Any) -> None:
    raise ValueError(f"{cls.__name__}.{name}: unexpected {type(value).__name__}")


def _generated(cls: type, hints: dict[str, Any], general: Build) -> Build:
    """A decoder written for `cls` (scalar checks inline, positional construction): the
    cache decodes hundreds of thousands of headings and links per warm run. Anything that
    is not the complete dict `to_data` writes goes to the general decoder."""
    fields = dataclasses.fields(cls)
    ns: dict[str, Any] = {"cls": cls, "general": general, "bad": _bad}
    body = [
        "def build(data):",
        f"    if type(data) is not dict or len(data) != {len(fields)}:",
        "        return general(data)",
        "    try:",
    ]
    checks: list[str] = []
    for i, f in enumerate(fields):
        tp = hints[f.name]
        body.append(f"        v{i} = data[{f.name!r}]")
        scalar = _scalar_name(tp)
        if scalar is not None:
            checks.append(f"    if type(v{i}) is not {scalar}: bad(cls, {f.name!r}, v{i})")
        elif typing.get_origin(tp) in (Union, types.UnionType) and typing.get_args(tp) in (
            (int, type(None)),
            (str, type(None)),
        ):
            inner = typing.get_args(tp)[0].__name__
            checks.append(f"    if v{i} is not None and type(v{i}) is not {inner}: bad(cls, {f.name!r}, v{i})")
        else:
            ns[f"b{i}"] = _builder(tp)
            checks.append(f"    v{i} = b{i}(v{i})")
    body += ["    except KeyError:", "        return general(data)", *checks]
    body.append(f"    return cls({', '.join(f'v{i}' for i in range(len(fields)))})")
    exec("\n".join(body), ns)  # noqa: S102 - generated from our own dataclass fields
    return typing.cast(Build, ns["build"])


def _scalar_name(tp: Any) -> str | None:
    return {int: "int", str: "str", bool: "bool"}.get(tp) if isinstance(tp, type) else None


def _encoder(tp: Any) -> Build:
    """The type-directed inverse of `_builder` (same output as `to_data`, several times faster)."""
    found = _ENCODERS.get(tp)
    if found is not None:
        return found
    origin = typing.get_origin(tp)
    enc: Build
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        cell: list[Build] = []
        _ENCODERS[tp] = lambda obj: cell[0](obj)
        hints = _hints(tp)
        # generated, like the decoders: `{"line": obj.line, "number": e3(obj.number), ...}`
        # with plain values inlined (encoding a document is on every cache miss's path)
        ns: dict[str, Any] = {}
        items = []
        for i, f in enumerate(dataclasses.fields(tp)):
            e = _encoder(hints[f.name])
            if e is _identity:
                items.append(f"{f.name!r}: obj.{f.name}")
            else:
                ns[f"e{i}"] = e
                items.append(f"{f.name!r}: e{i}(obj.{f.name})")
        exec(f"def encode(obj):\n    return {{{', '.join(items)}}}", ns)  # noqa: S102 - our own fields
        encode = ns["encode"]
        cell.append(encode)
        enc = encode
    elif origin in (Union, types.UnionType):
        variants = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = _encoder(variants[0]) if len(variants) == 1 else to_data
        enc = lambda obj: None if obj is None else inner(obj)  # noqa: E731
    elif origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _encoder(args[0])
            enc = (lambda obj: list(obj)) if item is _identity else (lambda obj: [item(x) for x in obj])
        else:
            enc = to_data
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        enc = lambda obj: obj.value  # noqa: E731
    elif tp in (int, str, bool, float, Any) or origin is typing.Literal:
        enc = _identity
    else:
        enc = to_data
    _ENCODERS[tp] = enc
    return enc


def _identity(obj: Any) -> Any:
    return obj


_ENCODERS: dict[Any, Build] = {}


def document_to_data(doc: model.Document) -> dict[str, Any]:
    data = _encoder(model.Document)(doc)
    assert isinstance(data, dict)
    return data


def document_from_data(data: Any) -> model.Document:
    return from_data(model.Document, data)


def field_types(cls: type) -> dict[str, Any]:
    """The resolved type of each field of a model or diagnostics dataclass."""
    return dict(_hints(cls))


def encoder(tp: Any) -> Build:
    """A fast `to_data` for values of type `tp` (a model or diagnostics dataclass)."""
    return _encoder(tp)


def decoder(tp: Any) -> Callable[[Any], Any]:
    """A fast, strict `from_data` for type `tp`; raises ValueError on data that does not fit."""
    return _builder(tp)
