"""Demo data for surveys: Viet Nam's annual client-satisfaction survey (Q1, S6).

The 2025 survey of the Green One UN House services is closed, with 35 anonymous responses
from eight agencies (four of them with fewer than 5 respondents, folded into "other
agencies"), and its satisfaction rates recorded as the services' quality KPIs for 2025. The
2026 survey is open, with its invitations out and a few answers in. Runs after the common
services demo; does nothing when Viet Nam already has a survey.
"""

import random
from datetime import date

from django.test.utils import override_settings

from commonops.core.demo import _slug
from commonops.core.models import Agency, Country, User
from commonops.surveys import actions
from commonops.surveys.models import Survey

# respondents per agency in the closed survey: UNDP…UNFPA are shown on their own, the
# others are below MIN_GROUP_SIZE and folded together
RESPONDENTS = {"UNDP": 9, "UNICEF": 7, "WHO": 6, "UNFPA": 5, "FAO": 3, "ILO": 2,
               "UNESCO": 2, "UN Women": 1}
# how well each service line is liked: the chance of a 4 or 5
LIKING = {"administration": 0.8, "ict": 0.7, "finance": 0.85, "human_resources": 0.6,
          "procurement": 0.65, "logistics": 0.5}
COMMENTS = [
    "The reception team is very helpful.",
    "Internet is slow in the afternoons on the third floor.",
    "Please publish the vehicle booking rules.",
    "Cleaning of the meeting rooms has improved a lot this year.",
    "The medical clinic should open earlier.",
    "Travel agency quotes take too long.",
]


def seed(stdout=None) -> None:
    from commonops.commonservices.models import CommonService

    viet_nam = Country.objects.filter(iso_code="VN").first()
    if viet_nam is None or Survey.objects.filter(country=viet_nam).exists():
        return
    services = list(CommonService.objects.filter(country=viet_nam, status="active")
                    .order_by("service_line", "name"))
    if not services:
        return
    # The demo's invitations are not e-mailed to anyone.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        _seed_viet_nam(viet_nam, services)
    if stdout is not None:
        stdout.write("  surveys: Viet Nam's 2025 survey (closed, 35 responses), 2026 open")


def _invite_and_answer(survey, services, by, rng, respondents: dict[str, int]):
    agencies = {a.acronym: a for a in Agency.objects.filter(acronym__in=respondents)}
    invitations = actions.survey_invite(survey=survey, by=by, send_email=False)
    for acronym, count in respondents.items():
        # more staff than the OMT's own people: colleagues invited by address
        invitations += actions.survey_invite(
            survey=survey, include_client_staff=False, extra_agency=agencies[acronym],
            extra_emails=[f"staff{n}.{_slug(acronym)}@commonops.example"
                          for n in range(1, count + 1)], send_email=False, by=by)
    by_agency: dict[str, list] = {}
    for invitation in invitations:
        if invitation.agency is not None:
            by_agency.setdefault(invitation.agency.acronym, []).append(invitation)
    questions = list(survey.questions.select_related("service"))
    comments = iter(COMMENTS)
    for acronym, count in respondents.items():
        for invitation in by_agency[acronym][:count]:
            answers = {}
            for question in questions:
                if question.service is None:
                    if rng.random() < 0.2:
                        answers[question.pk] = next(comments, "")
                    continue
                if rng.random() < 0.15:
                    continue  # does not use the service
                liked = rng.random() < LIKING.get(question.service.service_line, 0.7)
                answers[question.pk] = rng.choice([4, 5, 5]) if liked else rng.choice([1, 2, 3])
            actions.survey_answer(token=invitation.token, answers=answers)


def _seed_viet_nam(country, services) -> None:
    by = User.objects.get(username="vn-csm")
    rng = random.Random(2025)
    intro = ("Once a year the OMT asks every agency in the Green One UN House how well the "
             "common services serve it (S6). It takes five minutes.")
    closed = actions.survey_create(by=by, data={
        "country": country, "title": "Client satisfaction survey 2025", "year": 2025,
        "opens_on": date(2026, 1, 12), "closes_on": date(2026, 2, 6), "intro": intro})
    actions.survey_open(survey=closed, services=services, by=by)
    _invite_and_answer(closed, services, by, rng, RESPONDENTS)
    actions.survey_close(survey=closed, by=by)

    current = actions.survey_create(by=by, data={
        "country": country, "title": "Client satisfaction survey 2026", "year": 2026,
        "opens_on": date(2026, 11, 16), "closes_on": date(2026, 12, 18), "intro": intro})
    actions.survey_open(survey=current, services=services, by=by)
    _invite_and_answer(current, services, by, rng, {"UNDP": 2, "WHO": 1})
