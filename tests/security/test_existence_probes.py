"""Existence probes: a write the caller may not make is refused before its data is validated,
so "already exists" never tells an outsider that another country's row is there."""

import pytest
from django.urls import reverse

from commonops.core.models import Country, User
from tests.security import discovery

pytestmark = pytest.mark.django_db


def test_an_outsider_creating_a_person_learns_nothing_about_user_names(api, outsider):
    client = api(outsider)
    for username in ("vn-rc", "nobody-has-this-name"):
        response = client.post(reverse("person-list"), {"username": username}, format="json")
        assert response.status_code == 403, username
        assert "exists" not in response.content.decode()


def test_a_country_chair_creating_a_country_learns_nothing_about_iso_codes(api):
    client = api(User.objects.get(username="ke-chair"))
    region = Country.objects.get(iso_code="VN").region_id
    for code in ("VN", "ZZ"):
        response = client.post(reverse("country-list"), {
            "iso_code": code, "name": "Probe", "region": region, "currency": "USD"},
            format="json")
        assert response.status_code == 403, code
        assert "exists" not in response.content.decode()


def test_a_viewer_changing_a_row_is_refused_before_validation(api, viet_nam):
    response = api(User.objects.get(username="vn-member")).patch(
        reverse("country-detail", args=[viet_nam.pk]), {"iso_code": "JO"}, format="json")
    assert response.status_code == 403


def test_someone_without_any_role_is_refused_every_write_before_validation(api):
    nobody = User.objects.create(username="no-role-at-all")
    client = api(nobody)
    answers = {}
    for prefix, _basename, viewset in discovery.api_viewsets():
        if not hasattr(viewset, "create"):
            continue
        answers[prefix] = client.post(f"/api/{prefix}/", {}, format="json").status_code
    assert answers, "no API resource takes a POST"
    assert {prefix: status for prefix, status in answers.items()
            if status not in (403, 405)} == {}
