"""Surveys and questions get the generic page, API, access, audit and query-count checks
(vn-csm, the common-services manager, runs surveys; a member only reads). Invitations,
responses and answers are covered by the workflow tests named below."""

import importlib
import inspect
import itertools

import pytest
from django.urls import reverse

from commonops.core.models import User
from commonops.core.testing import ModelCase, model_case_tests
from commonops.surveys import actions, views
from commonops.surveys.models import Survey

_seq = itertools.count(1)


def _csm(world):
    return world.user("vn-csm")


def _survey(world):
    return actions.survey_create(by=_csm(world), data={
        "country": world.country("VN"), "year": 2027, "title": f"Quarterly pulse {next(_seq)}"})


def _question(world):
    return actions.question_create(by=_csm(world), data={
        "survey": _survey(world), "text": f"How was it? {next(_seq)}"})


SURVEY = ModelCase(
    pages=views.SurveyPages,
    make=_survey,
    create_data=lambda w: {"country": w.country("VN"), "title": "Client survey 2027",
                           "year": 2027, "opens_on": "2028-01-10", "closes_on": "2028-02-10",
                           "intro": "Five minutes."},
    edit_data=lambda obj: {"country": obj.country, "title": obj.title + " (renamed)",
                           "year": obj.year, "opens_on": "", "closes_on": "",
                           "intro": obj.intro},
    api_basename="survey", manager="vn-csm", changed_field="title",
)
QUESTION = ModelCase(
    pages=views.QuestionPages,
    make=_question,
    create_data=lambda w: {"survey": _survey(w), "position": 1, "service": None,
                           "kind": "text", "text": "What should the OMT improve?"},
    edit_data=lambda obj: {"survey": obj.survey, "position": obj.position,
                           "service": obj.service, "kind": obj.kind,
                           "text": obj.text + " (reworded)"},
    api_basename="question", manager="vn-csm", changed_field="text",
)
CASES = [SURVEY, QUESTION]

TestSurveyModelPages = model_case_tests(CASES)

COVERED_BY_WORKFLOW_TESTS = {
    "Invitation": "commonops.surveys.tests.test_workflow",
}


def test_every_audited_surveys_model_has_page_tests():
    from django.apps import apps

    audited = {m.__name__ for m in apps.get_app_config("surveys").get_models()
               if getattr(m, "audited", False)}
    assert audited == {"Survey", "Question", "Invitation"}  # responses are not audited (Q1)
    assert audited - {c.model.__name__ for c in CASES} - set(COVERED_BY_WORKFLOW_TESTS) \
        == set()
    for model_name, module_name in COVERED_BY_WORKFLOW_TESTS.items():
        assert model_name in inspect.getsource(importlib.import_module(module_name))


@pytest.mark.django_db
def test_an_opened_survey_cannot_be_deleted(client, viet_nam):
    survey = Survey.objects.get(country=viet_nam, year=2025)
    client.force_login(User.objects.get(username="vn-csm"))
    response = client.post(reverse("surveys:survey_delete", args=[survey.pk]))
    assert Survey.objects.filter(pk=survey.pk).exists()
    assert response.status_code == 302
    assert "Only a draft survey can be deleted" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_api_never_shows_a_token_and_refuses_changes_to_invitations(api, viet_nam):
    survey = Survey.objects.get(country=viet_nam, year=2026)
    client = api(User.objects.get(username="vn-csm"))
    rows = client.get(reverse("invitation-list"), {"survey": survey.pk}).json()["results"]
    assert rows and all(set(row) == {"id", "survey", "email", "agency", "sent_at", "used_at",
                                     "created_at", "updated_at"} for row in rows)
    assert client.post(reverse("invitation-list"), {"survey": survey.pk,
                                                    "email": "x@example.org"},
                       format="json").status_code == 405
    outsider = api(User.objects.get(username="sn-staff"))
    assert outsider.get(reverse("invitation-detail", args=[rows[0]["id"]])).status_code == 404


@pytest.mark.django_db
def test_api_runs_the_workflow_and_gives_the_results(api, viet_nam):
    from commonops.commonservices.models import CommonService

    csm = api(User.objects.get(username="vn-csm"))
    survey = csm.post(reverse("survey-list"), {"country": viet_nam.pk, "title": "API survey",
                                               "year": 2027}, format="json").json()
    services = list(CommonService.objects.filter(country=viet_nam)
                    .values_list("pk", flat=True)[:2])
    url = reverse("survey-detail", args=[survey["id"]])
    opened = csm.post(url + "open/", {"services": services}, format="json")
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    invited = csm.post(url + "invite/", {"include_client_staff": False,
                                         "extra_emails": ["a@example.org", "b@example.org"]},
                       format="json")
    assert invited.json()["invited"] == 2  # with the survey as it now is
    bad = csm.post(url + "invite/", {"extra_emails": ["nope"]}, format="json")
    assert bad.status_code == 400 and "extra_emails" in bad.json()["error"]["fields"]
    member = api(User.objects.get(username="vn-member"))
    assert member.get(url + "results/").status_code == 403  # open: managers only
    assert member.post(url + "close/").status_code == 403
    closed = csm.post(url + "close/")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    results = member.get(url + "results/").json()
    assert results["responses"] == 0 and results["invited"] == 2
    assert len(results["services"]) == 2


@pytest.mark.django_db
def test_api_moves_a_question(api, viet_nam):
    csm_user = User.objects.get(username="vn-csm")
    survey = actions.survey_create(by=csm_user, data={
        "country": viet_nam, "title": "Order", "year": 2027})
    first = actions.question_create(by=csm_user, data={"survey": survey, "text": "First"})
    second = actions.question_create(by=csm_user, data={"survey": survey, "text": "Second"})
    response = api(csm_user).post(reverse("question-detail", args=[second.pk]) + "move/",
                                  {"direction": "up"}, format="json")
    assert response.status_code == 200 and response.json()["position"] == 1
    first.refresh_from_db()
    assert first.position == 2
