"""Demo data for the BOS: Viet Nam's BOS 2022–2026 signed off, with four years of annual
reporting (2022–2025); Jordan's BOS 2023–2027 in quality assurance (late); Kenya's BOS
2024–2028 in draft. Everything goes through bos/actions.py with the people who may do each
step (B1): the OMT chair writes, the regional focal point clears, a UNCT member endorses,
the RC signs off. Runs once: when Viet Nam already has a BOS it does nothing.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from commonops.bos import actions
from commonops.bos.models import AnnualResult, Bos, GradeRate
from commonops.core.demo import DEMO_PASSWORD
from commonops.core.models import Agency, Country, Region, RoleAssignment, User
from commonops.core.roles import Role
from commonops.results import actions as results_actions

D = Decimal
ALL_LINES = ["administration", "finance", "human_resources", "ict", "logistics",
             "procurement"]

# hourly cost (USD) by grade in the first year; later years add the yearly increase
GRADE_RATES = {"P-3": D("62.50"), "P-4": D("74.80"), "G-5": D("24.60"), "G-6": D("28.40"),
               "NO-B": D("38.20"), "NO-C": D("45.10")}
# Viet Nam's G-6 rates, written out so the worked CBA example can be checked by hand
VN_G6 = {2022: D("28.40"), 2023: D("29.25"), 2024: D("30.13"), 2025: D("31.03"),
         2026: D("31.96")}


def _rates(country, first_year: int, years: int, exact=None) -> list[GradeRate]:
    rows = []
    for offset in range(years):
        year = first_year + offset
        for grade, rate in GRADE_RATES.items():
            value = (rate * D("1.03") ** offset).quantize(D("0.01"))
            if exact and grade in exact:
                value = exact[grade][year]
            rows.append(GradeRate(country=country, year=year, grade=grade, hourly_rate=value))
    return rows


def seed(stdout=None) -> None:
    viet_nam = Country.objects.filter(iso_code="VN").first()
    if viet_nam is None or Bos.objects.filter(country=viet_nam).exists():
        return
    agencies = {a.acronym: a for a in Agency.objects.all()}
    people = {u.username: u for u in User.objects.filter(username__in=[
        "vn-chair", "vn-rc", "vn-unct", "vn-me", "ap-focal", "jo-chair", "ke-chair"])}
    GradeRate.objects.bulk_create(
        _rates(viet_nam, 2022, 5, exact={"G-6": VN_G6})
        + _rates(Country.objects.get(iso_code="JO"), 2023, 5)
        + _rates(Country.objects.get(iso_code="KE"), 2024, 5))
    _viet_nam(viet_nam, agencies, people)
    _jordan(Country.objects.get(iso_code="JO"), agencies, people)
    _kenya(Country.objects.get(iso_code="KE"), agencies, people)
    if stdout is not None:
        stdout.write("  bos: Viet Nam signed off with 4 years of reporting, Jordan in QA, "
                     "Kenya in draft")


def _opportunity(bos, by, agencies, *, name, line, managing, participating, start,
                 selected=True, approach="exact", sources="", description="", lines=()):
    opportunity = actions.opportunity_create(by=by, data={
        "bos": bos, "name": name, "service_line": line, "description": description,
        "managing_agencies": [agencies[a] for a in managing],
        "participating_agencies": [agencies[a] for a in participating],
        "approach": approach, "data_sources": sources, "implementation_start": start})
    for year_range, side, kind, nature, description, values in lines:
        for year in year_range:
            actions.cba_entry_create(by=by, data={
                "opportunity": opportunity, "year": year, "side": side, "kind": kind,
                "nature": nature, "description": description, **values})
    if selected:
        actions.opportunity_select(opportunity=opportunity, selected=True, by=by)
    return opportunity


def _kpis(bos, opportunity, by, *, saving_targets, satisfaction_targets):
    cost = actions.kpi_add(
        opportunity=opportunity, by=by, name=f"{opportunity.name}: cost avoidance",
        kind="cost_avoidance", unit="usd", direction="increase", baseline=D("0"),
        means_of_verification="Agency finance records, OMT annual report",
        targets=saving_targets)
    quality = actions.kpi_add(
        opportunity=opportunity, by=by, name=f"{opportunity.name}: client satisfaction",
        kind="quality", unit="percent", direction="increase", baseline=D("70"),
        means_of_verification="Annual client-satisfaction survey",
        targets=satisfaction_targets)
    return cost, quality


def _viet_nam(country, agencies, people) -> None:
    chair = people["vn-chair"]
    years = range(2022, 2027)
    bos = actions.bos_create(by=chair, data={
        "country": country, "title": "One UN Business Operations Strategy",
        "start_year": 2022, "end_year": 2026, "kickoff_on": date(2021, 11, 15),
        "scope": "Green One UN House: deepen the common back office of the twelve resident "
                 "agencies, starting with ICT, procurement, human resources and logistics.",
        "service_lines": ALL_LINES, "discount_rate": D("0.05"),
        "participating_agencies": [agencies[a] for a in (
            "UNDP", "UNICEF", "UNFPA", "WHO", "FAO", "ILO", "UNESCO", "UN Women")]})
    for name, line, modality, managing, since, action in [
        ("Green One UN House common premises", "administration", "in_house", ["UNDP"], 2015,
         "continue"),
        ("Security guard services", "administration", "outsourced", ["UNDP"], 2016,
         "scale_up"),
        ("Travel management LTA", "procurement", "outsourced", ["UNICEF"], 2017, "modify"),
        ("Interpretation roster", "human_resources", "in_house", ["UNESCO"], 2018,
         "discontinue"),
    ]:
        actions.stocktake_entry_create(by=chair, data={
            "bos": bos, "name": name, "service_line": line, "modality": modality,
            "managing_agencies": [agencies[a] for a in managing],
            "participating_agencies": [agencies[a] for a in ("UNICEF", "UNFPA", "WHO")],
            "implemented_since": since, "action": action})

    five = range(1, 6)
    helpdesk = _opportunity(
        bos, chair, agencies, name="Common ICT service desk", line="ict",
        managing=["UNDP"], participating=["UNICEF", "UNFPA", "WHO"], start=2022,
        sources="Agency ICT contracts 2021; timesheets of ICT staff",
        description="One service desk for the agencies of the Green One UN House.",
        lines=[
            ([1], "cost", "monetary", "one_time", "Service-desk software and set-up",
             {"amount": D("45000.00")}),
            ([1], "cost", "labour", "one_time", "Project management, 320 h P-3",
             {"hours": D("320"), "grade": "P-3"}),
            (five, "cost", "monetary", "recurring", "Licences and hosting",
             {"amount": D("18000.00")}),
            (five, "benefit", "labour", "recurring", "ICT staff time freed, 1,600 h G-6",
             {"hours": D("1600"), "grade": "G-6"}),
            (five, "benefit", "monetary", "recurring", "Agency helpdesk contracts ended",
             {"amount": D("12000.00")}),
        ])
    fuel = _opportunity(
        bos, chair, agencies, name="Joint fuel procurement", line="procurement",
        managing=["UNICEF"], participating=["UNDP", "WHO", "FAO"], start=2022,
        sources="Fuel invoices 2021 of four agencies",
        lines=[
            ([1], "cost", "labour", "one_time", "Joint tender, 200 h NO-B",
             {"hours": D("200"), "grade": "NO-B"}),
            (five, "benefit", "monetary", "recurring",
             "Fuel: 150,000 litres at 1.10 → 0.98 USD",
             {"old_unit_price": D("1.10"), "new_unit_price": D("0.98"),
              "volume": D("150000")}),
        ])
    roster = _opportunity(
        bos, chair, agencies, name="Common G-staff recruitment roster",
        line="human_resources", managing=["UNFPA"], participating=["UNDP", "UNICEF"],
        start=2023, approach="estimated", sources="Figures of the Kenya and Malawi rosters",
        lines=[
            ([1], "cost", "monetary", "one_time", "Assessment centre set-up",
             {"amount": D("15000.00")}),
            (range(1, 5), "benefit", "labour", "recurring", "HR time saved, 700 h G-5",
             {"hours": D("700"), "grade": "G-5"}),
            (range(1, 5), "benefit", "other", "recurring", "Shorter vacancy periods",
             {"amount": D("6000.00")}),
        ])
    fleet = _opportunity(
        bos, chair, agencies, name="Shared vehicle fleet", line="logistics",
        managing=["WHO"], participating=["UNDP", "UNESCO"], start=2022,
        lines=[
            ([1], "cost", "monetary", "one_time", "Fleet-management system",
             {"amount": D("22000.00")}),
            (five, "cost", "monetary", "recurring", "Pool drivers",
             {"amount": D("9000.00")}),
            (five, "benefit", "monetary", "recurring", "Fewer vehicles kept",
             {"amount": D("21000.00")}),
        ])
    _opportunity(
        bos, chair, agencies, name="Joint banking services", line="finance",
        managing=["UNDP"], participating=["UNICEF"], start=None, selected=False,
        approach="estimated", sources="Regional bank offer",
        lines=[([1], "cost", "other", "one_time", "Legal review", {"amount": D("8000.00")}),
               (five, "benefit", "monetary", "recurring", "Lower bank fees",
                {"amount": D("2500.00")})])

    services = [helpdesk, fuel, roster, fleet]
    kpis = {}
    for service, saving in ((helpdesk, D("40000")), (fuel, D("15000")),
                            (roster, D("20000")), (fleet, D("10000"))):
        kpis[service.pk] = _kpis(
            bos, service, chair,
            saving_targets={y: saving for y in years},
            satisfaction_targets={y: D("80") + (y - 2022) * 2 for y in years})
    for line, statement in [
        ("ict", "Agencies share one ICT service desk and common connectivity."),
        ("procurement", "Agencies buy common goods jointly under shared LTAs."),
        ("human_resources", "Agencies recruit G-staff from one common roster."),
        ("logistics", "Agencies share vehicles and drivers."),
        ("administration", "Common premises run at lower cost per desk."),
    ]:
        actions.outcome_create(by=chair, data={"bos": bos, "service_line": line,
                                               "statement": statement})
    outcomes = {o.service_line: o for o in bos.outcomes.all()}
    for line, service, name, owner, start, end, budget, funded in [
        ("ict", helpdesk, "Procure service-desk software", "UNDP", date(2022, 2, 1),
         date(2022, 5, 31), D("45000"), D("45000")),
        ("ict", helpdesk, "Train agency focal points", "UNDP", date(2022, 6, 1),
         date(2022, 9, 30), D("8000"), D("5000")),
        ("procurement", fuel, "Joint fuel tender", "UNICEF", date(2022, 1, 15),
         date(2022, 4, 30), D("7640"), D("7640")),
        ("human_resources", roster, "Set up the assessment centre", "UNFPA",
         date(2023, 1, 10), date(2023, 6, 30), D("15000"), D("9000")),
        ("logistics", fleet, "Fleet-management system", "WHO", date(2022, 3, 1),
         date(2022, 8, 31), D("22000"), D("22000")),
        ("administration", None, "Space-use survey of the One UN House", "UNDP",
         date(2024, 2, 1), date(2024, 4, 30), D("12000"), D("0")),
    ]:
        actions.activity_create(by=chair, data={
            "outcome": outcomes[line], "opportunity": service, "name": name,
            "owner": agencies[owner], "starts_on": start, "ends_on": end, "budget": budget,
            "funded": funded})

    actions.bos_submit(bos=bos, by=chair, today=date(2022, 1, 10))
    actions.bos_clear(bos=bos, by=people["ap-focal"], today=date(2022, 1, 20))
    actions.bos_endorse(bos=bos, by=people["vn-unct"], today=date(2022, 2, 8))
    actions.bos_sign_off(bos=bos, by=people["vn-rc"], today=date(2022, 2, 15))

    # B7: four years of annual reporting, 2022–2025
    me = people["vn-me"]
    realised_share = {2022: D("0.85"), 2023: D("0.95"), 2024: D("1.02"), 2025: D("0.97")}
    satisfaction = {2022: D("78"), 2023: D("83"), 2024: D("85"), 2025: D("84")}
    results = []
    for service in services:
        service.refresh_from_db()
        cost_kpi, quality_kpi = kpis[service.pk]
        members = [*service.managing_agencies.all(), *service.participating_agencies.all()]
        for year in range(2022, 2026):
            if year < service.implementation_start:
                continue
            target = D("40000") if service == helpdesk else D("15000")
            realised_total = D(0)
            for index, agency in enumerate(members):
                amount = (target / len(members) * realised_share[year]
                          * (D("1.1") if index == 0 else D("1"))).quantize(D("0.01"))
                realised_total += amount
                results.append(AnnualResult(
                    country=country, opportunity=service, agency=agency, year=year,
                    realised_cost_avoidance=amount,
                    funds_spent=(D("3000") if index == 0 else D("500")),
                    feedback=("Faster response than our old helpdesk." if service == helpdesk
                              and index == 1 and year == 2024 else "")))
            results_actions.measurement_record(
                indicator=cost_kpi, year=year, value=realised_total, by=me,
                means_of_verification="OMT annual report")
            results_actions.measurement_record(
                indicator=quality_kpi, year=year, value=satisfaction[year], by=me,
                means_of_verification="Client-satisfaction survey")
    AnnualResult.objects.bulk_create(results)


def _focal_point_for(region_code: str, username: str, first: str, last: str, agency):
    """A regional focal point for a region that has none in the organisation demo."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=first, last_name=last,
                    email=f"{username}@commonops.example", agency=agency,
                    job_title="Regional Operations Adviser", languages="en")
        user.password = make_password(DEMO_PASSWORD)
        user.save()
    RoleAssignment.objects.get_or_create(user=user, role=Role.REGIONAL_FOCAL_POINT,
                                         region=Region.objects.get(code=region_code))
    return user


def _jordan(country, agencies, people) -> None:
    _focal_point_for("ASNA", "as-focal", "Leila", "Mansour", agencies["UNDP"])
    chair = people["jo-chair"]
    bos = actions.bos_create(by=chair, data={
        "country": country, "title": "Business Operations Strategy", "start_year": 2023,
        "end_year": 2027, "kickoff_on": date(2022, 9, 20),
        "service_lines": ["logistics", "procurement", "ict"],
        "participating_agencies": [agencies[a] for a in ("UNDP", "UNICEF", "WFP", "UNHCR")]})
    actions.stocktake_entry_create(by=chair, data={
        "bos": bos, "name": "Common warehouse in Amman", "service_line": "logistics",
        "modality": "in_house", "managing_agencies": [agencies["WFP"]],
        "participating_agencies": [agencies["UNHCR"], agencies["UNICEF"]],
        "implemented_since": 2019, "action": "scale_up"})
    five = range(1, 6)
    transport = _opportunity(
        bos, chair, agencies, name="Joint transport LTA", line="logistics",
        managing=["WFP"], participating=["UNHCR", "UNICEF"], start=2023,
        sources="Transport invoices 2022",
        lines=[([1], "cost", "labour", "one_time", "Tender, 150 h NO-C",
                {"hours": D("150"), "grade": "NO-C"}),
               (five, "benefit", "monetary", "recurring", "Lower transport rates",
                {"amount": D("30000.00")})])
    _kpis(bos, transport, chair, saving_targets={y: D("25000") for y in range(2023, 2028)},
          satisfaction_targets={y: D("80") for y in range(2023, 2028)})
    actions.outcome_create(by=chair, data={
        "bos": bos, "service_line": "logistics",
        "statement": "Agencies move goods under shared transport contracts."})
    # submitted twenty days ago: QA (ten working days) is late
    actions.bos_submit(bos=bos, by=chair, today=bos.country.today() - timedelta(days=20))


def _kenya(country, agencies, people) -> None:
    chair = people["ke-chair"]
    bos = actions.bos_create(by=chair, data={
        "country": country, "title": "Business Operations Strategy", "start_year": 2024,
        "end_year": 2028, "kickoff_on": date(2024, 2, 12),
        "service_lines": ["administration", "ict"],
        "participating_agencies": [agencies[a] for a in ("UNDP", "UNEP", "UN-Habitat")]})
    actions.stocktake_entry_create(by=chair, data={
        "bos": bos, "name": "UN Gigiri complex services", "service_line": "administration",
        "modality": "in_house", "managing_agencies": [agencies["UNEP"]],
        "participating_agencies": [agencies["UN-Habitat"], agencies["UNDP"]],
        "implemented_since": 2011, "action": "continue"})
    _opportunity(
        bos, chair, agencies, name="Shared ICT connectivity", line="ict",
        managing=["UNDP"], participating=["UNEP", "UN-Habitat"], start=2025,
        approach="estimated", sources="Comparable figures from Uganda",
        lines=[([1], "cost", "monetary", "one_time", "Fibre link",
                {"amount": D("40000.00")}),
               (range(1, 6), "benefit", "monetary", "recurring", "Lower bandwidth cost",
                {"amount": D("15000.00")})])
