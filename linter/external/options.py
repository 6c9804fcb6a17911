"""The external checker's knobs: one frozen dataclass, validated once, with a JSON-Schema twin.

`OPTIONS_SCHEMA` is the rule record's `options` (JSON-Schema `properties` with defaults), so
`.formalai-lint.yaml` validation, `formalai-lint explain LK900` and `Options` agree; a test
checks that every schema default equals the dataclass default.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..resources import CACHE_DIR_NAME
from ..util.escape import excerpt

DAY = 24 * 60 * 60.0


@dataclass(frozen=True, slots=True)
class Options:
    """How to check external URLs. Defaults are polite to servers and safe for PR CI."""

    workers: int = 8  # threads in the pool
    per_host: int = 2  # concurrent requests to one host:port
    connect_timeout: float = 10.0  # seconds to open the TCP (and TLS) connection
    timeout: float = 10.0  # seconds of silence allowed while reading a response
    retries: int = 2  # extra attempts after a timeout, a connection error, 429, 502, 503, 504
    backoff: float = 1.0  # first retry delay in seconds; doubles on each retry
    max_retry_after: float = 30.0  # a server's Retry-After is honoured up to this many seconds
    max_redirects: int = 5
    max_body: int = 64 * 1024  # bytes read from a GET body at most; the rest is never fetched
    deadline: float = 300.0  # seconds for the whole run; URLs not finished by then are "timeout"
    exclude: tuple[str, ...] = ()  # globs on the URL, or regexes written as "re:<pattern>"
    cache_path: Path | None = None  # JSON result cache; None disables caching
    ttl: float = DAY  # seconds a cached result stays valid
    allow_private: bool = False  # allow loopback/private/link-local targets (SSRF guard off)
    use_head: bool = True  # try HEAD first (cheaper), falling back to GET
    user_agent: str = "formalai-lint-linkcheck/0.1"
    # Not a config key: the folder `cache_path` must be written inside (set from the corpus
    # root by `options_from_mapping`); None (the library API) checks nothing.
    cache_root: Path | None = None
    _patterns: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("workers", "per_host"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        for name in ("retries", "max_redirects", "max_body"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative, got {getattr(self, name)}")
        for name in ("connect_timeout", "timeout", "deadline"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        for name in ("backoff", "max_retry_after", "ttl"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative, got {getattr(self, name)}")
        object.__setattr__(self, "_patterns", tuple(_compile(p) for p in self.exclude))

    def excluded(self, url: str) -> str | None:
        """The exclude pattern matching `url`, if any."""
        for raw, pattern in zip(self.exclude, self._patterns):
            if pattern.search(url):
                return raw
        return None


def _compile(pattern: str) -> re.Pattern[str]:
    """`re:<regex>` is searched anywhere in the URL; anything else is a glob on the whole URL."""
    if pattern.startswith("re:"):
        try:
            return re.compile(pattern[3:])
        except re.error as exc:
            raise ValueError(f"exclude pattern {pattern!r} is not a valid regex: {exc}") from None
    # fnmatch.translate anchors at both ends, so a glob must match the whole URL
    return re.compile(fnmatch.translate(pattern))


# The rule options (JSON-Schema properties); keys and defaults mirror `Options`.
OPTIONS_SCHEMA: dict[str, dict[str, Any]] = {
    "workers": {"type": "integer", "minimum": 1, "default": 8, "description": "threads checking URLs in parallel"},
    "per_host": {"type": "integer", "minimum": 1, "default": 2, "description": "concurrent requests to one host"},
    "connect_timeout": {"type": "number", "exclusiveMinimum": 0, "default": 10.0, "description": "seconds to connect"},
    "timeout": {"type": "number", "exclusiveMinimum": 0, "default": 10.0, "description": "seconds of read inactivity"},
    "retries": {"type": "integer", "minimum": 0, "default": 2, "description": "retries after timeouts, 429 and 502-504"},
    "backoff": {"type": "number", "minimum": 0, "default": 1.0, "description": "first retry delay in seconds, doubled each retry"},
    "max_retry_after": {"type": "number", "minimum": 0, "default": 30.0, "description": "cap on a server's Retry-After, seconds"},
    "max_redirects": {"type": "integer", "minimum": 0, "default": 5, "description": "redirects followed at most"},
    "max_body": {"type": "integer", "minimum": 0, "default": 65536, "description": "bytes of a GET body read at most"},
    "deadline": {"type": "number", "exclusiveMinimum": 0, "default": 300.0, "description": "seconds for the whole run"},
    "exclude": {"type": "array", "items": {"type": "string"}, "default": [], "description": "URL globs, or regexes as re:PATTERN"},
    "cache_path": {"type": ["string", "null"], "default": None, "description": "result cache file (JSON); null disables it"},
    "ttl": {"type": "number", "minimum": 0, "default": DAY, "description": "seconds a cached result stays valid"},
    "allow_private": {"type": "boolean", "default": False, "description": "allow loopback/private/link-local hosts"},
    "use_head": {"type": "boolean", "default": True, "description": "try HEAD before GET"},
    "user_agent": {"type": "string", "default": "formalai-lint-linkcheck/0.1", "description": "User-Agent header"},
}


def options_from_mapping(values: Mapping[str, Any], base: Path | None = None) -> Options:
    """Build `Options` from resolved rule options (config file keys); unknown keys are an error.

    A relative `cache_path` is taken relative to `base` (the corpus root), so a config file
    means the same thing wherever the command runs. With a `base`, the path must lie in the
    root's cache folder: a committed config saying `cache_path: README.md` (or an absolute
    path) would otherwise replace that file with JSON.
    """
    known = {f.name for f in fields(Options) if f.init} - {"cache_root"}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(f"unknown external-link option(s): {', '.join(unknown)}")
    kwargs: dict[str, Any] = dict(values)
    if "exclude" in kwargs:
        kwargs["exclude"] = tuple(kwargs["exclude"])
    cache = kwargs.get("cache_path")
    if cache is not None:
        path = Path(cache)
        if base is not None:
            folder = Path(os.path.normpath(base / CACHE_DIR_NAME))
            path = Path(os.path.normpath(base / path))
            if folder not in path.parents:
                raise ValueError(
                    f"cache_path {excerpt(str(cache))!r} must be a file inside {CACHE_DIR_NAME}/ "
                    f"(e.g. {CACHE_DIR_NAME}/external.json)")
            kwargs["cache_root"] = base
        kwargs["cache_path"] = path
    return Options(**kwargs)
