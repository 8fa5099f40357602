"""The Performance API: the dashboards' figures (the same `reports.queries` as the pages,
so the same numbers), a country's BOS results for results-reporting systems,
administrative budgets, subscriptions and reports prepared in the background.

Money is given as strings with two decimals, rates as strings with one, as elsewhere in
the API. Access is the pages': 404 outside the caller's scope.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from commonops.core import access
from commonops.core.api_base import ScopedModelSerializer, crud_viewset, router
from commonops.core.models import Agency
from commonops.core.roles import Perm
from commonops.reports import actions, queries, rules, views
from commonops.reports.models import AdminBudget, ReportKind, ReportRun, Subscription

YEAR = OpenApiParameter("year", int, description="The year (default: the last complete one)")
ID = OpenApiParameter("id", int, OpenApiParameter.PATH)


def _s(value):
    return None if value is None else str(value)


def figures_json(f) -> dict:
    return {
        "catalogue": f.catalogue, "new_services": f.new_services,
        "estimated_cost_avoidance": _s(f.estimated), "realised_cost_avoidance": _s(f.realised),
        "realised_with_baseline": _s(f.realised_with_baseline),
        "administrative_budgets": _s(f.baseline), "savings_rate": _s(f.savings_rate),
        "savings_target_met": f.savings_met, "tickets_resolved": f.resolved,
        "resolved_on_time": f.resolved_on_time, "resolution_measured": f.resolution_measured,
        "resolution_on_time_rate": _s(f.resolution_on_time),
    }


def agency_savings_json(a) -> dict:
    return {"agency": a.agency.acronym, "realised_cost_avoidance": _s(a.realised_with_baseline),
            "administrative_budget": _s(a.baseline), "savings_rate": _s(a.rate),
            "target_met": a.met, "realised_without_baseline": _s(a.without_baseline)}


def expansion_json(e) -> dict:
    return {"year": e.year, "countries": e.countries, "count": e.count, "met": e.met}


def overview_json(o) -> dict:
    return {
        "year": o.year, "region": o.region.code if o.region else None,
        "totals": {"country_teams": o.totals.countries, **figures_json(o.totals)},
        "countries": [{"id": r.country.pk, "iso_code": r.country.iso_code,
                       "name": r.country.name, "region": r.country.region.code,
                       "typology": r.country.typology, "bos_status": r.bos_status,
                       "rank": r.rank, **figures_json(r)} for r in o.rows],
        "regions": [{"region": r.region.code, "country_teams": r.countries,
                     "bos_signed_off": r.signed_off, "expansion": expansion_json(r.expansion),
                     **figures_json(r)} for r in o.regions],
        "expansion": [{**expansion_json(e.expansion),
                       "cumulative": {"countries": e.cumulative.countries,
                                      "target": e.cumulative.target,
                                      "met": e.cumulative.met}} for e in o.expansion],
        "savings_target": str(rules.SAVINGS_TARGET),
        "agencies": [agency_savings_json(a) for a in o.agencies],
        "typology": {value: n for value, _label, n in o.typology},
        "bos_stages": {value: n for value, _label, n in o.stages},
    }


def dashboard_json(d) -> dict:
    k, o = d.desk, d.omt
    return {
        "country": d.country.iso_code, "year": d.year,
        "bos": {"id": d.bos.pk, "status": d.bos.status} if d.bos else None,
        "cost_avoidance": {
            "estimated": _s(d.estimated), "realised": _s(d.realised),
            "by_year": [{"year": r.key, "estimated": _s(r.estimated),
                         "realised": _s(r.realised)} for r in d.years],
            "by_service_line": [{"service_line": r.key, "estimated": _s(r.estimated),
                                 "realised": _s(r.realised)} for r in d.lines]},
        "kpi_status": [{"area": a.key, "met": a.met, "progress": a.progress,
                        "not_met": a.not_met, "no_data": a.no_data,
                        "not_applicable": a.not_applicable} for a in d.kpis],
        "common_services": {
            "catalogue": d.catalogue, "new_services": d.new_services,
            "expansion_contribution": d.expansion_met, "budget": _s(d.budget),
            "expenditure": _s(d.expenditure), "execution_rate": _s(d.execution),
            "over_budget_deviation": d.variance.flagged,
            "client_satisfaction": _s(d.service_satisfaction),
            "scores": d.service_ratings},
        "service_desk": {
            "opened": k.opened, "resolved": k.resolved,
            "first_response_on_time": _s(k.first_response_compliance),
            "resolution_on_time": _s(k.resolution_compliance),
            "median_business_hours_to_resolve": k.median_hours,
            "reopen_rate": _s(k.reopen_rate), "satisfaction": _s(k.satisfaction),
            "open_now": d.backlog},
        "omt": {"meetings_per_month": o.meetings_per_month, "meetings_held": o.held,
                "months_without_meeting": o.months_without_meeting,
                "agendas_sent": o.agendas_sent, "agendas_on_time": o.agendas_on_time,
                "meetings_with_quorum": o.quorate, "minutes_circulated": o.minutes_circulated,
                "minutes_on_time": o.minutes_on_time, "overdue_actions": o.overdue_actions},
        "savings": {"agencies": [agency_savings_json(a) for a in d.savings],
                    "realised_cost_avoidance": _s(d.savings_totals.realised_with_baseline),
                    "administrative_budgets": _s(d.savings_totals.baseline),
                    "savings_rate": _s(d.savings_totals.savings_rate)},
    }


def agency_json(a) -> dict:
    return {
        "agency": a.agency.acronym, "year": a.year,
        "countries": [{"iso_code": r.country.iso_code, "name": r.country.name,
                       "presence": r.presence, "shares": _s(r.shares), "paid": _s(r.paid),
                       "realised_cost_avoidance": _s(r.realised),
                       "administrative_budget": _s(r.baseline), "savings_rate": _s(r.rate)}
                      for r in a.rows],
        "totals": {"shares": _s(a.shares), "paid": _s(a.paid),
                   "realised_cost_avoidance": _s(a.realised),
                   "administrative_budgets": _s(a.baseline), "savings_rate": _s(a.rate)},
    }


def _year(request, country=None) -> int:
    return views._year(request, views._default_year(country))


class CountryDashboardViewSet(viewsets.ViewSet):
    """A country team's dashboard figures, and its BOS results for results reporting."""

    @extend_schema(parameters=[ID, YEAR], responses=OpenApiTypes.OBJECT,
                   summary="The country dashboard's figures")
    def retrieve(self, request, pk=None):
        country = queries.country_or_404(request.user, pk)
        return Response(dashboard_json(queries.country_dashboard(
            country, year=_year(request, country))))

    @extend_schema(parameters=[ID], responses=OpenApiTypes.OBJECT,
                   summary="The country's BOS results (B5–B7) for a results-reporting system")
    @action(detail=True, methods=["get"], url_path="bos-results")
    def bos_results(self, request, pk=None):
        country = queries.country_or_404(request.user, pk)
        return Response(queries.bos_results(country))


class RegionDashboardViewSet(viewsets.ViewSet):
    """A region's country teams and targets (its focal points and HQ roles)."""

    @extend_schema(parameters=[ID, YEAR], responses=OpenApiTypes.OBJECT,
                   summary="The regional page's figures")
    def retrieve(self, request, pk=None):
        region = queries.region_or_404(request.user, pk)
        return Response(overview_json(queries.overview(
            queries.comparable_countries(request.user), year=_year(request), region=region)))


class GlobalDashboardViewSet(viewsets.ViewSet):
    """Every country team and the targets (HQ roles)."""

    @extend_schema(parameters=[YEAR], responses=OpenApiTypes.OBJECT,
                   summary="The HQ page's figures")
    def list(self, request):
        queries.require_global(request.user)
        return Response(overview_json(queries.overview(
            queries.comparable_countries(request.user), year=_year(request))))


class AgencyDashboardViewSet(viewsets.ViewSet):
    """What one agency pays and saves in each country the caller may compare."""

    @extend_schema(parameters=[ID, YEAR], responses=OpenApiTypes.OBJECT,
                   summary="The agency view's figures")
    def retrieve(self, request, pk=None):
        countries = queries.agency_countries(request.user)
        agency = Agency.objects.filter(pk=pk).first()
        if agency is None:
            raise Http404
        return Response(agency_json(queries.agency_overview(countries, agency=agency,
                                                            year=_year(request))))


class AdminBudgetSerializer(ScopedModelSerializer):
    class Meta:
        model = AdminBudget
        fields = ["id", "country", "agency", "year", "amount", "source"]


AdminBudgetViewSet = crud_viewset(views.AdminBudgetPages, AdminBudgetSerializer)


def _refuse_those_who_read_no_report(user) -> None:
    """Someone who works in no country team, region or headquarters reads no report: they
    are refused before what they sent is read."""
    if not access.can(user, Perm.VIEW):
        raise exceptions.PermissionDenied(_("Your roles do not allow this."))


class SubscriptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subscription
        fields = ["id", "kind", "country", "region", "agency", "frequency", "file_format",
                  "language"]
        read_only_fields = ["language"]


class SubscriptionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          mixins.CreateModelMixin, mixins.DestroyModelMixin,
                          viewsets.GenericViewSet):
    """The caller's report subscriptions (nobody sees another person's)."""

    serializer_class = SubscriptionSerializer

    def get_queryset(self):
        return Subscription.objects.visible_to(self.request.user).order_by("pk")

    def create(self, request, *args, **kwargs):
        _refuse_those_who_read_no_report(request.user)
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        try:
            serializer.instance = actions.subscription_create(
                by=self.request.user,
                data={**serializer.validated_data, "language": get_language() or "en"})
        except DjangoValidationError as error:
            raise ValidationError({"kind": list(error.messages)}) from None

    def perform_destroy(self, instance):
        actions.subscription_delete(subscription=instance, by=self.request.user)


class ReportRunSerializer(serializers.ModelSerializer):
    pdf_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportRun
        fields = ["id", "kind", "country", "region", "agency", "year", "status", "progress",
                  "step", "error", "created_at", "finished_at", "pdf_url", "xlsx_url"]
        read_only_fields = ["status", "progress", "step", "error", "created_at",
                            "finished_at"]

    def _url(self, obj, name) -> str | None:
        from django.urls import reverse

        return reverse(f"reports:{name}", args=[obj.pk]) if obj.status == "done" else None

    def get_pdf_url(self, obj) -> str | None:
        return self._url(obj, "run_pdf")

    def get_xlsx_url(self, obj) -> str | None:
        return self._url(obj, "run_xlsx")


class ReportRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Management reports prepared in the background: ask for one, then follow its
    progress; the files are at `pdf_url` and `xlsx_url` when it is done."""

    serializer_class = ReportRunSerializer

    def get_queryset(self):
        return ReportRun.objects.visible_to(self.request.user).defer("pdf", "xlsx").order_by(
            "-pk")

    def create(self, request, *args, **kwargs):
        _refuse_those_who_read_no_report(request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        kind = data["kind"]
        scope = {name: data.get(name) for name in ("country", "region", "agency")}
        wanted = {ReportKind.COUNTRY: "country", ReportKind.REGION: "region",
                  ReportKind.AGENCY: "agency"}.get(kind)
        scope = {name: value if name == wanted else None for name, value in scope.items()}
        if wanted and scope[wanted] is None:
            raise ValidationError({wanted: ["This report needs it."]})
        if not actions.may_see_report(request.user, kind=kind, **scope):
            raise Http404
        run = actions.report_run_start(by=request.user, kind=kind, year=data["year"],
                                       language=get_language() or "en", **scope)
        return Response(self.get_serializer(run).data, status=status.HTTP_201_CREATED)


router.register("reports/countries", CountryDashboardViewSet, basename="report-country")
router.register("reports/regions", RegionDashboardViewSet, basename="report-region")
router.register("reports/hq", GlobalDashboardViewSet, basename="report-hq")
router.register("reports/agencies", AgencyDashboardViewSet, basename="report-agency")
router.register("reports/admin-budgets", AdminBudgetViewSet, basename="adminbudget")
router.register("reports/subscriptions", SubscriptionViewSet, basename="report-subscription")
router.register("reports/prepared", ReportRunViewSet, basename="report-run")
