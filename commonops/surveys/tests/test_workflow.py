"""The survey workflow (Q1, S6): opening, single-use invitations, anonymous answers,
closing into the services' quality KPIs, the results with their group threshold, rights."""

import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonops.commonservices.models import CommonService
from commonops.core.models import Agency, AuditEntry, User
from commonops.results import actions as results_actions
from commonops.results.models import Indicator, Measurement
from commonops.results.queries import indicators_for
from commonops.surveys import actions, queries
from commonops.surveys.models import Answer, Invitation, Question, Response, Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def csm(db):
    return User.objects.get(username="vn-csm")


@pytest.fixture
def services(viet_nam):
    return list(CommonService.objects.filter(country=viet_nam, status="active")
                .order_by("name")[:3])


@pytest.fixture
def survey(csm, viet_nam):
    return actions.survey_create(by=csm, data={
        "country": viet_nam, "title": "Pulse survey (test)", "year": 2027})


@pytest.fixture
def open_survey(survey, services, csm):
    return actions.survey_open(survey=survey, services=services, by=csm)


def _invite(survey, csm, emails, agency=None):
    return actions.survey_invite(survey=survey, include_client_staff=False, by=csm,
                                 extra_emails=emails, extra_agency=agency, send_email=False)


def _ratings(survey, score):
    return {q.pk: score for q in survey.questions.exclude(service=None)}


def _respond(survey, csm, agency, scores):
    """One response per score, each through its own invitation."""
    slug = agency.acronym.lower().replace(" ", "") if agency else "none"
    invitations = _invite(survey, csm, [f"p{i}.{slug}@example.org"
                                        for i in range(len(scores))], agency)
    for invitation, score in zip(invitations, scores, strict=True):
        actions.survey_answer(token=invitation.token, answers=_ratings(survey, score))


# --- opening and inviting -------------------------------------------------------------------


def test_opening_asks_about_each_chosen_service_and_adds_a_comments_question(open_survey,
                                                                          services):
    questions = list(open_survey.questions.order_by("position"))
    assert [q.service for q in questions[:-1]] == services
    assert all(q.kind == "likert" for q in questions[:-1])
    assert questions[-1].kind == "text" and questions[-1].service is None
    assert [q.position for q in questions] == list(range(1, len(questions) + 1))
    assert open_survey.is_open


def test_a_survey_without_a_rating_question_does_not_open(survey, csm):
    with pytest.raises(ValidationError):
        actions.survey_open(survey=survey, services=[], by=csm)
    survey.refresh_from_db()
    assert survey.is_draft and not survey.questions.exists()


def test_questions_change_only_while_the_survey_is_a_draft(open_survey, csm):
    question = open_survey.questions.first()
    with pytest.raises(ValidationError):
        actions.question_update(question=question, by=csm, data={"text": "Changed"})
    with pytest.raises(ValidationError):
        actions.question_create(by=csm, data={"survey": open_survey, "text": "Late question"})
    assert Question.objects.get(pk=question.pk).text == question.text


def test_a_service_of_another_country_cannot_be_rated(survey, csm, jordan):
    other = CommonService.objects.create(country=jordan, name="Jordan fleet (test)",
                                         service_line="logistics")
    with pytest.raises(ValidationError):
        actions.question_create(by=csm, data={"survey": survey, "text": "?", "service": other})


def test_questions_move_up_and_down(survey, services, csm):
    first, second, third = (actions.question_create(by=csm, data={
        "survey": survey, "text": s.name, "service": s})
                            for s in services)
    actions.question_move(question=third, up=True, by=csm)
    assert list(survey.questions.order_by("position")) == [first, third, second]
    actions.question_move(question=first, up=False, by=csm)
    assert list(survey.questions.order_by("position")) == [third, first, second]


def test_invitations_go_to_the_client_agencies_staff_in_the_country(open_survey, csm,
                                                                   services,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invited = actions.survey_invite(survey=open_survey, by=csm,
                                        extra_emails=["guest@example.org"])
    emails = {i.email for i in invited}
    clients = {a.pk for s in services for a in s.client_agencies.all()}
    staff = User.objects.filter(duty_country=open_survey.country, agency__in=clients,
                                is_active=True).exclude(email="")
    assert emails == {u.email.lower() for u in staff} | {"guest@example.org"}
    assert "jo-staff@commonops.example" not in emails
    assert len(mail.outbox) == len(invited)
    message = next(m for m in mail.outbox if m.to == ["guest@example.org"])
    link = re.search(r"https?://\S+/surveys/answer/(\S+)/", message.body)
    assert link and "anonymous" in message.body
    # the database keeps only the token's hash
    token = link.group(1)
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert Invitation.objects.get(email="guest@example.org").token_hash != token
    # inviting again leaves the invited alone
    assert _invite(open_survey, csm, ["guest@example.org"]) == []


def test_a_bad_address_invites_nobody(open_survey, csm):
    with pytest.raises(ValidationError) as error:
        actions.survey_invite(survey=open_survey, by=csm, send_email=False,
                              extra_emails=["ok@example.org", "not-an-address"])
    assert "not-an-address" in str(error.value)
    assert not open_survey.invitations.exists()


def test_a_draft_survey_sends_no_invitations(survey, csm):
    with pytest.raises(ValidationError):
        _invite(survey, csm, ["a@example.org"])


# --- answering ------------------------------------------------------------------------------


def test_the_link_opens_the_questionnaire_without_a_login(client, open_survey, csm):
    invitation, = _invite(open_survey, csm, ["a@example.org"])
    page = client.get(reverse("surveys:answer", args=[invitation.token]))
    assert page.status_code == 200
    body = page.content.decode()
    for question in open_survey.questions.all():
        assert question.text in body
    assert "anonymous" in body


def test_a_link_works_once(client, open_survey, csm):
    invitation, = _invite(open_survey, csm, ["a@example.org"],
                          Agency.objects.get(acronym="UNDP"))
    url = reverse("surveys:answer", args=[invitation.token])
    question = open_survey.questions.exclude(service=None).first()
    response = client.post(url, {f"q{question.pk}": "4"})
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    assert Response.objects.filter(survey=open_survey).count() == 1
    again = client.post(url, {f"q{question.pk}": "1"})
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert client.get(url).status_code == 410
    assert Answer.objects.filter(question=question).get().score == 4


def test_a_second_answer_through_the_action_is_refused(open_survey, csm):
    invitation, = _invite(open_survey, csm, ["a@example.org"])
    actions.survey_answer(token=invitation.token, answers=_ratings(open_survey, 5))
    with pytest.raises(actions.InvitationUnusable):
        actions.survey_answer(token=invitation.token, answers=_ratings(open_survey, 1))
    assert open_survey.responses.count() == 1


def test_a_closed_survey_refuses_answers(client, open_survey, csm):
    invitation, = _invite(open_survey, csm, ["a@example.org"])
    actions.survey_close(survey=open_survey, by=csm)
    response = client.get(reverse("surveys:answer", args=[invitation.token]))
    assert response.status_code == 410
    assert "not open" in response.content.decode()
    with pytest.raises(actions.InvitationUnusable):
        actions.survey_answer(token=invitation.token, answers=_ratings(open_survey, 5))
    assert not open_survey.responses.exists()


def test_an_unknown_link_is_refused(client):
    assert client.get(reverse("surveys:answer", args=["no-such-token"])).status_code == 410


def test_an_empty_answer_is_refused_and_the_link_stays_usable(client, open_survey, csm):
    invitation, = _invite(open_survey, csm, ["a@example.org"])
    url = reverse("surveys:answer", args=[invitation.token])
    response = client.post(url, {})
    assert response.status_code == 400
    assert "Answer at least one question" in response.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).used_at is None
    assert not open_survey.responses.exists()


def test_a_score_outside_1_to_5_is_refused(client, open_survey, csm):
    invitation, = _invite(open_survey, csm, ["a@example.org"])
    question = open_survey.questions.exclude(service=None).first()
    response = client.post(reverse("surveys:answer", args=[invitation.token]),
                           {f"q{question.pk}": "7"})
    assert response.status_code == 400
    assert not open_survey.responses.exists()


# --- anonymity (Q1) ---------------------------------------------------------------------------


def test_no_path_leads_from_an_answer_to_a_person():
    for model in (Response, Answer):
        related = {f.related_model for f in model._meta.get_fields() if f.is_relation}
        assert Invitation not in related and User not in related
        names = {f.name for f in model._meta.get_fields()}
        assert not names & {"created_at", "updated_at", "created_by", "updated_by",
                            "submitted_at", "email", "invitation"}
        assert model._meta.pk.get_internal_type() == "UUIDField"  # ids follow no order
        assert model.audited is False
    assert {f.name for f in Response._meta.get_fields() if f.is_relation} == {
        "country", "survey", "agency", "answers"}


def test_answering_leaves_no_trail_of_the_response(client, open_survey, csm):
    invitation, = _invite(open_survey, csm, ["a@example.org"])
    client.post(reverse("surveys:answer", args=[invitation.token]),
                {f"q{q.pk}": "5" for q in open_survey.questions.exclude(service=None)})
    response = open_survey.responses.get()
    kinds = [ContentType.objects.get_for_model(m) for m in (Response, Answer)]
    assert not AuditEntry.objects.filter(content_type__in=kinds).exists()
    assert not AuditEntry.objects.filter(object_id=str(response.pk)).exists()


# --- closing feeds the KPIs (S6, B5) ----------------------------------------------------------


def test_closing_records_each_services_satisfaction_as_its_quality_kpi(open_survey, csm,
                                                                      services):
    undp = Agency.objects.get(acronym="UNDP")
    _respond(open_survey, csm, undp, [5, 4, 2, 1])
    rated, *others = services
    existing = Indicator.objects.filter(subject_id=rated.pk, kind="quality",
                                        subject_type__model="commonservice").first()
    rates = actions.survey_close(survey=open_survey, by=csm)
    assert rates[rated.pk] == Decimal("50.0")
    kpi = indicators_for(rated).filter(kind="quality").order_by("pk").first()
    if existing is not None:
        assert kpi == existing  # the service's own quality KPI, not a new one
    measurement = Measurement.objects.get(indicator=kpi, year=2027, month=0,
                                          agency__isnull=True)
    assert measurement.value == Decimal("50.0")
    assert "Pulse survey (test)" in measurement.means_of_verification


def test_closing_creates_the_quality_kpi_when_the_service_has_none(open_survey, csm,
                                                                  services):
    service = services[0]
    for indicator in indicators_for(service).filter(kind="quality"):
        results_actions.indicator_delete(indicator=indicator, by=csm)
    _respond(open_survey, csm, None, [4, 4, 3])
    actions.survey_close(survey=open_survey, by=csm)
    kpi = indicators_for(service).get(kind="quality")
    assert (kpi.unit, kpi.direction, kpi.country_id) == ("percent", "increase",
                                                          service.country_id)
    assert kpi.measurements.get(year=2027).value == Decimal("66.7")


def test_a_survey_closes_once(open_survey, csm):
    actions.survey_close(survey=open_survey, by=csm)
    with pytest.raises(ValidationError):
        actions.survey_close(survey=open_survey, by=csm)


def test_satisfaction_by_service_counts_closed_surveys_of_the_year_only(open_survey, csm,
                                                                       services, viet_nam):
    _respond(open_survey, csm, None, [5, 5, 1])
    assert services[0].pk not in queries.satisfaction_by_service(country=viet_nam, year=2027)
    actions.survey_close(survey=open_survey, by=csm)
    with CaptureQueriesContext(connection) as ctx:
        rates = queries.satisfaction_by_service(country=viet_nam, year=2027)
    assert len(ctx.captured_queries) == 1
    assert rates == {s.pk: Decimal("66.7") for s in services}
    assert queries.satisfaction_by_service(country=viet_nam, year=2026) == {}


# --- results: the group threshold (Q1) ------------------------------------------------------


def test_results_show_agencies_of_five_or_more_and_fold_the_others(client, open_survey, csm):
    big, small, tiny = (Agency.objects.get(acronym=a) for a in ("UNDP", "FAO", "ILO"))
    _respond(open_survey, csm, big, [5, 5, 4, 2, 1])
    _respond(open_survey, csm, small, [5, 5, 5])
    _respond(open_survey, csm, tiny, [1])
    results = queries.survey_results(open_survey, other_label="Other agencies",
                                     overall_label="All")
    assert [(g.label, g.responses, g.rate) for g in results.agencies] == [
        ("UNDP", 5, Decimal("60.0"))]
    assert results.folded_agencies == 2
    other = results.other_agencies
    assert (other.responses, other.rate) == (4, None)  # still fewer than 5 together
    actions.survey_close(survey=open_survey, by=csm)
    client.force_login(User.objects.get(username="vn-member"))
    page = client.get(reverse("surveys:survey_results", args=[open_survey.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "UNDP" in body and "FAO" not in body and "ILO" not in body
    assert "2 smaller groups are folded into" in body
    assert "still too few" in body


def test_a_folded_group_of_five_or_more_shows_its_rate(open_survey, csm):
    _respond(open_survey, csm, Agency.objects.get(acronym="FAO"), [5, 5, 1])
    _respond(open_survey, csm, Agency.objects.get(acronym="ILO"), [4, 2])
    results = queries.survey_results(open_survey, other_label="Other", overall_label="All")
    assert results.agencies == []
    assert (results.other_agencies.responses, results.other_agencies.rate) == (
        5, Decimal("60.0"))


def test_results_page_shows_services_lines_and_comments_in_constant_queries(client, csm):
    closed = Survey.objects.get(country__iso_code="VN", year=2025)
    client.force_login(csm)
    url = reverse("surveys:survey_results", args=[closed.pk])
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(url).content.decode()
    assert "By service line" in body and "Administration" in body
    assert "The reception team is very helpful." in body
    assert len(ctx.captured_queries) <= 14


# --- rights -----------------------------------------------------------------------------------


def test_results_wait_for_the_close_except_for_the_survey_managers(client, open_survey):
    url = reverse("surveys:survey_results", args=[open_survey.pk])
    client.force_login(User.objects.get(username="vn-member"))
    assert client.get(url).status_code == 403
    client.force_login(User.objects.get(username="vn-csm"))
    assert client.get(url).status_code == 200


def test_an_outsider_gets_404_on_every_survey_page(client, open_survey):
    client.force_login(User.objects.get(username="sn-staff"))
    question = open_survey.questions.first()
    for url in (open_survey.get_absolute_url(),
                reverse("surveys:survey_results", args=[open_survey.pk])):
        assert client.get(url).status_code == 404
    for url in (reverse("surveys:survey_open", args=[open_survey.pk]),
                reverse("surveys:survey_invite", args=[open_survey.pk]),
                reverse("surveys:survey_close", args=[open_survey.pk]),
                reverse("surveys:question_move", args=[question.pk])):
        assert client.post(url).status_code == 404
    open_survey.refresh_from_db()
    assert open_survey.is_open and not open_survey.invitations.exists()


def test_a_member_may_not_run_the_workflow(client, survey, services):
    client.force_login(User.objects.get(username="vn-member"))
    response = client.post(reverse("surveys:survey_open", args=[survey.pk]),
                           {"services": [s.pk for s in services]})
    assert response.status_code == 403
    survey.refresh_from_db()
    assert survey.is_draft and not survey.questions.exists()
    with pytest.raises(PermissionDenied):
        actions.survey_close(survey=survey, by=User.objects.get(username="vn-member"))


def test_the_manager_runs_the_workflow_through_the_pages(client, survey, services, csm,
                                                         django_capture_on_commit_callbacks):
    client.force_login(csm)
    detail = client.get(survey.get_absolute_url()).content.decode()
    assert reverse("surveys:survey_open", args=[survey.pk]) in detail
    response = client.post(reverse("surveys:survey_open", args=[survey.pk]),
                           {"services": [s.pk for s in services]})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("surveys:survey_invite", args=[survey.pk]), {
            "extra_emails": "x@example.org, y@example.org",
            "extra_agency": Agency.objects.get(acronym="WHO").pk})
    assert response.status_code == 302
    assert {m.to[0] for m in mail.outbox} == {"x@example.org", "y@example.org"}
    bad = client.post(reverse("surveys:survey_invite", args=[survey.pk]),
                      {"extra_emails": "nobody at all"})
    assert bad.status_code == 400 and "Not valid e-mail addresses" in bad.content.decode()
    assert survey.invitations.count() == 2
    response = client.post(reverse("surveys:survey_close", args=[survey.pk]))
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.is_closed


def test_an_open_survey_without_choice_of_service_is_explained(client, survey, csm):
    client.force_login(csm)
    response = client.post(reverse("surveys:survey_open", args=[survey.pk]), {})
    assert response.status_code == 400
    assert "Choose at least one service" in response.content.decode()


def test_the_survey_page_uses_constant_queries(client, open_survey, csm):
    client.force_login(csm)
    with CaptureQueriesContext(connection) as few:
        client.get(open_survey.get_absolute_url())
    _invite(open_survey, csm, [f"n{i}@example.org" for i in range(10)])
    for service in CommonService.objects.filter(country=open_survey.country)[3:6]:
        Question.objects.create(survey=open_survey, country=open_survey.country, text="?",
                                service=service, position=50)
    with CaptureQueriesContext(connection) as more:
        client.get(open_survey.get_absolute_url())
    assert len(few.captured_queries) == len(more.captured_queries) <= 16
