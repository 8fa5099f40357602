"""The change history in words: field labels, the objects references point to, choice
labels, formatted numbers and dates; the raw form kept for the auditors' export."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from commonops.commonservices.models import CommonService
from commonops.core import audit
from commonops.core.models import User
from commonops.core.testing import count_queries
from commonops.results import actions as results_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(db):
    return User.objects.get(username="vn-me")


@pytest.fixture
def indicator(viet_nam, me):
    service = CommonService.objects.filter(country=viet_nam).order_by("pk").first()
    return results_actions.indicator_create(by=me, data={
        "country": viet_nam, "name": "History test indicator", "unit": "usd",
        "kind": "cost_avoidance", "baseline": Decimal("120000"), "subject": service})


def test_history_rows_show_labels_referenced_objects_and_readable_values(indicator, me):
    entry = audit.history_for(indicator)[0]
    changes = {c.label: (c.before, c.after) for c in entry.readable}
    service = indicator.subject
    assert changes["Measures a"] == ("—", "Common service")
    assert changes["Measures the object"] == ("—", service.name)
    assert changes["Country"] == ("—", "Viet Nam")
    assert changes["Baseline"] == ("—", "120,000.00")
    assert changes["Unit"] == ("—", "USD")
    assert changes["Broken down by agency"] == ("—", "No") or "Broken down by agency" \
        not in changes
    # no field names, ids or raw values
    shown = " ".join(f"{c.label} {c.before} {c.after}" for c in entry.readable)
    assert "subject_type" not in shown and "120000.00" not in shown
    assert f"→ {service.pk}" not in shown
    # the raw form is still what the trail keeps
    assert entry.changes["subject_id"] == [None, service.pk]


def test_a_deleted_reference_says_so(indicator, me):
    from commonops.core.history import describe

    entry = audit.history_for(indicator)[0]
    entry.changes = {**entry.changes, "country": [None, 999999]}
    readable = {c.label: c.after for c in describe([entry])[0].readable}
    assert readable["Country"] == "(deleted, was #999999)"


def test_the_indicator_page_shows_the_history_in_words(client, indicator, me):
    client.force_login(me)
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert "Measures the object" in page and indicator.subject.name in page
    assert "subject_id" not in page


def test_the_history_costs_the_same_queries_however_many_references(client, indicator, me):
    client.force_login(me)
    url = indicator.get_absolute_url()
    before = count_queries(client, url)
    for n in range(3):
        results_actions.indicator_update(indicator=indicator, by=me, data={
            "baseline": Decimal(100 + n), "name": f"Renamed {n}"})
    assert count_queries(client, url) == before


def test_the_audit_trail_is_paginated_compact_and_exports_the_raw_form(client, indicator):
    auditor = User.objects.get(username="auditor")
    client.force_login(auditor)
    page = client.get(reverse("core:audit_list") + "?q=History+test").content.decode()
    assert "Measures the object" in page and "subject_id" not in page
    response = client.get(reverse("core:audit_list") + "?q=History+test&export=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows and '"subject_id": [null, ' in rows[-1]["changes"]
