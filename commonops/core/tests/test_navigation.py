"""Navigation by area: one sidebar entry per area, each opening a page with the area's own
links; reference tables under Settings, shown only to those who manage them."""

import re

import pytest
from django.urls import reverse

from commonops.core.models import User


def _sidebar(client, username):
    client.force_login(User.objects.get(username=username))
    html = client.get(reverse("home"), follow=True).content.decode()
    start = re.search(r'<nav [^>]*aria-label="Main">', html).start()
    nav = html[start:html.index("</nav>", start)]
    return re.findall(r'<a href="([^"]+)"', nav)


@pytest.mark.django_db
@pytest.mark.parametrize("username, most", [
    ("vn-staff", 16), ("vn-chair", 18), ("vn-agent1", 16), ("hq-analyst", 16), ("admin", 19)])
def test_the_sidebar_has_one_entry_per_area(client, username, most):
    links = _sidebar(client, username)
    areas = [link for link in links if link.startswith("/areas/")]
    assert len(set(areas)) == len(areas)  # one entry each
    assert len(links) <= most


@pytest.mark.django_db
def test_settings_show_only_to_those_who_manage_reference_tables(client):
    settings = reverse("area", args=["settings"])
    assert settings not in _sidebar(client, "vn-staff")
    assert client.get(settings).status_code == 404
    assert settings in _sidebar(client, "admin")
    page = client.get(settings).content.decode()
    for url_name in ("core:agency_list", "commonservices:exchangerate_list",
                     "servicedesk:slapolicy_list", "bos:graderate_list"):
        assert reverse(url_name) in page


@pytest.mark.django_db
def test_an_area_page_lists_only_the_links_the_person_may_follow(client):
    client.force_login(User.objects.get(username="vn-staff"))
    page = client.get(reverse("area", args=["servicedesk"])).content.decode()
    assert 'href="%s"' % reverse("servicedesk:ticket_raise") in page
    assert 'href="%s"' % reverse("servicedesk:queue") not in page  # agents only
    assert reverse("servicedesk:slapolicy_list") not in page  # a setting, not daily work
    assert client.get(reverse("area", args=["no-such-area"])).status_code == 404


@pytest.mark.django_db
def test_the_desk_manager_finds_the_desk_tables_under_settings(client):
    client.force_login(User.objects.get(username="vn-deskmgr")
                       if User.objects.filter(username="vn-deskmgr").exists()
                       else User.objects.filter(role_assignments__role="sd_manager").first())
    page = client.get(reverse("area", args=["settings"])).content.decode()
    assert reverse("servicedesk:team_list") in page
    assert reverse("core:agency_list") not in page  # administrators keep the agencies
