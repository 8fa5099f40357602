"""Pages of compacts (C1, C2), the figures behind their measures and oversight
recommendations (C3).

Every page needs a login; rows are scoped with `visible_to` / `get_visible_or_404`, so an
outsider gets 404; writes need the permission (403 otherwise) and call exactly one action.
Rows use the generic `ObjectPages`; the compact's and the recommendation's steps are
declared in compacts/workflows.py; the scorecard, the comparison of an office's compacts
and the import of figures are views of their own.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.compacts import actions, filters, forms, imports, queries, rules
from commonops.compacts.models import (
    AppealResponse,
    Compact,
    CompactReview,
    ComplianceFigure,
    DocumentSubmission,
    Objective,
    Office,
    OversightRecommendation,
    PerformanceMeasure,
    SpendingFigure,
    StaffFigure,
)
from commonops.core import access
from commonops.core.charts import Series, bar_chart
from commonops.core.generic import ObjectPages
from commonops.core.roles import Perm
from commonops.core.spreadsheets import TableError, read_table, run_import


class _Pages(ObjectPages):
    namespace = "compacts"

    @classmethod
    def initial(cls, request):
        initial = super().initial(request)
        return {**{name: value for name, value in request.GET.items()
                   if name in (cls.form._meta.fields or [])}, **initial}


class OfficePages(_Pages):
    model = Office
    name = "office"
    segment = "offices"
    object_arg = "office"
    filterset = filters.OfficeFilterSet
    form = forms.OfficeForm
    columns = [("name", _("Office")), ("agency", _("Agency")), ("country", _("Country"))]
    detail_fields = ["country", "name", "agency"]
    select_related = ("country", "agency")
    detail_template = "compacts/office_detail.html"
    create_action = staticmethod(actions.office_create)
    update_action = staticmethod(actions.office_update)
    delete_action = staticmethod(actions.office_delete)

    @classmethod
    def detail_context(cls, request, obj):
        today = obj.country.today()
        return {
            "compacts": Compact.objects.visible_to(request.user).filter(office=obj)
            .select_related("manager", "office").order_by("-year", "-version"),
            "rates": queries.oversight_rates(obj, year=today.year, today=today),
            "year": today.year,
            "can_data": access.can(request.user, Perm.COMPACT_DATA, obj.country_id),
        }


class CompactPages(_Pages):
    model = Compact
    name = "compact"
    segment = "compacts"
    object_arg = "compact"
    filterset = filters.CompactFilterSet
    form = forms.CompactForm
    columns = [("__str__", _("Compact")), ("year", _("Year")), ("status", _("Status")),
               ("acknowledged_on", _("Acknowledged")), ("endorsed_on", _("Endorsed"))]
    detail_fields = ["office", "manager", "year", "status"]
    select_related = ("country", "office", "manager", "endorser", "endorsed_by",
                      "supersedes")
    detail_template = "compacts/compact_detail.html"
    create_action = staticmethod(actions.compact_create)
    update_action = staticmethod(actions.compact_update)
    delete_action = staticmethod(actions.compact_delete)

    @classmethod
    def detail_context(cls, request, obj):
        card = queries.scorecard(obj)
        newer = Compact.objects.filter(supersedes=obj).first()
        may_draft = actions.may_draft(request.user, obj)
        return {
            "compact": obj, "card": card, "newer": newer,
            "can_change": may_draft and obj.editable,
            "can_review": may_draft and rules.may_review(obj.status),
            "reviews": list(obj.reviews.all()),
        }


class ObjectivePages(_Pages):
    model = Objective
    name = "objective"
    segment = "objectives"
    object_arg = "objective"
    filterset = filters.ObjectiveFilterSet
    form = forms.ObjectiveForm
    columns = [("__str__", _("Objective")), ("compact", _("Compact")),
               ("section", _("Section")), ("area", _("Management area"))]
    detail_fields = ["compact", "section", "area", "objective", "expected_accomplishment",
                     "budget_reference", "position"]
    select_related = ("compact__office", "compact__manager", "compact__country")
    create_action = staticmethod(actions.objective_create)
    update_action = staticmethod(actions.objective_update)
    delete_action = staticmethod(actions.objective_delete)


class PerformanceMeasurePages(_Pages):
    model = PerformanceMeasure
    name = "performancemeasure"
    segment = "measures"
    object_arg = "performance_measure"
    filterset = filters.PerformanceMeasureFilterSet
    form = forms.PerformanceMeasureForm
    columns = [("__str__", _("Performance measure")), ("objective", _("Objective")),
               ("standard", _("Computed from the figures"))]
    detail_fields = ["objective", "statement", "indicator", "standard"]
    select_related = ("indicator", "objective__compact__office",
                      "objective__compact__manager", "objective__compact__country")
    create_action = staticmethod(actions.performance_measure_create)
    update_action = staticmethod(actions.performance_measure_update)
    delete_action = staticmethod(actions.performance_measure_delete)

    @classmethod
    def form_data(cls, form):
        data = super().form_data(form)
        data.update({name: form.cleaned_data.get(name) for name in form.extra})
        return data


class CompactReviewPages(_Pages):
    model = CompactReview
    name = "compactreview"
    segment = "reviews"
    object_arg = "compact_review"
    filterset = filters.CompactReviewFilterSet
    form = forms.CompactReviewForm
    columns = [("__str__", _("Review")), ("reviewed_on", _("Reviewed on"))]
    detail_fields = ["compact", "kind", "reviewed_on", "self_evaluation", "challenges",
                     "broader_interests"]
    select_related = ("compact__office", "compact__manager", "compact__country")
    create_action = staticmethod(actions.compact_review_create)
    update_action = staticmethod(actions.compact_review_update)
    delete_action = staticmethod(actions.compact_review_delete)


class _FigurePages(_Pages):
    select_related = ("office__country",)


class StaffFigurePages(_FigurePages):
    model = StaffFigure
    name = "stafffigure"
    segment = "figures/staff"
    object_arg = "staff_figure"
    filterset = filters.StaffFigureFilterSet
    form = forms.StaffFigureForm
    columns = [("office", _("Office")), ("year", _("Year")), ("kind", _("What is counted")),
               ("level", _("Level")), ("gender", _("Gender")),
               ("nationality", _("Nationality status")), ("count", _("Count"))]
    detail_fields = ["office", "year", "kind", "level", "gender", "nationality", "count"]
    create_action = staticmethod(actions.staff_figure_create)
    update_action = staticmethod(actions.staff_figure_update)
    delete_action = staticmethod(actions.staff_figure_delete)


class ComplianceFigurePages(_FigurePages):
    model = ComplianceFigure
    name = "compliancefigure"
    segment = "figures/compliance"
    object_arg = "compliance_figure"
    filterset = filters.ComplianceFigureFilterSet
    form = forms.ComplianceFigureForm
    columns = [("office", _("Office")), ("year", _("Year")), ("kind", _("What")),
               ("required", _("Staff who must")), ("completed", _("Staff who did"))]
    detail_fields = ["office", "year", "kind", "required", "completed"]
    create_action = staticmethod(actions.compliance_figure_create)
    update_action = staticmethod(actions.compliance_figure_update)
    delete_action = staticmethod(actions.compliance_figure_delete)


class SpendingFigurePages(_FigurePages):
    model = SpendingFigure
    name = "spendingfigure"
    segment = "figures/spending"
    object_arg = "spending_figure"
    filterset = filters.SpendingFigureFilterSet
    form = forms.SpendingFigureForm
    columns = [("office", _("Office")), ("year", _("Year")), ("month", _("Month")),
               ("planned", _("Planned (USD)")), ("actual", _("Spent (USD)"))]
    detail_fields = ["office", "year", "month", "planned", "actual"]
    create_action = staticmethod(actions.spending_figure_create)
    update_action = staticmethod(actions.spending_figure_update)
    delete_action = staticmethod(actions.spending_figure_delete)


class DocumentSubmissionPages(_FigurePages):
    model = DocumentSubmission
    name = "documentsubmission"
    segment = "figures/documents"
    object_arg = "document_submission"
    filterset = filters.DocumentSubmissionFilterSet
    form = forms.DocumentSubmissionForm
    columns = [("reference", _("Document")), ("office", _("Office")),
               ("slot_date", _("Slot date")), ("submitted_on", _("Submitted on"))]
    detail_fields = ["office", "reference", "slot_date", "submitted_on"]
    create_action = staticmethod(actions.document_submission_create)
    update_action = staticmethod(actions.document_submission_update)
    delete_action = staticmethod(actions.document_submission_delete)


class AppealResponsePages(_FigurePages):
    model = AppealResponse
    name = "appealresponse"
    segment = "figures/appeals"
    object_arg = "appeal_response"
    filterset = filters.AppealResponseFilterSet
    form = forms.AppealResponseForm
    columns = [("reference", _("Appeal")), ("office", _("Office")),
               ("received_on", _("Received on")), ("answered_on", _("Answered on")),
               ("days_to_answer", _("Days to answer"))]
    detail_fields = ["office", "reference", "received_on", "answered_on"]
    create_action = staticmethod(actions.appeal_response_create)
    update_action = staticmethod(actions.appeal_response_update)
    delete_action = staticmethod(actions.appeal_response_delete)


class OversightRecommendationPages(_Pages):
    model = OversightRecommendation
    name = "oversightrecommendation"
    segment = "recommendations"
    object_arg = "oversight_recommendation"
    filterset = filters.OversightRecommendationFilterSet
    form = forms.OversightRecommendationForm
    columns = [("report", _("Report")), ("office", _("Office")), ("risk", _("Risk")),
               ("owner", _("Owner")), ("target_date", _("Target date")),
               ("status", _("Status")), ("implemented_on", _("Implemented on"))]
    detail_fields = ["office", "source_body", "report", "text", "risk", "owner",
                     "issued_on", "target_date", "status", "implemented_on", "evidence"]
    select_related = ("country", "office", "owner")
    detail_template = "compacts/recommendation_detail.html"
    create_action = staticmethod(actions.oversight_recommendation_create)
    update_action = staticmethod(actions.oversight_recommendation_update)
    delete_action = staticmethod(actions.oversight_recommendation_delete)

    @classmethod
    def detail_context(cls, request, obj):
        return {"events": list(obj.events.select_related("by")),
                "three_months": rules.three_months_after(obj.target_date)}


PAGES = [OfficePages, CompactPages, ObjectivePages, PerformanceMeasurePages,
         CompactReviewPages, StaffFigurePages, ComplianceFigurePages, SpendingFigurePages,
         DocumentSubmissionPages, AppealResponsePages, OversightRecommendationPages]


# --- pages of their own ------------------------------------------------------------------------


@login_required
def home(request):
    """The person's latest compact, else the list."""
    compact = (Compact.objects.visible_to(request.user).filter(manager=request.user)
               .order_by("-year", "-version").first())
    if compact is not None:
        return HttpResponseRedirect(compact.get_absolute_url())
    return HttpResponseRedirect(reverse("compacts:compact_list"))


def _compact(request, pk) -> Compact:
    return access.get_visible_or_404(
        Compact.objects.select_related("country", "office", "manager", "endorser"),
        request.user, pk=pk)


@login_required
def scorecard(request, pk):
    """C1: the compact's measures against their targets, with the status of each."""
    compact = _compact(request, pk)
    card = queries.scorecard(compact)
    counts = card.status_counts
    return render(request, "compacts/scorecard.html", {
        "compact": compact, "card": card,
        "chart": bar_chart(title=_("Measures by status, %(year)s") % {"year": compact.year},
                           labels=[label for _s, label, _n in counts], unit="",
                           series=[Series(_("Number of measures"), [n for _s, _l, n in counts])]),
    })


@login_required
def comparison(request, pk):
    """C1: the office's compacts side by side, measure by measure."""
    office = access.get_visible_or_404(Office.objects.select_related("country"), request.user,
                                       pk=pk)
    data = queries.comparison(office, user=request.user)
    return render(request, "compacts/comparison.html", {
        "office": office, "data": data,
        "chart": bar_chart(
            title=_("Share of measures met (%)"),
            labels=[f"{c['compact'].year} {c['compact'].manager.last_name}"
                    for c in data.cards], unit="%",
            series=[Series(_("Met"), [c["share"] for c in data.cards])]),
    })


@login_required
def figures_import(request):
    """C2: the figures behind the measures from a CSV or XLSX file: preview, then all or
    nothing, each error with its row number."""
    country = getattr(request, "country", None)
    if country is None or not access.can(request.user, Perm.COMPACT_DATA, country.pk):
        raise PermissionDenied
    kind = request.POST.get("kind") or request.GET.get("kind") or "staff"
    if kind not in imports.COLUMNS:
        kind = "staff"
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            offices = {o.name.casefold(): o for o in Office.objects.filter(country=country)}
            try:
                rows = read_table(form.cleaned_data["upload"], imports.COLUMNS[kind],
                                  required=imports.REQUIRED[kind])
            except TableError as error:
                form.add_error("upload", str(error))
            else:
                result = run_import(rows, lambda row: imports.apply_row(
                    kind, row, offices=offices, by=request.user),
                    commit=form.cleaned_data["commit"])
                if result.committed:
                    messages.success(request, _("Imported %(count)s rows.") % {
                        "count": result.rows})
                    return HttpResponseRedirect(reverse("compacts:figures_import") +
                                                f"?kind={kind}")
                status = 400 if result.errors else 200
    return render(request, "compacts/import.html", {
        "form": form, "result": result, "kind": kind, "kinds": imports.KINDS,
        "columns": list(imports.COLUMNS[kind].values()), "country": country,
    }, status=status)
