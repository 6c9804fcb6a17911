"""What the cache's keys are made of: three environments, from narrow to wide.

- The *model* environment: what a parsed `Document` depends on besides the file's bytes:
  the cache format, the tool version and a hash of the tool's own source (an editable
  install changes code without changing the version), the parser's identity with its
  versions (`linter.document.parsers.identity`), the Python and Unicode versions (slugs
  depend on them) and `max_bytes` (a larger file is a flagged document). Not the path, not
  the configuration: a config edit, a rename or a copy of a file reuses its model.
- The *findings* environment: the model environment plus what a per-document rule sees
  besides the document and its own options: the schema files and the config's schema
  globs and preset (which schema a path gets). Each rule's stored findings are further
  keyed by its own options (`option_key`), so changing one rule's severity re-stamps,
  disabling one drops it and changing one rule's options re-runs only that rule.
- The *run* environment (`environment`): everything, the whole effective configuration
  included; a run record (`linter.run.record`) is keyed by it and by the run's targets.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import os
import sys
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..config.settings import Config, RuleSetting, merge_setting
from ..document.parsers import identity as parser_identity
from ..resources import schemas_dir
from ..util.safe_read import read_bytes as safe_read_bytes
from .entry import FORMAT

_PACKAGE = Path(__file__).resolve().parent.parent  # the linter package: its sources key the cache
# Rules whose findings depend on today's date unless their `today` option fixes it.
CLOCK_RULES = frozenset({"MT006"})


def tool_version() -> str:
    from ..resources import __version__

    return __version__


def code_hash() -> str:
    """A hash of the tool's source files (cheap: a few hundred small files)."""
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        h.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def canonical(value: Any) -> Any:
    """A JSON-able, order-independent form of a configuration value."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return canonical(value.value)
    if isinstance(value, Mapping):
        return sorted([str(k), canonical(v)] for k, v in value.items())
    if isinstance(value, (set, frozenset)):
        return sorted(json.dumps(canonical(v), sort_keys=True) for v in value)
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def _digest(facts: Any) -> str:
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def schema_hash(config: Config, root: Path) -> str:
    """The built-in schema files, and any schema file the configuration names (by path)."""
    h = hashlib.sha256()
    folder = schemas_dir()
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    for ref in (ref for _, ref in config.schemas):
        candidate = (root / ref).resolve()  # an absolute ref stays itself
        if candidate.is_file():
            files.append(candidate)
    for path in files:
        h.update(os.fsencode(path.as_posix()) + b"\0")
        try:  # a regular file of a schema's size (the loader refuses far smaller ones)
            h.update(safe_read_bytes(path, 16 * 1024 * 1024))
        except OSError:
            h.update(b"<unreadable>")
    return h.hexdigest()


def model_environment(config: Config) -> str:
    """The hash of everything besides a file's bytes that its parsed model depends on."""
    return _digest({
        "format": FORMAT,
        "tool": tool_version(),
        "code": code_hash(),
        "parser": parser_identity(config.parser),
        "python": list(sys.version_info[:2]),
        "unicode": unicodedata.unidata_version,
        "max_bytes": config.max_bytes,
    })


def findings_environment(model_env: str, config: Config, root: Path) -> str:
    """The hash of what every per-document rule sees besides the document and its options."""
    return _digest({
        "model": model_env,
        "schemas": schema_hash(config, root),
        "schema_globs": canonical(config.schemas),
        "schema_preset": config.schema_preset,
    })


def clock_dates(config: Config) -> list[str]:
    """Today's date when a rule reading the clock is on: MT006 (future-date) compares with
    today unless its `today` option fixes the date, so yesterday's "future" date must not be
    served from a record made yesterday. Empty when no rule reads the clock (the record then
    survives midnight)."""
    from ..rules.metadata import future_date

    base = config.rules.get(future_date.id, RuleSetting())
    candidates = [config.resolve(future_date)]
    candidates += [  # an override may turn it on, or clear `today`, for some files
        dataclasses.replace(config, rules={**config.rules, future_date.id: merge_setting(base, o.rules[future_date.id])},
                            overrides=()).resolve(future_date)
        for o in config.overrides if future_date.id in o.rules
    ]
    if any(c is not None and not c.options.get("today") for c in candidates):
        return [dt.date.today().isoformat()]
    return []


def option_key(rule_id: str, options: Mapping[str, Any]) -> str:
    """What one rule's stored findings for a document are valid for: its options, and
    today's date for a rule reading the clock without a fixed `today`."""
    if rule_id in CLOCK_RULES and not options.get("today"):
        return _digest([canonical(options), dt.date.today().isoformat()])[:16]
    # asked for every rule of every document (50,000 times in a corpus-wide fix) with the
    # few option mappings the resolved rules share: remembered by identity, the mapping
    # kept alive beside its key so that its id cannot be reused
    hit = _OPTION_KEYS.get((rule_id, id(options)))
    if hit is not None and hit[0] is options:
        return hit[1]
    if len(_OPTION_KEYS) >= 4096:  # resolved anew per document somewhere: do not grow
        _OPTION_KEYS.clear()
    key = _digest([canonical(options)])[:16]
    _OPTION_KEYS[(rule_id, id(options))] = (options, key)
    return key


_OPTION_KEYS: dict[tuple[str, int], tuple[Mapping[str, Any], str]] = {}


def environment(config: Config, root: Path) -> str:
    """The hash of everything besides the files that a run's findings depend on."""
    model_env = model_environment(config)
    return _digest({
        "findings": findings_environment(model_env, config, root),
        "today": clock_dates(config),
        "config": canonical(config),
    })


def file_digest(data: bytes) -> str:
    """What identifies a file's content in a key (hex SHA-256 of its bytes)."""
    return hashlib.sha256(data).hexdigest()


def model_key(model_env: str, digest: str) -> str:
    """The key of the model of a file whose bytes have SHA-256 `digest`: the same for every
    path holding those bytes (a copied folder shares its models)."""
    return hashlib.sha256(f"model\0{model_env}\0{digest}".encode()).hexdigest()


def findings_key(findings_env: str, path: str, model: str) -> str:
    """The key of a document's per-document findings (they name the path; schemas select by it)."""
    # surrogateescape: a file name that is not UTF-8 keys its entry by its real bytes
    return hashlib.sha256(f"findings\0{findings_env}\0{path}\0{model}".encode("utf-8", "surrogateescape")).hexdigest()
