"""Pages of common services (S1–S5).

Every page needs a login; rows are scoped with `visible_to` / `get_visible_or_404`, so an
outsider gets 404; writes need the permission (403 otherwise) and call one function of
commonservices/actions.py. An action's ValidationError is shown with status 400 and nothing
changes. Catalogue, agreements, contracts, budgets, keys, inputs, expenditures, payments and
premises use the generic `ObjectPages`; allocation, statements, the annual report and
imports are workflow pages of their own.
"""

import base64
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L
from django.views.decorators.http import require_POST

from commonops.commonservices import actions, filters, forms, imports, queries, reports, rules
from commonops.commonservices.models import (
    Agreement,
    Allocation,
    BudgetLine,
    CommonService,
    Contract,
    CostSharingKey,
    ExchangeRate,
    Expenditure,
    Headcount,
    KeyMethod,
    Occupancy,
    Payment,
    Premises,
    Usage,
)
from commonops.core import access
from commonops.core.generic import EditView, ObjectPages
from commonops.core.models import Agency
from commonops.core.roles import Perm


def _save_with(action, name):
    """An ObjectPages create/update pair calling `action(by=, data=, <name>=instance)`."""

    def create(*, by, data):
        return action(by=by, data=data)

    def update(*, instance, by, data):
        return action(by=by, data=data, **{name: instance})

    return staticmethod(create), staticmethod(update)


def _delete_with(action, name):
    return staticmethod(lambda *, instance, by: action(by=by, **{name: instance}))


class _Pages(ObjectPages):
    namespace = "commonservices"


class _RecentFirstPages(_Pages):
    """Lists of many yearly rows show the most recently entered first (filters narrow them
    by service, agency and year)."""

    @classmethod
    def queryset(cls, request):
        return super().queryset(request).order_by("-updated_at", "-pk")


class CommonServicePages(_Pages):
    """S1: the catalogue of common services."""

    model = CommonService
    name = "service"
    segment = "catalogue"
    filterset = filters.CommonServiceFilterSet
    form = forms.CommonServiceForm
    select_related = ("country", "opportunity", "stocktake_entry")
    columns = [("name", L("Name")), ("service_line", L("Service line")),
               ("modality", L("Modality")), ("status", L("Status")),
               ("start_date", L("Since")), ("country", L("Country"))]
    detail_fields = ["country", "name", "service_line", "description", "modality",
                     "start_date", "status"]
    detail_template = "commonservices/service_detail.html"
    create_action, update_action = _save_with(actions.service_save, "service")
    delete_action = _delete_with(actions.service_delete, "service")

    @classmethod
    def detail_context(cls, request, obj):
        year = _year(request)
        kpis = queries.kpis_by_service([obj], year=year).get(obj.pk, [])
        return {
            "year": year,
            "providers": obj.provider_agencies.all(),
            "clients": obj.client_agencies.all(),
            "links": [(capfirst(obj._meta.get_field(n).verbose_name), getattr(obj, n))
                      for n in ("opportunity", "stocktake_entry") if hasattr(obj, n)],
            "kpis": kpis,
            "can_add_kpis": access.can(request.user, Perm.MANAGE_INDICATORS, obj.country_id)
            and len({k.indicator.kind for k in kpis} & {"cost_avoidance", "quality"}) < 2,
            "keys": obj.keys.order_by("-year"),
            "allocations": obj.allocations.order_by("-year"),
            "budget_lines": obj.budget_lines.order_by("-year", "line"),
            "agreements": obj.agreements.order_by("-ends_on"),
        }


class FileEditView(EditView):
    """The generic edit page with a file upload (the agreement's signed copy)."""

    template_name = "commonservices/object_edit.html"

    def post(self, request, pk=None):
        request.POST = request.POST.copy()
        original = self.pages.form

        class WithFiles(original):
            def __init__(self, data=None, *args, **kwargs):
                super().__init__(data, request.FILES or None, *args, **kwargs)

        self.pages = type(self.pages.__name__, (self.pages,), {"form": WithFiles})
        return super().post(request, pk)


class AgreementPages(_Pages):
    """S2: MOUs and SLAs."""

    model = Agreement
    name = "agreement"
    segment = "agreements"
    filterset = filters.AgreementFilterSet
    form = forms.AgreementForm
    select_related = ("country", "provider")
    columns = [("title", L("Title")), ("kind", L("Kind")), ("provider", L("Provider")),
               ("starts_on", L("From")), ("ends_on", L("To")), ("country", L("Country"))]
    detail_fields = ["country", "kind", "title", "provider", "starts_on", "ends_on",
                     "cost_sharing_key", "performance_metrics"]
    detail_template = "commonservices/agreement_detail.html"
    create_action, update_action = _save_with(actions.agreement_save, "agreement")
    delete_action = _delete_with(actions.agreement_delete, "agreement")

    @classmethod
    def urls(cls):
        patterns = super().urls()
        for i, url in enumerate(patterns):
            if url.name.endswith(("_add", "_edit")):
                patterns[i] = path(str(url.pattern), FileEditView.as_view(pages=cls),
                                   name=url.name)
        return patterns

    @classmethod
    def detail_context(cls, request, obj):
        return {"parties": obj.parties.all(), "services": obj.services.all(),
                "contracts": obj.contracts.all(),
                "expiry": rules.expiry_state(obj.ends_on, timezone.localdate())}


class ContractPages(_Pages):
    """S2: contracts, with the MOU-coverage check."""

    model = Contract
    name = "contract"
    segment = "contracts"
    filterset = filters.ContractFilterSet
    form = forms.ContractForm
    select_related = ("country", "agreement")
    columns = [("reference", L("Reference")), ("vendor", L("Vendor")),
               ("value_usd", L("Value (USD)")), ("ends_on", L("To")),
               ("agreement", L("Covering MOU")), ("country", L("Country"))]
    detail_fields = ["country", "reference", "vendor", "description", "value", "currency",
                     "value_usd", "starts_on", "ends_on", "agreement"]
    detail_template = "commonservices/contract_detail.html"
    create_action, update_action = _save_with(actions.contract_save, "contract")
    delete_action = _delete_with(actions.contract_delete, "contract")

    @classmethod
    def detail_context(cls, request, obj):
        threshold = actions.mou_threshold_usd()
        return {"services": obj.services.all(), "threshold": threshold,
                "uncovered": rules.is_uncovered(obj.value_usd, obj.agreement_id is not None,
                                                threshold),
                "expiry": rules.expiry_state(obj.ends_on, timezone.localdate())}


class ExchangeRatePages(_Pages):
    """S3: the UN operational rates of exchange (kept by the administrator)."""

    model = ExchangeRate
    name = "exchangerate"
    segment = "exchange-rates"
    filterset = filters.ExchangeRateFilterSet
    form = forms.ExchangeRateForm
    columns = [("currency", L("Currency")), ("month", L("Month")), ("rate", L("Units per USD"))]
    detail_fields = ["currency", "month", "rate"]


class BudgetLinePages(_RecentFirstPages):
    """S1: yearly budgets by line."""

    model = BudgetLine
    name = "budgetline"
    segment = "budgets"
    filterset = filters.BudgetLineFilterSet
    form = forms.BudgetLineForm
    select_related = ("service", "country")
    columns = [("service", L("Service")), ("year", L("Year")), ("line", L("Budget line")),
               ("amount", L("Amount (USD)")), ("country", L("Country"))]
    detail_fields = ["service", "year", "line", "amount"]
    create_action, update_action = _save_with(actions.budget_line_save, "budget_line")
    delete_action = _delete_with(actions.budget_line_delete, "budget_line")


class CostSharingKeyPages(_RecentFirstPages):
    """S1: the key per service and year."""

    model = CostSharingKey
    name = "costsharingkey"
    segment = "keys"
    filterset = filters.CostSharingKeyFilterSet
    form = forms.CostSharingKeyForm
    select_related = ("service", "country", "premises")
    columns = [("service", L("Service")), ("year", L("Year")), ("method", L("Method")),
               ("country", L("Country"))]
    detail_fields = ["service", "year", "method", "usage_source", "usage_unit", "premises"]
    detail_template = "commonservices/key_detail.html"
    create_action, update_action = _save_with(actions.key_save, "key")
    delete_action = _delete_with(actions.key_delete, "key")

    @classmethod
    def detail_context(cls, request, obj):
        clients = list(obj.service.client_agencies.order_by("acronym"))
        try:
            weights = queries.key_weights(obj, clients)
            problem = None
        except ValidationError as error:
            weights, problem = {}, " ".join(error.messages)
        allocation = Allocation.objects.filter(service=obj.service, year=obj.year).first()
        return {
            "weights": [(a, weights.get(a)) for a in clients],
            "problem": problem,
            "is_fixed": obj.method == KeyMethod.FIXED,
            "allocation": allocation,
            "can_allocate": access.can(request.user, Perm.ALLOCATE_COSTS, obj.country_id),
        }


class HeadcountPages(_RecentFirstPages):
    model = Headcount
    name = "headcount"
    segment = "headcounts"
    filterset = filters.HeadcountFilterSet
    form = forms.HeadcountForm
    select_related = ("agency", "country")
    columns = [("agency", L("Agency")), ("year", L("Year")), ("headcount", L("Headcount")),
               ("country", L("Country"))]
    detail_fields = ["country", "agency", "year", "headcount"]
    create_action, update_action = _save_with(actions.headcount_save, "headcount")
    delete_action = _delete_with(actions.headcount_delete, "headcount")


class UsagePages(_RecentFirstPages):
    model = Usage
    name = "usage"
    segment = "usage"
    filterset = filters.UsageFilterSet
    form = forms.UsageForm
    select_related = ("service", "agency", "country")
    columns = [("service", L("Service")), ("agency", L("Agency")), ("year", L("Year")),
               ("units", L("Units")), ("country", L("Country"))]
    detail_fields = ["service", "agency", "year", "units"]
    create_action, update_action = _save_with(actions.usage_save, "usage")
    delete_action = _delete_with(actions.usage_delete, "usage")


class AllocationPages(_RecentFirstPages):
    """S1: allocations are made and recomputed on their own pages, never edited."""

    model = Allocation
    name = "allocation"
    segment = "allocations"
    filterset = filters.AllocationFilterSet
    form = None
    select_related = ("service", "country", "computed_by")
    columns = [("service", L("Service")), ("year", L("Year")), ("method", L("Method")),
               ("total", L("Budget shared (USD)")), ("revision", L("Revision")),
               ("computed_at", L("Computed")), ("country", L("Country"))]
    detail_fields = ["service", "year", "method", "total", "revision", "computed_at",
                     "computed_by"]
    detail_template = "commonservices/allocation_detail.html"

    @classmethod
    def urls(cls):
        # Made with the allocate form (allocation_add) and recomputed; never edited.
        return [url for url in super().urls() if url.name.endswith(("_list", "_detail"))]

    @classmethod
    def detail_context(cls, request, obj):
        inputs = obj.inputs or {}
        return {
            "shares": obj.shares.select_related("agency"),
            "budget_lines": sorted((inputs.get("budget_lines") or {}).items()),
            "changed": queries.inputs_changed(obj),
            "can_allocate": access.can(request.user, Perm.ALLOCATE_COSTS, obj.country_id),
        }


class ExpenditurePages(_RecentFirstPages):
    model = Expenditure
    name = "expenditure"
    segment = "expenditures"
    filterset = filters.ExpenditureFilterSet
    form = forms.ExpenditureForm
    select_related = ("service", "country")
    columns = [("spent_on", L("Date")), ("service", L("Service")),
               ("budget_line", L("Budget line")), ("amount_local", L("Amount")),
               ("currency", L("Currency")), ("amount_usd", L("Amount (USD)")),
               ("country", L("Country"))]
    detail_fields = ["service", "spent_on", "budget_line", "description", "amount_local",
                     "currency", "rate", "amount_usd"]
    create_action, update_action = _save_with(actions.expenditure_save, "expenditure")
    delete_action = _delete_with(actions.expenditure_delete, "expenditure")


class PaymentPages(_RecentFirstPages):
    model = Payment
    name = "payment"
    segment = "payments"
    filterset = filters.PaymentFilterSet
    form = forms.PaymentForm
    select_related = ("agency", "country")
    columns = [("received_on", L("Received")), ("agency", L("Agency")), ("year", L("Year")),
               ("amount", L("Amount (USD)")), ("reference", L("Reference")),
               ("country", L("Country"))]
    detail_fields = ["country", "agency", "year", "received_on", "amount", "reference"]
    create_action, update_action = _save_with(actions.payment_save, "payment")
    delete_action = _delete_with(actions.payment_delete, "payment")


class PremisesPages(_Pages):
    """S5: the premises register."""

    model = Premises
    name = "premises"
    segment = "premises"
    filterset = filters.PremisesFilterSet
    form = forms.PremisesForm
    select_related = ("country",)
    columns = [("name", L("Name")), ("area_m2", L("Area (m²)")),
               ("desk_capacity", L("Desks")), ("desks_occupied", L("Occupied")),
               ("ownership", L("Ownership")), ("country", L("Country"))]
    detail_fields = ["country", "name", "address", "area_m2", "desk_capacity",
                     "desks_occupied", "ownership"]
    detail_template = "commonservices/premises_detail.html"
    create_action, update_action = _save_with(actions.premises_save, "premises")
    delete_action = _delete_with(actions.premises_delete, "premises")

    @classmethod
    def detail_context(cls, request, obj):
        rows = list(obj.occupancies.select_related("agency"))
        return {"occupancies": rows,
                "occupied_area": sum((o.area_m2 for o in rows), 0)}


class OccupancyPages(_RecentFirstPages):
    model = Occupancy
    name = "occupancy"
    segment = "occupancies"
    filterset = filters.OccupancyFilterSet
    form = forms.OccupancyForm
    select_related = ("premises", "agency", "country")
    columns = [("premises", L("Premises")), ("agency", L("Agency")),
               ("area_m2", L("Area (m²)")), ("desks", L("Desks")), ("country", L("Country"))]
    detail_fields = ["premises", "agency", "area_m2", "desks"]
    create_action, update_action = _save_with(actions.occupancy_save, "occupancy")
    delete_action = _delete_with(actions.occupancy_delete, "occupancy")


PAGES = [CommonServicePages, AgreementPages, ContractPages, ExchangeRatePages,
         BudgetLinePages, CostSharingKeyPages, HeadcountPages, UsagePages, AllocationPages,
         ExpenditurePages, PaymentPages, PremisesPages, OccupancyPages]


# --- helpers ----------------------------------------------------------------------------------


def _year(request, default=None) -> int:
    try:
        year = int(request.GET.get("year") or default or timezone.localdate().year)
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


def _today(country):
    """The date in the country (S3 compares a year in progress up to its last month over)."""
    return timezone.localdate(timezone=ZoneInfo(country.time_zone))


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
    today = _today(country)
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
@require_POST
def key_allocate(request, pk):
    key = access.get_visible_or_404(CostSharingKey.objects.select_related("service"),
                                    request.user, pk=pk)
    try:
        allocation = actions.allocation_allocate(service=key.service, year=key.year,
                                                 by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(key.get_absolute_url())
    messages.success(request, _("Allocated %(service)s for %(year)s.")
                     % {"service": key.service, "year": key.year})
    return HttpResponseRedirect(allocation.get_absolute_url())


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


@login_required
@require_POST
def allocation_recompute(request, pk):
    allocation = access.get_visible_or_404(Allocation.objects.select_related("service"),
                                           request.user, pk=pk)
    try:
        actions.allocation_recompute(allocation=allocation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Recomputed from today's inputs."))
    return HttpResponseRedirect(allocation.get_absolute_url())


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
                                 today=_today(country))


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

