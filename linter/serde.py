"""Lossless JSON round trip for the frozen dataclasses of `linter.model`.

Generic over field type hints, so adding a field to the model needs no serialiser change.
Used by `formalai-lint parse --format json` and by the parse cache (JSON, never pickle:
a cache directory may come from an untrusted branch).
"""

from __future__ import annotations

import dataclasses
import types
import typing
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
    return typing.get_type_hints(cls, vars(model))


def from_data(cls: type[T], data: Any) -> T:
    """Rebuild a dataclass of type `cls` from `to_data` output; raises ValueError on mismatch."""
    return typing.cast(T, _build(cls, data))


def _build(tp: Any, data: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = typing.get_args(tp)
        if data is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _build(arg, data)
            except (ValueError, TypeError) as exc:
                errors.append(str(exc))
        raise ValueError(f"no variant of {tp} fits {data!r}: {errors}")
    if origin is tuple:
        args = typing.get_args(tp)
        if not isinstance(data, list):
            raise ValueError(f"expected a list for {tp}, got {type(data).__name__}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], x) for x in data)
        return tuple(_build(a, x) for a, x in zip(args, data, strict=True))
    if origin is typing.Literal:
        if data not in typing.get_args(tp):
            raise ValueError(f"{data!r} is not one of {typing.get_args(tp)}")
        return data
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        if not isinstance(data, dict):
            raise ValueError(f"expected an object for {tp.__name__}")
        hints = _hints(tp)
        kwargs = {}
        for f in dataclasses.fields(tp):
            if f.name in data:
                kwargs[f.name] = _build(hints[f.name], data[f.name])
        unknown = set(data) - {f.name for f in dataclasses.fields(tp)}
        if unknown:
            raise ValueError(f"unknown fields for {tp.__name__}: {sorted(unknown)}")
        return tp(**kwargs)
    if tp is Any:
        return data
    if tp in (int, str, bool, float):
        # bool is an int subclass: keep them apart so a corrupt cache cannot smuggle one in
        if type(data) is not tp and not (tp is float and type(data) is int):
            raise ValueError(f"expected {tp.__name__}, got {type(data).__name__}")
        return data
    raise TypeError(f"unsupported type in model: {tp!r}")


def document_to_data(doc: model.Document) -> dict[str, Any]:
    data = to_data(doc)
    assert isinstance(data, dict)
    return data


def document_from_data(data: Any) -> model.Document:
    return from_data(model.Document, data)
