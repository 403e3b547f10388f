"""Browser tests: Playwright for Python driving Debian's Chromium.

They skip, saying why, where Chromium, Playwright or axe-core is absent;
`.ci/run` installs Chromium and axe-core and runs them. Playwright's own
browser download is never used: the executable is Debian's (`CHROMIUM`
overrides the path). Nothing leaves the machine: every request to another
host than the live server's is aborted, and recorded on
``page.outside_requests``.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import override_settings

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make to set up data are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# axe-core, from the npm registry: `.ci/run` installs it with
# `npm install --no-save --prefix .cache/axe axe-core@<version>`.
AXE_JS = Path(
    os.environ.get("AXE_JS")
    or Path(__file__).resolve().parents[2] / ".cache/axe/node_modules/axe-core/axe.min.js"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Mark every browser test ``e2e``, so that ``pytest -m "not e2e"`` is the
    fast loop. The hook sees the whole session's items: only ours are marked.
    Before pytest's own hook, which deselects by marker."""
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.e2e)


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


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, injected into pages by the accessibility tests."""
    if not AXE_JS.is_file():
        from learning_platform.views import ACCESSIBILITY_AUDIT

        pytest.skip(
            f"axe-core not found at {AXE_JS}: run `npm install --no-save --prefix .cache/axe "
            f"axe-core@{ACCESSIBILITY_AUDIT['axe_core']}` (.ci/run does), or point AXE_JS "
            "at axe.min.js"
        )
    return AXE_JS.read_text(encoding="utf-8")


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in (
        "127.0.0.1",
        "localhost",
        "::1",
    )


def _page(browser, *, javascript: bool = True, width: int = 1024, locale: str = "fr-FR"):
    context = browser.new_context(
        java_script_enabled=javascript,
        viewport={"width": width, "height": 800},
        locale=locale,
    )
    context.set_default_timeout(10_000)
    outside: list[str] = []

    def block(route):
        outside.append(route.request.url)
        route.abort("blockedbyclient")

    context.route(lambda url: not _is_local(url), block)
    page = context.new_page()
    page.outside_requests = outside
    return context, page


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
