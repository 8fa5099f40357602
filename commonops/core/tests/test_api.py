"""API conventions: authentication, one error shape, pagination, filtering, schema."""

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"status", "code", "message", "fields"}


def test_the_api_needs_authentication(api):
    response = api().get("/api/countries/")
    assert response.status_code in (401, 403)
    assert set(response.json()["error"]) == ERROR_KEYS


def test_a_token_made_by_drf_create_token_authenticates(api, vn_member):
    from io import StringIO

    from rest_framework.test import APIClient

    out = StringIO()
    call_command("drf_create_token", "vn-member", stdout=out)
    key = Token.objects.get(user=vn_member).key
    assert key in out.getvalue()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/countries/").json()["count"] == 1


def test_a_404_has_the_one_error_shape(api, outsider, viet_nam):
    response = api(outsider).get(f"/api/countries/{viet_nam.pk}/")
    assert response.status_code == 404
    assert response.json() == {"error": {"status": 404, "code": "not_found",
                                         "message": "Not found.", "fields": {}}}


def test_an_invalid_value_names_its_field(api, vn_chair, viet_nam):
    response = api(vn_chair).post("/api/public-holidays/", {"country": viet_nam.pk,
                                                            "day": "31/02/2031", "name": "X"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and "day" in error["fields"]


def test_a_duplicate_is_refused_by_the_model_rule(api, vn_chair, viet_nam):
    from commonops.core.models import PublicHoliday

    holiday = PublicHoliday.objects.filter(country=viet_nam).first()
    response = api(vn_chair).post("/api/public-holidays/", {
        "country": viet_nam.pk, "day": holiday.day.isoformat(), "name": "Twice"})
    assert response.status_code == 400
    assert "already has a holiday" in response.json()["error"]["message"]


def test_referencing_another_countrys_row_is_as_if_it_did_not_exist(api, viet_nam):
    from commonops.core.models import User

    # Kenya's chair may add holidays, in Kenya: Viet Nam "does not exist" for them
    response = api(User.objects.get(username="ke-chair")).post("/api/public-holidays/", {
        "country": viet_nam.pk, "day": "2031-01-01", "name": "Sneaky"})
    assert response.status_code == 400
    assert "does not exist" in response.json()["error"]["fields"]["country"][0]


def test_lists_are_paginated_and_filtered(api, hq_analyst, viet_nam):
    client = api(hq_analyst)
    page = client.get("/api/public-holidays/?page_size=5").json()
    assert len(page["results"]) == 5 and page["count"] > 5 and page["next"]
    only_vn = client.get(f"/api/public-holidays/?country={viet_nam.pk}&page_size=500").json()
    assert only_vn["count"] > 0
    assert {row["country"] for row in only_vn["results"]} == {viet_nam.pk}
    search = client.get("/api/countries/?q=jor").json()
    assert [row["iso_code"] for row in search["results"]] == ["JO"]


def test_the_schema_describes_every_endpoint(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    for path in ("/api/countries/", "/api/people/", "/api/role-assignments/",
                 "/api/public-holidays/", "/api/agencies/", "/api/agency-presences/"):
        assert path in text


def test_the_browsable_docs_use_vendored_files(client, vn_member):
    client.force_login(vn_member)
    html = client.get("/api/docs/").content.decode()
    assert "swagger" in html.lower()
    assert "cdn" not in html.lower() and "//unpkg" not in html


def test_the_api_records_the_token_user_as_the_actor(api, vn_chair, viet_nam):
    from commonops.core.models import AuditEntry

    response = api(vn_chair).post("/api/public-holidays/", {
        "country": viet_nam.pk, "day": "2031-07-07", "name": "By token"})
    assert response.status_code == 201
    entry = AuditEntry.objects.get(object_id=str(response.json()["id"]), action="create",
                                   content_type__model="publicholiday")
    assert entry.actor == vn_chair and entry.source == "api"
    assert entry.request_path == "/api/public-holidays/"
