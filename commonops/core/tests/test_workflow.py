"""The declared workflow steps (core.workflow): who may take a step and when, the one step
view (with and without HTMX), refusals that change nothing, and the template tags. The
API's generic action is exercised by every app's workflow tests (bos, servicedesk,
surveys, commonservices)."""

from datetime import time

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from commonops.core.models import Country
from commonops.core.tests.workflow_urls import COUNTRY_WORKFLOW
from commonops.core.workflow import WORKFLOWS, for_object

pytestmark = pytest.mark.urls("commonops.core.tests.workflow_urls")


@pytest.fixture(autouse=True)
def _declared():
    WORKFLOWS[Country] = COUNTRY_WORKFLOW
    yield
    WORKFLOWS.pop(Country, None)


def close_day_url(country):
    return reverse("wftest:country_close_day", args=[country.pk])


def test_a_step_shows_when_the_person_may_take_it_and_the_rule_allows_it(
        viet_nam, vn_chair, vn_member, jo_staff):
    step = COUNTRY_WORKFLOW.step("close-day")
    assert for_object(viet_nam) is COUNTRY_WORKFLOW
    assert COUNTRY_WORKFLOW.may(step, vn_chair, viet_nam)
    assert not COUNTRY_WORKFLOW.may(step, vn_member, viet_nam)  # no right to change it
    assert not COUNTRY_WORKFLOW.may(step, jo_staff, viet_nam)  # another country's
    viet_nam.day_end = time(16)
    assert not COUNTRY_WORKFLOW.may(step, vn_chair, viet_nam)  # the rule says no
    assert [s.name for s in COUNTRY_WORKFLOW.available(vn_chair, viet_nam)] == ["rename"]


def test_the_step_view_runs_the_action_and_says_so(client, viet_nam, vn_chair):
    client.force_login(vn_chair)
    response = client.post(close_day_url(viet_nam), follow=True)
    assert response.redirect_chain[-1][0] == viet_nam.get_absolute_url()
    assert "Closing at four." in response.content.decode()
    viet_nam.refresh_from_db()
    assert viet_nam.day_end == time(16)


def test_with_htmx_the_next_page_is_loaded_into_main(client, viet_nam, vn_chair):
    client.force_login(vn_chair)
    response = client.post(close_day_url(viet_nam), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert '"path": "%s"' % viet_nam.get_absolute_url() in response["HX-Location"]
    assert '"select": "#main"' in response["HX-Location"]


def test_a_refused_step_shows_why_on_the_object_page_and_changes_nothing(
        client, viet_nam, vn_chair):
    Country.objects.filter(pk=viet_nam.pk).update(day_end=time(16))
    client.force_login(vn_chair)
    response = client.post(close_day_url(viet_nam))
    assert response.status_code == 400
    body = response.content.decode()
    assert "The day already ends at 16:00." in body and 'id="main"' in body
    viet_nam.refresh_from_db()
    assert viet_nam.day_end == time(16)


def test_without_the_right_it_is_403_and_for_an_outsider_404(client, viet_nam, vn_member,
                                                               outsider):
    client.force_login(vn_member)
    assert client.post(close_day_url(viet_nam)).status_code == 403
    client.force_login(outsider)
    assert client.post(close_day_url(viet_nam)).status_code == 404
    assert client.get(reverse("wftest:country_rename", args=[viet_nam.pk])).status_code == 404
    viet_nam.refresh_from_db()
    assert viet_nam.day_end == time(17)


def test_a_step_with_a_form_has_its_own_page_that_keeps_bad_input(client, viet_nam,
                                                                  vn_chair):
    url = reverse("wftest:country_rename", args=[viet_nam.pk])
    client.force_login(vn_chair)
    page = client.get(url)
    assert page.status_code == 200 and 'name="name"' in page.content.decode()
    assert client.get(close_day_url(viet_nam)).status_code == 405  # a button: POST only
    refused = client.post(url, {"name": "Nowhere"})
    assert refused.status_code == 400
    assert "That is not a country&#x27;s name." in refused.content.decode()
    assert client.post(url, {"name": ""}).status_code == 400
    viet_nam.refresh_from_db()
    assert viet_nam.name == "Viet Nam"
    response = client.post(url, {"name": "Việt Nam"}, follow=True)
    assert "Now Việt Nam." in response.content.decode()


def _render(source, user, obj):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load workflow %}" + source).render(
        Context({"request": request, "object": obj, "csrf_token": "t"}))


def test_templates_ask_the_steps_which_buttons_to_show(viet_nam, vn_chair, vn_member):
    html = _render("{% step_buttons object %}", vn_chair, viet_nam)
    assert close_day_url(viet_nam) in html and 'hx-post="%s"' % close_day_url(viet_nam) in html
    assert 'href="%s"' % reverse("wftest:country_rename", args=[viet_nam.pk]) in html
    assert _render("{% step_buttons object %}", vn_member, viet_nam).strip() == ""
    assert _render('{% may object "close-day" as m %}{{ m }}', vn_chair, viet_nam) == "True"
    assert _render('{% may object "close-day" as m %}{{ m }}', vn_member, viet_nam) == "False"
    inline = _render('{% step_form object "rename" %}', vn_chair, viet_nam)
    assert 'name="name"' in inline and "Rename" in inline
