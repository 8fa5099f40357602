import pytest
from django.core.exceptions import ImproperlyConfigured

from commonops.env import env_bool, env_choice, env_int, env_list


def test_a_bad_boolean_stops_start_up_with_the_variable_name(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG", True)


@pytest.mark.parametrize(("raw", "value"), [("true", True), ("0", False), ("YES", True),
                                            ("off", False)])
def test_booleans_accept_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", not value) is value


def test_an_unset_variable_gives_the_default(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)
    assert env_bool("FLAG", True) is True
    assert env_int("NUMBER", 7) == 7


def test_a_bad_number_is_refused(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        env_int("EMAIL_PORT", 25)


def test_a_number_below_its_minimum_is_refused(monkeypatch):
    monkeypatch.setenv("DB_CONN_MAX_AGE", "-1")
    with pytest.raises(ImproperlyConfigured, match="below 0"):
        env_int("DB_CONN_MAX_AGE", 0, minimum=0)


def test_a_list_with_a_blank_item_is_refused(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example,,b.example")
    with pytest.raises(ImproperlyConfigured, match="empty item"):
        env_list("ALLOWED_HOSTS", [])


def test_a_choice_outside_the_list_is_refused(monkeypatch):
    monkeypatch.setenv("EMAIL_BACKEND", "pigeon")
    with pytest.raises(ImproperlyConfigured, match="not one of"):
        env_choice("EMAIL_BACKEND", "file", ["console", "file"])


def _import_settings(**env):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-c", "import commonops.settings as s; print(s.DEBUG, s.EMBEDDED)"],
        env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = _import_settings(EMBEDDED="false")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_public_demo_key_serves_no_host_but_this_machine():
    result = _import_settings(ALLOWED_HOSTS="commonops.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set to serve hosts other than 127.0.0.1" in result.stderr


def test_debug_is_off_unless_asked_for_even_in_the_embedded_mode():
    assert _import_settings().stdout.split() == ["False", "True"]
    assert _import_settings(SECRET_KEY="x" * 50).stdout.split() == ["False", "False"]
    assert _import_settings(DEBUG="true").stdout.split() == ["True", "True"]
