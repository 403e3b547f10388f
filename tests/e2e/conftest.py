"""Browser tests: Playwright for Python driving Debian's Chromium.

They skip, saying why, where Chromium or Playwright is absent; `.ci/run`
installs Chromium and runs them. Playwright's own browser download is never
used: the executable is Debian's (`CHROMIUM` overrides the path).
"""

import os
import shutil

import pytest
from django.test import override_settings

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make to set up data are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (make test installs it)"
    if not os.path.exists(CHROMIUM):
        return f"Chromium not found at {CHROMIUM}: apt-get install chromium (.ci/run does)"
    return None


@pytest.fixture(scope="session", autouse=True)
def _plain_http():
    """pytest-django's live server speaks plain HTTP. Its middleware is built
    when it starts, before the per-test settings fixture runs, so HTTPS is
    turned off here, for the session, before the server starts."""
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SECURE_HSTS_SECONDS=0,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
    ):
        yield


@pytest.fixture(scope="session")
def browser():
    reason = _missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _page(browser, *, javascript: bool = True, width: int = 1024, locale: str = "fr-FR"):
    context = browser.new_context(
        java_script_enabled=javascript,
        viewport={"width": width, "height": 800},
        locale=locale,
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.fixture
def page(browser):
    context, page = _page(browser)
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser):
    context, page = _page(browser, javascript=False)
    yield page
    context.close()
