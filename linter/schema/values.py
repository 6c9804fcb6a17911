"""Validate metadata values with JSON Schema, mapping each error back to its metadata line.

The bold `**键**：值` lines form an instance `{key: value}` (first occurrence of each key;
duplicates are MT004's business) that is validated against the schema's `metadata.values`
with a FormatChecker (`format: date` is checked, not just annotated). The registry is
empty, so no `$ref` is ever fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema

from ..document.model import MetadataField
from .dates import DEFAULT_FORMATS, format_of, iso_text, labels
from .model import MetadataSpec

# The corpus appends notes after dates: `2025-11-10（补充 Nature 2023 …）`; the note is not
# part of the value.
_NOTE = re.compile(r"\s*[（(].*$")


def clean_value(value: str) -> str:
    return _NOTE.sub("", value).strip()


@dataclass(frozen=True, slots=True)
class ValueError_:
    field: MetadataField
    value: str
    message: str


def first_fields(fields: Sequence[MetadataField]) -> dict[str, MetadataField]:
    out: dict[str, MetadataField] = {}
    for f in fields:
        out.setdefault(f.key, f)
    return out


def is_placeholder(spec: MetadataSpec, value: str) -> bool:
    return spec.placeholder is not None and spec.placeholder.search(value) is not None


def _validator(schema: dict[str, Any]) -> jsonschema.protocols.Validator:
    # imported here: only a parse (a cache miss) validates values
    import jsonschema
    import referencing

    return jsonschema.Draft202012Validator(
        schema, registry=referencing.Registry(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


# What `plainly_valid` reads; a schema with any other keyword goes to jsonschema.
_OBJECT_KEYS = frozenset({"type", "properties", "required", "$schema", "title", "description"})
_STRING_KEYS = frozenset({"type", "format", "pattern", "title", "description"})
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def plainly_valid(schema: Any, instance: dict[str, str]) -> bool:
    """True only when jsonschema would report no error on a key of `instance` (all values
    strings) under `schema`, decided for the plain schemas the presets use: an object of
    string properties with `format: date` or a `pattern`. False: ask jsonschema.

    jsonschema's import and validator build (about 90 ms) were a tenth of a pre-commit run
    of one file, and almost every document's dates are valid. The checks are jsonschema's
    own (`format: date` is its `is_date`: ISO digits and `date.fromisoformat`; `pattern` is
    `re.search`); `required` is left out, since `validate_values` reports no error of the
    whole object (MT001 reports missing keys)."""
    if not isinstance(schema, dict) or not _OBJECT_KEYS.issuperset(schema) or schema.get("type") != "object":
        return False
    properties = schema.get("properties", {})
    if not isinstance(properties, dict):
        return False
    for key, value in instance.items():
        sub = properties.get(key)
        if sub is None:
            continue  # no `additionalProperties` here: any other key is allowed
        if not isinstance(sub, dict) or not _STRING_KEYS.issuperset(sub) or sub.get("type") != "string":
            return False
        pattern, form = sub.get("pattern"), sub.get("format")
        if pattern is not None and not (isinstance(pattern, str) and re.search(pattern, value)):
            return False
        if form is not None and not (form == "date" and _is_iso_date(value)):
            return False
    return True


def _is_iso_date(value: str) -> bool:
    # jsonschema's check exactly, not `dates.parse_date`: that one strips, and reads
    # full-width digits, which jsonschema rejects (its pattern is ASCII)
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _format_message(key: str, value: str, dates: str) -> str:
    if dates == "YYYY-MM-DD":
        return f"{key} '{value}' is not an ISO date; expected YYYY-MM-DD"
    return f"{key} '{value}' is not a date in an accepted format; expected {dates}"


def _message(key: str, value: str, err: jsonschema.ValidationError, dates: str = "YYYY-MM-DD") -> str:
    if err.validator == "format" and err.validator_value == "date":
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return f"{key} '{value}' is not a valid calendar date; expected an existing date {dates}"
        return _format_message(key, value, dates)
    if err.validator == "pattern":
        return f"{key} '{value}' does not match the pattern {err.validator_value}; expected a value like the schema says"
    text = err.message
    return f"{key} '{value}': {text[:1].lower()}{text[1:]}"


def validate_values(
    spec: MetadataSpec, fields: Sequence[MetadataField], date_formats: tuple[str, ...] = DEFAULT_FORMATS
) -> Iterator[ValueError_]:
    """Errors in the metadata values; placeholder dates are skipped (MT003 warns on them).
    A date key's value in one of `date_formats` is checked as the ISO day it names."""
    if not spec.values:
        return
    firsts = first_fields(fields)
    date_keys = set(spec.date_keys())
    instance = {}
    written: dict[str, str] = {}  # the value as the document spells it, for messages
    for key, f in firsts.items():
        value = written[key] = clean_value(f.value)
        if is_placeholder(spec, value):
            continue
        if key in date_keys:
            spelled = format_of(value)
            if spelled is not None and spelled not in date_formats:
                # a real date, in a format this corpus does not use (ISO where it writes 年月日)
                yield ValueError_(f, value, _format_message(key, value, labels(date_formats)))
                continue
            value = iso_text(value, date_formats) or value
        instance[key] = value
    if plainly_valid(spec.values, instance):
        return
    seen: set[str] = set()
    for err in sorted(_validator(spec.values).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
        path = list(err.absolute_path)
        if not path or str(path[0]) not in firsts or str(path[0]) in seen:
            continue  # an instance-level error (e.g. `required`): MT001 reports missing keys
        key = str(path[0])
        seen.add(key)
        message = _message(key, instance[key], err, labels(date_formats))
        if written[key] != instance[key]:  # `2025年2月30日` was checked as 2025-02-30
            message = message.replace(f"'{instance[key]}'", f"'{written[key]}'", 1)
        yield ValueError_(firsts[key], written[key], message)
