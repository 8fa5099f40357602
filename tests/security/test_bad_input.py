"""Bad input never gets a 5xx: imports that would exhaust memory, numbers no column holds,
absurd filter values and ids that are not numbers are each a clear 4xx (issue: security 4, 5).
"""

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from commonops.core.models import User
from commonops.core.spreadsheets import TableError, read_table
from tests.security import discovery

pytestmark = pytest.mark.django_db

COLUMNS = {"year": "Year", "grade": "Grade", "hourly_rate": "Hourly rate"}


def _xlsx(rows, *, dimension=None, padding=0) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    if dimension is None and not padding:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml" and padding:
                data = data.replace(b"</worksheet>", b"<!--" + b" " * padding + b"--></worksheet>")
            if info.filename == "xl/worksheets/sheet1.xml" and dimension:
                start = data.index(b"<dimension ref=\"") + len(b"<dimension ref=\"")
                end = data.index(b"\"", start)
                data = data[:start] + dimension.encode() + data[end:]
            target.writestr(info, data)
    return out.getvalue()


# --- item 4: imports that would exhaust memory ---------------------------------------------------


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.IMPORT_MAX_BYTES = 1_000
    upload = SimpleUploadedFile("rates.csv", b"Year,Grade,Hourly rate\n" + b"2031,P-2,1\n" * 200)
    with pytest.raises(TableError, match="larger than"):
        read_table(upload, COLUMNS)


def test_reading_stops_at_the_row_cap(settings):
    settings.IMPORT_MAX_ROWS = 10
    # the row after the cap cannot even be read: reading must stop before it
    text = "Year,Grade,Hourly rate\n" + "2031,P-2,1\n" * 11 + '"unterminated\n'
    with pytest.raises(TableError, match="At most 10 rows"):
        read_table(SimpleUploadedFile("rates.csv", text.encode()), COLUMNS)
    rows = read_table(SimpleUploadedFile("rates.csv", ("Year,Grade,Hourly rate\n"
                                                      + "2031,P-2,1\n" * 10).encode()), COLUMNS)
    assert len(rows) == 10


def test_an_xlsx_declaring_a_huge_range_is_read_in_little_memory():
    data = _xlsx([["Year", "Grade", "Hourly rate"]] + [[2031, "P-2", 1]] * 2000,
                 dimension="A1:XFD2000")
    tracemalloc.start()
    try:
        rows = read_table(SimpleUploadedFile("rates.xlsx", data), COLUMNS)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(rows) == 2000
    assert peak < 20_000_000, f"{peak / 1e6:.0f} MB"


def test_an_xlsx_that_unpacks_to_far_more_than_it_weighs_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 100_000
    data = _xlsx([["Year", "Grade", "Hourly rate"], [2031, "P-2", 1]], padding=50_000_000)
    assert len(data) < settings.IMPORT_MAX_BYTES
    with pytest.raises(TableError, match="unpacks"):
        read_table(SimpleUploadedFile("rates.xlsx", data), COLUMNS)


def test_a_task_force_member_may_not_import_grade_rates(login):
    member = User.objects.get(username="vn-member")  # a task-force member in Viet Nam
    response = login(member).post(reverse("bos:graderate_import"), {"upload": SimpleUploadedFile(
        "rates.csv", b"Year,Grade,Hourly rate\n2031,P-2,1\n"), "commit": "on"})
    assert response.status_code == 403


# --- item 5: numbers no column holds, fields no reader takes ------------------------------------


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "1e400",
                                    "12345678901234567890123456789012", "sNaN"])
def test_an_absurd_amount_in_an_import_is_a_row_error(login, amount):
    csm = User.objects.get(username="vn-csm")
    budget = f"Service,Year,Budget line,Amount\nShared vehicle fleet,2031,Staff,{amount}\n"
    # an expenditure is converted to USD at the month's rate: arithmetic on the amount
    spent = ("Service,Date,Budget line,Amount,Currency\n"
             f"Shared vehicle fleet,2025-06-10,Staff,{amount},VND\n")
    for kind, text in (("budgets", budget), ("expenditures", spent)):
        response = login(csm).post(reverse("commonservices:import", args=[kind]), {
            "upload": SimpleUploadedFile("b.csv", text.encode())})
        assert response.status_code == 400, kind
        assert "Row 2" in response.content.decode(), kind


@pytest.mark.parametrize("rate", ["NaN", "Infinity", "1e400", "9" * 32])
def test_an_absurd_grade_rate_is_a_row_error(login, rate):
    chair = User.objects.get(username="vn-chair")
    response = login(chair).post(reverse("bos:graderate_import"), {"upload": SimpleUploadedFile(
        "rates.csv", f"Year,Grade,Hourly rate\n2031,P-2,{rate}\n".encode()), "commit": "on"})
    assert response.status_code == 400
    assert "Row 2" in response.content.decode()


def test_a_csv_field_longer_than_the_reader_takes_is_a_clear_error(login):
    csm = User.objects.get(username="vn-csm")
    text = "Service,Year,Budget line,Amount\nShared vehicle fleet,2031," + "x" * 140_000 + ",1\n"
    response = login(csm).post(reverse("commonservices:import", args=["budgets"]), {
        "upload": SimpleUploadedFile("b.csv", text.encode())})
    assert response.status_code == 400
    assert "cannot be read" in response.content.decode()


ABSURD_YEARS = ["0", "-1", "99999999999", "1e400", "NaN", "abc"]


@pytest.mark.parametrize("year", ABSURD_YEARS)
def test_an_absurd_year_on_meetings_holidays_and_decisions_is_a_400(login, api, year):
    chair = User.objects.get(username="vn-chair")
    pages = [reverse("governance:meeting_list"), reverse("core:publicholiday_list"),
             reverse("governance:unctdecision_list")]
    for url in pages:
        assert login(chair).get(url, {"year": year}).status_code == 400, url
    for url in ("/api/meetings/", "/api/public-holidays/", "/api/unct-decisions/"):
        response = api(chair).get(url, {"year": year})
        assert response.status_code == 400, url
        assert "year" in response.json()["error"]["fields"]


@pytest.mark.parametrize("step", ["take", "assign", "status", "reply", "merge", "rate"])
def test_a_ticket_step_on_an_id_that_is_not_a_number_is_a_clear_4xx(api, step):
    response = api(User.objects.get(username="vn-sdm")).post(f"/api/tickets/abc/{step}/", {},
                                                             format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_ticket_events_on_an_id_that_is_not_a_number_is_a_clear_4xx(api):
    response = api(User.objects.get(username="vn-sdm")).get("/api/tickets/abc/events/")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


# --- every list, page and API, with absurd filter values ------------------------------------------

ABSURD_VALUES = ["0", "99999999999999999999999", "1e400", "NaN", "2025-13-45"]
COMMON_PARAMS = ("year", "month", "page", "country", "status", "q", "since", "until")


def _filter_names(filterset_class, viewset=None) -> set:
    if isinstance(filterset_class, property):  # ScopedViewSet: the list page's FilterSet
        filterset_class = viewset.pages.filterset
    if filterset_class is None:
        return set()
    return set(filterset_class.base_filters)


@pytest.mark.probe
def test_no_list_page_answers_an_absurd_filter_with_a_5xx(client):
    client.force_login(User.objects.get(username="vn-chair"))
    failures = []
    for route in discovery.plain_routes():
        names = set(COMMON_PARAMS) | _filter_names(getattr(route.pages, "filterset", None))
        for value in ABSURD_VALUES:
            response = client.get(route.url(), {name: value for name in names})
            if response.status_code >= 500:
                failures.append(f"{route.path} ?…={value[:20]}: {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.probe
def test_no_api_list_answers_an_absurd_filter_with_a_5xx(api):
    client = api(User.objects.get(username="vn-chair"))
    failures = []
    for prefix, _basename, viewset in discovery.api_viewsets():
        names = set(COMMON_PARAMS) | {"page_size", "ordering", "by", "agency"} | _filter_names(
            getattr(viewset, "filterset_class", None), viewset)
        for value in ABSURD_VALUES:
            response = client.get(f"/api/{prefix}/", {name: value for name in names})
            if response.status_code >= 500:
                failures.append(f"/api/{prefix}/ ?…={value[:20]}: {response.status_code}")
    assert not failures, "\n".join(failures)
