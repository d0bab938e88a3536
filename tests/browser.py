"""A small WebDriver client over Debian's chromedriver, standard library only, and the session-scoped
pytest fixture ``browser`` that the page tests use.

One job: drive a headless Chromium so that a test asserts what a person sees (where a mark stands,
what text is visible, whether a script ran) rather than what the HTML says. chromedriver listens on
127.0.0.1 only, and the browser is started with everything that would reach the network switched
off; the pages it opens are files or a local server.

Where the browser is missing a test skips with the reason, except where it is required:
``REMITGRAMMAR_REQUIRE_BROWSER=1``, which .ci/run sets once it has installed the browser, and where a
missing browser fails.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C key of an element reference
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,900"]
KEYS = {"TAB": "\ue004", "ENTER": "\ue007", "ESCAPE": "\ue00c"}  # WebDriver's code points of a few keys
VIEWPORT = (1280, 900)  # the page's own area, as a screenshot shows it


_LOADED = ("return document.readyState === 'complete' && (performance.timing.loadEventEnd > 0 || "
           "location.protocol === 'about:') && location.href")


class BrowserError(Exception):
    """chromedriver answered with an error, or could not be reached."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def binaries() -> tuple[str | None, str | None]:
    """Debian's chromium and chromedriver, at /usr/bin or on PATH (None where missing)."""
    def find(path: str) -> str | None:
        return path if os.access(path, os.X_OK) else shutil.which(Path(path).name)
    return find(CHROMIUM), find(CHROMEDRIVER)


def required() -> bool:
    """Whether a missing browser is a failure here (CI, once .ci/run installed it) rather than a skip."""
    return os.environ.get("REMITGRAMMAR_REQUIRE_BROWSER") == "1"


class Element:
    """One element of the page, as WebDriver refers to it."""

    def __init__(self, browser: Browser, ref: str):
        self.browser, self.ref = browser, ref

    def _get(self, what: str):
        return self.browser.call("GET", f"/element/{self.ref}/{what}")

    @property
    def text(self) -> str:
        """The text a person sees (WebDriver's rendered text: hidden elements give nothing)."""
        return self._get("text")

    @property
    def rect(self) -> dict:
        """x, y, width and height in CSS pixels, from the top of the document."""
        return self._get("rect")

    def attribute(self, name: str):
        return self.browser.call("GET", f"/element/{self.ref}/attribute/{name}")

    def send_keys(self, keys: str) -> None:
        """Type ``keys`` into the element as a person would (focus, key events, input events)."""
        self.browser.call("POST", f"/element/{self.ref}/value", {"text": keys})

    def clear(self) -> None:
        self.browser.call("POST", f"/element/{self.ref}/clear", {})

    def click(self) -> None:
        self.browser.call("POST", f"/element/{self.ref}/click", {})

    def find_all(self, css: str) -> list[Element]:
        found = self.browser.call("POST", f"/element/{self.ref}/elements", {"using": "css selector", "value": css})
        return [Element(self.browser, item[ELEMENT]) for item in found]

    def screenshot(self) -> bytes:
        """The element as the page paints it (whatever covers it included), a PNG."""
        return base64.b64decode(self._get("screenshot"))

    def as_arg(self) -> dict:
        """The element as an argument of ``execute``."""
        return {ELEMENT: self.ref}


class Browser:
    """A chromedriver process and one Chromium session on it; ``quit`` ends both."""

    def __init__(self, profile: Path, javascript: bool = True, chromium: str = CHROMIUM,
                 chromedriver: str = CHROMEDRIVER, timeout: float = 30.0):
        self.port = _free_port()
        self.timeout = timeout
        profile.mkdir(parents=True, exist_ok=True)
        self._log = open(profile.parent / f"{profile.name}-chromedriver.log", "wb")
        self.process = subprocess.Popen([chromedriver, f"--port={self.port}"], stdout=self._log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.session = ""
        try:
            self._wait_ready()
            self.session = self._new_session(profile, javascript, chromium)
            self.viewport(*VIEWPORT)
        except BaseException:
            self.quit()
            raise

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BrowserError(f"chromedriver exited with {self.process.returncode}")
            try:
                if self._request("GET", "/status").get("ready"):
                    return
            except (BrowserError, OSError):
                pass
            time.sleep(0.05)
        raise BrowserError(f"chromedriver did not answer on port {self.port} within {self.timeout:.0f} s")

    def _new_session(self, profile: Path, javascript: bool, chromium: str) -> str:
        options: dict = {"binary": chromium, "args": ARGS + [f"--user-data-dir={profile}"]}
        if not javascript:
            options["prefs"] = {"profile.managed_default_content_settings.javascript": 2}
        capabilities = {"browserName": "chrome", "goog:chromeOptions": options,
                        "goog:loggingPrefs": {"browser": "ALL"}}
        answer = self._request("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        return answer["sessionId"]

    def _request(self, method: str, path: str, body: dict | None = None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"{}").get("value")
        except urllib.error.HTTPError as error:
            value = json.loads(error.read() or b"{}").get("value") or {}
            raise BrowserError(f"{method} {path}: {value.get('error')}: {value.get('message', '')[:500]}") from None

    def call(self, method: str, path: str, body: dict | None = None):
        """A command of this session: ``path`` is relative to /session/{id}."""
        return self._request(method, f"/session/{self.session}{path}", body)

    def viewport(self, width: int, height: int) -> None:
        """Size the window so that the page itself is ``width`` x ``height`` (the window's frame added)."""
        frame = self.execute("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight]")
        self.call("POST", "/window/rect", {"width": width + frame[0], "height": height + frame[1]})

    def get(self, url: str) -> None:
        """Open ``url`` and wait until it is loaded: its load event over. WebDriver's own wait is not
        enough: from one file:// page to the next it can return while the new page is still parsed."""
        self.call("POST", "/url", {"url": url})
        self.loaded(url)

    def wait(self, condition, timeout: float = 10.0):
        """Poll ``condition()`` until it gives a true value (returned); BrowserError after ``timeout``
        seconds. For what follows a click: WebDriver does not wait for every navigation it starts."""
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"still false after {timeout:.0f} s: {getattr(condition, '__name__', condition)}")
            time.sleep(0.05)

    def loaded(self, url: str) -> None:
        """Wait until the page at ``url`` is shown and its load event is over."""
        self.wait(lambda: self.execute(_LOADED) == url)

    @property
    def url(self) -> str:
        """The address of the page shown."""
        return self.call("GET", "/url")

    def execute(self, script: str, *args):
        """Run ``script`` (a function body; ``arguments`` holds ``args``) in the page and return its value.
        WebDriver runs it outside the page's Content-Security-Policy."""
        plain = [a.as_arg() if isinstance(a, Element) else a for a in args]
        value = self.call("POST", "/execute/sync", {"script": script, "args": plain})
        return self._elements(value)

    def execute_async(self, script: str, *args):
        """Run ``script`` and wait for it to call its last argument (``arguments[arguments.length - 1]``)
        with the value to return."""
        plain = [a.as_arg() if isinstance(a, Element) else a for a in args]
        return self._elements(self.call("POST", "/execute/async", {"script": script, "args": plain}))

    def _elements(self, value):
        if isinstance(value, dict) and ELEMENT in value:
            return Element(self, value[ELEMENT])
        if isinstance(value, list):
            return [self._elements(v) for v in value]
        return value

    def find(self, css: str) -> Element:
        """The first element matching ``css``; BrowserError (no such element) if none."""
        return Element(self, self.call("POST", "/element", {"using": "css selector", "value": css})[ELEMENT])

    def find_all(self, css: str) -> list[Element]:
        return [Element(self, item[ELEMENT]) for item in
                self.call("POST", "/elements", {"using": "css selector", "value": css})]

    @property
    def text(self) -> str:
        """The page's visible text."""
        return self.find("body").text

    def press(self, key: str) -> None:
        """Press and release one key on the keyboard (to the focused element), e.g. TAB."""
        code = KEYS.get(key, key)
        actions = [{"type": "keyDown", "value": code}, {"type": "keyUp", "value": code}]
        self.call("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})

    def screenshot(self, path: Path) -> Path:
        """The viewport as a PNG file at ``path``."""
        path.write_bytes(base64.b64decode(self.call("GET", "/screenshot")))
        return path

    def logs(self) -> list[dict]:
        """The browser's console entries since the last call (level, message, source, timestamp)."""
        return self.call("POST", "/se/log", {"type": "browser"})

    def _shutdown(self) -> None:
        """chromedriver's own way out (it closes what it started)."""
        try:
            self._request("GET", "/shutdown")
        except (BrowserError, OSError):
            pass

    def quit(self) -> None:
        """End the session and stop chromedriver: asked, then terminated, then killed, a few seconds each."""
        if self.session:
            try:
                self._request("DELETE", f"/session/{self.session}")
            except (BrowserError, OSError):
                pass
            self.session = ""
        for stop in (self._shutdown, self.process.terminate, self.process.kill):
            if self.process.poll() is not None:
                break
            stop()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                pass
        self._log.close()


def start(profile: Path, javascript: bool = True) -> Browser:
    """A browser for a test: skip (with the reason) where none is installed, fail where one is required."""
    chromium, chromedriver = binaries()
    if chromium is None or chromedriver is None:
        missing = " and ".join(name for name, path in (("chromium", chromium), ("chromedriver", chromedriver))
                               if path is None)
        reason = (f"{missing} not installed (Debian: apt-get install chromium chromium-driver; .ci/run installs them)")
        if required():
            pytest.fail(f"a browser is required here (REMITGRAMMAR_REQUIRE_BROWSER=1): {reason}", pytrace=False)
        pytest.skip(reason)
    return Browser(profile, javascript, chromium, chromedriver)


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """One headless Chromium for the whole run, its profile under the run's temporary directory."""
    session = start(tmp_path_factory.mktemp("browser") / "profile")
    yield session
    session.quit()
