"""Demo data for common services: Viet Nam's Green One UN House.

Twelve resident agencies, 15 common services over 2024–2026 with budgets by line, a
cost-sharing key per service and year (every method), headcounts, usage, premises with the
agencies' areas (driving the floor-area keys), monthly UN rates of exchange for VND,
expenditures in VND (some services more than 2% off budget, S3), allocations (S1),
payments (S4), MOUs and SLAs (one ending within 30 days, one within 90), contracts (one
large contract without an MOU, S2), and the two standard KPIs per service (B5). One 2026
headcount changes after the allocation, so "inputs changed since" shows. Runs once: when
Viet Nam already has common services it does nothing.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from commonops.commonservices import actions, rules
from commonops.commonservices.models import (
    AllocationShare,
    BudgetLine,
    CommonService,
    CostSharingKey,
    ExchangeRate,
    Expenditure,
    FixedShare,
    Headcount,
    KeyMethod,
    Occupancy,
    Payment,
    Usage,
)
from commonops.core.demo import VIET_NAM_RESIDENT
from commonops.core.models import Agency, Country, User

YEARS = (2024, 2025, 2026)
D = Decimal

# name, service line, key method, usage unit, managing agencies, modality, budget lines (USD)
SERVICES = [
    ("Common premises (Green One UN House)", "administration", KeyMethod.FLOOR_AREA, "",
     ["UNDP"], "in_house", {"Rent and service charge": 420000, "Utilities": 160000}),
    ("Reception and security", "administration", KeyMethod.HEADCOUNT, "", ["UNDP"],
     "outsourced", {"Guard services": 150000, "Reception staff": 48000}),
    ("Cleaning and maintenance", "administration", KeyMethod.FLOOR_AREA, "", ["UNDP"],
     "outsourced", {"Cleaning contract": 120000, "Repairs": 45000}),
    ("Conference facilities", "administration", KeyMethod.USAGE, "room bookings", ["UNDP"],
     "in_house", {"Staff": 36000, "Equipment": 12000}),
    ("Greening and energy", "administration", KeyMethod.FLOOR_AREA, "", ["UN-Habitat"],
     "in_house", {"Solar maintenance": 22000, "Waste management": 14000}),
    ("Translation and interpretation", "administration", KeyMethod.USAGE, "pages",
     ["UNESCO"], "outsourced", {"Translators": 40000}),
    ("Joint ICT network and internet", "ict", KeyMethod.HEADCOUNT, "", ["UNDP", "UNICEF"],
     "in_house", {"Connectivity": 96000, "Network staff": 70000, "Licences": 30000}),
    ("ICT service desk", "ict", KeyMethod.USAGE, "tickets", ["UNDP"], "in_house",
     {"Agents": 84000, "Tools": 16000}),
    ("Shared printing", "ict", KeyMethod.USAGE, "pages", ["UNICEF"], "outsourced",
     {"Printer lease": 28000, "Paper and toner": 9000}),
    ("Common banking services", "finance", KeyMethod.EQUAL, "", ["UNDP"], "outsourced",
     {"Bank fees": 18000}),
    ("Joint recruitment roster", "human_resources", KeyMethod.HEADCOUNT, "", ["UNFPA"],
     "in_house", {"HR associate": 30000, "Testing": 8000}),
    ("Staff medical clinic", "human_resources", KeyMethod.HEADCOUNT, "", ["WHO"],
     "in_house", {"Doctor and nurse": 90000, "Medicines": 20000}),
    ("Joint procurement LTAs", "procurement", KeyMethod.FIXED, "", ["UNICEF"], "in_house",
     {"Procurement officer": 60000}),
    ("Travel agency services", "logistics", KeyMethod.USAGE, "tickets", ["UNICEF"],
     "outsourced", {"Agency fee": 45000}),
    ("Shared vehicle fleet", "logistics", KeyMethod.USAGE, "trips", ["UNFPA"], "in_house",
     {"Drivers": 54000, "Fuel and maintenance": 38000}),
]

HEADCOUNT = {"UNDP": 180, "UNICEF": 140, "UNFPA": 60, "WHO": 90, "FAO": 55, "ILO": 45,
             "UNESCO": 35, "UN Women": 40, "UNIDO": 25, "UNODC": 30, "UNAIDS": 20,
             "UN-Habitat": 15}
AREA = {"UNDP": 2600, "UNICEF": 1900, "UNFPA": 900, "WHO": 1200, "FAO": 800, "ILO": 600,
        "UNESCO": 500, "UN Women": 500, "UNIDO": 400, "UNODC": 400, "UNAIDS": 300,
        "UN-Habitat": 300}
FIXED = {"UNICEF": 30, "UNDP": 25, "UNFPA": 15, "WHO": 15, "FAO": 10, "ILO": 5}
# services not used by every agency: name → client acronyms
CLIENTS = {"Joint procurement LTAs": list(FIXED),
           "Staff medical clinic": [a for a in VIET_NAM_RESIDENT if a != "UNAIDS"]}
# S3: these services are far off budget in 2025, to show the 2% flag
OFF_BUDGET = {"Shared vehicle fleet": D("1.08"), "Conference facilities": D("0.9")}


def seed(stdout=None) -> None:
    viet_nam = Country.objects.filter(iso_code="VN").first()
    if viet_nam is None or CommonService.objects.filter(country=viet_nam).exists():
        return
    with transaction.atomic():
        _seed_viet_nam(viet_nam)
        _link_to_bos(viet_nam)
    if stdout is not None:
        stdout.write("  commonservices: Green One UN House, 15 services, 2024–2026")


# Which BOS opportunity or stock-take entry each catalogue service implements
BOS_LINKS = {
    "ICT service desk": ("opportunity", "Common ICT service desk"),
    "Common banking services": ("opportunity", "Joint banking services"),
    "Joint recruitment roster": ("opportunity", "Common G-staff recruitment roster"),
    "Shared vehicle fleet": ("opportunity", "Shared vehicle fleet"),
    "Joint procurement LTAs": ("opportunity", "Joint fuel procurement"),
    "Common premises (Green One UN House)": ("stocktake_entry",
                                             "Green One UN House common premises"),
    "Reception and security": ("stocktake_entry", "Security guard services"),
    "Translation and interpretation": ("stocktake_entry", "Interpretation roster"),
    "Travel agency services": ("stocktake_entry", "Travel management LTA"),
}


def _link_to_bos(country: Country) -> None:
    """Tie the catalogue to Viet Nam's BOS (seeded before it), where the BOS has them."""
    from commonops.bos.models import Opportunity, StocktakeEntry

    found = {
        "opportunity": {o.name: o for o in Opportunity.objects.filter(country=country)},
        "stocktake_entry": {e.name: e for e in StocktakeEntry.objects.filter(country=country)},
    }
    for service in CommonService.objects.filter(country=country, name__in=BOS_LINKS):
        field, name = BOS_LINKS[service.name]
        target = found[field].get(name)
        if target is not None:
            CommonService.objects.filter(pk=service.pk).update(**{field: target})


def _seed_viet_nam(country: Country) -> None:
    by = User.objects.get(username="vn-csm")
    today = country.today()
    rng = random.Random(5)
    agencies = {a.acronym: a for a in Agency.objects.filter(acronym__in=VIET_NAM_RESIDENT)}
    residents = [agencies[a] for a in VIET_NAM_RESIDENT]

    # S3: UN operational rates of exchange for VND, every month of the three years
    months = [date(y, m, 1) for y in YEARS for m in range(1, 13)]
    existing = set(ExchangeRate.objects.filter(currency="VND").values_list("month", flat=True))
    ExchangeRate.objects.bulk_create([
        ExchangeRate(currency="VND", month=m, rate=D(24300 + 45 * i))
        for i, m in enumerate(months) if m not in existing])
    rates = dict(ExchangeRate.objects.filter(currency="VND").values_list("month", "rate"))

    # S5: premises and the agencies' areas
    house = actions.premises_create(by=by, data={
        "country": country, "name": "Green One UN House",
        "address": "304 Kim Ma, Ba Dinh, Hanoi", "area_m2": D(12000), "desk_capacity": 900,
        "desks_occupied": 760, "ownership": "government"})
    warehouse = actions.premises_create(by=by, data={
        "country": country, "name": "Long Bien warehouse", "address": "Long Bien, Hanoi",
        "area_m2": D(1500), "desk_capacity": 12, "desks_occupied": 8, "ownership": "leased"})
    Occupancy.objects.bulk_create(
        [Occupancy(country=country, premises=house, agency=agencies[a], area_m2=D(area),
                   desks=area // 14) for a, area in AREA.items()]
        + [Occupancy(country=country, premises=warehouse, agency=agencies[a],
                     area_m2=D(area), desks=2)
           for a, area in (("UNICEF", 800), ("UNFPA", 300), ("WHO", 400))])

    # S1: the catalogue
    services = {}
    for name, line, _method, _unit, providers, modality, _lines in SERVICES:
        clients = [agencies[a] for a in CLIENTS.get(name, VIET_NAM_RESIDENT)]
        services[name] = actions.service_create(by=by, data={
            "country": country, "name": name, "service_line": line, "modality": modality,
            "description": f"{name} for the agencies of the Green One UN House.",
            "start_date": date(2019, 1, 1) if line == "administration" else date(2021, 7, 1),
            "status": "active", "provider_agencies": [agencies[a] for a in providers],
            "client_agencies": clients})

    # S1: inputs, budgets and keys per year
    Headcount.objects.bulk_create([
        Headcount(country=country, agency=agencies[a], year=year,
                  headcount=count + (year - 2024) * rng.randint(-3, 6))
        for year in YEARS for a, count in HEADCOUNT.items()])
    budget_lines, keys, usage = [], [], []
    for name, _line, method, unit, _providers, _modality, lines in SERVICES:
        service = services[name]
        for year in YEARS:
            growth = D(1) + D("0.04") * (year - 2024)
            budget_lines += [BudgetLine(country=country, service=service, year=year, line=bl,
                                        amount=rules.to_cent(D(amount) * growth))
                             for bl, amount in lines.items()]
            keys.append(CostSharingKey(
                country=country, service=service, year=year, method=method, usage_unit=unit,
                premises=house if method == KeyMethod.FLOOR_AREA else None))
            if method == KeyMethod.USAGE:
                usage += [Usage(country=country, service=service, agency=agencies[a],
                                year=year, units=D(HEADCOUNT[a] * rng.randint(2, 9)))
                          for a in CLIENTS.get(name, VIET_NAM_RESIDENT)]
    BudgetLine.objects.bulk_create(budget_lines)
    keys = CostSharingKey.objects.bulk_create(keys)
    Usage.objects.bulk_create(usage)
    FixedShare.objects.bulk_create([
        FixedShare(country=country, key=key, agency=agencies[a], percent=D(p))
        for key in keys if key.method == KeyMethod.FIXED for a, p in FIXED.items()])

    for key in keys:
        actions.allocation_allocate(service=key.service, year=key.year, by=by)

    # S3: monthly expenditure in VND; 2026 up to last month
    expenditures = []
    budgets = {(b.service_id, b.year, b.line): b.amount for b in budget_lines}
    for (service_id, year, line), amount in budgets.items():
        service = next(s for s in services.values() if s.pk == service_id)
        factor = OFF_BUDGET.get(service.name, D(1)) if year == 2025 else D(1)
        last_month = 12 if year < today.year else max(1, today.month - 1)
        for month in range(1, last_month + 1):
            usd = amount * factor / 12 * (D(1) + D(rng.randint(-10, 10)) / 1000)
            rate = rates[date(year, month, 1)]
            local = rules.to_cent(usd * rate)
            expenditures.append(Expenditure(
                country=country, service_id=service_id, year=year,
                spent_on=date(year, month, 15), budget_line=line,
                description=f"{line}, {year}-{month:02d}", amount_local=local,
                currency="VND", rate=rate, amount_usd=rules.to_usd(local, rate)))
    Expenditure.objects.bulk_create(expenditures)

    # S4: payments — in full for past years, half for the current one
    owed = (AllocationShare.objects.filter(allocation__country=country)
            .values("agency_id", "allocation__year").annotate(total=Sum("amount")))
    Payment.objects.bulk_create([
        Payment(country=country, agency_id=row["agency_id"], year=row["allocation__year"],
                received_on=date(row["allocation__year"], 3, 31),
                amount=row["total"] if row["allocation__year"] < 2026
                else rules.to_cent(row["total"] / 2),
                reference=f"VN-CSA-{row['allocation__year']}-{row['agency_id']}")
        for row in owed if row["total"]])

    # A 2026 input changes after the allocation: the allocation shows "inputs changed".
    hc = Headcount.objects.get(country=country, agency=agencies["UNICEF"], year=2026)
    actions.headcount_update(headcount=hc, by=by, data={"headcount": hc.headcount + 12})

    # S2: agreements and contracts
    all_parties = residents
    premises_mou = actions.agreement_create(by=by, data={
        "country": country, "kind": "mou", "title": "Green One UN House common premises",
        "provider": agencies["UNDP"], "parties": all_parties,
        "services": [services[n] for n in ("Common premises (Green One UN House)",
                                            "Reception and security",
                                            "Cleaning and maintenance",
                                            "Greening and energy")],
        "starts_on": date(2024, 1, 1), "ends_on": today + timedelta(days=25),
        "cost_sharing_key": KeyMethod.FLOOR_AREA,
        "performance_metrics": "Building available 99% of working hours; "
                               "repairs within 2 working days."})
    actions.agreement_create(by=by, data={
        "country": country, "kind": "sla", "title": "ICT common services",
        "provider": agencies["UNDP"], "parties": all_parties,
        "services": [services[n] for n in ("Joint ICT network and internet",
                                            "ICT service desk", "Shared printing")],
        "starts_on": date(2024, 1, 1), "ends_on": today + timedelta(days=75),
        "cost_sharing_key": KeyMethod.HEADCOUNT,
        "performance_metrics": "Network uptime 99.5%; P1 tickets resolved in 4 business "
                               "hours."})
    procurement_mou = actions.agreement_create(by=by, data={
        "country": country, "kind": "mou", "title": "Joint procurement and travel",
        "provider": agencies["UNICEF"], "parties": [agencies[a] for a in FIXED],
        "services": [services["Joint procurement LTAs"], services["Travel agency services"]],
        "starts_on": date(2024, 1, 1), "ends_on": date(2027, 12, 31),
        "cost_sharing_key": KeyMethod.FIXED,
        "performance_metrics": "LTAs renewed before expiry; savings reported yearly."})
    actions.agreement_create(by=by, data={
        "country": country, "kind": "sla", "title": "Shared vehicle fleet",
        "provider": agencies["UNFPA"], "parties": all_parties,
        "services": [services["Shared vehicle fleet"]],
        "starts_on": date(2025, 1, 1), "ends_on": date(2026, 12, 31) + timedelta(days=365),
        "cost_sharing_key": KeyMethod.USAGE,
        "performance_metrics": "Vehicles booked within 1 working day."})
    for reference, vendor, value, currency, start, end, mou, names in [
        ("VN-CT-2024-001", "Sach Dep Cleaning JSC", D(180000), "USD", date(2024, 1, 1),
         date(2026, 12, 31), premises_mou, ["Cleaning and maintenance"]),
        ("VN-CT-2024-002", "An Ninh Security Co.", D(3900000000), "VND", date(2024, 1, 1),
         date(2026, 12, 31), premises_mou, ["Reception and security"]),
        ("VN-CT-2025-003", "Saigon Travel Ltd", D(95000), "USD", date(2025, 1, 1),
         date(2027, 12, 31), procurement_mou, ["Travel agency services"]),
        ("VN-CT-2025-004", "Hanoi Auto Service Garage", D(120000), "USD", date(2025, 3, 1),
         date(2027, 2, 28), None, ["Shared vehicle fleet"]),
        ("VN-CT-2026-005", "PrintSmart Vietnam", D(30000), "USD", date(2026, 1, 1),
         today + timedelta(days=20), None, ["Shared printing"]),
    ]:
        actions.contract_create(by=by, data={
            "country": country, "reference": reference, "vendor": vendor, "value": value,
            "currency": currency, "starts_on": start, "ends_on": end, "agreement": mou,
            "services": [services[n] for n in names]})

    _seed_kpis(services, by, rng)


def _seed_kpis(services, by, rng) -> None:
    """B5: a cost-avoidance and a satisfaction KPI per service, with targets and actuals."""
    from commonops.results import actions as results_actions

    for service in services.values():
        for indicator in actions.service_kpis_create(service=service, by=by):
            cost = indicator.kind == "cost_avoidance"
            base = D(rng.randint(5, 40) * 1000) if cost else D(rng.randint(60, 75))
            results_actions.indicator_update(indicator=indicator, by=by, data={
                "baseline": base, "baseline_year": 2023})
            for year in YEARS:
                step = D(year - 2023)
                target = base * (1 + D("0.15") * step) if cost else min(D(95), base + 5 * step)
                results_actions.target_set(indicator=indicator, year=year,
                                           value=rules.to_cent(target), by=by)
                if year < 2026:
                    actual = target * D(rng.randint(85, 110)) / 100
                    results_actions.measurement_record(
                        indicator=indicator, year=year, value=rules.to_cent(actual), by=by,
                        means_of_verification="OMT annual report")
