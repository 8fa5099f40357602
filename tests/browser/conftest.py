"""Playwright (Python) driving Debian's Chromium against a live test server.

The browser is found at settings.CHROMIUM_PATH (/usr/bin/chromium). Without it these tests
skip, except under CI=true, where the root conftest turns the skip into a failure.
Screenshots go to test-artifacts/ so a person can look at them.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(settings.CHROMIUM_PATH):
        pytest.skip(f"Chromium is not installed at {settings.CHROMIUM_PATH}")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests
    # make between browser steps are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=settings.CHROMIUM_PATH,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_world(transactional_db):
    """The demo world, loaded into the live server's database (flushed after each test)."""
    from django.core.management import call_command
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=[
            "django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("seed_demo", stdout=open(os.devnull, "w"))


@pytest.fixture
def page(chromium, live_server, demo_world):
    context = chromium.new_context(viewport={"width": 1280, "height": 860}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.base = live_server.url
    yield page
    context.close()


@pytest.fixture
def phone(chromium, live_server, demo_world):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                   has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base = live_server.url
    yield page
    context.close()


def log_in(page, username, password="commonops-demo"):
    page.goto(page.base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(page.base + "/")


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
