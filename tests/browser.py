"""Opens an HTML file in Debian's chromium through playwright and records what the page did (errors, requests, dialogs)."""
from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def chromium_missing() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} not found (install Debian's chromium; never `playwright install`)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "python playwright is not installed"
    return None


@dataclass
class PageLog:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@contextlib.contextmanager
def launch(headless: bool = True):
    """A playwright chromium browser (Debian's binary)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=headless)
        try:
            yield browser
        finally:
            browser.close()


def watch(page) -> PageLog:
    """Record console errors, uncaught errors, any request not to file:/data:/blob:, and dialogs (dismissed)."""
    log = PageLog()
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))

    def on_request(request):
        if urlparse(request.url).scheme not in ("file", "data", "blob", "about"):
            log.foreign_requests.append(request.url)

    page.on("request", on_request)

    def on_dialog(dialog):
        log.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return log


def open_page(browser, html_path: str | Path, *, width: int = 1400, height: int = 900, timeout_ms: int = 60_000):
    """Open ``html_path`` from file://, wait until the viewer says it has drawn; returns (page, log)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    log = watch(page)
    page.goto(Path(html_path).resolve().as_uri())
    wait_ready(page, timeout_ms)
    return page, log


def wait_ready(page, timeout_ms: int = 60_000) -> None:
    """Poll for window.claimgraphReady (page.wait_for_function evaluates strings, which the page's CSP forbids)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate("window.claimgraphReady === true"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"viewer not ready after {timeout_ms} ms")
        page.wait_for_timeout(20)
