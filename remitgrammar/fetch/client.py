"""The one HTTP client of `fetch`, under the SEC's fair-access rules.

Every request carries the user's User-Agent (a name and an e-mail address, as the SEC asks), waits
its turn at one limiter shared by every thread (at most 10 requests a second), and is retried after a
429 or 503 with exponential backoff, or after the server's Retry-After, a bounded number of times.
A response is read up to a size limit (its unpacked bytes, when the server gzips it), under a timeout;
only https is spoken, except to a test server on this machine named by ``REMITGRAMMAR_EDGAR_BASE``.
"""

from __future__ import annotations

import email.utils
import http.client
import os
import threading
import time
import urllib.error
import urllib.request
import zlib
from urllib.parse import urlsplit

from ..errors import ConfigError

WWW, DATA = "https://www.sec.gov", "https://data.sec.gov"
BASE_VAR = "REMITGRAMMAR_EDGAR_BASE"  # for tests only: one base for both hosts, e.g. http://127.0.0.1:8080
AGENT_VAR = "REMITGRAMMAR_USER_AGENT"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PER_SECOND = 10
RETRIES = 5  # a 429 or 503 is asked again at most this many times
FIRST_WAIT, LONGEST_WAIT = 1.0, 60.0  # seconds of backoff: 1, 2, 4, 8, 16; a Retry-After past 60 fails
TIMEOUT = 30.0  # seconds of silence on the connection
LONGEST_READ = 600.0  # seconds for one whole answer: a server that drips a byte at a time is let go
MAX_AGENT = 200
_CHUNK = 64 * 1024


class FetchError(Exception):
    """A request that failed for good: the message says why, in a few words."""


def user_agent(given: str | None) -> str:
    """The User-Agent to send: ``given`` if it names an e-mail address.

    Raises:
        ConfigError: none given, or one without an e-mail address or with characters a header cannot hold.
    """
    how = (f"give --user-agent \"Your Name your.name@example.com\", or set {AGENT_VAR} "
           "(or user-agent in the configuration)")
    if not given or not given.strip():
        raise ConfigError(f"fetch: the SEC asks every client to name its user: {how}")
    text = given.strip()
    if len(text) > MAX_AGENT or not text.isascii() or not text.isprintable():
        raise ConfigError(f"fetch: the User-Agent must be printable ASCII of at most {MAX_AGENT} characters: {how}")
    if not any(_is_address(word.strip("<>()[],;\"'")) for word in text.split()):
        raise ConfigError(f"fetch: the User-Agent holds no e-mail address for the SEC to reach you: {how}")
    return text


def _is_address(word: str) -> bool:
    local, at, domain = word.partition("@")
    labels = domain.split(".")
    return bool(local and at and len(labels) > 1 and all(labels) and "@" not in domain)


def bases(environ=None) -> tuple[str, str]:
    """EDGAR's two bases (www.sec.gov, data.sec.gov), or the test server ``REMITGRAMMAR_EDGAR_BASE`` names.

    Raises:
        ConfigError: a base that is not an https URL, or an http one to another machine.
    """
    base = (environ if environ is not None else os.environ).get(BASE_VAR, "").strip().rstrip("/")
    if not base:
        return WWW, DATA
    if not allowed(base) or urlsplit(base).query or urlsplit(base).fragment:
        raise ConfigError(f"{BASE_VAR} (for tests only) must be an https URL, or http://127.0.0.1:PORT "
                          f"for a server on this machine, not {base[:200]!r}")
    return base, base


def allowed(url: str) -> bool:
    """https anywhere; plain http only to this machine (a test server)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018  (a port that is not a number raises here, not at the request)
    except ValueError:
        return False
    return bool(host) and (parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK))


class Limiter:
    """At most ``per_second`` request starts in any second, across threads: each caller is given the next
    free slot (one every 1/per_second seconds) and sleeps until it. ``clock`` and ``sleep`` are
    replaceable so that a test can run it on a fake clock."""

    def __init__(self, per_second: float = PER_SECOND, clock=time.monotonic, sleep=time.sleep):
        # a microsecond over the gap: slots added up in floating point never fit an 11th into a second
        self.gap, self.clock, self.sleep = 1.0 / per_second + 1e-6, clock, sleep
        self._next = float("-inf")
        self._lock = threading.Lock()

    def wait(self) -> float:
        """Wait for this caller's slot; the slot's time on the clock."""
        with self._lock:
            now = self.clock()
            slot = max(now, self._next)
            self._next = slot + self.gap
        if slot > now:
            self.sleep(slot - now)
        return slot


class _SafeRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is followed only to a URL the client could have asked for itself."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not allowed(newurl):
            raise urllib.error.HTTPError(newurl, code, "redirect to a URL that is not https", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Client:
    """GETs under the fair-access rules. ``sleep`` and ``limiter`` are replaceable for tests."""

    def __init__(self, agent: str, max_bytes: int, limiter: Limiter | None = None, sleep=time.sleep,
                 timeout: float = TIMEOUT, retries: int = RETRIES):
        self.agent, self.max_bytes, self.timeout, self.retries = agent, max_bytes, timeout, retries
        self.limiter = limiter or Limiter()
        self.sleep = sleep
        proxies = urllib.request.ProxyHandler({}) if _loopback(bases()[0]) else urllib.request.ProxyHandler()
        self._opener = urllib.request.build_opener(proxies, _SafeRedirect())

    def get(self, url: str, max_bytes: int | None = None) -> bytes:
        """The body of ``url``, unpacked, at most ``max_bytes`` (default: the client's).

        Raises:
            FetchError: a status other than 200 (429 and 503 once the retries are spent), a body past the
                limit, a timeout or a connection that failed.
        """
        if not allowed(url):
            raise FetchError(f"refused: {url[:200]} is not an https URL")
        limit = self.max_bytes if max_bytes is None else max_bytes
        hint = " (--max-mb)" if max_bytes is None else ""
        for attempt in range(self.retries + 1):
            self.limiter.wait()
            try:
                return self._once(url, limit, hint)
            except urllib.error.HTTPError as exc:
                exc.close()  # its connection, now: a run of thousands of filings must not wait for the collector
                wait = _backoff(exc, attempt) if attempt < self.retries else None
                if wait is None:
                    raise FetchError(_status(exc, attempt)) from None
                self.sleep(wait)
            except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError, zlib.error) as exc:
                raise FetchError(_reason(exc)) from None
        raise FetchError("no answer")  # not reached: the last attempt returns or raises

    def _once(self, url: str, limit: int, hint: str) -> bytes:
        request = urllib.request.Request(url, headers={"User-Agent": self.agent, "Accept-Encoding": "gzip"})
        with self._opener.open(request, timeout=self.timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > limit:
                raise FetchError(f"larger than the limit of {limit:,} bytes{hint}: {int(length):,} bytes")
            packed = "gzip" in response.headers.get("Content-Encoding", "").lower()
            return _read(response, limit, packed, hint)


def _read(response, limit: int, packed: bool, hint: str = "") -> bytes:
    """The body, unpacked if gzipped, refused as soon as it passes ``limit`` bytes or LONGEST_READ seconds."""
    unpack = zlib.decompressobj(wbits=31) if packed else None
    parts, size, deadline = [], 0, time.monotonic() + LONGEST_READ
    while True:
        chunk = response.read1(_CHUNK) if hasattr(response, "read1") else response.read(_CHUNK)
        if not chunk:
            break
        if time.monotonic() > deadline:
            raise FetchError(f"the answer took longer than {LONGEST_READ:.0f} s")
        if unpack is not None:
            chunk = unpack.decompress(chunk, limit + 1 - size)
            if unpack.unconsumed_tail:
                size = limit + 1
        size += len(chunk)
        if size > limit:
            raise FetchError(f"larger than the limit of {limit:,} bytes{hint}")
        parts.append(chunk)
    if unpack is not None and not unpack.eof:
        raise FetchError("the gzipped answer was cut short")
    return b"".join(parts)


def _backoff(exc: urllib.error.HTTPError, attempt: int) -> float | None:
    """Seconds to wait before asking again after a 429 or 503, or None: give up."""
    if exc.code not in (429, 503):
        return None
    asked = _retry_after(exc.headers.get("Retry-After", "") if exc.headers else "")
    wait = asked if asked is not None else FIRST_WAIT * 2 ** attempt
    return wait if wait <= LONGEST_WAIT else None


def _retry_after(value: str) -> float | None:
    """A Retry-After header's seconds (a number of seconds, or an HTTP date)."""
    value = value.strip()
    if value.isdigit():
        return float(value[:6])
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return None if when is None or when.tzinfo is None else max(0.0, when.timestamp() - time.time())


def _status(exc: urllib.error.HTTPError, attempt: int) -> str:
    tries = f" (after {attempt + 1} tries)" if exc.code in (429, 503) and attempt else ""
    return f"HTTP {exc.code} {str(exc.reason or '')[:80]}".rstrip() + tries


def _reason(exc: Exception) -> str:
    if isinstance(exc, FetchError):
        return str(exc)
    reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or exc
    return f"no answer: {str(reason)[:200]}"


def _loopback(base: str) -> bool:
    return urlsplit(base).hostname in LOOPBACK
