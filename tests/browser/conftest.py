"""Browser tests: Playwright for Python driving Debian's Chromium against the live server.

Playwright's sync API runs an event loop in the test thread, so Django's guard against ORM
calls from async code has to be told that this thread is not async code.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
REFERENCE_DATA = Path(settings.BASE_DIR) / "reference_data"
VIEWPORTS = {"wide": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


class _Shared:
    """One Playwright and one Chromium for the whole run. Other test packages import the
    `browser` fixture, which makes pytest hold one fixture instance per importing module;
    a second sync Playwright would then start inside the first one's loop and fail."""

    playwright = None
    browser = None
    users = 0
    previous_async_unsafe: str | None = None

    @classmethod
    def acquire(cls):
        if cls.browser is None:
            from playwright.sync_api import sync_playwright

            # Only while Playwright's loop runs: the rest of the suite keeps Django's guard.
            cls.previous_async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            cls.playwright = sync_playwright().start()
            cls.browser = cls.playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
        cls.users += 1
        return cls.browser

    @classmethod
    def release(cls):
        cls.users -= 1
        if cls.users == 0 and cls.browser is not None:
            cls.browser.close()
            cls.playwright.stop()
            cls.browser = cls.playwright = None
            if cls.previous_async_unsafe is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = cls.previous_async_unsafe


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium package"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; browser tests never skip in CI.")
        pytest.skip(message)
    yield _Shared.acquire()
    _Shared.release()


@pytest.fixture
def dataset(live_server):
    """The real reference data when the project ships it, else the hand-worked small region.
    Returns a dict of what the tests look up: an economy code and an instrument slug."""
    from django.core.management import call_command

    if sorted(REFERENCE_DATA.glob("*.csv")):
        call_command("load_reference_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
        return {"reference": True, "economy": "JPN", "instrument": "cbpr"}
    from tests.region import build_region

    build_region()
    return {"reference": False, "economy": "JPN", "instrument": "cbpr"}


class Watcher:
    """Collects what went wrong while a page loaded: console errors, page errors, failed or
    refused requests."""

    def __init__(self, page, *, javascript: bool = True):
        self.javascript = javascript
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on(
            "requestfailed",
            lambda request: self.problems.append(f"failed: {request.url} {request.failure}"),
        )
        page.on("response", self._response)

    def _console(self, message):
        if message.type in ("error", "warning") and "DevTools" not in message.text:
            self.problems.append(f"console {message.type}: {message.text}")

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def take(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems


@pytest.fixture
def new_page(browser, live_server):
    """A page in a fresh context: new_page("phone", java_script_enabled=False)."""
    contexts = []

    def make(viewport: str = "wide", **options):
        context = browser.new_context(
            viewport=VIEWPORTS[viewport], base_url=live_server.url, accept_downloads=True, **options
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page, Watcher(page, javascript=options.get("java_script_enabled", True))

    yield make
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
