"""FilterSets of documents and knowledge, shared by the list pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from commonops.core.filters import SearchFilterSet, _visible_countries
from commonops.core.models import Region, ServiceLine
from commonops.documents.models import (
    Area,
    Availability,
    Classification,
    Document,
    DocumentRequest,
    Expert,
    KnowledgeItem,
    RequestStatus,
    Template,
    TemplateKind,
)


def _visible_task_forces(request):
    from commonops.governance.models import TaskForce

    if request is None:
        return TaskForce.objects.none()
    return TaskForce.objects.visible_to(request.user)


class DocumentFilterSet(SearchFilterSet):
    search_fields = ("title", "tags", "description")
    country = django_filters.ModelChoiceFilter(queryset=_visible_countries, label=_("Country"))
    area = django_filters.ChoiceFilter(choices=Area.choices, label=_("Folder"))
    classification = django_filters.ChoiceFilter(choices=Classification.choices,
                                                 label=_("Classification"))
    service_line = django_filters.ChoiceFilter(choices=ServiceLine.choices,
                                               label=_("Service line"))
    task_force = django_filters.ModelChoiceFilter(queryset=_visible_task_forces,
                                                  label=_("Task force"))
    year = django_filters.NumberFilter(field_name="dated", lookup_expr="year", label=_("Year"))

    class Meta:
        model = Document
        fields = ["q", "country", "area", "classification", "service_line", "task_force",
                  "year"]


class DocumentRequestFilterSet(SearchFilterSet):
    search_fields = ("reason",)
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, label=_("Status"))

    class Meta:
        model = DocumentRequest
        fields = ["q", "status"]


class KnowledgeItemFilterSet(SearchFilterSet):
    search_fields = ("title", "summary", "lessons", "tags")
    region = django_filters.ModelChoiceFilter(field_name="country__region",
                                              queryset=Region.objects.all(), label=_("Region"))
    service_line = django_filters.ChoiceFilter(choices=ServiceLine.choices,
                                               label=_("Service line"))
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = KnowledgeItem
        fields = ["q", "region", "service_line", "year"]


class ExpertFilterSet(SearchFilterSet):
    search_fields = ("name", "skills", "past_assignments")
    region = django_filters.ModelChoiceFilter(queryset=Region.objects.all(), label=_("Region"))
    service_line = django_filters.ChoiceFilter(field_name="service_lines",
                                               lookup_expr="contains",
                                               choices=ServiceLine.choices,
                                               label=_("Service line"))
    language = django_filters.CharFilter(field_name="languages", lookup_expr="contains",
                                         label=_("Language"))
    availability = django_filters.ChoiceFilter(choices=Availability.choices,
                                               label=_("Availability"))

    class Meta:
        model = Expert
        fields = ["q", "region", "service_line", "language", "availability"]


class TemplateFilterSet(SearchFilterSet):
    search_fields = ("title", "description")
    kind = django_filters.ChoiceFilter(choices=TemplateKind.choices, label=_("Kind"))

    class Meta:
        model = Template
        fields = ["q", "kind"]
