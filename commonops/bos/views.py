"""Pages of the Business Operations Strategy (B1–B8).

Every page needs a login; rows are scoped with `visible_to` / `get_visible_or_404`, so an
outsider gets 404; writes need the permission (403 otherwise) and call exactly one function
of bos/actions.py. An action's ValidationError is shown with status 400 and nothing changes.

Stock-take entries, opportunities, CBA lines, outcomes, activities, grade rates and annual
results use the generic `ObjectPages`; the BOS overview, workflow steps, prioritisation,
results framework, plan, annual report, documents and imports are views of their own.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L
from django.views.decorators.http import require_POST

from commonops.bos import actions, exports, filters, forms, imports, pdf, queries, rules
from commonops.bos.models import (
    Activity,
    AnnualResult,
    Bos,
    BosStatus,
    CbaEntry,
    GradeRate,
    Opportunity,
    Outcome,
    StocktakeEntry,
)
from commonops.core import access
from commonops.core.charts import Series, bar_chart, line_chart
from commonops.core.generic import ObjectPages, add_validation_errors
from commonops.core.roles import Perm
from commonops.core.spreadsheets import TableError, read_table, run_import, xlsx_response

# --- generic pages ---------------------------------------------------------------------------


class BosPages(ObjectPages):
    model = Bos
    namespace = "bos"
    name = "bos"
    object_arg = "bos"
    segment = "strategies"
    filterset = filters.BosFilterSet
    form = forms.BosForm
    columns = [("__str__", L("BOS")), ("status", L("Status")), ("qa_due_on", L("QA due")),
               ("signed_off_on", L("Signed off"))]
    detail_fields = ["title", "status"]
    select_related = ("country",)
    detail_template = "bos/bos_detail.html"
    create_action = staticmethod(actions.bos_create)
    update_action = staticmethod(actions.bos_update)
    delete_action = staticmethod(actions.bos_delete)

    @classmethod
    def detail_context(cls, request, obj):
        return overview_context(request, obj)

    @classmethod
    def form_data(cls, form):
        data = super().form_data(form)
        if form.cleaned_data.get("version") is not None:
            data["expected_version"] = form.cleaned_data["version"]
        return data


class _ContentPages(ObjectPages):
    namespace = "bos"
    detail_template = "bos/content_detail.html"

    @classmethod
    def initial(cls, request):
        return {name: value for name, value in request.GET.items()
                if name in (cls.form._meta.fields or [])}


class StocktakeEntryPages(_ContentPages):
    model = StocktakeEntry
    name = "stocktakeentry"
    segment = "stocktake"
    filterset = filters.StocktakeEntryFilterSet
    form = forms.StocktakeEntryForm
    columns = [("name", L("Common service")), ("bos", L("BOS")),
               ("service_line", L("Service line")), ("modality", L("Modality")),
               ("implemented_since", L("Since")), ("action", L("Action"))]
    detail_fields = ["bos", "name", "service_line", "modality", "implemented_since", "action",
                     "comments", "from_opportunity"]
    select_related = ("bos__country", "from_opportunity")
    object_arg = "stocktake_entry"
    create_action = staticmethod(actions.stocktake_entry_create)
    update_action = staticmethod(actions.stocktake_entry_update)
    delete_action = staticmethod(actions.stocktake_entry_delete)

    @classmethod
    def detail_context(cls, request, obj):
        return {"agency_lists": [(L("Managing agencies"), obj.managing_agencies.all()),
                                 (L("Participating agencies"),
                                  obj.participating_agencies.all())]}


class OpportunityPages(_ContentPages):
    model = Opportunity
    name = "opportunity"
    segment = "opportunities"
    filterset = filters.OpportunityFilterSet
    form = forms.OpportunityForm
    columns = [("name", L("Common service")), ("bos", L("BOS")),
               ("service_line", L("Service line")), ("approach", L("Approach")),
               ("selected", L("In the plan"))]
    detail_fields = ["bos", "name", "description", "service_line", "approach",
                     "data_sources", "selected", "implementation_start"]
    select_related = ("bos__country",)
    detail_template = "bos/opportunity_detail.html"
    create_action = staticmethod(actions.opportunity_create)
    update_action = staticmethod(actions.opportunity_update)
    delete_action = staticmethod(actions.opportunity_delete)

    @classmethod
    def detail_context(cls, request, obj):
        return opportunity_context(request, obj)


class CbaEntryPages(_ContentPages):
    model = CbaEntry
    name = "cbaentry"
    segment = "cba-lines"
    filterset = filters.CbaEntryFilterSet
    form = forms.CbaEntryForm
    columns = [("opportunity", L("Opportunity")), ("year", L("Year")), ("side", L("Side")),
               ("kind", L("Kind")), ("nature", L("Nature")), ("amount", L("Amount (USD)"))]
    detail_fields = ["opportunity", "year", "side", "kind", "nature", "description", "amount",
                     "hours", "grade", "hourly_rate", "old_unit_price", "new_unit_price",
                     "volume"]
    select_related = ("opportunity__bos__country",)
    object_arg = "cba_entry"
    create_action = staticmethod(actions.cba_entry_create)
    update_action = staticmethod(actions.cba_entry_update)
    delete_action = staticmethod(actions.cba_entry_delete)


class OutcomePages(_ContentPages):
    model = Outcome
    name = "outcome"
    segment = "outcomes"
    filterset = filters.OutcomeFilterSet
    form = forms.OutcomeForm
    columns = [("__str__", L("Outcome")), ("bos", L("BOS")),
               ("service_line", L("Service line"))]
    detail_fields = ["bos", "service_line", "statement"]
    select_related = ("bos__country",)
    create_action = staticmethod(actions.outcome_create)
    update_action = staticmethod(actions.outcome_update)
    delete_action = staticmethod(actions.outcome_delete)


class ActivityPages(_ContentPages):
    model = Activity
    name = "activity"
    segment = "activities"
    filterset = filters.ActivityFilterSet
    form = forms.ActivityForm
    columns = [("name", L("Activity")), ("outcome.bos", L("BOS")), ("owner", L("Owner")),
               ("starts_on", L("Starts")), ("ends_on", L("Ends")),
               ("budget", L("Budget (USD)")), ("funding_gap", L("Funding gap (USD)"))]
    detail_fields = ["outcome", "opportunity", "name", "owner", "starts_on", "ends_on",
                     "budget", "funded"]
    select_related = ("outcome__bos__country", "owner", "opportunity")
    create_action = staticmethod(actions.activity_create)
    update_action = staticmethod(actions.activity_update)
    delete_action = staticmethod(actions.activity_delete)


class GradeRatePages(ObjectPages):
    model = GradeRate
    namespace = "bos"
    name = "graderate"
    segment = "grade-rates"
    filterset = filters.GradeRateFilterSet
    form = forms.GradeRateForm
    columns = [("country", L("Country")), ("year", L("Year")), ("grade", L("Grade")),
               ("hourly_rate", L("Hourly cost (USD)"))]
    detail_fields = ["country", "year", "grade", "hourly_rate"]
    select_related = ("country",)
    object_arg = "grade_rate"
    create_action = staticmethod(actions.grade_rate_create)
    update_action = staticmethod(actions.grade_rate_update)
    delete_action = staticmethod(actions.grade_rate_delete)


class AnnualResultPages(_ContentPages):
    model = AnnualResult
    name = "annualresult"
    segment = "annual-results"
    filterset = filters.AnnualResultFilterSet
    form = forms.AnnualResultForm
    columns = [("opportunity", L("Common service")), ("agency", L("Agency")),
               ("year", L("Year")), ("realised_cost_avoidance", L("Realised (USD)")),
               ("funds_spent", L("Funds spent (USD)"))]
    detail_fields = ["opportunity", "agency", "year", "realised_cost_avoidance",
                     "funds_spent", "feedback"]
    select_related = ("opportunity__bos__country", "agency")
    object_arg = "annual_result"
    create_action = staticmethod(actions.annual_result_create)
    update_action = staticmethod(actions.annual_result_update)
    delete_action = staticmethod(actions.annual_result_delete)


PAGES = [BosPages, StocktakeEntryPages, OpportunityPages, CbaEntryPages, OutcomePages,
         ActivityPages, GradeRatePages, AnnualResultPages]


# --- helpers ---------------------------------------------------------------------------------


def _bos(request, pk) -> Bos:
    return access.get_visible_or_404(Bos.objects.select_related("country"), request.user,
                                     pk=pk)


def _this_year(bos: Bos) -> int:
    return bos.country.today().year


def _report_year(bos: Bos) -> int:
    """The year a page shows by default: this year within the cycle, else its edge."""
    return min(max(_this_year(bos), bos.start_year), bos.end_year)


def cumulative_chart(summary, title):
    labels = [str(year.year) for year in summary.years]
    return line_chart(title=title, labels=labels, unit="USD", series=[
        Series(_("Cumulative net benefit"), [y.cumulative for y in summary.years]),
        Series(_("Cost"), [y.cost for y in summary.years]),
        Series(_("Benefit"), [y.benefit for y in summary.years]),
    ])


def overview_context(request, bos: Bos) -> dict:
    facts = queries.progress_facts(bos)
    done = rules.steps_done(facts)
    steps = [(key, _(label), done[key]) for key, label in rules.STEPS]
    ranked = queries.prioritised(bos)
    totals = queries.bos_totals([r for r in ranked if r.opportunity.selected],
                                discount_rate=bos.discount_rate)
    calendar = bos.country.calendar() if bos.submitted_on else None
    qa = None
    if bos.submitted_on:
        # B1: the clock runs in the country's calendar and time zone until clearance
        until = bos.cleared_on or (bos.country.today()
                                   if bos.status == BosStatus.SUBMITTED else None)
        if until is not None:
            qa = {"days": rules.qa_working_days(bos.submitted_on, until, calendar),
                  "late": rules.qa_late(bos.submitted_on, until, calendar),
                  "target": rules.QA_TARGET_WORKING_DAYS}
    country = bos.country_id
    can = {
        "kickoff": actions.may_kick_off(request.user, country),
        "edit": access.can(request.user, Perm.BOS_EDIT, country),
        "export": access.can(request.user, Perm.EXPORT, country),
    }
    return {
        "bos": bos,
        "steps": steps,
        "steps_done": sum(1 for _k, _l, d in steps if d),
        "steps_total": len(steps),
        "qa": qa,
        "problems": actions.submission_problems(bos) if bos.status == BosStatus.DRAFT else [],
        "ranked": ranked,
        "totals": totals,
        "chart": cumulative_chart(totals, _("Selected services: cost, benefit and "
                                            "cumulative net benefit (USD)")),
        "stocktake": list(StocktakeEntry.objects.filter(bos=bos).prefetch_related(
            "managing_agencies")),
        "agencies": list(bos.participating_agencies.all()),
        "line_labels": [label for value, label in forms.BOS_LINE_CHOICES
                        if value in bos.service_lines],
        "can": can,
        "can_change": can["kickoff"] and bos.editable,
    }


def opportunity_context(request, opportunity: Opportunity) -> dict:
    bos = opportunity.bos
    lines = list(CbaEntry.objects.filter(opportunity=opportunity))
    summary = queries.opportunity_summary(opportunity)
    return {
        "bos": bos,
        "lines": lines,
        "summary": summary,
        "chart": cumulative_chart(summary, _("Cost, benefit and cumulative net benefit by "
                                             "horizon year (USD)")),
        "agency_lists": [(L("Managing agencies"), opportunity.managing_agencies.all()),
                         (L("Participating agencies"),
                          opportunity.participating_agencies.all())],
        "kpis": queries.kpis_for([opportunity])[opportunity.pk],
        "can_edit": access.can(request.user, Perm.BOS_EDIT, bos.country_id) and bos.editable,
    }


def _form_page(request, form, *, title, back, intro="", status=200):
    return render(request, "core/form.html", {"form": form, "title": title, "back": back,
                                              "intro": intro}, status=status)


# --- the BOS overview (its workflow, B1, is declared in bos/workflows.py) --------------------


@login_required
def bos_home(request):
    """The BOS of the current country (the latest cycle), or the list."""
    country = getattr(request, "country", None)
    bos = (Bos.objects.visible_to(request.user).filter(country=country)
           .order_by("-start_year").first() if country else None)
    if bos is None:
        return HttpResponseRedirect(reverse("bos:bos_list"))
    return HttpResponseRedirect(bos.get_absolute_url())


# --- opportunities: prioritisation, selection, the four-year rule (B4, B7) -------------------


@login_required
def prioritisation(request, pk):
    bos = _bos(request, pk)
    ranked = queries.prioritised(bos)
    return render(request, "bos/prioritisation.html", {
        "bos": bos, "ranked": ranked,
        "can_edit": access.can(request.user, Perm.BOS_EDIT, bos.country_id) and bos.editable,
        "chart": bar_chart(title=_("Net benefit by opportunity (USD)"),
                           labels=[r.opportunity.name for r in ranked], unit="USD",
                           series=[Series(_("Net benefit"),
                                          [r.summary.net_benefit for r in ranked])]),
    })


def _opportunity(request, pk) -> Opportunity:
    return access.get_visible_or_404(Opportunity.objects.select_related("bos__country"),
                                     request.user, pk=pk)


@login_required
@require_POST
def opportunity_select(request, pk):
    opportunity = _opportunity(request, pk)
    selected = request.POST.get("selected") == "1"
    try:
        actions.opportunity_select(opportunity=opportunity, selected=selected,
                                   by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(reverse("bos:prioritisation", args=[opportunity.bos_id]))
    messages.success(request, (_("%(service)s is in the plan.") if selected else _(
        "%(service)s is no longer in the plan.")) % {"service": opportunity})
    return HttpResponseRedirect(reverse("bos:prioritisation", args=[opportunity.bos_id]))


@login_required
@require_POST
def opportunity_move(request, pk):
    opportunity = _opportunity(request, pk)
    try:
        entry = actions.opportunity_move_to_stocktake(opportunity=opportunity, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(reverse("bos:report", args=[opportunity.bos_id]))
    messages.success(request, _("%(service)s moved to the stock-take.") % {
        "service": opportunity})
    return HttpResponseRedirect(entry.get_absolute_url())


# --- results framework (B5, B6) and plan ------------------------------------------------------


@login_required
def results_framework(request, pk):
    bos = _bos(request, pk)
    year = _year_param(request, bos)
    return render(request, "bos/results.html", {
        "bos": bos, "year": year, "years": range(bos.start_year, bos.end_year + 1),
        "framework": queries.results_framework(bos, year=year),
        "can_edit": access.can(request.user, Perm.BOS_EDIT, bos.country_id) and bos.editable,
    })


@login_required
def kpi_add(request, pk):
    opportunity = _opportunity(request, pk)
    bos = opportunity.bos
    if not access.can(request.user, Perm.BOS_EDIT, bos.country_id):
        raise PermissionDenied
    form = forms.KpiForm(request.POST or None, bos=bos)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("target_")}
        try:
            actions.kpi_add(opportunity=opportunity, by=request.user, targets=form.targets(),
                            **data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("KPI added."))
            return HttpResponseRedirect(reverse("bos:results", args=[bos.pk]))
    return _form_page(request, form, title=_("Add a KPI to %(service)s") % {
        "service": opportunity}, back=reverse("bos:results", args=[bos.pk]),
        intro=_("B5: every common service needs a cost-avoidance KPI (USD) and a quality "
                "KPI, each with yearly targets."),
        status=400 if request.method == "POST" else 200)


@login_required
def plan(request, pk):
    bos = _bos(request, pk)
    outcomes = list(Outcome.objects.filter(bos=bos).prefetch_related(
        "activities__owner", "activities__opportunity"))
    return render(request, "bos/plan.html", {
        "bos": bos, "outcomes": outcomes, "totals": queries.plan_totals(bos),
        "can_edit": access.can(request.user, Perm.BOS_EDIT, bos.country_id) and bos.editable,
    })


# --- annual reporting (B7) ---------------------------------------------------------------------


def _year_param(request, bos: Bos) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return _report_year(bos)
    return year if bos.start_year <= year <= bos.end_year else _report_year(bos)


@login_required
def report(request, pk):
    bos = _bos(request, pk)
    year = _year_param(request, bos)
    data = queries.annual_report(bos, year=year, current_year=_this_year(bos))
    return render(request, "bos/report.html", {
        "bos": bos, "year": year, "years": range(bos.start_year, bos.end_year + 1),
        "report": data,
        "can_edit": access.can(request.user, Perm.BOS_EDIT, bos.country_id),
        "can_export": access.can(request.user, Perm.EXPORT, bos.country_id),
        "chart": bar_chart(title=_("Estimated and realised cost avoidance %(year)s (USD)")
                           % {"year": year},
                           labels=[s.opportunity.name for s in data.services], unit="USD",
                           series=[Series(_("Estimated"), [s.estimated for s in data.services]),
                                   Series(_("Realised"), [s.realised for s in data.services])]),
    })


def _require_export(request, bos):
    if not access.can(request.user, Perm.EXPORT, bos.country_id):
        raise PermissionDenied


@login_required
def report_pdf(request, pk):
    bos = _bos(request, pk)
    _require_export(request, bos)
    year = _year_param(request, bos)
    content = pdf.annual_report_pdf(bos, year=year, current_year=_this_year(bos))
    return _pdf_response(content, f"bos-{bos.country.iso_code}-report-{year}.pdf")


@login_required
def report_xlsx(request, pk):
    bos = _bos(request, pk)
    _require_export(request, bos)
    year = _year_param(request, bos)
    data = queries.annual_report(bos, year=year, current_year=_this_year(bos))
    return xlsx_response(f"bos-{bos.country.iso_code}-report-{year}",
                         exports.annual_report_sheets(data))


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- the BOS document (for UNCT endorsement) ---------------------------------------------------


@login_required
def document_pdf(request, pk):
    bos = _bos(request, pk)
    _require_export(request, bos)
    return _pdf_response(pdf.bos_pdf(bos), f"bos-{bos.country.iso_code}-{bos.start_year}.pdf")


@login_required
def document_xlsx(request, pk):
    bos = _bos(request, pk)
    _require_export(request, bos)
    return xlsx_response(f"bos-{bos.country.iso_code}-{bos.start_year}",
                         exports.bos_sheets(bos))


# --- imports (B4): grade rates and CBA lines, all or nothing with a preview -------------------


def _import_page(request, *, title, back, columns, apply_row, required, allowed):
    if not allowed:
        raise PermissionDenied
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_table(form.cleaned_data["upload"], columns, required=required)
        except TableError as error:
            form.add_error("upload", str(error))
            status = 400
        else:
            result = run_import(rows, apply_row, commit=form.cleaned_data["commit"])
            if result.committed:
                messages.success(request, _("Imported %(count)s rows.") % {"count": result.rows})
                return HttpResponseRedirect(back)
            status = 400 if result.errors else 200
    elif request.method == "POST":
        status = 400
    return render(request, "bos/import.html", {
        "form": form, "title": title, "back": back, "result": result,
        "columns": list(columns.values())}, status=status)


@login_required
def graderate_import(request):
    country = getattr(request, "country", None)
    return _import_page(
        request, title=_("Import grade rates for %(country)s") % {"country": country},
        back=reverse("bos:graderate_list"), columns=imports.GRADE_RATE_COLUMNS,
        required=imports.GRADE_RATE_COLUMNS,
        apply_row=lambda row: imports.grade_rate_row(row, country=country, by=request.user),
        allowed=country is not None and access.can(request.user, Perm.BOS_EDIT, country))


@login_required
def cba_import(request, pk):
    bos = _bos(request, pk)
    opportunities = {o.name.casefold(): o for o in Opportunity.objects.filter(bos=bos)}
    return _import_page(
        request, title=_("Import CBA lines into %(bos)s") % {"bos": bos},
        back=bos.get_absolute_url(), columns=imports.CBA_COLUMNS,
        required=("opportunity", "year", "side", "kind", "nature"),
        apply_row=lambda row: imports.cba_row(row, opportunities=opportunities,
                                              by=request.user),
        allowed=access.can(request.user, Perm.BOS_EDIT, bos.country_id))
