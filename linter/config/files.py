"""Load the configuration: `.formalai-lint.yaml` at the root or `[tool.formalai-lint]` in
`pyproject.toml`, with `extends` (the built-in `formalai` preset or a path).

Config files can come from pull requests, so loading is defensive: a size cap, a nesting
cap and no YAML aliases or anchors (an alias bomb expands to millions of nodes when walked),
duplicate keys rejected, and the data validated against the generated JSON Schema with an
empty `referencing.Registry()`. Every problem is a `ConfigError` naming the file, the line
and the key (`.formalai-lint.yaml:7: rules.MK003.severity: 'fatal' is not one of ...`).
"""

from __future__ import annotations

import sys
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    import jsonschema

from .settings import DEFAULT_MAX_FINDINGS, Config, ConfigError, Override, RuleSetting, merge_setting
from .json_schema import build_schema
from .detect import detect
from ..diagnostics import Severity
from ..document.encoding import DEFAULT_MAX_BYTES
from ..document.parsers import DEFAULT_PARSER
from ..rules import get_rule
from ..util.escape import EXCERPT, excerpt
from ..util.safe_read import ReadRefused, read_bytes

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from .root import CONFIG_FILES as CONFIG_FILES, MAX_CONFIG_BYTES as MAX_CONFIG_BYTES  # noqa: E402
PRESETS_DIR = Path(__file__).resolve().parent / "presets"
MAX_DEPTH = 32
MAX_EXTENDS = 8

_validator_cache: list[jsonschema.protocols.Validator] = []


def _validator() -> jsonschema.protocols.Validator:
    import jsonschema  # here, not at the top: a run without a config file never validates one
    import referencing

    if not _validator_cache:
        schema = build_schema()
        cls = jsonschema.validators.validator_for(schema)
        # empty registry: a config can never make us fetch a remote or local $ref
        _validator_cache.append(cls(schema, registry=referencing.Registry()))
    return _validator_cache[0]


# -- safe YAML ---------------------------------------------------------------------------


def _yaml_error_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def _precheck(text: str, source: str) -> None:
    """Walk the event stream (iterative, no recursion): no aliases, no anchors, bounded depth."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if isinstance(event, yaml.AliasEvent):
                raise ConfigError(f"{source}:{line}: YAML aliases (*{event.anchor}) are not allowed in a config")
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise ConfigError(f"{source}:{line}: YAML anchors (&{anchor}) are not allowed in a config")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise ConfigError(f"{source}:{line}: config nested deeper than {MAX_DEPTH} levels")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{source}:{_yaml_error_line(exc) or 1}: invalid YAML: {problem}") from None


def _check_duplicates(node: yaml.Node, source: str) -> None:
    """YAML silently keeps the last of two equal keys; a config typo should not vanish."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, yaml.MappingNode):
            seen: dict[str, int] = {}
            for k, v in n.value:
                key = str(k.value)
                if key in seen:
                    raise ConfigError(
                        f"{source}:{k.start_mark.line + 1}: duplicate key {key!r} (first at line {seen[key]})"
                    )
                seen[key] = k.start_mark.line + 1
                stack.append(v)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)


def load_yaml(text: str, source: str, *, shipped: bool = False) -> tuple[Any, yaml.Node | None]:
    """Parse config YAML safely: (data, root node for line numbers). `shipped`: one of the
    tool's own presets, as trusted as its code: composed by libyaml where it is installed
    and not walked for aliases first (the pure-Python walk and parse were 15-20 ms of each
    run that loads the config; tests/test_presets.py holds both loaders to the same data)."""
    if len(text.encode("utf-8")) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{source}: config larger than {MAX_CONFIG_BYTES} bytes")
    fast = getattr(yaml, "CSafeLoader", None) if shipped else None
    if fast is None:
        _precheck(text, source)
    loader = (fast or yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, None
        _check_duplicates(node, source)
        return loader.construct_document(node), node
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{source}:{_yaml_error_line(exc) or 1}: invalid YAML: {problem}") from None
    except RecursionError:
        raise ConfigError(f"{source}: config nested too deeply") from None
    finally:
        loader.dispose()


def locate(node: yaml.Node | None, path: Sequence[str | int]) -> int | None:
    """The 1-based line of the value at `path` (or of its deepest existing ancestor)."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if str(k.value) == str(part):
                    line, node = k.start_mark.line + 1, v
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _keypath(path: Sequence[str | int]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


# -- validation and conversion -----------------------------------------------------------


@dataclass
class Layer:
    """One config file's settings, rule keys already resolved to ids."""

    rules: dict[str, RuleSetting] = field(default_factory=dict)
    ignore: list[str] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    schemas: list[tuple[str, str]] = field(default_factory=list)
    gitignore: bool | None = None
    max_bytes: int | None = None
    max_findings: int | None = None
    parser: str | None = None  # `parser:` (linter.document.parsers.CHOICES)
    # the built-in preset at the bottom of the `extends` chain, and why it applies
    # (None: no file in the chain names one, so `load_config` detects it)
    preset: str | None = None
    preset_reason: str = ""


class _Where:
    def __init__(
        self, source: str, node: yaml.Node | None, finder: Callable[[Sequence[str | int]], int | None] | None = None
    ) -> None:
        self.source, self.node, self.finder = source, node, finder

    def error(self, path: Sequence[str | int], message: str) -> ConfigError:
        line = self.finder(path) if self.finder is not None else locate(self.node, path)
        at = f"{self.source}:{line}" if line is not None else self.source
        return ConfigError(f"{at}: {_keypath(path)}: {message}")


def _validate(data: Any, where: _Where) -> None:
    if not isinstance(data, Mapping):
        # never quote it: `extends:` may point at any file, e.g. a private key
        raise where.error([], f"expected a mapping of config keys, got {_kind(data)}")
    errors = sorted(_validator().iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if not errors:
        return
    err = errors[0]
    path: list[str | int] = list(err.absolute_path)
    message = err.message
    if err.validator == "additionalProperties" and isinstance(err.instance, Mapping):
        schema = err.schema if isinstance(err.schema, Mapping) else {}
        allowed = set((schema.get("properties") or {}).keys())
        extra = sorted(str(k) for k in err.instance if k not in allowed)
        if extra:
            path.append(extra[0])
            message = (
                f"unknown rule {extra[0]!r}; see `formalai-lint rules`"
                if _is_rules_path(path[:-1])
                else f"unknown key {extra[0]!r}"
            )
    elif err.validator == "oneOf" and err.context:
        # a rule value: say what forms are accepted rather than listing every branch
        message = f"{err.instance!r} is not valid; expected true/false, on/off, a severity or {{enabled, severity, options}}"
        deeper = [e for e in err.context if len(e.absolute_path) > len(err.absolute_path)]
        if deeper:
            best = max(deeper, key=lambda e: len(e.absolute_path))
            path, message = list(best.absolute_path), best.message
    raise where.error(path, _short_quotes(message, err))


def _kind(value: Any) -> str:
    return {str: "a string", list: "a list", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), type(value).__name__)


def _short_quotes(message: str, err: Any) -> str:
    """jsonschema quotes the whole offending value; keep the message to a short excerpt."""
    for e in (err, *(err.context or ())):
        quoted = repr(e.instance)
        if len(quoted) > EXCERPT and quoted in message:
            message = message.replace(quoted, excerpt(quoted))
    return excerpt(message, 300)


def _is_rules_path(path: Sequence[str | int]) -> bool:
    return bool(path) and path[-1] == "rules"


def _setting(value: Any) -> RuleSetting:
    if isinstance(value, bool):
        return RuleSetting(enabled=value)
    if isinstance(value, str):
        if value in ("on", "off"):
            return RuleSetting(enabled=value == "on")
        return RuleSetting(enabled=True, severity=Severity(value))
    sev = value.get("severity")
    return RuleSetting(
        enabled=value.get("enabled", True if sev or value.get("options") else None),
        severity=Severity(sev) if sev else None,
        options=dict(value.get("options") or {}),
    )


def _rules(raw: Mapping[str, Any], where: _Where, path: list[str | int]) -> dict[str, RuleSetting]:
    out: dict[str, RuleSetting] = {}
    for key, value in raw.items():
        r = get_rule(str(key))
        if r is None:  # the schema already rejects these; kept for configs built in code
            raise where.error([*path, key], f"unknown rule {key!r}; see `formalai-lint rules`")
        setting = _setting(value)
        if r.check_options is not None and setting.options:
            problem = r.check_options({**r.defaults(), **setting.options})
            if problem is not None:
                raise where.error([*path, key, "options"], problem)
        out[r.id] = merge_setting(out.get(r.id, RuleSetting()), setting)
    return out


def layer_from_data(
    data: Any,
    source: str,
    node: yaml.Node | None = None,
    finder: Callable[[Sequence[str | int]], int | None] | None = None,
    validate: bool = True,
) -> tuple[Layer, str | None]:
    """Validate one file's data and convert it; returns the layer and its `extends`.
    `validate=False` is for the built-in presets only (tests/test_presets.py validates them),
    so a run without a config file never imports jsonschema."""
    where = _Where(source, node, finder)
    if data is None:
        data = {}
    if validate:
        _validate(data, where)
    layer = Layer(
        rules=_rules(data.get("rules") or {}, where, ["rules"]),
        ignore=list(data.get("ignore") or []),
        schemas=list((data.get("schemas") or {}).items()),
        gitignore=data.get("gitignore"),
        max_bytes=data.get("max-bytes"),
        max_findings=data.get("max-findings-per-rule"),
        parser=data.get("parser"),
    )
    for i, o in enumerate(data.get("overrides") or []):
        layer.overrides.append(Override(tuple(o["files"]), _rules(o["rules"], where, ["overrides", i, "rules"])))
    return layer, data.get("extends")


def _merge(base: Layer, top: Layer) -> Layer:
    rules = dict(base.rules)
    for rid, s in top.rules.items():
        rules[rid] = merge_setting(rules.get(rid, RuleSetting()), s)
    return Layer(
        rules=rules,
        ignore=[*base.ignore, *top.ignore],
        overrides=[*base.overrides, *top.overrides],
        schemas=[*top.schemas, *base.schemas],  # the nearer file's mapping is tried first
        gitignore=base.gitignore if top.gitignore is None else top.gitignore,
        max_bytes=top.max_bytes or base.max_bytes,
        max_findings=base.max_findings if top.max_findings is None else top.max_findings,
        parser=base.parser if top.parser is None else top.parser,
        preset=base.preset,
        preset_reason=base.preset_reason,
    )


def preset_layer(name: str, reason: str) -> Layer:
    """A built-in preset's own layer, marked as the base of the chain."""
    path = PRESETS_DIR / f"{name}.yaml"
    data, node = load_yaml(_read(path), f"presets/{name}.yaml", shipped=True)
    layer, _ = layer_from_data(data, f"presets/{name}.yaml", node, validate=False)
    layer.preset, layer.preset_reason = name, reason
    return layer


# -- files ------------------------------------------------------------------------------


def _read(path: Path) -> str:
    try:  # the size is checked before reading, and a FIFO or device is never opened
        data = read_bytes(path, MAX_CONFIG_BYTES)
    except ReadRefused as exc:
        if exc.kind == "too-large":
            raise ConfigError(f"{path.name}: config larger than {MAX_CONFIG_BYTES} bytes") from None
        raise ConfigError(f"cannot read config {path}: {exc.reason}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path.name}: config is not UTF-8 (byte {exc.start})") from None


def toml_line(text: str, path: Sequence[str | int]) -> int | None:
    """Best-effort line of a key inside `[tool.formalai-lint...]` (tomllib keeps no positions)."""
    lines = text.splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.strip().startswith("[tool.formalai-lint")), None)
    if start is None:
        return None
    found = start
    for part in path:
        if isinstance(part, int):
            continue
        key = re.compile(rf"(^|[\s{{,.\[])[\"']?{re.escape(part)}[\"']?\s*(=|\]|\.)")
        hit = next((i for i in range(found, len(lines)) if key.search(lines[i])), None)
        if hit is None:
            break
        found = hit
    return found + 1


def _pyproject_data(path: Path) -> Any:
    text = _read(path)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomli (Python 3.10) says "at end of document" where tomllib names the line: name it too
        last = text.rstrip().count("\n") + 1
        message = str(exc).replace("(at end of document)", f"(at end of document, line {last})")
        raise ConfigError(f"{path.name}: invalid TOML: {message}") from None
    tool = doc.get("tool", {})
    return tool.get("formalai-lint") if isinstance(tool, dict) else None


def _layer_from_file(path: Path, chain: tuple[Path, ...], read: list[str] | None = None) -> Layer:
    if read is not None:
        read.append(str(path))
    if len(chain) > MAX_EXTENDS:
        raise ConfigError(f"{path.name}: `extends` chain longer than {MAX_EXTENDS}")
    if path in chain:
        raise ConfigError(f"{path.name}: `extends` cycle: {' -> '.join(p.name for p in (*chain, path))}")
    source = path.name if not chain else str(path)
    if path.name == "pyproject.toml":
        data, node = _pyproject_data(path), None
        text = _read(path)
        layer, extends = layer_from_data(data, source, None, lambda p: toml_line(text, p))
    else:
        data, node = load_yaml(_read(path), source)
        layer, extends = layer_from_data(data, source, node)
    if extends is None:
        return layer
    if "/" not in extends and "\\" not in extends and not extends.endswith((".yaml", ".yml", ".toml")):
        preset = PRESETS_DIR / f"{extends}.yaml"
        if not preset.is_file():
            line = locate(node, ["extends"]) if node is not None else toml_line(_read(path), ["extends"])
            known = ", ".join(sorted(p.stem for p in PRESETS_DIR.glob("*.yaml")))
            raise ConfigError(
                f"{source}{':' + str(line) if line else ''}: extends: unknown preset {extends!r}; expected one of {known} or a path"
            )
        return _merge(preset_layer(extends, f"extends: {extends} in {source}"), layer)
    else:
        parent_path = (path.parent / extends).resolve()
        if not parent_path.is_file():
            line = locate(node, ["extends"]) if node is not None else toml_line(_read(path), ["extends"])
            raise ConfigError(f"{source}{':' + str(line) if line else ''}: extends: file not found: {extends}")
    return _merge(_layer_from_file(parent_path, (*chain, path), read), layer)


def find_config(root: Path) -> Path | None:
    """The root's config file: `.formalai-lint.yaml`/`.yml`, else a pyproject.toml with our table."""
    for name in CONFIG_FILES:
        if (root / name).is_file():
            return root / name
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            if _pyproject_data(pyproject) is not None:
                return pyproject
        except ConfigError:
            return pyproject  # let load_config report the TOML error with its line
    return None


def config_from_layer(layer: Layer, source: str | None) -> Config:
    return Config(
        rules=layer.rules,
        ignore=tuple(layer.ignore),
        schemas=tuple(layer.schemas),
        overrides=tuple(layer.overrides),
        gitignore=True if layer.gitignore is None else layer.gitignore,
        max_bytes=layer.max_bytes or DEFAULT_MAX_BYTES,
        max_findings_per_rule=DEFAULT_MAX_FINDINGS if layer.max_findings is None else layer.max_findings,
        parser=DEFAULT_PARSER if layer.parser is None else layer.parser,
        source=source,
        # text without `extends` (tests, scripts) keeps the FormalAI schemas, as before
        preset=layer.preset or "formalai",
        preset_reason=layer.preset_reason or "built-in default",
    )


def load_config(root: str | Path | None = None, path: str | Path | None = None) -> Config:
    """The effective config: `path` if given, else the root's config file, else the defaults."""
    root_path = Path(root) if root is not None else Path.cwd()
    file = Path(path) if path is not None else find_config(root_path)
    if file is not None and not file.is_file():
        raise ConfigError(f"config file not found: {file}")
    read: list[str] = []  # every file of the `extends` chain: a run record stamps them
    layer = _layer_from_file(file.resolve(), (), read) if file is not None else Layer()
    if layer.preset is None:
        # no `extends` anywhere in the chain: FormalAI only where the corpus looks like it
        found = detect(root_path, tuple(layer.ignore))
        layer = _merge(preset_layer(found.preset, found.reason), layer)
    config = config_from_layer(layer, file.name if file is not None else None)
    return replace(config, files=tuple(read)) if read else config


def config_from_text(text: str, source: str = ".formalai-lint.yaml") -> Config:
    """A config from YAML text (no `extends` to files; presets work). For tests and scripts.
    Without `extends` nothing is detected (there is no root): the FormalAI schemas apply."""
    data, node = load_yaml(text, source)
    layer, extends = layer_from_data(data, source, node)
    if extends is not None:
        if not (PRESETS_DIR / f"{extends}.yaml").is_file():
            raise ConfigError(f"{source}: extends: only presets can be used from text, not {extends!r}")
        layer = _merge(preset_layer(extends, f"extends: {extends} in {source}"), layer)
    return config_from_layer(layer, source)
