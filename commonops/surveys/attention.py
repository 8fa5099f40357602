"""What surveys ask of the user on the home page."""

from django.utils.translation import gettext as _

from commonops.core import access, display
from commonops.core.navigation import Attention, attention_provider
from commonops.core.roles import Perm
from commonops.surveys.models import Survey, SurveyStatus


@attention_provider
def surveys_to_close(request, country):
    # Q1: an open survey past its closing date should be closed, so that the satisfaction
    # KPIs are recorded (S6).
    if not access.can(request.user, Perm.MANAGE_SURVEYS, country):
        return []
    today = country.today()
    return [Attention(
        title=_("Survey past its closing date: %(survey)s") % {"survey": survey.title},
        detail=_("It was due to close on %(day)s; close it to record the satisfaction KPIs.")
        % {"day": display.day(survey.closes_on)},
        url=survey.get_absolute_url(), level="warning")
        for survey in Survey.objects.filter(country=country, status=SurveyStatus.OPEN,
                                            closes_on__lt=today)]
