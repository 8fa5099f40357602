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


@pytest.fixture(scope="session")
def demo_server(django_db_setup, django_db_blocker):
    """One live server for every browser test, serving the demo world seeded for the session.

    Reseeding the demo world for each test (what a transactional live-server test needs
    after its flush) would cost far more than the tests themselves. So the browser tests
    share one database and commit what they do: each test makes its own objects (a new
    meeting, a new BOS, a new ticket…) and never relies on another test's leftovers. They
    run after the other tests (pytest-django runs tests without a database mark last). A
    transactional test before them flushes the database, so the demo world is loaded again
    here when it is gone.
    """
    from django.core.management import call_command
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    from commonops.core.models import Agency

    with django_db_blocker.unblock():
        if not Agency.objects.filter(acronym="UNDP").exists():
            with override_settings(PASSWORD_HASHERS=[
                    "django.contrib.auth.hashers.MD5PasswordHasher"]):
                call_command("seed_demo", stdout=open(os.devnull, "w"))
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        yield server
        server._live_server_modified_settings.disable()
        server.stop()
        _end_server_sessions()


def _end_server_sessions():
    """Close the database sessions the live server's request threads left open, so the
    test database can be dropped at the end (PostgreSQL refuses while others use it)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture
def browser_db(demo_server, django_db_blocker):
    """Database access for a browser test's own checks, outside any transaction (the live
    server's writes are committed, so the test sees them)."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def page(chromium, demo_server, browser_db):
    context = chromium.new_context(viewport={"width": 1280, "height": 860}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.base = demo_server.url
    yield page
    context.close()


@pytest.fixture
def phone(chromium, demo_server, browser_db):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                   has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base = demo_server.url
    yield page
    context.close()


def log_in(page, username, password="commonops-demo"):
    page.goto(page.base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    # Country people land on the home page, regional and HQ people on their countries.
    page.wait_for_url(lambda url: url.startswith(page.base) and "/accounts/login" not in url)


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
