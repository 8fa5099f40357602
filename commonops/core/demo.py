"""Demo data for the organisation: regions, five country teams, agencies, people in every role.

Called by `manage.py seed_demo`, which runs each app's `demo.seed()` in INSTALLED_APPS order.
Idempotent: rows are found by their natural keys and created only when missing, so running
it twice changes nothing. Every demo person's password is DEMO_PASSWORD; `admin` has `admin`.
"""

from datetime import date, time

from django.contrib.auth.hashers import make_password
from django.db import transaction

from commonops.core.models import (
    Agency,
    AgencyPresence,
    Country,
    Presence,
    PublicHoliday,
    Region,
    RoleAssignment,
    User,
    WorkingWeek,
)
from commonops.core.roles import Role

DEMO_PASSWORD = "commonops-demo"

REGIONS = [
    ("AP", "Asia/Pacific"),
    ("ESA", "Eastern/Southern Africa"),
    ("WA", "West Africa"),
    ("ASNA", "Arab States/North Africa"),
    ("LAC", "Latin America/Caribbean"),
    ("EECIS", "Eastern Europe/CIS"),
]

AGENCIES = [
    ("UNDP", "United Nations Development Programme"),
    ("UNICEF", "United Nations Children's Fund"),
    ("UNFPA", "United Nations Population Fund"),
    ("WHO", "World Health Organization"),
    ("FAO", "Food and Agriculture Organization of the United Nations"),
    ("ILO", "International Labour Organization"),
    ("UNESCO", "United Nations Educational, Scientific and Cultural Organization"),
    ("UN Women", "United Nations Entity for Gender Equality and the Empowerment of Women"),
    ("UNIDO", "United Nations Industrial Development Organization"),
    ("UNODC", "United Nations Office on Drugs and Crime"),
    ("UNAIDS", "Joint United Nations Programme on HIV/AIDS"),
    ("UN-Habitat", "United Nations Human Settlements Programme"),
    ("WFP", "World Food Programme"),
    ("UNHCR", "Office of the United Nations High Commissioner for Refugees"),
    ("IOM", "International Organization for Migration"),
    ("IFAD", "International Fund for Agricultural Development"),
    ("UNEP", "United Nations Environment Programme"),
    ("UNOPS", "United Nations Office for Project Services"),
    ("OHCHR", "Office of the United Nations High Commissioner for Human Rights"),
    ("ITC", "International Trade Centre"),
]

# iso, name, region, currency, tz, working week, expenditure (USD)
COUNTRIES = [
    ("VN", "Viet Nam", "AP", "VND", "Asia/Ho_Chi_Minh", WorkingWeek.MONDAY_TO_FRIDAY,
     "98000000"),
    ("JO", "Jordan", "ASNA", "JOD", "Asia/Amman", WorkingWeek.SUNDAY_TO_THURSDAY,
     "310000000"),
    ("KE", "Kenya", "ESA", "KES", "Africa/Nairobi", WorkingWeek.MONDAY_TO_FRIDAY,
     "450000000"),
    ("SN", "Senegal", "WA", "XOF", "Africa/Dakar", WorkingWeek.MONDAY_TO_FRIDAY, "75000000"),
    ("GT", "Guatemala", "LAC", "GTQ", "America/Guatemala", WorkingWeek.MONDAY_TO_FRIDAY,
     "36000000"),
]

# The twelve resident agencies of Viet Nam's Green One UN House.
VIET_NAM_RESIDENT = ["UNDP", "UNICEF", "UNFPA", "WHO", "FAO", "ILO", "UNESCO", "UN Women",
                     "UNIDO", "UNODC", "UNAIDS", "UN-Habitat"]
PRESENCE = {
    "VN": (VIET_NAM_RESIDENT, ["IFAD", "ITC", "UNEP"]),
    "JO": (["UNDP", "UNICEF", "WFP", "UNHCR", "WHO", "UNFPA", "IOM", "UN Women", "UNESCO",
            "FAO", "ILO", "UNOPS"], ["IFAD", "OHCHR"]),
    "KE": (["UNDP", "UNICEF", "WFP", "UNHCR", "WHO", "UNFPA", "IOM", "UNEP", "UN-Habitat",
            "FAO", "ILO", "UNOPS", "UNODC", "UN Women"], ["ITC"]),
    "SN": (["UNDP", "UNICEF", "WFP", "WHO", "UNFPA", "FAO", "UNESCO", "IOM"], ["UNIDO"]),
    "GT": (["UNDP", "UNICEF", "WFP", "UNFPA", "FAO", "OHCHR", "UNOPS"], ["UNESCO"]),
}

HOLIDAYS = {
    "VN": [
        (date(2026, 1, 1), "New Year's Day"),
        *[(date(2026, 2, d), "Tết (Lunar New Year)") for d in (16, 17, 18, 19, 20)],
        (date(2026, 4, 27), "Hùng Kings' Commemoration (observed)"),
        (date(2026, 4, 30), "Reunification Day"), (date(2026, 5, 1), "Labour Day"),
        (date(2026, 9, 1), "National Day holiday"), (date(2026, 9, 2), "National Day"),
        (date(2027, 1, 1), "New Year's Day"),
        *[(date(2027, 2, d), "Tết (Lunar New Year)") for d in (5, 8, 9, 10, 11)],
        (date(2027, 4, 16), "Hùng Kings' Commemoration"),
        (date(2027, 4, 30), "Reunification Day"), (date(2027, 5, 3), "Labour Day (observed)"),
        (date(2027, 9, 2), "National Day"), (date(2027, 9, 3), "National Day holiday"),
    ],
    "JO": [
        (date(2026, 1, 1), "New Year's Day"), (date(2026, 3, 19), "Eid al-Fitr"),
        (date(2026, 3, 22), "Eid al-Fitr holiday"), (date(2026, 5, 1), "Labour Day"),
        (date(2026, 5, 25), "Independence Day"), (date(2026, 5, 26), "Eid al-Adha"),
        (date(2026, 5, 27), "Eid al-Adha holiday"), (date(2026, 6, 16), "Islamic New Year"),
        (date(2026, 8, 25), "Prophet's Birthday"), (date(2026, 12, 24), "Christmas Eve"),
        (date(2026, 12, 25), "Christmas Day"),
        (date(2027, 1, 1), "New Year's Day"), (date(2027, 3, 9), "Eid al-Fitr"),
        (date(2027, 5, 25), "Independence Day"), (date(2027, 12, 25), "Christmas Day"),
    ],
    "KE": [
        (date(2026, 1, 1), "New Year's Day"), (date(2026, 4, 3), "Good Friday"),
        (date(2026, 4, 6), "Easter Monday"), (date(2026, 5, 1), "Labour Day"),
        (date(2026, 6, 1), "Madaraka Day"), (date(2026, 10, 10), "Mazingira Day"),
        (date(2026, 10, 20), "Mashujaa Day"), (date(2026, 12, 12), "Jamhuri Day"),
        (date(2026, 12, 25), "Christmas Day"), (date(2026, 12, 26), "Boxing Day"),
        (date(2027, 1, 1), "New Year's Day"), (date(2027, 3, 26), "Good Friday"),
        (date(2027, 3, 29), "Easter Monday"), (date(2027, 12, 13), "Jamhuri Day (observed)"),
    ],
    "SN": [
        (date(2026, 1, 1), "New Year's Day"), (date(2026, 4, 4), "Independence Day"),
        (date(2026, 4, 6), "Easter Monday"), (date(2026, 5, 1), "Labour Day"),
        (date(2026, 8, 15), "Assumption"), (date(2026, 12, 25), "Christmas Day"),
    ],
    "GT": [
        (date(2026, 1, 1), "New Year's Day"), (date(2026, 4, 2), "Holy Thursday"),
        (date(2026, 4, 3), "Good Friday"), (date(2026, 5, 1), "Labour Day"),
        (date(2026, 9, 15), "Independence Day"), (date(2026, 10, 20), "Revolution Day"),
        (date(2026, 12, 25), "Christmas Day"),
    ],
}

# username, first, last, agency, duty country, job title, languages, [(role, scope code)]
# A scope code is a country ISO code, a region code prefixed "region:", or "" (everywhere).
PEOPLE = [
    ("vn-rc", "Lan", "Pham", "UNDP", "VN", "Resident Coordinator", "en,vi",
     [(Role.RC, "VN")]),
    ("vn-chair", "Minh", "Nguyen", "UNDP", "VN", "Operations Manager, UNDP", "en,vi",
     [(Role.OMT_CHAIR, "VN"), (Role.OMT_MEMBER, "VN")]),
    ("vn-cochair", "Sophie", "Martin", "UNICEF", "VN", "Operations Manager, UNICEF", "en,fr",
     [(Role.OMT_CO_CHAIR, "VN"), (Role.OMT_MEMBER, "VN")]),
    ("vn-member", "Hoa", "Tran", "WHO", "VN", "Administrative Officer, WHO", "en,vi",
     [(Role.OMT_MEMBER, "VN"), (Role.TASK_FORCE_MEMBER, "VN")]),
    ("vn-secretary", "Nga", "Phan", "UNDP", "VN", "Coordination Associate, RCO", "en,vi",
     [(Role.OMT_SECRETARY, "VN")]),
    ("vn-unct", "Ana", "García", "WHO", "VN", "WHO Representative", "en,es",
     [(Role.UNCT_MEMBER, "VN")]),
    ("vn-me", "Duc", "Le", "UNFPA", "VN", "M&E Specialist", "en,vi",
     [(Role.ME_FOCAL_POINT, "VN")]),
    ("vn-csm", "Thu", "Vo", "UNDP", "VN", "Common Services Manager", "en,vi",
     [(Role.CS_MANAGER, "VN")]),
    ("vn-sdm", "Quang", "Bui", "UNDP", "VN", "ICT Manager", "en,vi",
     [(Role.SD_MANAGER, "VN"), (Role.SD_AGENT, "VN")]),
    ("vn-agent1", "Mai", "Dang", "UNICEF", "VN", "ICT Associate", "en,vi",
     [(Role.SD_AGENT, "VN")]),
    ("vn-agent2", "Tuan", "Hoang", "UNFPA", "VN", "ICT Assistant", "en,vi",
     [(Role.SD_AGENT, "VN")]),
    ("vn-staff", "Linh", "Do", "UNESCO", "VN", "Programme Assistant", "en,vi",
     [(Role.STAFF, "VN")]),
    ("vn-senior", "Thanh", "Vu", "UNDP", "VN", "Resident Representative, UNDP", "en,vi",
     [(Role.SENIOR_MANAGER, "VN")]),
    ("vn-endorser", "Karin", "Larsen", "UNDP", "VN", "Regional Director, UNDP", "en",
     [(Role.ENDORSER, "VN")]),
    ("jo-rc", "Omar", "Haddad", "UNDP", "JO", "Resident Coordinator", "en,ar",
     [(Role.RC, "JO")]),
    ("jo-chair", "Rania", "Khalil", "UNICEF", "JO", "Operations Manager, UNICEF", "en,ar",
     [(Role.OMT_CHAIR, "JO"), (Role.OMT_MEMBER, "JO")]),
    ("jo-staff", "Yousef", "Nasser", "UNHCR", "JO", "Admin Assistant", "en,ar",
     [(Role.STAFF, "JO")]),
    ("ke-chair", "Wanjiru", "Kamau", "UNEP", "KE", "Operations Manager, UNEP", "en,sw",
     [(Role.OMT_CHAIR, "KE"), (Role.OMT_MEMBER, "KE")]),
    ("ke-staff", "Otieno", "Odhiambo", "WFP", "KE", "Logistics Assistant", "en,sw",
     [(Role.STAFF, "KE")]),
    ("sn-staff", "Awa", "Diop", "UNICEF", "SN", "Finance Assistant", "fr,en",
     [(Role.STAFF, "SN")]),
    ("gt-chair", "Lucía", "Méndez", "UNDP", "GT", "Operations Manager, UNDP", "es,en",
     [(Role.OMT_CHAIR, "GT"), (Role.OMT_MEMBER, "GT")]),
    ("ap-focal", "Arjun", "Mehta", "UNDP", None, "Regional Operations Adviser", "en",
     [(Role.REGIONAL_FOCAL_POINT, "region:AP")]),
    ("hq-analyst", "Claire", "Dubois", "UNDP", None, "Business Operations Analyst", "en,fr",
     [(Role.HQ_ANALYST, "")]),
    ("auditor", "Peter", "Schmidt", "UNDP", None, "Internal Auditor", "en,de",
     [(Role.AUDITOR, "")]),
]

# Viet Nam's OMT: one member per resident agency (G1), each with an alternate except two,
# so the "member without alternate" flag shows in the demo.
VIET_NAM_MEMBERS_WITHOUT_ALTERNATE = {"UNIDO", "UN-Habitat"}


def _slug(acronym: str) -> str:
    return acronym.lower().replace(" ", "").replace("-", "")


def seed(stdout=None) -> None:
    with transaction.atomic():
        regions = {code: Region.objects.get_or_create(code=code, defaults={"name": name})[0]
                   for code, name in REGIONS}
        agencies = {acronym: Agency.objects.get_or_create(acronym=acronym,
                                                          defaults={"name": name})[0]
                    for acronym, name in AGENCIES}
        countries = {}
        for iso, name, region, currency, tz, week, expenditure in COUNTRIES:
            from decimal import Decimal

            from commonops.core.rules import typology_for

            countries[iso] = Country.objects.get_or_create(iso_code=iso, defaults={
                "name": name, "region": regions[region], "currency": currency,
                "time_zone": tz, "working_week": week, "day_start": time(8),
                "day_end": time(17 if iso != "JO" else 16),
                "un_expenditure": Decimal(expenditure),
                "typology": typology_for(Decimal(expenditure)),
            })[0]
        for iso, (resident, non_resident) in PRESENCE.items():
            for acronym in resident:
                AgencyPresence.objects.get_or_create(
                    country=countries[iso], agency=agencies[acronym],
                    defaults={"presence": Presence.RESIDENT,
                              "in_common_premises": iso == "VN"})
            for acronym in non_resident:
                AgencyPresence.objects.get_or_create(
                    country=countries[iso], agency=agencies[acronym],
                    defaults={"presence": Presence.NON_RESIDENT})
        existing = set(PublicHoliday.objects.values_list("country__iso_code", "day"))
        PublicHoliday.objects.bulk_create([
            PublicHoliday(country=countries[iso], day=day, name=name)
            for iso, holidays in HOLIDAYS.items() for day, name in holidays
            if (iso, day) not in existing
        ])

        people = list(PEOPLE)
        for acronym in VIET_NAM_RESIDENT:
            if acronym in {"UNDP", "UNICEF", "WHO"}:
                continue  # their members are the chair, co-chair and vn-member above
            slug = _slug(acronym)
            people.append((f"vn-omt-{slug}", "OMT member", acronym, acronym, "VN",
                           f"Operations Manager, {acronym}", "en",
                           [(Role.OMT_MEMBER, "VN")]))
        for acronym in VIET_NAM_RESIDENT:
            if acronym in VIET_NAM_MEMBERS_WITHOUT_ALTERNATE:
                continue
            slug = _slug(acronym)
            people.append((f"vn-alt-{slug}", "OMT alternate", acronym, acronym, "VN",
                           f"Operations Associate, {acronym}", "en",
                           [(Role.OMT_ALTERNATE, "VN")]))

        # One hash for every demo account: hashing is deliberately slow, and these share a
        # published password anyway.
        demo_hash = make_password(DEMO_PASSWORD)
        for username, first, last, agency, duty, title, languages, roles in people:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, first_name=first, last_name=last,
                            email=f"{username}@commonops.example", agency=agencies[agency],
                            duty_country=countries.get(duty), job_title=title,
                            languages=languages)
                user.password = demo_hash
                user.save()
            for role, scope in roles:
                country = countries.get(scope) if scope and ":" not in scope else None
                region = regions[scope.split(":")[1]] if scope.startswith("region:") else None
                RoleAssignment.objects.get_or_create(user=user, role=role, country=country,
                                                     region=region)

        admin = User.objects.filter(username="admin").first()
        if admin is None:
            admin = User(username="admin", first_name="Local", last_name="Administrator",
                         email="admin@commonops.example", is_staff=True, is_superuser=True)
            admin.set_password("admin")
            admin.save()
        RoleAssignment.objects.get_or_create(user=admin, role=Role.ADMINISTRATOR)
    if stdout is not None:
        stdout.write(f"  organisation: {Country.objects.count()} country teams, "
                     f"{User.objects.count()} people")


def logins() -> list[tuple[str, str, str]]:
    """(user name, password, what they can do) for the README and `make run`."""
    rows = [("admin", "admin", "local administrator (superuser)")]
    for username, _f, _l, _a, _d, _title, _lang, roles in PEOPLE:
        labels = ", ".join(f"{Role(role).label} {scope.replace('region:', '') or ''}".strip()
                           for role, scope in roles)
        rows.append((username, DEMO_PASSWORD, labels))
    return rows
