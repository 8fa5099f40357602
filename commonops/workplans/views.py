"""Pages of annual work plans (G9), the OMT annual report and the BOS evaluation.

Every page needs a login; rows are scoped with `visible_to` / `get_visible_or_404`, so an
outsider gets 404; writes need the permission (403 otherwise) and call exactly one action.
Work plans, activities, progress reports, evaluations and verdicts use the generic
`ObjectPages`; the plan's and the evaluation's steps are declared in workplans/workflows.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.core import access
from commonops.core.charts import Series, bar_chart
from commonops.core.generic import ObjectPages, add_validation_errors
from commonops.core.roles import Perm
from commonops.core.spreadsheets import xlsx_response
from commonops.governance.queries import omt_of
from commonops.workplans import actions, exports, filters, forms, pdf, queries, reports
from commonops.workplans.models import (
    BosEvaluation,
    PlanActivity,
    ProgressUpdate,
    ServiceVerdict,
    WorkPlan,
)


class WorkPlanPages(ObjectPages):
    model = WorkPlan
    namespace = "workplans"
    name = "workplan"
    segment = "plans"
    object_arg = "work_plan"
    filterset = filters.WorkPlanFilterSet
    form = forms.WorkPlanForm
    columns = [("title", _("Work plan")), ("year", _("Year")), ("status", _("Status")),
               ("approved_on", _("Approved on")), ("country", _("Country"))]
    detail_fields = ["title", "year", "status"]
    select_related = ("country", "omt", "bos")
    detail_template = "workplans/workplan_detail.html"
    create_action = staticmethod(actions.work_plan_create)
    update_action = staticmethod(actions.work_plan_update)
    delete_action = staticmethod(actions.work_plan_delete)

    @classmethod
    def initial(cls, request):
        initial = super().initial(request)
        country = getattr(request, "country", None)
        if country is not None:
            omt = omt_of(country)
            if omt is not None:
                initial.setdefault("omt", omt.pk)
            initial.setdefault("year", country.today().year + 1)
        return initial

    @classmethod
    def detail_context(cls, request, obj):
        today = obj.country.today()
        overview = queries.plan_overview(obj, today=today)
        obj.activity_count = len(overview.rows)  # what the step rules read (no query)
        country = obj.country_id
        return {
            "plan": obj, "overview": overview,
            "outcomes": list(obj.outcomes.all()),
            "can_edit": access.can(request.user, Perm.WORKPLAN_EDIT, country) and obj.editable,
            "can_report": access.can(request.user, Perm.MEASURE, country),
            "can_export": access.can(request.user, Perm.EXPORT, country),
            "can_change": access.can_manage(request.user, obj) and obj.editable,
            "lines": (lines := queries.outcome_lines(overview)),
            "chart": queries.outcome_chart(lines, _("Budget and spending by outcome (USD)")),
        }


class PlanActivityPages(ObjectPages):
    model = PlanActivity
    namespace = "workplans"
    name = "planactivity"
    segment = "activities"
    object_arg = "plan_activity"
    filterset = filters.PlanActivityFilterSet
    form = forms.PlanActivityForm
    columns = [("title", _("Activity")), ("plan", _("Work plan")), ("owner", _("Owner")),
               ("starts_on", _("Starts")), ("ends_on", _("Ends")), ("status", _("Status")),
               ("progress", _("Progress (%)"))]
    detail_fields = ["plan", "bos_activity", "name", "outcome", "owner_agency",
                     "owner_task_force", "starts_on", "ends_on", "budget", "funding_source",
                     "status", "progress", "spent", "carried_from"]
    select_related = ("plan__country", "bos_activity__outcome", "outcome", "owner_agency",
                      "owner_task_force", "carried_from")
    detail_template = "workplans/activity_detail.html"
    create_action = staticmethod(actions.plan_activity_create)
    update_action = staticmethod(actions.plan_activity_update)
    delete_action = staticmethod(actions.plan_activity_delete)

    @classmethod
    def initial(cls, request):
        return {name: value for name, value in request.GET.items()
                if name in cls.form._meta.fields}

    @classmethod
    def detail_context(cls, request, obj):
        plan = obj.plan
        today = obj.country.today()
        row = queries.activity_rows(plan, [obj], today=today)[0]
        country = obj.country_id
        return {
            "activity": obj, "plan": plan, "row": row,
            "updates": list(obj.updates.all()),
            "carried_to": PlanActivity.objects.filter(carried_from=obj)
            .select_related("plan").first(),
            "can_edit": access.can(request.user, Perm.WORKPLAN_EDIT, country)
            and plan.editable,
            "can_report": access.can(request.user, Perm.MEASURE, country)
            and plan.status == "approved",
            "can_measure": access.can(request.user, Perm.MEASURE, country),
            "can_change": access.can_manage(request.user, obj) and plan.editable,
        }


class ProgressUpdatePages(ObjectPages):
    model = ProgressUpdate
    namespace = "workplans"
    name = "progressupdate"
    segment = "progress"
    object_arg = "progress_update"
    filterset = filters.ProgressUpdateFilterSet
    form = forms.ProgressUpdateForm
    columns = [("activity", _("Activity")), ("quarter", _("Quarter")),
               ("status", _("Status")), ("progress", _("Progress (%)")),
               ("spent", _("Spent to date (USD)")), ("reported_on", _("Reported on"))]
    detail_fields = ["activity", "quarter", "status", "progress", "spent", "note",
                     "reported_on"]
    select_related = ("activity__plan__country", "activity__bos_activity")
    create_action = staticmethod(actions.progress_update_create)
    update_action = staticmethod(actions.progress_update_update)
    delete_action = staticmethod(actions.progress_update_delete)

    @classmethod
    def initial(cls, request):
        initial = {name: value for name, value in request.GET.items()
                   if name in cls.form._meta.fields}
        country = getattr(request, "country", None)
        if country is not None:
            initial.setdefault("quarter", (country.today().month - 1) // 3 + 1)
        return initial


class BosEvaluationPages(ObjectPages):
    model = BosEvaluation
    namespace = "workplans"
    name = "bosevaluation"
    segment = "evaluations"
    object_arg = "bos_evaluation"
    filterset = filters.BosEvaluationFilterSet
    form = forms.BosEvaluationForm
    columns = [("__str__", _("Evaluation")), ("evaluated_on", _("Evaluated on")),
               ("status", _("Status")), ("next_bos", _("Handed over to"))]
    detail_fields = ["bos", "evaluated_on", "status", "next_bos", "handed_over_on"]
    select_related = ("country", "bos__country", "next_bos__country")
    detail_template = "workplans/evaluation_detail.html"
    create_action = staticmethod(actions.bos_evaluation_create)
    update_action = staticmethod(actions.bos_evaluation_update)
    delete_action = staticmethod(actions.bos_evaluation_delete)

    @classmethod
    def detail_context(cls, request, obj):
        results = queries.cycle_results(obj.bos)
        return {
            "evaluation": obj, "results": results,
            "verdicts": list(obj.verdicts.select_related("opportunity", "stocktake_entry")),
            "plans": list(queries.plans_in_cycle(obj.bos)),
            "can_edit": access.can(request.user, Perm.WORKPLAN_EDIT, obj.country_id)
            and obj.status == "draft",
            "can_change": access.can_manage(request.user, obj) and obj.status == "draft",
            "chart": bar_chart(
                title=_("KPIs met each year of the cycle"),
                labels=[str(year) for year, _m, _c in results.met_by_year], unit="",
                series=[Series(_("Met"), [m for _y, m, _c in results.met_by_year]),
                        Series(_("With a target that applies"),
                               [c for _y, _m, c in results.met_by_year])]),
        }


class ServiceVerdictPages(ObjectPages):
    model = ServiceVerdict
    namespace = "workplans"
    name = "serviceverdict"
    segment = "verdicts"
    object_arg = "service_verdict"
    filterset = filters.ServiceVerdictFilterSet
    form = forms.ServiceVerdictForm
    columns = [("service_name", _("Common service")), ("evaluation", _("Evaluation")),
               ("action", _("Recommended action"))]
    detail_fields = ["evaluation", "opportunity", "stocktake_entry", "action", "comments"]
    select_related = ("evaluation__bos__country", "opportunity", "stocktake_entry")
    create_action = staticmethod(actions.service_verdict_create)
    update_action = staticmethod(actions.service_verdict_update)
    delete_action = staticmethod(actions.service_verdict_delete)

    @classmethod
    def initial(cls, request):
        return {name: value for name, value in request.GET.items()
                if name in cls.form._meta.fields}


PAGES = [WorkPlanPages, PlanActivityPages, ProgressUpdatePages, BosEvaluationPages,
         ServiceVerdictPages]


@login_required
def home(request):
    """This year's work plan of the current country, else next year's, else the list."""
    country = getattr(request, "country", None)
    if country is not None:
        year = country.today().year
        plan = (WorkPlan.objects.visible_to(request.user)
                .filter(country=country, year__in=[year, year + 1]).order_by("year").first())
        if plan is not None:
            return HttpResponseRedirect(plan.get_absolute_url())
    return HttpResponseRedirect(reverse("workplans:workplan_list"))


def _activity(request, pk) -> PlanActivity:
    return access.get_visible_or_404(
        PlanActivity.objects.select_related("plan__country", "bos_activity"), request.user,
        pk=pk)


@login_required
def indicator_add(request, pk):
    """An indicator of a work-plan activity with its target for the year (results engine)."""
    activity = _activity(request, pk)
    if not access.can(request.user, Perm.WORKPLAN_EDIT, activity.country_id):
        raise PermissionDenied
    form = forms.ActivityIndicatorForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.activity_indicator_add(plan_activity=activity, by=request.user,
                                               **form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("Indicator added."))
                return HttpResponseRedirect(activity.get_absolute_url())
    return render(request, "core/form.html", {
        "form": form, "title": _("Add an indicator to %(activity)s") % {"activity": activity},
        "back": activity.get_absolute_url(),
        "intro": _("The indicator is kept in the results engine, with its target for "
                   "%(year)s; its actual is recorded there.") % {"year": activity.plan.year},
    }, status=status)


# --- the OMT annual activity report (G9) -------------------------------------------------------


def _report_args(request):
    country = getattr(request, "country", None)
    if country is None or not access.can(request.user, Perm.VIEW, country.pk):
        raise PermissionDenied
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = country.today().year - 1
    if not 2000 <= year <= 2100:
        year = country.today().year - 1
    return country, year


@login_required
def annual_report(request):
    """The OMT's annual activity report of a year, ready for the UNCT."""
    country, year = _report_args(request)
    report = reports.annual_report(country, year=year, today=country.today())
    return render(request, "workplans/annual_report.html", {
        "report": report, "year": year, "country": country,
        "years": range(country.today().year - 4, country.today().year + 1),
        "can_export": access.can(request.user, Perm.EXPORT, country.pk),
        "chart": reports.expenditure_chart(report),
    })


def _require_export(request, country):
    if not access.can(request.user, Perm.EXPORT, country.pk):
        raise PermissionDenied


@login_required
def annual_report_pdf(request):
    country, year = _report_args(request)
    _require_export(request, country)
    report = reports.annual_report(country, year=year, today=country.today())
    response = HttpResponse(pdf.annual_report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="omt-annual-report-{country.iso_code}-{year}.pdf"')
    return response


@login_required
def annual_report_xlsx(request):
    country, year = _report_args(request)
    _require_export(request, country)
    report = reports.annual_report(country, year=year, today=country.today())
    return xlsx_response(f"omt-annual-report-{country.iso_code}-{year}",
                         exports.annual_report_sheets(report))
