"""Who sees which Performance page: a regional focal point sees only their region, a
country staff member gets 404 on the HQ and regional pages, an outsider 404 on another
country's dashboard; exports need the export right."""

import pytest
from django.urls import reverse

from commonops.core.models import Agency, Country, Region, User

pytestmark = pytest.mark.django_db


def _client(client, username):
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def places(db):
    return {"vn": Country.objects.get(iso_code="VN"), "ke": Country.objects.get(iso_code="KE"),
            "ap": Region.objects.get(code="AP"), "esa": Region.objects.get(code="ESA"),
            "undp": Agency.objects.get(acronym="UNDP")}


def test_a_country_staff_member_gets_404_on_the_hq_and_regional_pages(client, places):
    c = _client(client, "vn-staff")
    for url in (reverse("reports:hq"), reverse("reports:global_report"),
                reverse("reports:region", args=[places["ap"].pk]),
                reverse("reports:region_report", args=[places["ap"].pk]),
                reverse("reports:region_index"), reverse("reports:agency_index"),
                reverse("reports:agency", args=[places["undp"].pk]),
                reverse("reports:compare") + f"?country={places['vn'].pk}",
                "/api/reports/hq/", f"/api/reports/regions/{places['ap'].pk}/",
                f"/api/reports/agencies/{places['undp'].pk}/"):
        assert c.get(url).status_code == 404, url
    # their own country's dashboard is theirs to read
    assert c.get(reverse("reports:country", args=[places["vn"].pk])).status_code == 200


def test_a_regional_focal_point_sees_only_their_region(client, places):
    c = _client(client, "ap-focal")
    assert c.get(reverse("reports:region", args=[places["ap"].pk])).status_code == 200
    assert c.get(reverse("reports:region", args=[places["esa"].pk])).status_code == 404
    assert c.get(reverse("reports:region_report", args=[places["esa"].pk])).status_code == 404
    assert c.get(f"/api/reports/regions/{places['esa'].pk}/").status_code == 404
    assert c.get(reverse("reports:hq")).status_code == 404
    assert c.get(reverse("reports:global_report")).status_code == 404
    assert c.get(reverse("reports:country", args=[places["ke"].pk])).status_code == 404
    index = c.get(reverse("reports:region_index")).content.decode()
    assert reverse("reports:region", args=[places["ap"].pk]) in index
    assert reverse("reports:region", args=[places["esa"].pk]) not in index


def test_the_focal_points_agency_view_and_comparison_hold_only_their_region(client, places):
    c = _client(client, "ap-focal")
    data = c.get(f"/api/reports/agencies/{places['undp'].pk}/").json()
    assert {row["iso_code"] for row in data["countries"]} == {"VN"}
    html = c.get(reverse("reports:compare") + f"?country={places['vn'].pk}"
                 f"&country={places['ke'].pk}").content.decode()
    assert "Viet Nam" in html and "Kenya" not in html


def test_hq_roles_see_every_region(client, places):
    for username in ("hq-analyst", "auditor"):
        c = _client(client, username)
        for region in Region.objects.all():
            assert c.get(reverse("reports:region", args=[region.pk])).status_code == 200
        assert c.get(reverse("reports:hq")).status_code == 200


def test_an_outsider_gets_404_on_another_countrys_dashboard_and_report(client, places):
    c = _client(client, "sn-staff")
    vn = places["vn"].pk
    for url in (reverse("reports:country", args=[vn]),
                reverse("reports:country_report", args=[vn]),
                reverse("reports:country_report", args=[vn]) + "?format=pdf",
                reverse("reports:country_bos_results", args=[vn]),
                f"/api/reports/countries/{vn}/", f"/api/reports/countries/{vn}/bos-results/"):
        assert c.get(url).status_code == 404, url


def test_exports_need_the_export_right(client, places):
    c = _client(client, "vn-staff")
    url = reverse("reports:country", args=[places["vn"].pk])
    assert c.get(url + "?export=xlsx").status_code == 403
    assert c.get(url + "?export=csv&table=savings").status_code == 403
    assert c.get(reverse("reports:country_bos_results",
                         args=[places["vn"].pk])).status_code == 403


def test_pages_need_a_login(client, places):
    for url in (reverse("reports:index"), reverse("reports:hq"),
                reverse("reports:country", args=[places["vn"].pk])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_navigation_shows_the_pages_a_person_may_open(client):
    staff = _client(client, "vn-staff").get(reverse("reports:index")).content.decode()
    assert reverse("reports:hq") not in staff
    hq = _client(client, "hq-analyst").get(reverse("reports:index")).content.decode()
    assert reverse("reports:hq") in hq and reverse("reports:region_index") in hq
    focal = _client(client, "ap-focal").get(reverse("reports:index")).content.decode()
    assert reverse("reports:hq") not in focal and reverse("reports:region_index") in focal
