"""What checking one URL found, as plain frozen data that round-trips through JSON (the cache)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Status = Literal["ok", "broken", "timeout", "error", "excluded", "redirected"]
STATUSES: tuple[Status, ...] = ("ok", "broken", "timeout", "error", "excluded", "redirected")


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome for one URL.

    - ok: a 2xx answer (directly);
    - redirected: a 2xx answer after following `redirects` (the chain, first hop first);
    - broken: the server answered and the link does not work (4xx/5xx other than the
      transient ones after retries, a redirect loop, too many redirects);
    - timeout: no answer in time (per request after retries, or the run's deadline), or
      still rate limited (429) after the last retry;
    - error: no HTTP answer to judge (DNS failure, refused connection, TLS error, a
      refused private address, a redirect to a non-http(s) URL);
    - excluded: never fetched (an exclude pattern or a scheme other than http/https).
    """

    url: str
    status: Status
    final_url: str = ""
    code: int | None = None
    attempts: int = 0
    message: str = ""
    redirects: tuple[str, ...] = ()
    checked_at: float = 0.0  # time.time() of the check (for the cache TTL)
    cached: bool = False

    def to_data(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "status": self.status,
            "final_url": self.final_url,
            "code": self.code,
            "attempts": self.attempts,
            "message": self.message,
            "redirects": list(self.redirects),
            "checked_at": self.checked_at,
        }

    @staticmethod
    def from_data(data: Any) -> Result:
        """Inverse of `to_data`; raises ValueError/TypeError/KeyError on a malformed record."""
        if not isinstance(data, dict):
            raise TypeError("result record is not an object")
        status = data["status"]
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        code = data.get("code")
        if code is not None and not isinstance(code, int):
            raise TypeError("code is not an integer")
        redirects = data.get("redirects", [])
        if not isinstance(redirects, list) or not all(isinstance(r, str) for r in redirects):
            raise TypeError("redirects is not a list of strings")
        return Result(
            url=str(data["url"]),
            status=status,
            final_url=str(data.get("final_url", "")),
            code=code,
            attempts=int(data.get("attempts", 0)),
            message=str(data.get("message", "")),
            redirects=tuple(redirects),
            checked_at=float(data["checked_at"]),
        )
