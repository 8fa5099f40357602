"""Shared test set-up: the demo world, loaded once per test session, and the personas.

Personas (from the demo data, see commonops/core/demo.py):
- vn_member: a member of Viet Nam's OMT (WHO), no management rights
- vn_chair: Viet Nam's OMT chair: may change the country's calendar and manage its people
- jo_staff: a staff member in Jordan
- outsider: a staff member in Senegal, with no role in Viet Nam or Jordan
- hq_analyst: reads every country; auditor: reads every country and the audit trail
- admin: the local administrator

Under CI=true a test that would be skipped fails instead: CI has PostgreSQL and Chromium,
so a skip there means a broken set-up, not a missing tool.
"""

import os

# Tests run background tasks at once, in the test's own transaction (settings.TASKS).
os.environ.setdefault("TASKS_BACKEND", "immediate")
# Uploaded files of the tests (and of the demo they load) go to a folder of their own.
os.environ.setdefault("MEDIA_ROOT", __import__("tempfile").mkdtemp(prefix="commonops-media-"))

import pytest  # noqa: E402
from django.test import override_settings  # noqa: E402

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_configure(config):
    # Pages under test link the static files as they are in the source, never the copies an
    # earlier `collectstatic` (make run) left in STATIC_ROOT, which may be older.
    # tests/test_static_files.py checks the hashed, compressed storage itself.
    from django.conf import settings

    if not settings.configured:  # pytest run without pytest-django
        return
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    from django.core.management import call_command
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    own_setup = None
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        aliases, _serialized = _get_databases_for_setup(request.session.items)
        if "default" not in aliases:
            # Only browser tests were collected: they hold no database mark (they share one
            # committed demo world, see tests/browser/conftest.py), so pytest-django set up
            # no test database. Set it up here, never touching the real one.
            own_setup = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        call_command("seed_demo", stdout=open(os.devnull, "w"))
    yield
    if own_setup is not None:
        with django_db_blocker.unblock():
            teardown_databases(own_setup, verbosity=0)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _no_api_throttle(settings):
    """The API's rate limit counts in a cache that outlives a test: off, except in the tests
    that turn it on (settings.API_THROTTLE_RATES) to check it."""
    from django.core.cache import cache

    settings.API_THROTTLE_RATES = {}
    yield
    cache.clear()


def _user(username):
    from commonops.core.models import User

    return User.objects.get(username=username)


@pytest.fixture
def vn_member(db):
    return _user("vn-member")


@pytest.fixture
def vn_chair(db):
    return _user("vn-chair")


@pytest.fixture
def vn_rc(db):
    return _user("vn-rc")


@pytest.fixture
def jo_staff(db):
    return _user("jo-staff")


@pytest.fixture
def outsider(db):
    return _user("sn-staff")


@pytest.fixture
def hq_analyst(db):
    return _user("hq-analyst")


@pytest.fixture
def auditor(db):
    return _user("auditor")


@pytest.fixture
def admin_user(db):
    return _user("admin")


@pytest.fixture
def viet_nam(db):
    from commonops.core.models import Country

    return Country.objects.get(iso_code="VN")


@pytest.fixture
def jordan(db):
    from commonops.core.models import Country

    return Country.objects.get(iso_code="JO")


@pytest.fixture
def login(client):
    """login(user) -> the test client, logged in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api(db):
    """api(user) -> a DRF test client authenticated with the user's token."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def _api(user=None):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _api


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"Skipped under CI, which must have what this test needs: {reason}"


def pytest_unconfigure(config):
    """Say in one line, after pytest's own summary, how many tests were skipped and why, so
    that a machine without Chromium (or PostgreSQL) cannot pass quietly with fewer tests."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if not skipped:
        return
    reasons: dict[str, int] = {}
    browser = 0
    for report in skipped:
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else str(
            report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
        browser += "browser" in report.keywords
    plural = "s" if len(skipped) != 1 else ""
    line = f"Skipped {len(skipped)} test{plural}"
    if browser:
        line += f", {browser} of them browser test{'s' if browser != 1 else ''}"
    details = "; ".join(f"{n} × {reason}" for reason, n in
                        sorted(reasons.items(), key=lambda item: -item[1]))
    reporter.write_line(f"{line}: {details}", yellow=True, bold=True)
