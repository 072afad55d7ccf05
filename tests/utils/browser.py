"""Headless Chromium for the page tests (Debian's /usr/bin/chromium driven by Playwright)."""
from __future__ import annotations

import shutil
from contextlib import contextmanager

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]

# A page test runs where Chromium is installed and says how to get it elsewhere: `pytestmark = CHROMIUM_MARKS`
# for a module, `@needs_chromium` for one test.
CHROMIUM_MARKS = [pytest.mark.browser,
                  pytest.mark.skipif(not shutil.which("chromium"), reason="headless Chromium (/usr/bin/chromium) "
                                     "is not installed; `make system-deps` installs it")]


def needs_chromium(test):
    for mark in CHROMIUM_MARKS:
        test = mark(test)
    return test


@contextmanager
def chromium(*extra_args: str):
    """A launched headless Chromium (a Playwright Browser), closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*ARGS, *extra_args])
        try:
            yield browser
        finally:
            browser.close()
