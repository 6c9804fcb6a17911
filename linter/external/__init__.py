"""External (http/https) link checking: opt-in, bounded, cached, and safe to run in PR CI.

`check_urls(urls, Options(...))` fetches nothing but http(s), refuses loopback/private/
link-local targets unless `allow_private`, and returns one `Result` per URL;
`external_diagnostics(docs, results)` turns failures into LK900 diagnostics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..util.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from .checker import check_urls, parse_retry_after
    from .options import OPTIONS_SCHEMA, Options, options_from_mapping
    from .report import PAGE, RULE_ID, RULE_NAME, collect_urls, external_diagnostics
    from .result import STATUSES, Result, Status
    from .summary import ExternalReport, attach_to_report, options_from_rule_settings, run_external

__getattr__ = lazy_exports(__name__, {
    "check_urls": ".checker",
    "parse_retry_after": ".checker",
    "OPTIONS_SCHEMA": ".options",
    "Options": ".options",
    "options_from_mapping": ".options",
    "PAGE": ".report",
    "RULE_ID": ".report",
    "RULE_NAME": ".report",
    "collect_urls": ".report",
    "external_diagnostics": ".report",
    "STATUSES": ".result",
    "Result": ".result",
    "Status": ".result",
    "ExternalReport": ".summary",
    "attach_to_report": ".summary",
    "options_from_rule_settings": ".summary",
    "run_external": ".summary",
})

__all__ = [
    "ExternalReport",
    "OPTIONS_SCHEMA",
    "Options",
    "PAGE",
    "RULE_ID",
    "RULE_NAME",
    "Result",
    "STATUSES",
    "attach_to_report",
    "Status",
    "check_urls",
    "collect_urls",
    "external_diagnostics",
    "options_from_mapping",
    "options_from_rule_settings",
    "parse_retry_after",
    "run_external",
]
