"""Pages of the Performance area: the country, regional, HQ and agency dashboards, the
comparison, management reports (page, PDF, XLSX; those over many countries prepared in the
background), subscriptions, and administrative budgets with their import.

Access: a country page needs a role in the country (or above it), a region page a role in
the region (or everywhere), the HQ page a role everywhere; anything else is 404. Every
figure comes from `reports.queries`; every table and chart from `reports.sections`.
"""

import base64
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L
from django.views.decorators.http import require_POST

from commonops.bos.models import BosStatus
from commonops.core import access, charts
from commonops.core.generic import ObjectPages, is_htmx
from commonops.core.models import Agency, Country, Typology
from commonops.core.roles import Perm
from commonops.reports import actions, documents, filters, forms, imports, queries, rules
from commonops.reports import sections as s
from commonops.reports.models import (
    AdminBudget,
    ReportKind,
    ReportRun,
    RunStatus,
    Subscription,
)

MAX_COMPARED = 8


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _default_year(country=None) -> int:
    today = country.today() if country is not None else timezone.localdate()
    return rules.reporting_year(today)


def _years(year: int) -> list[int]:
    last = max(year, timezone.localdate().year)
    return list(range(last, last - 12, -1))


def _exported(request, sections_, *, filename, document=None, country=None):
    """?export=csv&table=… (one table) or ?export=xlsx (all): None when not asked for."""
    kind = request.GET.get("export")
    if kind not in ("csv", "xlsx"):
        return None
    if not access.can(request.user, Perm.EXPORT, country):
        raise PermissionDenied
    if kind == "xlsx":
        return documents.xlsx_download(document or s.Document(filename, "", sections_,
                                                              filename))
    wanted = request.GET.get("table")
    for section in sections_:
        if section.table.key == wanted:
            return documents.csv_download(section, filename)
    raise Http404


def _subscribe_form(kind, *, country=None, region=None, agency=None):
    return forms.SubscriptionForm(initial={
        "kind": kind, "country": getattr(country, "pk", None),
        "region": getattr(region, "pk", None), "agency": getattr(agency, "pk", None),
        "frequency": "monthly", "file_format": "pdf"})


# --- home --------------------------------------------------------------------------------------


@login_required
def index(request):
    """Where the Performance area starts: the dashboards this person may open."""
    user = request.user
    return render(request, "reports/index.html", {
        "countries": access.visible_countries(user).select_related("region")
        .order_by("name")[:200],
        "regions": queries.regions_for(user) if access.can(user, Perm.COMPARE_COUNTRIES)
        else [],
        "global": queries.sees_everything(user),
        "compares": access.can(user, Perm.COMPARE_COUNTRIES),
        "year": _default_year(getattr(request, "country", None)),
    })


@login_required
def country_home(request):
    country = getattr(request, "country", None)
    if country is None:
        return HttpResponseRedirect(reverse("reports:index"))
    return HttpResponseRedirect(reverse("reports:country", args=[country.pk]))


# --- the country dashboard and annual report ---------------------------------------------------


def _country_document(request, pk):
    country = queries.country_or_404(request.user, pk)
    year = _year(request, _default_year(country))
    dashboard = queries.country_dashboard(country, year=year)
    bos_by_year = queries.bos_by_year(country, [row.key for row in dashboard.years])
    return country, year, dashboard, documents.country_document(dashboard,
                                                                bos_by_year=bos_by_year)


@login_required
def country_dashboard(request, pk):
    country, year, dashboard, document = _country_document(request, pk)
    exported = _exported(request, document.sections, document=document, country=country,
                         filename=document.filename)
    if exported is not None:
        return exported
    return render(request, "reports/country.html", {
        "country": country, "year": year, "years": _years(year), "d": dashboard,
        "sections": document.sections, "query": urlencode({"year": year}),
        "can_export": access.can(request.user, Perm.EXPORT, country),
        "compares": access.can(request.user, Perm.COMPARE_COUNTRIES),
    })


@login_required
def country_report(request, pk):
    country, year, _dashboard, document = _country_document(request, pk)
    fmt = request.GET.get("format")
    if fmt == "pdf":
        return documents.pdf_download(document.filename, documents.render_pdf(document))
    if fmt == "xlsx":
        return documents.xlsx_download(document)
    return _document_page(request, document, year=year, kind=ReportKind.COUNTRY,
                          country=country, background=False)


@login_required
def country_bos_results(request, pk):
    """B5–B7 as JSON for a results-reporting system."""
    country = queries.country_or_404(request.user, pk)
    if not access.can(request.user, Perm.EXPORT, country):
        raise PermissionDenied
    response = HttpResponse(json.dumps(queries.bos_results(country), indent=2),
                            content_type="application/json")
    response["Content-Disposition"] = (f'attachment; filename="bos-results-'
                                       f'{country.iso_code}.json"')
    return response


# --- regions, HQ, comparison -----------------------------------------------------------------


def _overview_context(request, *, region=None, hq=False):
    user = request.user
    year = _year(request, _default_year())
    typology = request.GET.get("typology", "")
    typology = typology if typology in Typology.values else ""
    stage = request.GET.get("stage", "")
    stage = stage if stage in [*BosStatus.values, "none"] else ""
    # a ranking by realised cost avoidance unless the person sorts by another column
    sort = request.GET.get("sort", "realised")
    descending = request.GET.get("desc", "" if "sort" in request.GET else "1") == "1"
    countries = queries.comparable_countries(user)
    region_filter = region
    if hq and request.GET.get("region"):
        region_filter = queries.regions_for(user).filter(pk=request.GET["region"]).first() \
            if request.GET["region"].isdigit() else None
    overview = queries.overview(countries, year=year, region=region_filter, typology=typology,
                                stage=stage, sort=sort, descending=descending)
    sections_ = s.overview_sections(overview, hq=hq)
    params = {"year": year, "typology": typology, "stage": stage,
              "region": region_filter.pk if hq and region_filter else ""}
    table = sections_[0].table
    table.header_urls = []
    for key in table.sort_keys:
        if key is None:
            table.header_urls.append("")
            continue
        flip = "1" if key == overview.sort and not descending else ""
        if key != overview.sort and key != "name":
            flip = "1"  # figures sort highest first on the first click
        table.header_urls.append("?" + urlencode({k: v for k, v in {
            **params, "sort": key, "desc": flip}.items() if v not in ("", None)}))
    return {
        "overview": overview, "sections": sections_, "year": year, "years": _years(year),
        "typology": typology, "stage": stage, "typologies": Typology.choices,
        "stages": [*BosStatus.choices, ("none", _("No BOS"))],
        "query": urlencode({k: v for k, v in params.items() if v not in ("", None)}),
        "can_export": access.can(user, Perm.EXPORT),
        "region_filter": region_filter,
    }


@login_required
def region_index(request):
    if not access.can(request.user, Perm.COMPARE_COUNTRIES):
        raise Http404
    return render(request, "reports/region_index.html", {
        "regions": queries.regions_for(request.user),
        "year": _default_year(), "global": queries.sees_everything(request.user)})


@login_required
def region_page(request, pk):
    region = queries.region_or_404(request.user, pk)
    context = _overview_context(request, region=region)
    exported = _exported(request, context["sections"],
                         filename=f"region-{region.code}-{context['year']}")
    if exported is not None:
        return exported
    return render(request, "reports/overview.html", {**context, "region": region,
                                                     "hq": False})


@login_required
def hq_page(request):
    queries.require_global(request.user)
    context = _overview_context(request, hq=True)
    exported = _exported(request, context["sections"],
                         filename=f"all-country-teams-{context['year']}")
    if exported is not None:
        return exported
    return render(request, "reports/overview.html", {
        **context, "region": None, "hq": True, "regions": queries.regions_for(request.user)})


@login_required
def compare(request):
    """Chosen country teams side by side (ticked on a regional or HQ page)."""
    if not access.can(request.user, Perm.COMPARE_COUNTRIES):
        raise Http404
    year = _year(request, _default_year())
    ids = [int(v) for v in request.GET.getlist("country") if v.isdigit()][:MAX_COMPARED]
    countries = queries.comparable_countries(request.user).filter(pk__in=ids)
    overview = queries.overview(countries, year=year, sort="realised", descending=True)
    rows = overview.rows
    figures = [
        (_("Region"), [r.country.region.name for r in rows], "text"),
        (_("Typology"), [r.country.get_typology_display() for r in rows], "text"),
        (_("BOS stage"), [r.bos_stage for r in rows], "text"),
        (_("Services in the catalogue"), [r.catalogue for r in rows], "count"),
        (_("New services"), [r.new_services for r in rows], "count"),
        (_("Estimated cost avoidance (USD)"), [r.estimated for r in rows], "money"),
        (_("Realised cost avoidance (USD)"), [r.realised for r in rows], "money"),
        (_("Administrative budgets (USD)"), [r.baseline for r in rows], "money"),
        (_("Savings rate"), [r.savings_rate for r in rows], "percent"),
        (_("Desk: resolved on time"), [r.resolution_on_time for r in rows], "percent"),
    ]
    table = s.Table("comparison", [_("Figure")] + [r.country.name for r in rows],
                    [[s.text(label)] + [s.Cell(v, kind) for v in values]
                     for label, values, kind in figures])
    chart = charts.bar_chart(
        title=_("Cost avoidance of the compared country teams, %(year)s") % {"year": year},
        unit="USD", labels=[r.country.name for r in rows],
        series=[charts.Series(_("Estimated"), [r.estimated for r in rows]),
                charts.Series(_("Realised"), [r.realised for r in rows])])
    section = s.Section("comparison", _("Comparison, %(year)s") % {"year": year}, table,
                        chart)
    exported = _exported(request, [section], filename=f"comparison-{year}")
    if exported is not None:
        return exported
    return render(request, "reports/compare.html", {
        "sections": [section], "rows": rows, "year": year, "years": _years(year),
        "query": urlencode([("year", year)] + [("country", r.country.pk) for r in rows]),
        "can_export": access.can(request.user, Perm.EXPORT), "max": MAX_COMPARED})


# --- agencies ----------------------------------------------------------------------------------


@login_required
def agency_index(request):
    queries.agency_countries(request.user)  # 404 unless the person compares countries
    return render(request, "reports/agency_index.html", {
        "agencies": Agency.objects.order_by("acronym"), "year": _default_year()})


def _agency_overview(request, pk):
    countries = queries.agency_countries(request.user)
    agency = Agency.objects.filter(pk=pk).first()
    if agency is None:
        raise Http404
    year = _year(request, _default_year())
    return queries.agency_overview(countries, agency=agency, year=year)


@login_required
def agency_page(request, pk):
    overview = _agency_overview(request, pk)
    sections_ = s.agency_sections(overview)
    exported = _exported(request, sections_,
                         filename=f"agency-{overview.agency.acronym}-{overview.year}")
    if exported is not None:
        return exported
    return render(request, "reports/agency.html", {
        "a": overview, "sections": sections_, "year": overview.year,
        "years": _years(overview.year), "query": urlencode({"year": overview.year}),
        "can_export": access.can(request.user, Perm.EXPORT)})


# --- management reports over many countries ---------------------------------------------------


def _document_page(request, document, *, year, kind, background, country=None, region=None,
                   agency=None, status=200, errors=None):
    scope = {"country": country, "region": region, "agency": agency}
    runs = ReportRun.objects.visible_to(request.user).filter(kind=kind, year=year, **scope)[:5]
    return render(request, "reports/document.html", {
        "document": document, "sections": document.sections, "year": year,
        "years": _years(year), "kind": kind, "background": background,
        "subject": country or region or agency, "runs": runs, "errors": errors or [],
        "subscribe_form": _subscribe_form(kind, **scope),
        "start_url": reverse("reports:run_start"),
        **{f"{name}_id": getattr(value, "pk", "") for name, value in scope.items()},
    }, status=status)


@login_required
def region_report(request, pk):
    region = queries.region_or_404(request.user, pk)
    year = _year(request, _default_year())
    document = documents.build(ReportKind.REGION, user=request.user, year=year,
                               region=region)
    return _document_page(request, document, year=year, kind=ReportKind.REGION,
                          region=region, background=True)


@login_required
def global_report(request):
    queries.require_global(request.user)
    year = _year(request, _default_year())
    document = documents.build(ReportKind.GLOBAL, user=request.user, year=year)
    return _document_page(request, document, year=year, kind=ReportKind.GLOBAL,
                          background=True)


@login_required
def agency_report(request, pk):
    overview = _agency_overview(request, pk)
    document = documents.agency_document(overview)
    return _document_page(request, document, year=overview.year, kind=ReportKind.AGENCY,
                          agency=overview.agency, background=True)


def _subject(data):
    """The country, region or agency named by a posted report form (ids), or 404."""
    def one(model, name):
        value = data.get(name) or ""
        if not value:
            return None
        if not str(value).isdigit():
            raise Http404
        found = model.objects.filter(pk=value).first()
        if found is None:
            raise Http404
        return found

    from commonops.core.models import Region

    return {"country": one(Country, "country"), "region": one(Region, "region"),
            "agency": one(Agency, "agency")}


@login_required
@require_POST
def run_start(request):
    """Prepare a report's PDF and XLSX in the background; follow it on the run's page."""
    kind = request.POST.get("kind")
    if kind not in ReportKind.values:
        raise Http404
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = _default_year()
    if not 2000 <= year <= 2100:
        year = _default_year()
    subject = _subject(request.POST)
    if not actions.may_see_report(request.user, kind=kind, **subject):
        raise Http404
    run = actions.report_run_start(by=request.user, kind=kind, year=year,
                                   language=get_language() or "en", **subject)
    return HttpResponseRedirect(run.get_absolute_url())


@login_required
def run_detail(request, pk):
    run = ReportRun.objects.visible_to(request.user).defer("pdf", "xlsx").filter(
        pk=pk).select_related("country", "region", "agency").first()
    if run is None:
        raise Http404
    template = "reports/_run_status.html" if is_htmx(request) else "reports/run.html"
    return render(request, template, {"run": run, "running": not run.finished})


@login_required
def run_file(request, pk, fmt):
    run = ReportRun.objects.visible_to(request.user).filter(pk=pk,
                                                           status=RunStatus.DONE).first()
    if run is None:
        raise Http404
    name = f"{slug_of(run)}-{run.year}"
    if fmt == "pdf":
        return documents.pdf_download(name, bytes(run.pdf))
    response = HttpResponse(bytes(run.xlsx), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def slug_of(run) -> str:
    from django.utils.text import slugify

    subject = run.country or run.region or run.agency
    code = getattr(subject, "iso_code", None) or getattr(subject, "code", None) or getattr(
        subject, "acronym", None) or "all"
    return slugify(f"{run.kind}-report-{code}")


# --- subscriptions ------------------------------------------------------------------------------


@login_required
def subscription_list(request):
    """The person's subscriptions; a report page's "Subscribe" form posts here."""
    user = request.user
    errors = []
    status = 200
    if request.method == "POST":
        form = forms.SubscriptionForm(request.POST, user=user)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in form.Meta.fields}
            data["language"] = get_language() or "en"
            try:
                subscription = actions.subscription_create(by=user, data=data)
            except ValidationError as error:
                errors = list(error.messages)
            else:
                messages.success(request, _("Subscribed: %(report)s.") % {
                    "report": subscription})
                return HttpResponseRedirect(reverse("reports:subscription_list"))
        else:
            errors = [e for field_errors in form.errors.values() for e in field_errors]
        status = 400
    return render(request, "reports/subscriptions.html", {
        "subscriptions": Subscription.objects.visible_to(user).select_related(
            "country", "region", "agency"),
        "errors": errors}, status=status)


@login_required
@require_POST
def subscription_delete(request, pk):
    subscription = Subscription.objects.visible_to(request.user).filter(pk=pk).first()
    if subscription is None:
        raise Http404
    actions.subscription_delete(subscription=subscription, by=request.user)
    messages.success(request, _("Unsubscribed: %(report)s.") % {"report": subscription})
    return HttpResponseRedirect(reverse("reports:subscription_list"))


# --- administrative budgets --------------------------------------------------------------------


class AdminBudgetPages(ObjectPages):
    """H2: the administrative budget of each agency, country and year."""

    model = AdminBudget
    namespace = "reports"
    name = "adminbudget"
    segment = "admin-budgets"
    filterset = filters.AdminBudgetFilterSet
    form = forms.AdminBudgetForm
    select_related = ("country", "agency")
    columns = [("agency", L("Agency")), ("year", L("Year")),
               ("amount", L("Administrative budget (USD)")), ("country", L("Country"))]
    detail_fields = ["country", "agency", "year", "amount", "source"]
    object_arg = "admin_budget"
    create_action = staticmethod(actions.admin_budget_create)
    update_action = staticmethod(actions.admin_budget_update)
    delete_action = staticmethod(actions.admin_budget_delete)

    @classmethod
    def queryset(cls, request):
        return super().queryset(request).order_by("-year", "country__name",
                                                  "agency__acronym")


_SESSION_KEY = "reports_import"


@login_required
def admin_budget_import(request):
    """Upload → preview (nothing saved) → commit; all or nothing, errors by row."""
    if not access.can(request.user, Perm.MANAGE_BASELINES):
        raise PermissionDenied
    context = {"form": forms.ImportForm(), "columns": imports.COLUMNS.values()}
    if request.method != "POST":
        return render(request, "reports/import.html", context)
    if "commit" in request.POST:
        stored = request.session.get(_SESSION_KEY) or {}
        if stored.get("token") != request.POST.get("token"):
            context["errors"] = [_("The preview has expired: upload the file again.")]
            return render(request, "reports/import.html", context, status=400)
        name, data = stored["name"], base64.b64decode(stored["data"])
        commit = True
    else:
        form = forms.ImportForm(request.POST, request.FILES)
        context["form"] = form
        if not form.is_valid():
            return render(request, "reports/import.html", context, status=400)
        upload = form.cleaned_data["upload"]
        name, data = upload.name, upload.read()
        commit = False
    try:
        result = imports.run(name=name, data=data, by=request.user, commit=commit)
    except imports.TableError as error:
        context["errors"] = [str(error)]
        return render(request, "reports/import.html", context, status=400)
    context["result"] = result
    if not result.ok:
        request.session.pop(_SESSION_KEY, None)
        return render(request, "reports/import.html", context, status=400)
    if commit:
        request.session.pop(_SESSION_KEY, None)
        messages.success(request, _("Imported %(count)d rows.") % {"count": result.rows})
        return HttpResponseRedirect(reverse("reports:adminbudget_list"))
    token = base64.urlsafe_b64encode(str(timezone.now().timestamp()).encode()).decode()
    request.session[_SESSION_KEY] = {"token": token, "name": name,
                                     "data": base64.b64encode(data).decode()}
    context["token"] = token
    return render(request, "reports/import.html", context)
