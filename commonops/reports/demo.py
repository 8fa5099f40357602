"""Demo data of the Performance area: administrative budgets (the H2 savings baseline) of
the agencies of the five demo country teams, the common services other country teams
launched in the last years (so the H1 expansion table has something to count), and report
subscriptions of the regional focal point and the HQ analyst. Generated relative to today;
idempotent: rows are found by their natural keys and created only when missing."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commonops.commonservices.models import CommonService, ServiceStatus
from commonops.core.models import Agency, AgencyPresence, Country, Region, User
from commonops.reports import rules
from commonops.reports.models import AdminBudget, FileFormat, Frequency, ReportKind, Subscription

# administrative budget (USD) of each agency in a country, in the reporting year; earlier
# years are 3% lower a year
BUDGETS = {
    "VN": {"UNDP": 180_000, "UNICEF": 160_000, "UNFPA": 140_000, "WHO": 210_000,
           "FAO": 45_000, "ILO": 40_000, "UNESCO": 60_000, "UN Women": 35_000},
    "KE": {"UNDP": 280_000, "UNICEF": 240_000, "WFP": 390_000, "UNHCR": 310_000},
    "JO": {"UNDP": 190_000, "UNICEF": 210_000, "UNHCR": 420_000},
}

# common services launched by the other demo country teams: (country, years before the
# reporting year, service line, name)
LAUNCHES = [
    ("KE", 0, "ict", "Shared ICT service desk"), ("KE", 0, "procurement", "Common fuel LTA"),
    ("KE", 0, "logistics", "Shared vehicle fleet"), ("KE", 0, "administration",
                                                    "Common cleaning services"),
    ("KE", 2, "human_resources", "Joint recruitment roster"),
    ("JO", 1, "ict", "Common internet connection"), ("JO", 1, "procurement",
                                                     "Joint travel agency LTA"),
    ("JO", 1, "finance", "Common banking services"),
    ("JO", 0, "administration", "Shared security services"),
    ("SN", 0, "logistics", "Joint warehouse"), ("SN", 0, "procurement",
                                                "Common office supplies LTA"),
    ("GT", 2, "ict", "Shared video-conference rooms"), ("GT", 2, "administration",
                                                        "Common reception"),
    ("GT", 2, "human_resources", "Joint induction training"),
]


def seed(stdout=None) -> None:
    today = timezone.localdate()
    reporting = rules.reporting_year(today)
    with transaction.atomic():
        countries = {c.iso_code: c for c in Country.objects.filter(
            iso_code__in=["VN", "KE", "JO", "SN", "GT"])}
        agencies = {a.acronym: a for a in Agency.objects.all()}
        present = set(AgencyPresence.objects.values_list("country__iso_code",
                                                         "agency__acronym"))
        existing = set(AdminBudget.objects.values_list("country__iso_code", "agency__acronym",
                                                       "year"))
        rows = []
        for iso, budgets in BUDGETS.items():
            if iso not in countries:
                continue
            for acronym, amount in budgets.items():
                if (iso, acronym) not in present:
                    continue
                for back in range(5):
                    year = reporting - back
                    if (iso, acronym, year) in existing:
                        continue
                    value = (Decimal(amount) * Decimal("0.97") ** back).quantize(
                        Decimal("1"))
                    rows.append(AdminBudget(country=countries[iso], agency=agencies[acronym],
                                            year=year, amount=value,
                                            source="Agency approved budget (demo)"))
        AdminBudget.objects.bulk_create(rows)

        names = set(CommonService.objects.values_list("country__iso_code", "name"))
        for iso, back, line, name in LAUNCHES:
            if iso not in countries or (iso, name) in names:
                continue
            CommonService.objects.create(
                country=countries[iso], name=name, service_line=line,
                description=f"{name} for the agencies of the country team.",
                start_date=date(reporting - back, 3 + 2 * (len(name) % 4), 1),
                status=ServiceStatus.ACTIVE)

        people = {u.username: u for u in User.objects.filter(
            username__in=["hq-analyst", "ap-focal"])}
        asia = Region.objects.filter(code="AP").first()
        for username, kind, region, frequency in (
                ("hq-analyst", ReportKind.GLOBAL, None, Frequency.QUARTERLY),
                ("ap-focal", ReportKind.REGION, asia, Frequency.MONTHLY)):
            user = people.get(username)
            if user is not None:
                Subscription.objects.get_or_create(
                    user=user, kind=kind, region=region, country=None, agency=None,
                    defaults={"frequency": frequency, "file_format": FileFormat.PDF,
                              "language": "en"})
    if stdout is not None:
        stdout.write(f"  reports: {AdminBudget.objects.count()} administrative budgets, "
                     f"{Subscription.objects.count()} report subscriptions")
