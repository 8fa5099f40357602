"""H2 baselines: a negative or missing administrative budget is refused with a clear
message and changes nothing; imports preview first and are all or nothing, with errors by
row; a missing baseline shows no rate, with the reason."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook

from commonops.core.models import Agency, AuditEntry, Country, User
from commonops.reports import actions
from commonops.reports.models import AdminBudget
from commonops.reports.tests import world as test_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair(db):
    return User.objects.get(username="vn-chair")


@pytest.fixture
def vn(db):
    return Country.objects.get(iso_code="VN")


def _post(client, user, data):
    client.force_login(user)
    return client.post(reverse("reports:adminbudget_add"), data)


@pytest.mark.parametrize("amount, message", [
    ("-1", "An administrative budget cannot be negative."),
    ("", "Give the agency&#x27;s administrative budget for the year."),
])
def test_a_negative_or_missing_baseline_is_refused_and_nothing_changes(client, chair, vn,
                                                                       amount, message):
    who = Agency.objects.get(acronym="WHO")
    before = AdminBudget.objects.count(), AuditEntry.objects.count()
    response = _post(client, chair, {"country": vn.pk, "agency": who.pk, "year": 2044,
                                     "amount": amount})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (AdminBudget.objects.count(), AuditEntry.objects.count()) == before


def test_the_action_refuses_a_negative_baseline_whoever_calls_it(chair, vn):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        actions.admin_budget_create(by=chair, data={
            "country": vn, "agency": Agency.objects.get(acronym="WHO"), "year": 2044,
            "amount": Decimal("-5")})
    assert "cannot be negative" in " ".join(refused.value.messages)
    assert not AdminBudget.objects.filter(year=2044).exists()


def test_a_baseline_needs_the_agency_to_be_present_in_the_country(client, chair, vn):
    wfp = Agency.objects.get(acronym="WFP")  # not in Viet Nam
    response = _post(client, chair, {"country": vn.pk, "agency": wfp.pk, "year": 2044,
                                     "amount": "1000"})
    assert response.status_code == 400
    assert "is not listed in Viet Nam" in response.content.decode()
    assert not AdminBudget.objects.filter(agency=wfp, country=vn).exists()


def test_a_member_without_the_right_cannot_enter_a_baseline(client, vn):
    member = User.objects.get(username="vn-member")
    response = _post(client, member, {"country": vn.pk, "agency": Agency.objects.get(
        acronym="WHO").pk, "year": 2044, "amount": "1000"})
    assert response.status_code in (400, 403)
    assert not AdminBudget.objects.filter(year=2044).exists()


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["Country", "Agency", "Year", "Administrative budget", "Source"])
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "budgets.xlsx"
    return data


def test_an_import_previews_then_commits_everything(client, chair):
    client.force_login(chair)
    url = reverse("reports:adminbudget_import")
    preview = client.post(url, {"upload": _xlsx([["VN", "WHO", 2041, 120000, "Budget"],
                                                 ["VN", "UNDP", 2041, "250,000.50", ""]])})
    assert preview.status_code == 200
    assert "2 rows are ready to import" in preview.content.decode()
    assert not AdminBudget.objects.filter(year=2041).exists()  # a preview saves nothing
    token = client.session["reports_import"]["token"]
    done = client.post(url, {"commit": "1", "token": token})
    assert done.status_code == 302
    saved = dict(AdminBudget.objects.filter(year=2041).values_list("agency__acronym",
                                                                   "amount"))
    assert saved == {"WHO": Decimal("120000.00"), "UNDP": Decimal("250000.50")}
    entry = AuditEntry.objects.filter(object_repr__contains="2041").first()
    assert entry.source == "import" and entry.actor == chair


def test_an_import_with_a_bad_row_imports_nothing_and_names_the_rows(client, chair):
    client.force_login(chair)
    response = client.post(reverse("reports:adminbudget_import"), {"upload": _xlsx([
        ["VN", "WHO", 2042, 120000, ""],
        ["VN", "UNDP", 2042, -5, ""],
        ["VN", "FAO", 2042, None, ""],
        ["KE", "UNDP", 2042, 1000, ""],  # the Viet Nam chair may not enter Kenya's
        ["VN", "NOPE", 2042, 1000, ""]])})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported" in html
    for row, words in ((3, "cannot be negative"), (4, "is missing"),
                       (5, "where you may not enter"), (6, "Unknown agency")):
        assert f"Row {row}" in html and words in html
    assert not AdminBudget.objects.filter(year=2042).exists()


def test_an_agency_without_a_baseline_has_no_rate_and_the_page_says_why(client):
    w = test_world.build()
    hq = User.objects.get(username="hq-analyst")
    client.force_login(hq)
    html = client.get(reverse("reports:country", args=[w.xa.pk]) + "?year=2025") \
        .content.decode()
    assert "An agency without a budget for the year has no rate" in html
    from commonops.reports import queries

    who = next(a for a in queries.country_dashboard(w.xa, year=2025).savings
               if a.agency.acronym == "WHO")
    assert who.baseline is None and who.rate is None and who.realised > 0
