"""The BOS overview, prioritisation (B4), results framework (B5, B6), plan, annual report (B7)
and the BOS document."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L
from django.views.decorators.http import require_POST

from commonops.bos import actions, exports, forms, pdf, queries, rules
from commonops.bos.models import (
    Bos,
    BosStatus,
    CbaEntry,
    Opportunity,
    Outcome,
    StocktakeEntry,
)
from commonops.core import access
from commonops.core.charts import Series, bar_chart, line_chart
from commonops.core.generic import add_validation_errors
from commonops.core.roles import Perm
from commonops.core.spreadsheets import xlsx_response

# --- helpers ---------------------------------------------------------------------------------


def _bos(request, pk) -> Bos:
    return access.get_visible_or_404(Bos.objects.select_related("country"), request.user,
                                     pk=pk)


def this_year(bos: Bos) -> int:
    return bos.country.today().year


def _report_year(bos: Bos) -> int:
    """The year a page shows by default: this year within the cycle, else its edge."""
    return min(max(this_year(bos), bos.start_year), bos.end_year)


def cumulative_chart(summary, title):
    """B4: cost, benefit and cumulative net benefit per horizon year (line chart, USD)."""
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
                                            "cumulative net benefit by horizon year")),
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
                                             "horizon year")),
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
        "chart": bar_chart(title=_("Net benefit by opportunity"),
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
    year = year_param(request, bos)
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


def year_param(request, bos: Bos) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return _report_year(bos)
    return year if bos.start_year <= year <= bos.end_year else _report_year(bos)


@login_required
def report(request, pk):
    bos = _bos(request, pk)
    year = year_param(request, bos)
    data = queries.annual_report(bos, year=year, current_year=this_year(bos))
    return render(request, "bos/report.html", {
        "bos": bos, "year": year, "years": range(bos.start_year, bos.end_year + 1),
        "report": data,
        "can_edit": access.can(request.user, Perm.BOS_EDIT, bos.country_id),
        "can_report": access.can(request.user, Perm.BOS_EDIT, bos.country_id)
        and rules.may_report_results(bos.status),
        "can_export": access.can(request.user, Perm.EXPORT, bos.country_id),
        "chart": bar_chart(title=_("Estimated and realised cost avoidance by service, "
                                   "%(year)s") % {"year": year},
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
    year = year_param(request, bos)
    content = pdf.annual_report_pdf(bos, year=year, current_year=this_year(bos))
    return _pdf_response(content, f"bos-{bos.country.iso_code}-report-{year}.pdf")


@login_required
def report_xlsx(request, pk):
    bos = _bos(request, pk)
    _require_export(request, bos)
    year = year_param(request, bos)
    data = queries.annual_report(bos, year=year, current_year=this_year(bos))
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
