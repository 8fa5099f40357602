"""The home page, profile and API token, login, health check, language."""

import pytest
from django.db.utils import OperationalError
from django.urls import reverse
from rest_framework.authtoken.models import Token

from commonops.core.testing import count_queries

pytestmark = pytest.mark.django_db


def test_health_check_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "reachable"}


def test_health_check_says_503_when_the_database_is_unreachable(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_home_asks_the_chair_for_missing_public_holidays(client, jordan):
    from django.utils import timezone

    from commonops.core.models import PublicHoliday, User

    year = timezone.localdate().year
    PublicHoliday.objects.filter(country=jordan, day__year=year).delete()
    client.force_login(User.objects.get(username="jo-chair"))
    assert f"No public holidays entered for {year}" in client.get("/").content.decode()
    client.force_login(User.objects.get(username="jo-staff"))
    assert f"No public holidays entered for {year}" not in client.get("/").content.decode()


# Session, user, roles, country, then each area's attention providers (one or a few
# queries each, whatever the data size): governance, results, BOS, surveys, common
# services, service desk.
HOME_QUERY_BUDGET = 22


def test_home_page_queries_stay_constant(client, vn_chair, hq_analyst):
    client.force_login(vn_chair)
    assert count_queries(client, "/") <= HOME_QUERY_BUDGET
    client.force_login(hq_analyst)  # lands on the countries until a country is picked
    client.post(reverse("switch_country"), {"country": vn_chair.duty_country_id})
    assert count_queries(client, "/") <= HOME_QUERY_BUDGET


def test_someone_without_a_role_is_told_so(client, db):
    from commonops.core.models import User

    nobody = User.objects.create(username="nobody")
    client.force_login(nobody)
    assert "You have no role in any country team yet" in client.get("/").content.decode()


def test_login_and_logout(client):
    response = client.post(reverse("login"), {"username": "vn-member",
                                              "password": "commonops-demo"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302


def test_a_wrong_password_gets_a_clear_message(client):
    response = client.post(reverse("login"), {"username": "vn-member", "password": "nope"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()


def test_password_change(client, vn_member):
    client.force_login(vn_member)
    response = client.post(reverse("password_change"), {
        "old_password": "commonops-demo", "new_password1": "a-much-longer-secret-2026",
        "new_password2": "a-much-longer-secret-2026"})
    assert response.status_code == 302
    vn_member.refresh_from_db()
    assert vn_member.check_password("a-much-longer-secret-2026")


def test_profile_makes_replaces_and_revokes_the_api_token(client, vn_member):
    client.force_login(vn_member)
    client.post(reverse("token_create"))
    first = Token.objects.get(user=vn_member).key
    assert first in client.get(reverse("profile")).content.decode()
    client.post(reverse("token_create"))
    assert Token.objects.get(user=vn_member).key != first
    client.post(reverse("token_delete"))
    assert not Token.objects.filter(user=vn_member).exists()


def test_profile_refuses_bad_languages_and_changes_nothing(client, vn_member):
    client.force_login(vn_member)
    response = client.post(reverse("profile"), {"first_name": "Hoa", "last_name": "Tran",
                                                "email": vn_member.email, "job_title": "",
                                                "languages": "English"})
    assert response.status_code == 400
    vn_member.refresh_from_db()
    assert vn_member.languages == "en,vi"


def test_pages_speak_french_and_spanish(client, vn_member):
    client.force_login(vn_member)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert "Accueil" in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert "Inicio" in client.get("/").content.decode()


def test_static_files_are_served_by_the_app(client):
    response = client.get("/static/commonops/js/htmx.min.js")
    assert response.status_code == 200


def test_list_pages_answer_htmx_with_the_table_only(client, vn_member):
    client.force_login(vn_member)
    response = client.get("/org/public-holidays/?q=Tết", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<table>" in html and "<html" not in html


def test_demo_logins_list_every_areas_personas_but_not_each_omt_member(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("demo_logins", stdout=out)
    printed = out.getvalue()
    for username in ("vn-chair", "vn-csm", "as-focal", "vn-agent3"):
        assert f"  {username} " in printed
    assert "vn-omt-fao" not in printed
    assert "Regional focal point ASNA" in printed
