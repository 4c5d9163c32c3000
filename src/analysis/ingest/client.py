"""A small client for Statistics Finland's PxWeb API v1: the rate limit the API's
``?config`` allows (``maxCalls`` per ``timeWindow`` seconds; 30 per 10 s when it does not
say), retries of 429 and 5xx with exponential back-off (honouring ``Retry-After``), a
timeout on every call, and a one-line error when there is no network at all.
"""

from __future__ import annotations

import json
import time
from collections import deque
from dataclasses import dataclass
from urllib.parse import urljoin

import requests

from analysis.core.errors import AnalysisError
from analysis.data.catalogue import OfficialTable

DEFAULT_BASE_URL = "https://pxdata.stat.fi/PXWeb/api/v1/fi/StatFin/"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_CALLS, DEFAULT_TIME_WINDOW = 30, 10.0
DEFAULT_MAX_VALUES = 100_000


class RefreshError(AnalysisError, RuntimeError):
    """The refresh stopped; ``data/`` is unchanged. The message is one line for the CLI."""


class NoNetworkError(RefreshError):
    """The API's host cannot be reached at all (connection refused, DNS failure)."""


class RateLimiter:
    """At most ``max_calls`` calls in any ``window`` seconds (sliding window)."""

    def __init__(self, max_calls: int = DEFAULT_MAX_CALLS, window: float = DEFAULT_TIME_WINDOW,
                 clock=time.monotonic, sleep=time.sleep):
        self.max_calls, self.window = max(1, int(max_calls)), float(window)
        self.clock, self.sleep = clock, sleep
        self.calls: deque[float] = deque()

    def wait(self) -> None:
        while True:
            now = self.clock()
            while self.calls and now - self.calls[0] >= self.window:
                self.calls.popleft()
            if len(self.calls) < self.max_calls:
                self.calls.append(now)
                return
            self.sleep(self.window - (now - self.calls[0]) + 0.01)


@dataclass
class Response:
    url: str
    body: bytes
    request: dict | None


class PxWebClient:
    """A small PxWeb v1 client: rate limit, retries with back-off, timeouts."""

    def __init__(self, base_url: str = DEFAULT_BASE_URL, timeout: float = DEFAULT_TIMEOUT,
                 retries: int = 4, backoff: float = 1.0, max_backoff: float = 60.0):
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.timeout, self.retries = float(timeout), int(retries)
        self.backoff, self.max_backoff = float(backoff), float(max_backoff)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "finnish-urban-policy-analysis (analysis data refresh)"
        self.limiter = RateLimiter()
        self.max_values = DEFAULT_MAX_VALUES
        self.calls = 0

    # -- configuration ----------------------------------------------------------------
    def config_url(self) -> str:
        # base is .../api/v1/<lang>/<database>/ ; the config lives at .../api/v1/<lang>/?config
        return urljoin(self.base_url, "../") + "?config"

    def configure(self) -> dict:
        """Read ``?config`` and adopt its limits; keep the defaults where it says nothing."""
        try:
            config = json.loads(self._call("GET", self.config_url()).body)
        except (RefreshError, ValueError) as exc:
            if isinstance(exc, NoNetworkError):
                raise
            return {}
        if not isinstance(config, dict):
            return {}
        calls, window = config.get("maxCalls"), config.get("timeWindow")
        if isinstance(calls, int) and calls > 0 and isinstance(window, (int, float)) and window > 0:
            used = list(self.limiter.calls)
            self.limiter = RateLimiter(calls, window)
            self.limiter.calls.extend(used)
        if isinstance(config.get("maxValues"), int) and config["maxValues"] > 0:
            self.max_values = config["maxValues"]
        return config

    # -- calls ------------------------------------------------------------------------
    def metadata(self, spec: OfficialTable) -> dict:
        response = self._call("GET", self.table_url(spec))
        try:
            meta = json.loads(response.body)
        except ValueError:
            raise RefreshError(f"table {spec.table_id}: metadata at {response.url} is not valid "
                               "JSON") from None
        if not isinstance(meta, dict) or not isinstance(meta.get("variables"), list):
            raise RefreshError(f"table {spec.table_id}: metadata at {response.url} has no "
                               "'variables' list")
        return meta

    def query(self, spec: OfficialTable, body: dict) -> Response:
        return self._call("POST", self.table_url(spec), body)

    def table_url(self, spec: OfficialTable) -> str:
        return urljoin(self.base_url, spec.url_path)

    def _call(self, method: str, url: str, body: dict | None = None) -> Response:
        attempt, hops = 0, 0
        while True:
            attempt += 1
            self.limiter.wait()
            self.calls += 1
            try:
                # Redirects are followed here, within the host asked only: data from another
                # host would be recorded as the address asked (the sidecar's url).
                reply = self.session.request(method, url, json=body, timeout=self.timeout,
                                             allow_redirects=False)
            except requests.exceptions.Timeout:
                problem, retry_after = f"no answer within {self.timeout:g} s", None
            except requests.exceptions.ChunkedEncodingError:  # fewer bytes than announced
                problem, retry_after = "the answer was cut short (connection lost)", None
            except requests.exceptions.ConnectionError as exc:
                if _cannot_connect(exc):  # refused, DNS failure, unreachable: no point retrying
                    raise NoNetworkError(f"no network: cannot reach {_host(url)} "
                                         f"({_reason(exc)}); nothing was changed") from None
                problem, retry_after = f"connection lost ({_reason(exc)})", None
            except requests.exceptions.RequestException as exc:
                raise RefreshError(f"{method} {url} failed: {exc}") from None
            else:
                if reply.is_redirect:
                    target = urljoin(url, reply.headers.get("Location", ""))
                    hops += 1
                    if _origin(target) != _origin(url) or hops > MAX_REDIRECTS:
                        why = "another host" if _origin(target) != _origin(url) else \
                            f"more than {MAX_REDIRECTS} redirects"
                        raise RefreshError(f"{method} {url}: redirected to {target} ({why}); "
                                           "nothing was fetched from it: give --base-url the "
                                           "address of the API itself")
                    url, attempt = target, attempt - 1  # a redirect is no failed attempt
                    continue
                if reply.status_code < 400:
                    return Response(url=url, body=reply.content, request=body)
                text = " ".join(reply.text.split())[:200]
                problem = f"HTTP {reply.status_code}" + (f" ({text})" if text else "")
                if reply.status_code != 429 and reply.status_code < 500:
                    hint = ""
                    if reply.status_code == 403 and "value" in reply.text.lower():
                        hint = f" (the query asked for more than maxValues={self.max_values} cells)"
                    raise RefreshError(f"{method} {url}: {problem}{hint}")
                retry_after = _retry_after(reply.headers.get("Retry-After"))
            if attempt > self.retries:
                raise RefreshError(f"{method} {url}: {problem}; gave up after {attempt} attempts")
            delay = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
            if retry_after is not None:
                delay = min(self.max_backoff, max(delay, retry_after))
            time.sleep(delay)


MAX_REDIRECTS = 5


def _origin(url: str) -> tuple[str, str]:
    """Scheme and host[:port] of ``url``: where a redirect may lead."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc or url


def _cannot_connect(exc: Exception) -> bool:
    """True when no connection could be made at all (as opposed to one that broke)."""
    from urllib3.exceptions import NewConnectionError

    seen, todo = set(), [exc]
    while todo:
        item = todo.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, NewConnectionError):
            return True
        todo += [getattr(item, "reason", None), item.__cause__, item.__context__]
        todo += [a for a in getattr(item, "args", ()) if isinstance(a, BaseException)]
    return False


def _reason(exc: Exception) -> str:
    text = str(exc)
    for marker, reason in (("Connection refused", "connection refused"),
                           ("Name or service not known", "DNS lookup failed"),
                           ("nodename nor servname", "DNS lookup failed"),
                           ("Temporary failure in name resolution", "DNS lookup failed"),
                           ("Network is unreachable", "network unreachable")):
        if marker in text:
            return reason
    return "connection failed"


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None
