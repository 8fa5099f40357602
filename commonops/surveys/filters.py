"""FilterSets of surveys, shared by the list pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from commonops.core.filters import SearchFilterSet, _visible_countries
from commonops.surveys.models import Invitation, Question, QuestionKind, Survey, SurveyStatus


def _visible_surveys(request):
    if request is None:
        return Survey.objects.none()
    return Survey.objects.visible_to(request.user)


class SurveyFilterSet(SearchFilterSet):
    search_fields = ("title", "intro")
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    year = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(choices=SurveyStatus.choices, label=_("Status"))

    class Meta:
        model = Survey
        fields = ["q", "country", "year", "status"]


class QuestionFilterSet(SearchFilterSet):
    search_fields = ("text",)
    survey = django_filters.ModelChoiceFilter(queryset=_visible_surveys, label=_("Survey"))
    kind = django_filters.ChoiceFilter(choices=QuestionKind.choices, label=_("Kind"))

    class Meta:
        model = Question
        fields = ["q", "survey", "kind"]


class InvitationFilterSet(SearchFilterSet):
    search_fields = ("email",)
    survey = django_filters.ModelChoiceFilter(queryset=_visible_surveys, label=_("Survey"))
    used = django_filters.BooleanFilter(field_name="used_at", lookup_expr="isnull",
                                        exclude=True, label=_("Answered"))

    class Meta:
        model = Invitation
        fields = ["q", "survey", "used"]
