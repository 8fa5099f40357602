"""Demo data for compacts and oversight (C1–C3): the UNDP country office of Viet Nam with
this year's figures behind the standard measures, the senior manager's compact for this
year signed (acknowledged and endorsed), next year's compact in draft, and twenty
oversight recommendations in every state. Dated relative to today; running it again
changes nothing."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from commonops.compacts import actions, rules
from commonops.compacts.models import Office, Section
from commonops.core.models import Agency, Country, User
from commonops.results import actions as results_actions

D = Decimal
OFFICE = "UNDP Viet Nam Country Office"


def seed(stdout=None) -> None:
    country = Country.objects.filter(iso_code="VN").first()
    if country is None or Office.objects.filter(country=country, name=OFFICE).exists():
        return
    people = {u.username: u for u in User.objects.filter(
        username__in=["vn-senior", "vn-endorser", "vn-chair"])}
    if len(people) < 3:
        return
    today = country.today()
    with transaction.atomic():
        office = actions.office_create(by=people["vn-senior"], data={
            "country": country, "name": OFFICE,
            "agency": Agency.objects.get(acronym="UNDP")})
        _figures(office, people["vn-senior"], today)
        _recommendations(office, people, today)
        _signed_compact(office, people, today)
        actions.compact_create(by=people["vn-senior"], data={
            "office": office, "manager": people["vn-senior"],
            "endorser": people["vn-endorser"], "year": today.year + 1,
            "budget_reference": "Country programme document 2027–2031 (DP/DCP/VNM/4)."})
    if stdout is not None:
        stdout.write("  compacts: UNDP Viet Nam's compact signed, next year's in draft, "
                     "20 oversight recommendations")


def _figures(office, by, today):
    year = today.year
    for kind, level, gender, nationality, count in [
        (rules.POSTS, "", "", "", 40), (rules.VACANT, "", "", "", 3),
        (rules.SELECTION, rules.PROFESSIONAL, rules.FEMALE, "", 5),
        (rules.SELECTION, rules.PROFESSIONAL, rules.MALE, "", 4),
        (rules.STAFF_START, rules.PROFESSIONAL, rules.FEMALE, "", 18),
        (rules.STAFF_START, rules.PROFESSIONAL, rules.MALE, "", 22),
        (rules.STAFF_END, rules.PROFESSIONAL, rules.FEMALE, "", 19),
        (rules.STAFF_END, rules.PROFESSIONAL, rules.MALE, "", 21),
        (rules.RECRUITMENT, rules.PROFESSIONAL, "", rules.UNDERREPRESENTED, 1),
        (rules.RECRUITMENT, rules.PROFESSIONAL, "", rules.WITHIN_RANGE, 2),
    ]:
        actions.staff_figure_create(by=by, data={
            "office": office, "year": year, "kind": kind, "level": level, "gender": gender,
            "nationality": nationality, "count": count})
    for kind, required, completed in [(rules.APPRAISALS, 40, 38), (rules.DISCLOSURES, 12, 12),
                                      (rules.TRAININGS, 41, 40)]:
        actions.compliance_figure_create(by=by, data={
            "office": office, "year": year, "kind": kind, "required": required,
            "completed": completed})
    for month in range(1, today.month + 1):
        planned = D(25000) + month * 500
        actions.spending_figure_create(by=by, data={
            "office": office, "year": year, "month": month, "planned": planned,
            "actual": planned + (D(700) if month % 3 == 0 else D(-300))})
    for n in range(1, 11):
        slot = max(date(year, 1, 5), today - timedelta(days=30 * n))
        actions.document_submission_create(by=by, data={
            "office": office, "reference": f"Executive Board paper {year}/{n}",
            "slot_date": slot,
            "submitted_on": slot + timedelta(days=3) if n == 4 else slot - timedelta(days=2)})
    for n, (received_ago, days) in enumerate([(200, 15), (120, 30), (60, 20)], start=1):
        received = max(date(year, 1, 2), today - timedelta(days=received_ago))
        actions.appeal_response_create(by=by, data={
            "office": office, "reference": f"Appeal {year}-{n:02}", "received_on": received,
            "answered_on": min(received + timedelta(days=days), today)})


# (target in days from today, what happens: on_time, late, very_late, open, in_progress,
#  closed_verified, withdrawn, reopened, late_closed)
RECOMMENDATIONS = [
    (-300, "on_time", "high"), (-280, "on_time", "medium"), (-250, "late_closed", "high"),
    (-240, "very_late", "low"), (-220, "closed_verified", "medium"), (-200, "open", "high"),
    (-180, "in_progress", "medium"), (-150, "on_time", "low"), (-120, "late", "high"),
    (-100, "in_progress", "low"), (-60, "on_time", "medium"), (-30, "open", "high"),
    (-10, "in_progress", "medium"), (3, "open", "high"), (5, "in_progress", "medium"),
    (20, "open", "low"), (45, "in_progress", "medium"), (60, "open", "low"),
    (-90, "withdrawn", "low"), (-40, "reopened", "medium"),
]
BODIES = ["oios", "board", "internal_audit", "jiu", "evaluation"]
TOPICS = ["Strengthen the review of vendor performance before contract renewal.",
          "Reconcile the fixed-asset register with the physical count every year.",
          "Document the approval of direct payments above the delegated limit.",
          "Train requisitioners on the procurement thresholds.",
          "Close advances to implementing partners within six months."]


def _recommendations(office, people, today):
    manager, chair = people["vn-senior"], people["vn-chair"]
    for n, (offset, fate, risk) in enumerate(RECOMMENDATIONS, start=1):
        target = today + timedelta(days=offset)
        issued = target - timedelta(days=150)
        rec = actions.oversight_recommendation_create(by=manager, data={
            "office": office, "source_body": BODIES[n % len(BODIES)],
            "report": f"Audit report {issued.year}/{40 + n}", "text": TOPICS[n % len(TOPICS)],
            "risk": risk, "owner": manager if n % 3 else chair, "issued_on": issued,
            "target_date": target})
        if fate == "open":
            continue
        actions.recommendation_start(oversight_recommendation=rec, by=manager,
                                     today=issued + timedelta(days=20),
                                     note="Action plan agreed with the auditors.")
        done_on = {"on_time": target - timedelta(days=10), "late": target + timedelta(days=30),
                   "late_closed": target + timedelta(days=40),
                   "very_late": target + timedelta(days=100),
                   "closed_verified": target - timedelta(days=5),
                   "reopened": target - timedelta(days=15)}.get(fate)
        if fate == "withdrawn":
            actions.recommendation_close(oversight_recommendation=rec, by=manager,
                                         note="Withdrawn by the oversight body.",
                                         today=target - timedelta(days=30))
        if done_on is None or done_on > today:
            continue
        actions.recommendation_implement(
            oversight_recommendation=rec, by=manager, implemented_on=done_on,
            evidence="Memo and updated procedure sent to the oversight body.",
            today=today)
        if fate in ("late_closed", "closed_verified"):
            actions.recommendation_close(oversight_recommendation=rec, by=manager,
                                         note="Verified and closed by the oversight body.",
                                         today=min(today, done_on + timedelta(days=30)))
        if fate == "reopened":
            actions.recommendation_reopen(oversight_recommendation=rec, by=manager,
                                          note="The body asked for the signed procedure.",
                                          today=min(today, done_on + timedelta(days=10)))


def _signed_compact(office, people, today):
    manager = people["vn-senior"]
    compact = actions.compact_create(by=manager, data={
        "office": office, "manager": manager, "endorser": people["vn-endorser"],
        "year": today.year,
        "budget_reference": "Country programme document 2022–2026 (DP/DCP/VNM/3) and the "
                            "integrated resources plan approved by the Executive Board."})
    programme = actions.objective_create(by=manager, data={
        "compact": compact, "section": Section.PROGRAMME,
        "objective": "Deliver the country programme within the approved resources.",
        "expected_accomplishment": "Programme delivery on plan, with timely reporting.",
        "budget_reference": "DP/DCP/VNM/3", "position": 1})
    delivery = actions.performance_measure_create(by=manager, data={
        "objective": programme, "name": "Programme delivery rate", "unit": "percent",
        "direction": "increase", "target": D(85)})
    priority = actions.objective_create(by=manager, data={
        "compact": compact, "section": Section.PRIORITY,
        "objective": "Move every agency of the Green One UN House to the common ICT "
                     "service desk.",
        "expected_accomplishment": "One desk serves all twelve resident agencies.",
        "position": 1})
    agencies = actions.performance_measure_create(by=manager, data={
        "objective": priority, "name": "Agencies served by the common desk", "unit": "count",
        "direction": "increase", "target": D(12)})
    results_actions.measurement_record(indicator=delivery.indicator, year=compact.year,
                                       value=D("87.5"), by=manager)
    results_actions.measurement_record(indicator=agencies.indicator, year=compact.year,
                                       value=D(9), by=manager)
    actions.compact_acknowledge(compact=compact, by=manager,
                                today=min(today, date(today.year, 2, 4)))
    actions.compact_endorse(compact=compact, by=people["vn-endorser"],
                            today=min(today, date(today.year, 2, 6)))
    actions.compact_review_create(by=manager, data={
        "compact": compact, "kind": rules.MID_YEAR,
        "reviewed_on": min(today, date(today.year, 7, 15)),
        "self_evaluation": "Delivery is on track; vacancies and appeals need attention.",
        "challenges": "Two senior posts took longer to fill than planned.",
        "broader_interests": "Led the OMT's work on the common ICT service desk."})
