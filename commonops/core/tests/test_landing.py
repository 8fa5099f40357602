"""Each person lands where their scope fits: country people on their country's home, HQ
analysts on the HQ page and regional focal points on their region's page (the performance
views) until they pick a country."""

import pytest
from django.urls import reverse

from commonops.core.models import Country, Region, User

pytestmark = pytest.mark.django_db


def test_an_hq_analyst_lands_on_the_hq_page_not_on_the_first_country(client, hq_analyst):
    client.force_login(hq_analyst)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("reports:hq")
    jordan = Country.objects.get(iso_code="JO")
    client.post(reverse("switch_country"), {"country": jordan.pk})
    page = client.get("/")
    assert page.status_code == 200 and "Jordan" in page.content.decode()


def test_a_regional_focal_point_lands_on_the_countries_of_their_region(client):
    focal = User.objects.get(username="ap-focal")
    region = Region.objects.get(countries__iso_code="VN")
    client.force_login(focal)
    if region.countries.count() == 1:  # one country: its home, with what needs attention
        assert client.get("/").status_code == 200
    Country.objects.create(iso_code="LA", name="Lao PDR (landing test)", region=region,
                           currency="LAK", time_zone="Asia/Vientiane")
    client.force_login(User.objects.get(pk=focal.pk))  # roles and countries read afresh
    assert client.get("/")["Location"] == reverse("reports:region", args=[region.pk])


def test_country_people_land_on_their_home(client, vn_member):
    client.force_login(vn_member)
    assert client.get("/").status_code == 200
