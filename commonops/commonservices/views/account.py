"""The overview, allocation, statements, the annual report and imports of the common-service
account (S1–S5)."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonops.commonservices import actions, forms, imports, queries, reports
from commonops.commonservices.models import (
    Agreement,
    CommonService,
    CostSharingKey,
)
from commonops.core import access
from commonops.core.models import Agency, today_in
from commonops.core.roles import Perm

# --- helpers ----------------------------------------------------------------------------------


def _year(request, default=None) -> int:
    try:
        year = int(request.GET.get("year") or default
                   or today_in(getattr(request, "country", None)).year)
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _country(request):
    country = getattr(request, "country", None)
    if country is None:
        raise Http404
    return country


def _bad(request, template, context, error: ValidationError):
    context["errors"] = error.messages
    return render(request, template, context, status=400)


# --- overview ---------------------------------------------------------------------------------


@login_required
def overview(request):
    """The common-services home of the current country: the year's services with budget
    vs actual (S3), and what needs attention (S2)."""
    country = _country(request)
    year = _year(request)
    today = country.today()
    rows = queries.services_year(request.user, country=country, year=year, today=today)
    threshold = actions.mou_threshold_usd()
    contracts = queries.contracts_for(request.user, country)
    return render(request, "commonservices/overview.html", {
        "country": country, "year": year, "rows": rows, "threshold": threshold,
        "period": rows[0].period if rows else None,
        "uncovered": list(queries.uncovered_contracts(contracts, threshold)),
        "expiring_agreements": list(queries.expiring(
            queries.agreements_for(request.user, country), today=today, days=90)),
        "expiring_contracts": list(queries.expiring(contracts, today=today, days=90)),
        "years": range(year - 2, year + 2),
    })


# --- allocation (S1) --------------------------------------------------------------------------


@login_required
def key_percentages(request, pk):
    key = access.get_visible_or_404(CostSharingKey.objects.select_related("service"),
                                    request.user, pk=pk)
    if not access.can_manage(request.user, key):
        raise PermissionDenied
    form = forms.PercentagesForm(request.POST or None, key=key)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.key_set_percentages(key=key, percentages=form.percentages(),
                                            by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved the percentages."))
                return HttpResponseRedirect(key.get_absolute_url())
        status = 400
    return render(request, "commonservices/key_percentages.html",
                  {"key": key, "form": form}, status=status)


@login_required
def allocation_add(request):
    """S1: allocate a service's budget of a year (the same action as the key page)."""
    country = _country(request)
    if not access.can(request.user, Perm.ALLOCATE_COSTS, country):
        raise PermissionDenied
    form = forms.AllocateForm(request.POST or None, country=country,
                              initial={"year": _year(request)})
    if request.method == "POST" and form.is_valid():
        try:
            allocation = actions.allocation_allocate(
                service=form.cleaned_data["service"], year=form.cleaned_data["year"],
                by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Allocated."))
            return HttpResponseRedirect(allocation.get_absolute_url())
    return render(request, "commonservices/allocation_add.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


# --- statements (S4) --------------------------------------------------------------------------


@login_required
def statement_index(request):
    country = _country(request)
    year = _year(request)
    return render(request, "commonservices/statement_index.html", {
        "country": country, "year": year, "years": range(year - 2, year + 2),
        "agencies": queries.statement_agencies(request.user, country=country, year=year)})


def _statement(request, agency_id, year):
    country = _country(request)
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None or not 2000 <= year <= 2100:
        raise Http404
    statement = queries.statement(request.user, country=country, agency=agency, year=year)
    if not statement.lines and not statement.payments:
        raise Http404  # the agency has no account with this country team that year
    return statement


@login_required
def statement_page(request, agency_id, year):
    statement = _statement(request, agency_id, year)
    return render(request, "commonservices/statement.html", {"statement": statement})


@login_required
def statement_pdf(request, agency_id, year):
    statement = _statement(request, agency_id, year)
    response = HttpResponse(reports.statement_pdf(statement), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="statement-{statement.agency.acronym}-{year}.pdf"')
    return response


@login_required
def statement_xlsx(request, agency_id, year):
    return reports.statement_xlsx(_statement(request, agency_id, year))


# --- annual report (S3, B7) -------------------------------------------------------------------


def _report(request, year):
    if not 2000 <= year <= 2100:
        raise Http404
    country = _country(request)
    return queries.annual_report(request.user, country=country, year=year,
                                 today=country.today())


@login_required
def annual_report(request, year):
    report = _report(request, year)
    return render(request, "commonservices/annual_report.html", {
        "report": report, "years": range(year - 2, year + 2),
        "chart": reports.budget_chart(report)})


@login_required
def annual_report_pdf(request, year):
    report = _report(request, year)
    response = HttpResponse(reports.annual_report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="common-services-{year}.pdf"'
    return response


@login_required
def annual_report_xlsx(request, year):
    return reports.annual_report_xlsx(_report(request, year))


# --- imports (S1, S3) -------------------------------------------------------------------------

_SESSION_KEY = "commonservices_import"


@login_required
def import_index(request):
    country = _country(request)
    if not access.can(request.user, Perm.MANAGE_COMMON_SERVICES, country):
        raise PermissionDenied
    return render(request, "commonservices/import_index.html", {"specs": imports.SPECS})


@login_required
def import_page(request, kind):
    """Upload → preview (nothing saved) → commit; all or nothing, errors by row."""
    spec = imports.SPECS.get(kind)
    if spec is None:
        raise Http404
    country = _country(request)
    if not access.can(request.user, Perm.MANAGE_COMMON_SERVICES, country):
        raise PermissionDenied
    context = {"kind": kind, "spec": spec, "country": country, "form": forms.ImportForm()}
    if request.method != "POST":
        return render(request, "commonservices/import.html", context)
    if "commit" in request.POST:
        stored = request.session.get(_SESSION_KEY) or {}
        if stored.get("kind") != kind or stored.get("token") != request.POST.get("token"):
            context["errors"] = [_("The preview has expired: upload the file again.")]
            return render(request, "commonservices/import.html", context, status=400)
        name, data = stored["name"], base64.b64decode(stored["data"])
        commit = True
    else:
        form = forms.ImportForm(request.POST, request.FILES)
        context["form"] = form
        if not form.is_valid():
            return render(request, "commonservices/import.html", context, status=400)
        upload = form.cleaned_data["upload"]
        name, data = upload.name, upload.read()
        commit = False
    try:
        result = imports.run(kind, name=name, data=data, country=country, by=request.user,
                             commit=commit)
    except imports.TableError as error:
        context["errors"] = [str(error)]
        return render(request, "commonservices/import.html", context, status=400)
    context["result"] = result
    if not result.ok:
        request.session.pop(_SESSION_KEY, None)
        return render(request, "commonservices/import.html", context, status=400)
    if commit:
        request.session.pop(_SESSION_KEY, None)
        messages.success(request, _("Imported %(count)d rows.") % {"count": result.rows})
        return HttpResponseRedirect(reverse(spec.list_url))
    token = base64.urlsafe_b64encode(str(timezone.now().timestamp()).encode()).decode()
    request.session[_SESSION_KEY] = {"kind": kind, "token": token, "name": name,
                                     "data": base64.b64encode(data).decode()}
    context["token"] = token
    return render(request, "commonservices/import.html", context)


@login_required
@require_POST
def service_kpis(request, pk):
    service = access.get_visible_or_404(CommonService.objects.all(), request.user, pk=pk)
    if not access.can(request.user, Perm.MANAGE_INDICATORS, service.country_id):
        raise PermissionDenied
    try:
        created = actions.service_kpis_create(service=service, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Added %(count)d KPIs.") % {"count": len(created)})
    return HttpResponseRedirect(service.get_absolute_url())


@login_required
def agreement_signed_copy(request, pk):
    """S2: the signed copy of an agreement, through the documents' check (D1)."""
    from commonops.documents.classification import stored_file_response

    agreement = access.get_visible_or_404(Agreement.objects.all(), request.user, pk=pk)
    if not agreement.signed_file:
        raise Http404
    return stored_file_response(request, agreement, agreement.signed_file,
                                agreement.signed_file.name.rsplit("/", 1)[-1])
