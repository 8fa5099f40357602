"""A country without a service desk says so and whom to ask, instead of a form that can
never be sent."""

import pytest
from django.urls import reverse

from commonops.core.models import Country, RoleAssignment, User
from commonops.servicedesk.models import Category

pytestmark = pytest.mark.django_db


@pytest.fixture
def senegal_without_desk(db):
    senegal = Country.objects.get(iso_code="SN")
    Category.objects.filter(country=senegal).delete()
    chair = User.objects.create(username="sn-test-chair", first_name="Awa", last_name="Diop",
                                email="awa.diop@example.org", duty_country=senegal)
    RoleAssignment.objects.create(user=chair, role="omt_chair", country=senegal)
    return senegal


def test_raising_a_ticket_where_there_is_no_desk_says_whom_to_ask(client,
                                                                  senegal_without_desk):
    client.force_login(User.objects.get(username="sn-staff"))
    response = client.get(reverse("servicedesk:ticket_raise"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Senegal has no service desk in CommonOps yet" in page
    assert "Awa Diop" in page and "mailto:awa.diop@example.org" in page
    assert 'name="category"' not in page and "Send the ticket" not in page
    # nothing to post to either
    assert client.post(reverse("servicedesk:ticket_raise"), {"subject": "x"}).status_code \
        == 200


def test_the_desk_home_of_a_country_without_a_desk_says_so(client, senegal_without_desk):
    client.force_login(User.objects.get(username="sn-staff"))
    page = client.get(reverse("servicedesk:home")).content.decode()
    assert "Senegal has no service desk in CommonOps yet" in page
    assert reverse("servicedesk:ticket_raise") not in page.split('id="main"')[1]
