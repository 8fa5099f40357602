"""The production posture: deploy checks, Content-Security-Policy with no inline script,
Permissions-Policy, the session's idle timeout and the end-on-close choice, and a clean 503
when the database blinks."""

import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError
from django.urls import reverse

from commonops.core.security import SESSION_TOUCH_KEY

pytestmark = pytest.mark.django_db

PACKAGE = Path(settings.PACKAGE_DIR)


def test_check_deploy_is_clean_in_production_settings(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "SECRET_KEY": secrets.token_urlsafe(50),
           "ALLOWED_HOSTS": "commonops.example.org", "BEHIND_TLS_PROXY": "true",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "COMMONOPS_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "commonops.settings"}
    result = subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "check", "--deploy",
         "--fail-level", "WARNING"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_every_page_carries_a_strict_content_security_policy(client, vn_member):
    client.force_login(vn_member)
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


def test_the_permissions_policy_turns_off_camera_microphone_and_location(client):
    policy = client.get(reverse("login"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"\shx-on", re.I), "hx-on attribute (needs eval)"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style", re.I), "inline <style>"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_holds_inline_script_or_style():
    """What the policy would block: kept out of every template of the project."""
    found = []
    for template in sorted(PACKAGE.rglob("templates/**/*.html")):
        text = template.read_text()
        for pattern, what in INLINE:
            if pattern.search(text):
                found.append(f"{template.relative_to(PACKAGE)}: {what}")
    assert found == []


def test_htmx_runs_without_eval_and_without_injected_styles(client, vn_member):
    client.force_login(vn_member)
    page = client.get(reverse("home")).content.decode()
    assert '"allowEval": false' in page and '"includeIndicatorStyles": false' in page


def test_the_api_docs_load_their_script_and_style_from_files(client, vn_member):
    client.force_login(vn_member)
    page = client.get(reverse("api_docs")).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert "<style" not in page and "commonops/css/api-docs" in page
    assert "swagger-ui" in page


# -- sessions ------------------------------------------------------------------------------


def _log_in(client, username="vn-member", **extra):
    return client.post(reverse("login"), {"username": username,
                                          "password": "commonops-demo", **extra})


def test_a_session_ends_after_the_idle_timeout(client):
    response = _log_in(client)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == settings.SESSION_COOKIE_AGE == 60 * 60
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_each_minute_of_use_moves_the_idle_timeout_on(client):
    _log_in(client)
    session = client.session
    session[SESSION_TOUCH_KEY] = int(time.time()) - 120
    session.save()
    response = client.get(reverse("home"))
    assert settings.SESSION_COOKIE_NAME in response.cookies  # saved again: expiry moved on
    assert client.session[SESSION_TOUCH_KEY] >= int(time.time()) - 5
    # within the minute, a page saves nothing
    assert settings.SESSION_COOKIE_NAME not in client.get(reverse("home")).cookies


def test_a_person_may_end_the_session_when_the_browser_closes(client):
    response = _log_in(client, end_on_close="on")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert client.session.get_expire_at_browser_close()
    # the server still drops it after the idle timeout
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_without_the_choice_the_session_survives_the_browser(client):
    _log_in(client)
    assert not client.session.get_expire_at_browser_close()


# -- a database blip -------------------------------------------------------------------------


@pytest.fixture
def database_down(monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    def fail(self):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "load", fail)


def test_a_database_blip_on_a_page_is_a_503_with_retry_after(client, database_down):
    client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32
    client.raise_request_exception = False
    response = client.get(reverse("home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Try again in a few seconds" in response.content.decode()


def test_a_database_blip_in_the_api_is_a_503_in_the_error_shape(client, database_down):
    client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32
    client.raise_request_exception = False
    response = client.get("/api/countries/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["error"]["code"] == "unavailable"


def test_any_other_error_is_the_products_own_500_page(client, vn_member, monkeypatch):
    from commonops.core import views

    def broken(request, country):
        raise ValueError("a bug")

    monkeypatch.setattr(views, "ATTENTION_PROVIDERS", [broken])
    client.force_login(vn_member)
    client.raise_request_exception = False
    response = client.get(reverse("home"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "Traceback" not in response.content.decode()


# -- one-time form tokens on the generic pages ----------------------------------------------


def test_a_resubmitted_create_form_of_the_generic_pages_makes_one_row(client, vn_chair,
                                                                       viet_nam):
    from commonops.core.models import PublicHoliday
    from commonops.core.security import FORM_TOKEN_FIELD

    client.force_login(vn_chair)
    url = reverse("core:publicholiday_add")
    assert f'name="{FORM_TOKEN_FIELD}"' in client.get(url).content.decode()
    form = {"country": viet_nam.pk, "day": "2031-09-03", "name": "Founders' day",
            FORM_TOKEN_FIELD: "generic-once"}
    client.post(url, form)
    again = client.post(url, form)
    assert again.status_code == 303
    assert PublicHoliday.objects.filter(country=viet_nam, name="Founders' day").count() == 1
