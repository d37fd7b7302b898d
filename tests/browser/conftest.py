"""Shared browser fixtures: one headless Debian Chromium per session, a fresh page per test.

Tests using `page` need `live_server` (which needs a transactional database). Where
/usr/bin/chromium or Playwright is missing the tests skip with the reason, except in
CI (env CI set), where that is a failure.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CATALOGUE_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in the test thread; Django would then refuse
# ORM calls made by the test itself (fixtures creating rows), which are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium (Debian's), launched once per test session."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} not found; install it with: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed; pip install -e '.[test]'")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh page (phone-to-desktop width 1024) that refuses every request off the live server."""
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    external: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(("http://localhost", "http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            external.append(url)
            route.abort()

    page.route("**/*", guard)
    yield page
    context.close()
    assert not external, f"the page tried to reach outside the site: {external}"


@pytest.fixture
def screenshot(page, request):
    """Call screenshot() to save the page as tests/screenshots/<test name>.png."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(suffix: str = "") -> Path:
        path = SCREENSHOTS / f"{request.node.name}{suffix}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
