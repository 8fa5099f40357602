"""S1–S4 workflows: budgets, keys, allocation and recomputation, statements, the annual
report, imports, agreements and contracts; bad input and concurrency."""

import io
import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from commonops.commonservices import actions, queries
from commonops.commonservices.cost_sharing import allocate
from commonops.commonservices.models import (
    Allocation,
    AllocationShare,
    BudgetLine,
    CommonService,
    Contract,
    CostSharingKey,
    Expenditure,
    FixedShare,
    Headcount,
    Usage,
)
from commonops.core.models import Agency, AuditEntry, User
from commonops.core.testing import count_queries

D = Decimal
_seq = itertools.count(1)
pytestmark = pytest.mark.django_db


@pytest.fixture
def csm(db):
    return User.objects.get(username="vn-csm")


@pytest.fixture
def agencies(db):
    return {a.acronym: a for a in Agency.objects.filter(acronym__in=["UNDP", "WHO", "UNICEF"])}


@pytest.fixture
def service(viet_nam, agencies, csm):
    n = next(_seq)
    return actions.service_create(by=csm, data={
        "country": viet_nam, "name": f"Allocation test service {n}", "service_line": "ict",
        "client_agencies": list(agencies.values()), "provider_agencies": [agencies["UNDP"]]})


def _budget(service, csm, amount, year=2030, line="Staff"):
    return actions.budget_line_create(by=csm, data={"service": service, "year": year,
                                                  "line": line, "amount": D(amount)})


def _headcounts(viet_nam, agencies, counts, year=2030):
    for acronym, count in counts.items():
        Headcount.objects.update_or_create(country=viet_nam, agency=agencies[acronym],
                                           year=year, defaults={"headcount": count})


def _key(service, csm, method, year=2030, **extra):
    return actions.key_create(by=csm, data={"service": service, "year": year,
                                          "method": method, **extra})


# --- allocation -------------------------------------------------------------------------------


def test_headcount_allocation_adds_up_to_the_budget_and_keeps_its_inputs(
        service, csm, viet_nam, agencies, login):
    _budget(service, csm, "1000.00")
    _budget(service, csm, "0.01", line="Bank charges")
    _headcounts(viet_nam, agencies, {"UNDP": 1, "WHO": 1, "UNICEF": 1})
    key = _key(service, csm, "headcount")
    response = login(csm).post(reverse("commonservices:key_allocate", args=[key.pk]))
    allocation = Allocation.objects.get(service=service, year=2030)
    assert response["Location"] == allocation.get_absolute_url()
    shares = {s.agency.acronym: s.amount for s in allocation.shares.select_related("agency")}
    assert sum(shares.values()) == D("1000.01")
    # ties go to the first key in the weights' order (agencies by acronym: UNDP, UNICEF, WHO)
    assert shares == {"UNDP": D("333.34"), "UNICEF": D("333.34"), "WHO": D("333.33")}
    assert allocation.inputs["total"] == "1000.01"
    assert allocation.inputs["budget_lines"] == {"Bank charges": "0.01", "Staff": "1000.00"}
    assert AuditEntry.objects.filter(object_id=str(allocation.pk), action="create").exists()


def test_a_past_allocation_never_changes_when_inputs_change_until_recomputed(
        service, csm, viet_nam, agencies, login):
    _budget(service, csm, "900")
    _headcounts(viet_nam, agencies, {"UNDP": 1, "WHO": 1, "UNICEF": 1})
    key = _key(service, csm, "headcount")
    allocation = actions.allocation_allocate(service=service, year=2030, by=csm)
    before = dict(allocation.shares.values_list("agency__acronym", "amount"))
    _headcounts(viet_nam, agencies, {"UNDP": 7})
    _budget(service, csm, "300", line="Licences")
    assert dict(allocation.shares.values_list("agency__acronym", "amount")) == before
    page = login(csm).get(allocation.get_absolute_url()).content.decode()
    assert "Inputs changed since" in page
    assert queries.inputs_changed(allocation) is True

    login(csm).post(reverse("commonservices:allocation_recompute", args=[allocation.pk]))
    allocation.refresh_from_db()
    after = dict(allocation.shares.values_list("agency__acronym", "amount"))
    assert allocation.revision == 2
    # 1200 by 7:1:1 leaves one cent; the remainders tie, so it goes to the first (UNDP)
    assert after == {"UNDP": D("933.34"), "UNICEF": D("133.33"), "WHO": D("133.33")}
    assert sum(after.values()) == D("1200.00")
    assert queries.inputs_changed(allocation) is False
    assert "Inputs changed since" not in login(csm).get(allocation.get_absolute_url()) \
        .content.decode()
    assert key.pk


def test_allocating_twice_gives_a_clear_message_and_one_allocation(service, csm, login):
    _budget(service, csm, "100")
    key = _key(service, csm, "equal")
    c = login(csm)
    c.post(reverse("commonservices:key_allocate", args=[key.pk]))
    response = c.post(reverse("commonservices:key_allocate", args=[key.pk]), follow=True)
    assert "already allocated" in response.content.decode()
    assert Allocation.objects.filter(service=service, year=2030).count() == 1


def test_the_database_refuses_a_second_allocation_for_the_same_service_and_year(
        service, csm, viet_nam):
    # What stops two simultaneous allocations where row locks are not available (SQLite):
    # the unique constraint on (service, year); with PostgreSQL the key row is also locked.
    _budget(service, csm, "100")
    _key(service, csm, "equal")
    actions.allocation_allocate(service=service, year=2030, by=csm)
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.create(country=viet_nam, service=service, year=2030,
                                  method="equal", total=D(100), computed_at=timezone.now())


def test_allocation_locks_the_key_row(service, csm, monkeypatch):
    _budget(service, csm, "100")
    _key(service, csm, "equal")
    locked = []
    original = CostSharingKey.objects.select_for_update

    def spy(*args, **kwargs):
        locked.append(True)
        return original(*args, **kwargs)

    monkeypatch.setattr(CostSharingKey.objects, "select_for_update", spy)
    actions.allocation_allocate(service=service, year=2030, by=csm)
    assert locked


def test_allocating_without_a_budget_or_key_says_what_is_missing(service, csm):
    with pytest.raises(ValidationError, match="no cost-sharing key"):
        actions.allocation_allocate(service=service, year=2030, by=csm)
    _key(service, csm, "equal")
    with pytest.raises(ValidationError, match="no budget"):
        actions.allocation_allocate(service=service, year=2030, by=csm)
    assert not Allocation.objects.filter(service=service).exists()


def test_missing_headcount_names_the_agencies(service, csm, viet_nam, agencies):
    _budget(service, csm, "100")
    Headcount.objects.filter(country=viet_nam, year=2030).delete()
    _headcounts(viet_nam, agencies, {"UNDP": 3})
    _key(service, csm, "headcount")
    with pytest.raises(ValidationError, match="UNICEF, WHO"):
        actions.allocation_allocate(service=service, year=2030, by=csm)


def test_a_viewer_cannot_allocate(service, csm, vn_member, login):
    _budget(service, csm, "100")
    key = _key(service, csm, "equal")
    response = login(vn_member).post(reverse("commonservices:key_allocate", args=[key.pk]))
    assert response.status_code == 403
    assert not Allocation.objects.filter(service=service).exists()


def test_an_outsider_gets_404_on_allocation_pages(service, csm, outsider, login):
    _budget(service, csm, "100")
    key = _key(service, csm, "equal")
    allocation = actions.allocation_allocate(service=service, year=2030, by=csm)
    c = login(outsider)
    assert c.post(reverse("commonservices:key_allocate", args=[key.pk])).status_code == 404
    assert c.get(allocation.get_absolute_url()).status_code == 404
    assert c.post(reverse("commonservices:allocation_recompute",
                          args=[allocation.pk])).status_code == 404


def test_usage_key_from_the_service_desk_uses_ticket_volumes(service, csm, agencies,
                                                             monkeypatch):
    from commonops.servicedesk import queries as desk_queries

    monkeypatch.setattr(desk_queries, "ticket_volume_by_agency", lambda *, country, year: {
        agencies["UNDP"].pk: 30, agencies["WHO"].pk: 10, 999999: 50}, raising=False)
    _budget(service, csm, "400")
    _key(service, csm, "usage", usage_source="service_desk")
    allocation = actions.allocation_allocate(service=service, year=2030, by=csm)
    assert dict(allocation.shares.values_list("agency__acronym", "amount")) == {
        "UNDP": D("300.00"), "UNICEF": D("0.00"), "WHO": D("100.00")}


def test_floor_area_key_comes_from_the_premises_register(service, csm, viet_nam, agencies):
    premises = actions.premises_create(by=csm, data={
        "country": viet_nam, "name": f"Annex {next(_seq)}", "address": "Hanoi",
        "area_m2": D(1000), "desk_capacity": 10, "desks_occupied": 0})
    for acronym, area in (("UNDP", 300), ("WHO", 100)):
        actions.occupancy_create(by=csm, data={"premises": premises, "agency": agencies[acronym],
                                             "area_m2": D(area)})
    _budget(service, csm, "1000")
    _key(service, csm, "floor_area", premises=premises)
    allocation = actions.allocation_allocate(service=service, year=2030, by=csm)
    assert dict(allocation.shares.values_list("agency__acronym", "amount")) == {
        "UNDP": D("750.00"), "UNICEF": D("0.00"), "WHO": D("250.00")}


# --- bad input: a clear message, nothing changed ----------------------------------------------


def test_fixed_percentages_not_adding_up_to_100_are_refused(service, csm, agencies, login):
    key = _key(service, csm, "fixed")
    data = {f"agency_{agencies['UNDP'].pk}": "60", f"agency_{agencies['WHO'].pk}": "30"}
    response = login(csm).post(reverse("commonservices:key_percentages", args=[key.pk]), data)
    assert response.status_code == 400
    assert "must add up to 100" in response.content.decode()
    assert not FixedShare.objects.filter(key=key).exists()
    data[f"agency_{agencies['UNICEF'].pk}"] = "10"
    response = login(csm).post(reverse("commonservices:key_percentages", args=[key.pk]), data)
    assert response.status_code == 302
    assert FixedShare.objects.filter(key=key).count() == 3


def test_a_negative_budget_is_refused(service, csm, login):
    response = login(csm).post(reverse("commonservices:budgetline_add"), {
        "service": service.pk, "year": 2030, "line": "Staff", "amount": "-5"})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not BudgetLine.objects.filter(service=service).exists()


def test_usage_for_an_agency_that_is_not_a_client_is_refused(service, csm, login):
    stranger = Agency.objects.get(acronym="UNIDO")
    response = login(csm).post(reverse("commonservices:usage_add"), {
        "service": service.pk, "agency": stranger.pk, "year": 2030, "units": "3"})
    assert response.status_code == 400
    assert "is not a client of" in response.content.decode()
    assert not Usage.objects.filter(service=service).exists()


def test_a_currency_without_a_rate_for_the_month_is_refused(service, csm, login):
    response = login(csm).post(reverse("commonservices:expenditure_add"), {
        "service": service.pk, "spent_on": "2031-07-04", "budget_line": "Staff",
        "amount_local": "100", "currency": "VND"})
    assert response.status_code == 400
    assert "no UN operational rate of exchange for VND in 2031-07" in \
        response.content.decode()
    assert not Expenditure.objects.filter(service=service).exists()


def test_an_expenditure_is_converted_at_the_months_rate(service, csm):
    expenditure = actions.expenditure_create(by=csm, data={
        "service": service, "spent_on": date(2025, 6, 10), "budget_line": "Staff",
        "amount_local": D("2550000"), "currency": "VND"})
    rate = expenditure.rate
    assert expenditure.amount_usd == (D("2550000") / rate).quantize(D("0.01"))
    assert expenditure.year == 2025


# --- imports ----------------------------------------------------------------------------------


def _csv(text):
    upload = io.BytesIO(text.encode())
    upload.name = "rows.csv"
    return upload


def test_an_import_with_one_bad_row_imports_nothing_and_names_the_row(service, csm, login):
    text = (f"Service,Year,Budget line,Amount\n{service.name},2030,Staff,100\n"
            f"{service.name},2030,Rent,-4\n{service.name},2030,Fuel,abc\n")
    response = login(csm).post(reverse("commonservices:import", args=["budgets"]),
                               {"upload": _csv(text), "preview": "1"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Row 3" in page and "Row 4" in page and "Nothing was imported" in page
    assert not BudgetLine.objects.filter(service=service).exists()


def test_an_import_is_previewed_then_committed(service, csm, login):
    text = (f"Service,Year,Budget line,Amount\n{service.name},2030,Staff,100\n"
            f"{service.name},2030,Rent,50.5\n")
    c = login(csm)
    response = c.post(reverse("commonservices:import", args=["budgets"]),
                      {"upload": _csv(text), "preview": "1"})
    assert response.status_code == 200
    assert "2 rows are ready to import" in response.content.decode()
    assert not BudgetLine.objects.filter(service=service).exists()
    token = response.context["token"]
    response = c.post(reverse("commonservices:import", args=["budgets"]),
                      {"commit": "1", "token": token})
    assert response.status_code == 302
    assert sum(BudgetLine.objects.filter(service=service).values_list("amount", flat=True)) \
        == D("150.50")
    assert AuditEntry.objects.filter(source="import", action="create").exists()


def test_headcounts_and_usage_import_through_the_same_actions(service, csm, viet_nam, login,
                                                              agencies):
    c = login(csm)
    c.post(reverse("commonservices:import", args=["headcounts"]),
           {"upload": _csv("Agency,Year,Headcount\nUNDP,2031,17\nWHO,2031,4\n")})
    c.post(reverse("commonservices:import", args=["headcounts"]),
           {"commit": "1", "token": c.session["commonservices_import"]["token"]})
    assert Headcount.objects.get(country=viet_nam, agency=agencies["UNDP"],
                                 year=2031).headcount == 17
    response = c.post(reverse("commonservices:import", args=["usage"]),
                      {"upload": _csv(f"Service,Agency,Year,Units\n{service.name},UNIDO,2031,"
                                      "4\n")})
    assert response.status_code == 400
    assert "is not a client of" in response.content.decode()


def test_a_viewer_cannot_import(vn_member, login):
    assert login(vn_member).get(reverse("commonservices:import", args=["budgets"])) \
        .status_code == 403


# --- statements and the annual report ---------------------------------------------------------

weights = st.lists(st.integers(min_value=0, max_value=500), min_size=3, max_size=3).filter(any)
budgets = st.decimals(min_value=0, max_value=D("5000000"), places=2)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(budgets, weights), min_size=1, max_size=15))
def test_statements_always_add_up_to_the_budgets_to_the_cent(services):
    # S4: each agency's statement is the sum of its shares; over all agencies the
    # statements add up to the sum of the budgets, to the cent, whatever the keys.
    statements = {"A": D(0), "B": D(0), "C": D(0)}
    for total, ws in services:
        for agency, share in allocate(total, dict(zip("ABC", ws, strict=True))).items():
            statements[agency] += share
    assert sum(statements.values()) == sum(total for total, _w in services)


def test_the_demo_statements_add_up_to_the_allocated_budgets(viet_nam, csm):
    for year in (2024, 2025, 2026):
        allocated = sum(Allocation.objects.filter(country=viet_nam, year=year)
                        .values_list("total", flat=True))
        statements = sum(
            queries.statement(csm, country=viet_nam, agency=agency, year=year).total_share
            for agency in queries.statement_agencies(csm, country=viet_nam, year=year))
        assert allocated > 0
        assert statements == allocated


def test_statement_page_pdf_and_xlsx_agree(viet_nam, csm, login):
    undp = Agency.objects.get(acronym="UNDP")
    statement = queries.statement(csm, country=viet_nam, agency=undp, year=2025)
    c = login(csm)
    page = c.get(reverse("commonservices:statement", args=[undp.pk, 2025]))
    assert f"{statement.total_share:,.2f}" in page.content.decode()
    pdf = c.get(reverse("commonservices:statement_pdf", args=[undp.pk, 2025])).content
    assert pdf.startswith(b"%PDF")
    book = load_workbook(io.BytesIO(c.get(reverse("commonservices:statement_xlsx",
                                                  args=[undp.pk, 2025])).content))
    rows = list(book["Shares"].iter_rows(values_only=True))
    assert rows[-1][0] == "Total"
    assert D(str(rows[-1][7])) == statement.total_share
    assert sum(D(str(r[7])) for r in rows[1:-1]) == statement.total_share


def test_an_outsider_gets_404_for_another_countrys_statement(outsider, login, api):
    undp = Agency.objects.get(acronym="UNDP")
    assert login(outsider).get(reverse("commonservices:statement", args=[undp.pk, 2025])) \
        .status_code == 404
    viet_nam_id = CommonService.objects.filter(country__iso_code="VN").first().country_id
    response = api(outsider).get(reverse("commonservice-statement-list"),
                                 {"country": viet_nam_id, "agency": undp.pk, "year": 2025})
    assert response.status_code == 404


def test_statement_and_report_pages_use_a_constant_number_of_queries(viet_nam, csm, login,
                                                                     service):
    undp = Agency.objects.get(acronym="UNDP")
    c = login(csm)
    urls = [reverse("commonservices:statement", args=[undp.pk, 2025]),
            reverse("commonservices:annual_report", args=[2025]),
            reverse("commonservices:overview") + "?year=2025"]
    before = [count_queries(c, url) for url in urls]
    for year in (2025,):
        _budget(service, csm, "500", year=year)
        _key(service, csm, "equal", year=year)
        actions.allocation_allocate(service=service, year=year, by=csm)
    assert [count_queries(c, url) for url in urls] == before
    assert max(before) <= 20


def test_annual_report_flags_deviations_over_two_percent(viet_nam, csm, login):
    report = queries.annual_report(csm, country=viet_nam, year=2025)
    fleet = next(r for r in report.services if r.service.name == "Shared vehicle fleet")
    assert fleet.variance.flagged and fleet.variance.percent > 2
    assert all(r.kpis for r in report.services)
    assert report.total_budget == sum(r.budget for r in report.services)
    c = login(csm)
    assert "over 2%" in c.get(reverse("commonservices:annual_report", args=[2025])) \
        .content.decode()
    assert c.get(reverse("commonservices:annual_report_pdf", args=[2025])).content \
        .startswith(b"%PDF")
    book = load_workbook(io.BytesIO(c.get(reverse("commonservices:annual_report_xlsx",
                                                  args=[2025])).content))
    total = list(book["Services"].iter_rows(values_only=True))[-1]
    assert D(str(total[2])) == report.total_budget


# --- agreements and contracts (S2) ------------------------------------------------------------


def test_a_large_contract_without_an_mou_is_flagged_on_the_list_and_home_page(csm, login):
    uncovered = Contract.objects.get(reference="VN-CT-2025-004")
    c = login(csm)
    listing = c.get(reverse("commonservices:contract_list") + "?uncovered=true").content \
        .decode()
    assert uncovered.get_absolute_url() in listing
    covered = Contract.objects.get(reference="VN-CT-2024-001")
    assert covered.get_absolute_url() not in listing
    assert "not covered by an MOU" in c.get("/").content.decode()
    assert "Not covered by an MOU" in c.get(uncovered.get_absolute_url()).content.decode()


def test_the_mou_threshold_is_a_setting(settings, csm, viet_nam):
    settings.COMMONSERVICES_MOU_THRESHOLD_USD = "200000"
    assert actions.mou_threshold_usd() == D(200000)
    assert not queries.uncovered_contracts(Contract.objects.filter(country=viet_nam),
                                           actions.mou_threshold_usd()).exists()


def test_expiring_agreements_show_on_the_home_page_and_in_the_list_filter(csm, login):
    c = login(csm)
    home = c.get("/").content.decode()
    assert "Green One UN House common premises" in home
    assert "Expires within 30 days" in home
    listing = c.get(reverse("commonservices:agreement_list") + "?expiry=30").content.decode()
    assert "Green One UN House common premises" in listing
    assert "ICT common services" not in listing
    assert "ICT common services" in c.get(reverse("commonservices:agreement_list")
                                          + "?expiry=90").content.decode()


def test_a_contract_is_valued_in_usd_at_the_start_months_rate(csm, viet_nam):
    contract = Contract.objects.get(reference="VN-CT-2024-002")
    assert contract.currency == "VND"
    assert D(150000) < contract.value_usd < D(170000)


def test_only_an_mou_covers_a_contract(csm, viet_nam):
    from commonops.commonservices.models import Agreement

    sla = Agreement.objects.filter(country=viet_nam, kind="sla").first()
    with pytest.raises(ValidationError, match="Only an MOU"):
        actions.contract_create(by=csm, data={
            "country": viet_nam, "reference": "X-1", "vendor": "V", "value": D(1),
            "currency": "USD", "starts_on": date(2026, 1, 1), "ends_on": date(2026, 2, 1),
            "agreement": sla})


# --- KPIs (B5) and the API --------------------------------------------------------------------


def test_standard_kpis_are_results_indicators_with_their_status(service, csm, login):
    c = login(csm)
    c.post(reverse("commonservices:service_kpis", args=[service.pk]))
    c.post(reverse("commonservices:service_kpis", args=[service.pk]))
    kpis = queries.kpis_by_service([service], year=2030)[service.pk]
    assert sorted(k.indicator.kind for k in kpis) == ["cost_avoidance", "quality"]
    assert "No data" in c.get(service.get_absolute_url()).content.decode()


def test_api_allocates_and_recomputes_through_the_same_actions(service, csm, api,
                                                               vn_member):
    _budget(service, csm, "90")
    _key(service, csm, "equal")
    client = api(csm)
    response = client.post(reverse("allocation-allocate"),
                           {"service": service.pk, "year": 2030}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert sum(D(s["amount"]) for s in body["shares"]) == D("90.00")
    again = client.post(reverse("allocation-allocate"), {"service": service.pk, "year": 2030},
                        format="json")
    assert again.status_code == 400
    assert "already allocated" in again.json()["error"]["message"]
    response = client.post(reverse("allocation-step", args=[body["id"], "recompute"]))
    assert response.status_code == 200 and response.json()["revision"] == 2
    denied = api(vn_member).post(reverse("allocation-step", args=[body["id"], "recompute"]))
    assert denied.status_code == 403


def test_api_percentages_must_add_up_to_100(service, csm, agencies, api):
    key = _key(service, csm, "fixed")
    response = api(csm).post(reverse("costsharingkey-percentages", args=[key.pk]), {
        "percentages": {str(agencies["UNDP"].pk): "50", str(agencies["WHO"].pk): "20"}},
        format="json")
    assert response.status_code == 400
    assert "add up to 100" in response.json()["error"]["message"]
    assert not FixedShare.objects.filter(key=key).exists()


def test_api_annual_report_matches_the_page_query(viet_nam, csm, api):
    response = api(csm).get(reverse("commonservice-report-list"),
                            {"country": viet_nam.pk, "year": 2025})
    assert response.status_code == 200
    report = queries.annual_report(csm, country=viet_nam, year=2025)
    assert D(response.json()["total_budget"]) == report.total_budget
    assert len(response.json()["services"]) == len(report.services)


def test_allocation_share_rows_cannot_be_changed_through_the_api(csm, api):
    allocation = Allocation.objects.filter(country__iso_code="VN").first()
    client = api(csm)
    assert client.patch(reverse("allocation-detail", args=[allocation.pk]), {"total": "1"},
                        format="json").status_code == 405
    assert client.delete(reverse("allocation-detail", args=[allocation.pk])).status_code \
        == 405
    assert AllocationShare.objects.filter(allocation=allocation).exists()


def test_demo_has_the_expected_shape(viet_nam):
    assert CommonService.objects.filter(country=viet_nam).count() == 15
    assert Allocation.objects.filter(country=viet_nam).count() == 45


def test_an_agreement_keeps_its_signed_copy(csm, viet_nam, login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from commonops.commonservices.models import Agreement

    settings.MEDIA_ROOT = str(tmp_path)
    undp = Agency.objects.get(acronym="UNDP")
    response = login(csm).post(reverse("commonservices:agreement_add"), {
        "country": viet_nam.pk, "kind": "mou", "title": "Signed MOU test",
        "provider": undp.pk, "parties": [undp.pk], "starts_on": "2026-01-01",
        "ends_on": "2026-12-31", "cost_sharing_key": "equal",
        "signed_file": SimpleUploadedFile("mou.pdf", b"%PDF-1.4 signed")})
    assert response.status_code == 302
    agreement = Agreement.objects.get(title="Signed MOU test")
    assert agreement.signed_file.read() == b"%PDF-1.4 signed"
    assert list(agreement.parties.all()) == [undp]



def test_a_service_with_allocations_cannot_be_deleted(service, csm, login):
    _budget(service, csm, "100")
    _key(service, csm, "equal")
    actions.allocation_allocate(service=service, year=2030, by=csm)
    response = login(csm).post(reverse("commonservices:service_delete", args=[service.pk]),
                               follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert CommonService.objects.filter(pk=service.pk).exists()
