"""B1–B7 through the actions, the pages and the API: the workflow with the right people,
bad input (a clear message, nothing changed), and the CBA figures the pages, PDF and XLSX
show, compared with `cba_summary`."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from commonops.bos import actions, queries, rules
from commonops.bos.cba import CbaLine, cba_summary
from commonops.bos.models import Bos, CbaEntry, GradeRate, Opportunity, StocktakeEntry
from commonops.core.models import Agency, Country, User
from commonops.core.testing import count_queries
from commonops.results.models import Indicator

pytestmark = pytest.mark.django_db
D = Decimal


def user(name):
    return User.objects.get(username=name)


def vn_bos():
    return Bos.objects.get(country__iso_code="VN", start_year=2022)


def _free_year(country):
    taken = set(Bos.objects.filter(country=country).values_list("start_year", flat=True))
    return next(year for year in range(2095, 2000, -1) if year not in taken)


@pytest.fixture
def draft(db):
    """A draft BOS of Viet Nam with one selected service and no KPIs yet."""
    chair = user("vn-chair")
    country = Country.objects.get(iso_code="VN")
    year = _free_year(country)
    bos = actions.bos_create(by=chair, data={
        "country": country, "title": "Next cycle", "start_year": year,
        "end_year": year + 4, "kickoff_on": date(2026, 3, 2),
        "service_lines": ["ict", "procurement"],
        "participating_agencies": list(Agency.objects.filter(acronym__in=["UNDP", "WHO"]))})
    service = actions.opportunity_create(by=chair, data={
        "bos": bos, "name": "Shared printing", "service_line": "ict",
        "managing_agencies": [Agency.objects.get(acronym="UNDP")],
        "participating_agencies": [Agency.objects.get(acronym="WHO")],
        "implementation_start": year})
    actions.cba_entry_create(by=chair, data={
        "opportunity": service, "year": 1, "side": "cost", "kind": "monetary",
        "nature": "one_time", "amount": D("1000")})
    actions.opportunity_select(opportunity=service, selected=True, by=chair)
    return bos


def _add_kpis(bos, by=None):
    by = by or user("vn-chair")
    for service in bos.opportunities.filter(selected=True):
        for kind, unit in (("cost_avoidance", "usd"), ("quality", "percent")):
            actions.kpi_add(opportunity=service, by=by, name=f"{service.name} {kind}",
                            kind=kind, unit=unit, targets={bos.start_year: D("10")})


# --- B1 workflow ------------------------------------------------------------------------------


def test_submission_without_the_two_kpis_names_the_services_lacking_them(draft):
    with pytest.raises(ValidationError) as error:
        actions.bos_submit(bos=draft, by=user("vn-chair"))
    assert "Shared printing" in " ".join(error.value.messages)
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.submitted_on is None


def test_a_kpi_without_a_target_is_refused(draft):
    service = draft.opportunities.get()
    count = Indicator.objects.count()
    with pytest.raises(ValidationError) as error:
        actions.kpi_add(opportunity=service, by=user("vn-chair"), name="Savings",
                        kind="cost_avoidance", unit="usd", targets={})
    assert "target" in " ".join(error.value.messages)
    assert Indicator.objects.count() == count


def test_a_kpi_target_outside_the_cycle_is_refused(draft):
    service = draft.opportunities.get()
    count = Indicator.objects.count()
    with pytest.raises(ValidationError):
        actions.kpi_add(opportunity=service, by=user("vn-chair"), name="Savings",
                        kind="cost_avoidance", unit="usd",
                        targets={draft.end_year + 1: D("5")})
    assert Indicator.objects.count() == count


def test_the_whole_workflow_with_the_right_people(draft):
    _add_kpis(draft)
    submitted = date(2026, 11, 2)
    actions.bos_submit(bos=draft, by=user("vn-chair"), today=submitted)
    draft.refresh_from_db()
    assert draft.status == "submitted"
    # B1: ten working days in Viet Nam's calendar (Monday to Friday)
    assert draft.qa_due_on == date(2026, 11, 16)
    with pytest.raises(PermissionDenied):
        actions.bos_clear(bos=draft, by=user("vn-chair"))
    actions.bos_clear(bos=draft, by=user("ap-focal"), today=date(2026, 11, 6))
    with pytest.raises(PermissionDenied):
        actions.bos_endorse(bos=draft, by=user("vn-staff"))
    actions.bos_endorse(bos=draft, by=user("vn-unct"))
    for not_rc in ("vn-chair", "vn-unct", "admin"):
        with pytest.raises(PermissionDenied):
            actions.bos_sign_off(bos=draft, by=user(not_rc))
    draft.refresh_from_db()
    assert draft.status == "endorsed"
    actions.bos_sign_off(bos=draft, by=user("vn-rc"))
    draft.refresh_from_db()
    assert draft.status == "signed_off" and draft.signed_off_on is not None


def test_b1_the_global_administrator_neither_edits_the_kick_off_nor_endorses(client, draft):
    # B1: the kick-off belongs to the OMT chair and the RC, the endorsement to the UNCT of
    # the country; an administrator's global rights (and superuser status) are not theirs.
    admin = user("admin")
    country = Country.objects.get(iso_code="VN")
    year = _free_year(country)
    with pytest.raises(PermissionDenied):
        actions.bos_create(by=admin, data={
            "country": country, "title": "Not the administrator's", "start_year": year,
            "end_year": year + 4, "service_lines": ["ict", "finance"]})
    with pytest.raises(PermissionDenied):
        actions.bos_update(bos=draft, by=admin, data={"title": "Renamed by the admin"})
    with pytest.raises(PermissionDenied):
        actions.bos_delete(bos=draft, by=admin)
    _add_kpis(draft)
    actions.bos_submit(bos=draft, by=user("vn-chair"))
    actions.bos_clear(bos=draft, by=user("ap-focal"))
    with pytest.raises(PermissionDenied):
        actions.bos_endorse(bos=draft, by=admin)
    client.force_login(admin)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert reverse("bos:bos_endorse", args=[draft.pk]) not in page
    assert reverse("bos:bos_edit", args=[draft.pk]) not in page
    assert client.post(reverse("bos:bos_endorse", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert (draft.status, draft.title) == ("cleared", "Next cycle")


def test_a_step_out_of_order_is_refused(draft):
    with pytest.raises(ValidationError):
        actions.bos_clear(bos=draft, by=user("ap-focal"))
    with pytest.raises(ValidationError):
        actions.bos_sign_off(bos=draft, by=user("vn-rc"))
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_return_to_draft_needs_a_reason(draft):
    _add_kpis(draft)
    actions.bos_submit(bos=draft, by=user("vn-chair"))
    with pytest.raises(ValidationError):
        actions.bos_return(bos=draft, by=user("ap-focal"), reason="  ")
    draft.refresh_from_db()
    assert draft.status == "submitted"
    actions.bos_return(bos=draft, by=user("ap-focal"), reason="Add the fleet CBA data.")
    draft.refresh_from_db()
    assert (draft.status, draft.return_reason) == ("draft", "Add the fleet CBA data.")


def test_only_the_chair_and_the_rc_edit_the_kickoff(draft):
    with pytest.raises(PermissionDenied):
        actions.bos_update(bos=draft, by=user("vn-cochair"), data={"title": "Mine"})
    actions.bos_update(bos=draft, by=user("vn-rc"), data={"title": "RC's title"})
    draft.refresh_from_db()
    assert draft.title == "RC's title"


def test_a_bos_covers_at_least_two_service_lines(draft):
    with pytest.raises(ValidationError) as error:
        actions.bos_update(bos=draft, by=user("vn-chair"), data={"service_lines": ["ict"]})
    assert "two" in " ".join(error.value.messages)
    with pytest.raises(ValidationError):
        actions.bos_update(bos=draft, by=user("vn-chair"),
                           data={"service_lines": ["ict", "catering"]})
    draft.refresh_from_db()
    assert draft.service_lines == ["ict", "procurement"]


def test_a_signed_off_bos_cannot_be_edited():
    bos = vn_bos()
    service = bos.opportunities.first()
    with pytest.raises(ValidationError) as error:
        actions.bos_update(bos=bos, by=user("vn-rc"), data={"title": "Changed"})
    assert "signed off" in " ".join(error.value.messages)
    with pytest.raises(ValidationError):
        actions.cba_entry_create(by=user("vn-chair"), data={
            "opportunity": service, "year": 1, "side": "cost", "kind": "monetary",
            "nature": "one_time", "amount": D("1")})
    bos.refresh_from_db()
    assert bos.title == "One UN Business Operations Strategy"


def test_editing_a_signed_off_bos_on_the_page_shows_the_message(client):
    client.force_login(user("vn-chair"))
    line = CbaEntry.objects.filter(opportunity__bos=vn_bos()).first()
    response = client.post(reverse("bos:cbaentry_edit", args=[line.pk]), {
        "opportunity": line.opportunity_id, "year": 1, "side": "cost", "kind": "monetary",
        "nature": "one_time", "amount": "5"})
    assert response.status_code == 400
    assert "signed off" in response.content.decode()
    assert CbaEntry.objects.get(pk=line.pk).amount == line.amount


# --- B4 bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("change, field", [
    ({"amount": D("-5")}, "amount"),
    ({"side": "gain"}, "side"),
    ({"kind": "time"}, "kind"),
    ({"year": 6}, "year"),  # the cycle has five years
])
def test_bad_cba_lines_are_refused_and_nothing_is_saved(draft, change, field):
    service = draft.opportunities.get()
    data = {"opportunity": service, "year": 2, "side": "benefit", "kind": "monetary",
            "nature": "recurring", "amount": D("100"), **change}
    count = CbaEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        actions.cba_entry_create(by=user("vn-chair"), data=data)
    assert field in error.value.message_dict
    assert CbaEntry.objects.count() == count


def test_a_labour_line_is_hours_times_the_rate_of_its_year(draft):
    service = draft.opportunities.get()
    GradeRate.objects.create(country=draft.country, year=draft.start_year + 1, grade="G-4",
                             hourly_rate=D("21.37"))
    line = actions.cba_entry_create(by=user("vn-chair"), data={
        "opportunity": service, "year": 2, "side": "benefit", "kind": "labour",
        "nature": "recurring", "hours": D("37.5"), "grade": "G-4"})
    assert (line.hourly_rate, line.amount) == (D("21.37"), D("801.38"))
    with pytest.raises(ValidationError) as error:
        actions.cba_entry_create(by=user("vn-chair"), data={
            "opportunity": service, "year": 3, "side": "benefit", "kind": "labour",
            "nature": "recurring", "hours": D("10"), "grade": "G-4"})
    assert "no hourly rate" in " ".join(error.value.messages)


def test_a_monetary_line_from_unit_prices(draft):
    service = draft.opportunities.get()
    line = actions.cba_entry_create(by=user("vn-chair"), data={
        "opportunity": service, "year": 1, "side": "benefit", "kind": "monetary",
        "nature": "recurring", "old_unit_price": D("1.10"), "new_unit_price": D("0.98"),
        "volume": D("150000")})
    assert line.amount == D("18000.00")
    with pytest.raises(ValidationError):
        actions.cba_entry_create(by=user("vn-chair"), data={
            "opportunity": service, "year": 1, "side": "benefit", "kind": "monetary",
            "nature": "recurring", "old_unit_price": D("1"), "new_unit_price": D("2"),
            "volume": D("10")})


# --- figures: page, API, PDF and XLSX against cba_summary -------------------------------------


def _expected(opportunity):
    lines = [CbaLine(x.year, x.side, x.kind, x.nature, x.amount)
             for x in CbaEntry.objects.filter(opportunity=opportunity)]
    return cba_summary(lines, discount_rate=opportunity.bos.discount_rate)


def _figure(value):
    return "—" if value is None else f"{value:,.2f}" if isinstance(value, Decimal) and \
        value.as_tuple().exponent == -2 else str(value)


def test_the_worked_example_of_the_demo():
    helpdesk = Opportunity.objects.get(bos=vn_bos(), name="Common ICT service desk")
    summary = _expected(helpdesk)
    assert (summary.total_cost, summary.total_benefit, summary.net_benefit) == (
        D("155000.00"), D("301232.00"), D("146232.00"))
    assert (summary.benefit_cost_ratio, summary.payback_year) == (D("1.94"), 2)


def test_the_prioritisation_page_shows_the_cba_summary_figures(client):
    client.force_login(user("vn-member"))
    bos = vn_bos()
    html = client.get(reverse("bos:prioritisation", args=[bos.pk])).content.decode()
    for opportunity in bos.opportunities.all():
        s = _expected(opportunity)
        row = html.split(f'data-opportunity="{opportunity.pk}"')[1].split("</tr>")[0]
        for name in ("total_cost", "total_benefit", "net_benefit", "npv"):
            assert f'data-figure="{name}">{getattr(s, name):,.2f}<' in row
        assert f'data-figure="benefit_cost_ratio">{s.benefit_cost_ratio}<' in row
        assert f'data-figure="payback_year">{s.payback_year}<' in row


def test_ranking_is_by_ratio_then_net_benefit():
    ranked = queries.prioritised(vn_bos())
    ratios = [r.summary.benefit_cost_ratio for r in ranked]
    assert ratios == sorted(ratios, reverse=True)
    assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))


def test_the_api_cba_is_cba_summary(api):
    helpdesk = Opportunity.objects.get(bos=vn_bos(), name="Common ICT service desk")
    data = api(user("vn-member")).get(
        reverse("opportunity-cba", args=[helpdesk.pk])).json()
    s = _expected(helpdesk)
    assert D(data["net_benefit"]) == s.net_benefit and D(data["npv"]) == s.npv
    assert data["payback_year"] == s.payback_year


def test_the_bos_xlsx_holds_the_cba_summary_figures(client):
    client.force_login(user("vn-member"))
    bos = vn_bos()
    response = client.get(reverse("bos:document_xlsx", args=[bos.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["CBA summary"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    for opportunity in bos.opportunities.all():
        s = _expected(opportunity)
        row = rows[opportunity.name]
        assert [D(str(v)) for v in row[4:7]] == [s.total_cost, s.total_benefit,
                                                 s.net_benefit]
        assert row[8] == s.payback_year and D(str(row[9])) == s.npv


def test_the_bos_pdf_holds_the_cba_summary_figures(client):
    from commonops.core.testing import pdf_text

    client.force_login(user("vn-member"))
    bos = vn_bos()
    response = client.get(reverse("bos:document_pdf", args=[bos.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = pdf_text(response.content).replace(" ", "")  # narrow cells wrap long numbers
    for opportunity in bos.opportunities.all():
        s = _expected(opportunity)
        assert f"{s.net_benefit:,.2f}" in text and f"{s.npv:,.2f}" in text


def test_exports_need_the_export_right_and_outsiders_get_404(client):
    bos = vn_bos()
    client.force_login(user("vn-staff"))
    assert client.get(reverse("bos:document_pdf", args=[bos.pk])).status_code == 403
    client.force_login(user("sn-staff"))
    for name in ("document_pdf", "document_xlsx", "report", "report_pdf", "prioritisation",
                 "results", "plan"):
        assert client.get(reverse(f"bos:{name}", args=[bos.pk])).status_code == 404


# --- B7 annual report and the four-year rule --------------------------------------------------


def test_the_annual_report_estimates_from_the_cba_year_and_counts_four_years():
    bos = vn_bos()
    report = queries.annual_report(bos, year=2025, current_year=2026)
    by_name = {s.opportunity.name: s for s in report.services}
    helpdesk = by_name["Common ICT service desk"]
    assert helpdesk.horizon_year == 4 and helpdesk.counted
    assert helpdesk.estimated == _expected(helpdesk.opportunity).years[3].net
    assert helpdesk.due_for_stocktake  # 2022–2025: four years of joint implementation
    assert not by_name["Common G-staff recruitment roster"].due_for_stocktake
    later = queries.annual_report(bos, year=2026, current_year=2026)
    assert not {s.opportunity.name: s for s in later.services}[
        "Common ICT service desk"].counted
    per_agency = sum((r["estimated"] for r in report.agencies), D(0))
    assert per_agency == report.totals["estimated"]


def test_the_report_page_and_xlsx_agree_with_the_report(client):
    client.force_login(user("vn-member"))
    bos = vn_bos()
    html = client.get(reverse("bos:report", args=[bos.pk]) + "?year=2024").content.decode()
    report = queries.annual_report(bos, year=2024, current_year=2026)
    assert f'data-figure="total_estimated"><strong>{report.totals["estimated"]:,.2f}<' in html
    response = client.get(reverse("bos:report_xlsx", args=[bos.pk]) + "?year=2024")
    sheet = load_workbook(io.BytesIO(response.content))["By service"]
    total = [row for row in sheet.iter_rows(values_only=True) if row[0] == "Total"][0]
    assert D(str(total[3])) == report.totals["estimated"]
    assert client.get(reverse("bos:report_pdf", args=[bos.pk]) + "?year=2024"
                      ).content.startswith(b"%PDF")


def test_a_service_moves_to_the_stocktake_after_four_years(client):
    bos = vn_bos()
    fleet = Opportunity.objects.get(bos=bos, name="Shared vehicle fleet")
    roster = Opportunity.objects.get(bos=bos, name="Common G-staff recruitment roster")
    with pytest.raises(ValidationError):
        actions.opportunity_move_to_stocktake(opportunity=roster, by=user("vn-chair"),
                                              current_year=2026)
    client.force_login(user("vn-chair"))
    response = client.post(reverse("bos:opportunity_move", args=[fleet.pk]))
    assert response.status_code == 302
    entry = StocktakeEntry.objects.get(from_opportunity=fleet)
    assert (entry.implemented_since, entry.action) == (2022, "continue")
    with pytest.raises(ValidationError):
        actions.opportunity_move_to_stocktake(opportunity=fleet, by=user("vn-chair"))


def test_annual_results_only_for_years_of_the_cycle():
    service = Opportunity.objects.get(bos=vn_bos(), name="Common ICT service desk")
    with pytest.raises(ValidationError):
        actions.annual_result_create(by=user("vn-chair"), data={
            "opportunity": service, "agency": service.managing_agencies.first(),
            "year": 2030, "realised_cost_avoidance": D("1")})


def test_b7_the_report_offers_a_result_only_to_an_editor_of_a_signed_off_bos(client):
    signed, submitted = vn_bos(), Bos.objects.get(country__iso_code="JO")
    assert (signed.status, submitted.status) == ("signed_off", "submitted")
    offered = {}
    for name, bos in (("vn-chair", signed), ("vn-staff", signed), ("jo-chair", submitted)):
        client.force_login(user(name))
        html = client.get(reverse("bos:report", args=[bos.pk])).content.decode()
        offered[name] = "Report a result" in html
    assert offered == {"vn-chair": True, "vn-staff": False, "jo-chair": False}
    service = Opportunity.objects.filter(bos=submitted).first()
    with pytest.raises(ValidationError, match="signed off"):
        actions.annual_result_create(by=user("jo-chair"), data={
            "opportunity": service, "year": submitted.start_year,
            "realised_cost_avoidance": D("1")})


# --- imports (all or nothing, with a preview) ---------------------------------------------------


def _csv(text, name="rates.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_grade_rate_import_previews_then_saves_all_or_nothing(client):
    client.force_login(user("vn-chair"))
    url = reverse("bos:graderate_import")
    good = "Year,Grade,Hourly rate\n2031,P-2,51.20\n2031,G-3,19.10\n"
    response = client.post(url, {"upload": _csv(good)})
    assert response.status_code == 200 and "Preview" in response.content.decode()
    assert not GradeRate.objects.filter(year=2031).exists()
    bad = "Year,Grade,Hourly rate\n2031,P-2,51.20\n2031,X-9,19.10\n2031,G-4,-3\n"
    response = client.post(url, {"upload": _csv(bad), "commit": "on"})
    assert response.status_code == 400
    assert "Row 3" in response.content.decode() and "Row 4" in response.content.decode()
    assert not GradeRate.objects.filter(year=2031).exists()
    response = client.post(url, {"upload": _csv(good), "commit": "on"})
    assert response.status_code == 302
    assert GradeRate.objects.filter(year=2031, country__iso_code="VN").count() == 2


def test_cba_import_refuses_a_year_outside_the_horizon(client, draft):
    client.force_login(user("vn-chair"))
    url = reverse("bos:cba_import", args=[draft.pk])
    rows = ("Opportunity,Year,Side,Kind,Nature,Amount\n"
            "Shared printing,2,benefit,monetary,recurring,500\n"
            "Shared printing,9,benefit,monetary,recurring,500\n")
    count = CbaEntry.objects.count()
    response = client.post(url, {"upload": _csv(rows, "cba.csv"), "commit": "on"})
    assert response.status_code == 400 and "Row 3" in response.content.decode()
    assert CbaEntry.objects.count() == count
    rows = rows.splitlines()[0] + "\n" + rows.splitlines()[1] + "\n"
    assert client.post(url, {"upload": _csv(rows, "cba.csv"), "commit": "on"}
                       ).status_code == 302
    assert CbaEntry.objects.count() == count + 1


def test_imports_need_the_right(client, draft):
    client.force_login(user("vn-unct"))
    assert client.get(reverse("bos:cba_import", args=[draft.pk])).status_code == 403
    client.force_login(user("sn-staff"))
    assert client.get(reverse("bos:cba_import", args=[draft.pk])).status_code == 404


# --- pages and API of the workflow ------------------------------------------------------------


def test_the_pages_take_a_bos_from_submission_to_sign_off(client, draft):
    _add_kpis(draft)
    client.force_login(user("vn-chair"))
    assert client.post(reverse("bos:bos_submit", args=[draft.pk])).status_code == 302
    client.force_login(user("vn-rc"))
    response = client.post(reverse("bos:bos_clear", args=[draft.pk]))
    assert response.status_code == 403
    client.force_login(user("ap-focal"))
    assert client.post(reverse("bos:bos_clear", args=[draft.pk])).status_code == 302
    client.force_login(user("vn-unct"))
    assert client.post(reverse("bos:bos_endorse", args=[draft.pk])).status_code == 302
    assert client.post(reverse("bos:bos_sign_off", args=[draft.pk])).status_code == 403
    client.force_login(user("vn-rc"))
    assert client.post(reverse("bos:bos_sign_off", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "signed_off"


def test_the_overview_shows_each_person_the_step_they_may_take_now(client, draft):
    _add_kpis(draft)
    submit = reverse("bos:bos_submit", args=[draft.pk])
    clear = reverse("bos:bos_clear", args=[draft.pk])
    back = reverse("bos:bos_return", args=[draft.pk])
    client.force_login(user("vn-chair"))
    page = client.get(draft.get_absolute_url()).content.decode()
    assert submit in page and clear not in page and back not in page
    client.post(submit)
    client.force_login(user("ap-focal"))
    page = client.get(draft.get_absolute_url()).content.decode()
    assert clear in page and back in page and submit not in page
    client.force_login(user("vn-staff"))
    page = client.get(draft.get_absolute_url()).content.decode()
    assert clear not in page and back not in page


def test_returning_to_draft_asks_why_on_its_own_page(client, draft):
    _add_kpis(draft)
    actions.bos_submit(bos=draft, by=user("vn-chair"))
    url = reverse("bos:bos_return", args=[draft.pk])
    client.force_login(user("ap-focal"))
    assert 'name="reason"' in client.get(url).content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert client.post(url, {"reason": "Add the fleet CBA."}).status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.return_reason) == ("draft", "Add the fleet CBA.")
    client.force_login(user("vn-staff"))
    assert client.get(url).status_code == 403


def test_submitting_on_the_page_without_kpis_shows_why(client, draft):
    client.force_login(user("vn-chair"))
    response = client.post(reverse("bos:bos_submit", args=[draft.pk]))
    assert response.status_code == 400
    assert "Shared printing" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_api_workflow_steps(api, draft):
    _add_kpis(draft)
    assert api(user("vn-chair")).post(f"/api/bos/{draft.pk}/submit/").status_code == 200
    response = api(user("vn-chair")).post(f"/api/bos/{draft.pk}/clear/")
    assert response.status_code == 403 and response.json()["error"]["status"] == 403
    response = api(user("ap-focal")).post(f"/api/bos/{draft.pk}/return/", {"reason": ""},
                                          format="json")
    assert response.status_code == 400
    assert api(user("ap-focal")).post(f"/api/bos/{draft.pk}/clear/").status_code == 200
    assert api(user("vn-unct")).post(f"/api/bos/{draft.pk}/endorse/").status_code == 200
    response = api(user("vn-chair")).post(f"/api/bos/{draft.pk}/sign-off/")
    assert response.status_code == 403
    response = api(user("vn-rc")).post(f"/api/bos/{draft.pk}/sign-off/")
    assert response.status_code == 200 and response.json()["status"] == "signed_off"
    assert api(user("sn-staff")).post(f"/api/bos/{draft.pk}/submit/").status_code == 404


def test_the_api_adds_kpis_and_selects(api, draft):
    service = draft.opportunities.get()
    client = api(user("vn-chair"))
    response = client.post(f"/api/opportunities/{service.pk}/kpis/", {
        "name": "Savings", "kind": "cost_avoidance", "unit": "usd",
        "targets": {str(draft.start_year): "100.00"}}, format="json")
    assert response.status_code == 201, response.json()
    response = client.post(f"/api/opportunities/{service.pk}/kpis/", {
        "name": "No target", "kind": "quality", "unit": "percent", "targets": {}},
        format="json")
    assert response.status_code == 400
    response = client.post(f"/api/opportunities/{service.pk}/select/", {"selected": False},
                           format="json")
    assert response.status_code == 200 and response.json()["selected"] is False


def test_jordan_qa_is_flagged_late(client):
    bos = Bos.objects.get(country__iso_code="JO")
    assert bos.status == "submitted"
    client.force_login(user("as-focal"))
    html = client.get(bos.get_absolute_url()).content.decode()
    assert "late" in html
    assert rules.qa_late(bos.submitted_on, date.today(), bos.country.calendar())


# --- query counts -----------------------------------------------------------------------------


def test_bos_pages_use_a_constant_number_of_queries(client, draft):
    client.force_login(user("vn-chair"))
    _add_kpis(draft)
    urls = [draft.get_absolute_url()] + [reverse(f"bos:{name}", args=[draft.pk]) for name in (
        "prioritisation", "results", "plan", "report")]
    before = {url: count_queries(client, url) for url in urls}
    service = draft.opportunities.get()
    chair = user("vn-chair")
    for n in range(3):
        more = actions.opportunity_create(by=chair, data={
            "bos": draft, "name": f"More {n}", "service_line": "procurement",
            "managing_agencies": [Agency.objects.get(acronym="WHO")],
            "implementation_start": draft.start_year})
        actions.opportunity_select(opportunity=more, selected=True, by=chair)
        for year in (1, 2):
            actions.cba_entry_create(by=chair, data={
                "opportunity": more, "year": year, "side": "benefit", "kind": "other",
                "nature": "recurring", "amount": D("10")})
        for kind, unit in (("cost_avoidance", "usd"), ("quality", "percent")):
            actions.kpi_add(opportunity=more, by=chair, name=f"More {n} {kind}", kind=kind,
                            unit=unit, targets={draft.start_year: D("10")})
    assert service.pk
    after = {url: count_queries(client, url) for url in urls}
    assert after == before
    assert max(after.values()) <= 40


def test_the_signed_off_bos_pages_render_for_readers(client):
    client.force_login(user("hq-analyst"))
    bos = vn_bos()
    for url in [bos.get_absolute_url(), reverse("bos:prioritisation", args=[bos.pk]),
                reverse("bos:results", args=[bos.pk]) + "?year=2024",
                reverse("bos:plan", args=[bos.pk]), reverse("bos:report", args=[bos.pk])]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.content) < 250_000


def test_the_home_page_asks_the_focal_point_to_clear_the_late_bos(client):
    client.force_login(user("as-focal"))  # Jordan is the one country of their region here
    jordan = Country.objects.get(iso_code="JO")
    html = client.get("/").content.decode()
    bos = Bos.objects.get(country=jordan)
    assert bos.get_absolute_url() in html
    assert "Quality assurance is late" in html


def test_our_bos_opens_the_latest_bos_of_the_country(client):
    client.force_login(user("vn-staff"))
    response = client.get(reverse("bos:home"))
    assert response.status_code == 302 and response["Location"] == vn_bos().get_absolute_url()


def test_two_people_editing_the_kickoff_at_once_do_not_overwrite_each_other(client, draft):
    client.force_login(user("vn-chair"))
    form = {"country": draft.country_id, "start_year": draft.start_year,
            "end_year": draft.end_year, "service_lines": ["ict", "procurement"],
            "discount_rate": "0", "version": draft.version}
    first = client.post(reverse("bos:bos_edit", args=[draft.pk]), {**form, "title": "First"})
    assert first.status_code == 302
    second = client.post(reverse("bos:bos_edit", args=[draft.pk]), {**form, "title": "Second"})
    assert second.status_code == 400
    assert "Someone else changed this BOS" in second.content.decode()
    draft.refresh_from_db()
    assert draft.title == "First"


def test_the_same_step_taken_twice_is_refused_the_second_time(draft):
    _add_kpis(draft)
    stale = Bos.objects.get(pk=draft.pk)
    actions.bos_submit(bos=draft, by=user("vn-chair"))
    with pytest.raises(ValidationError):
        actions.bos_submit(bos=stale, by=user("vn-chair"))
