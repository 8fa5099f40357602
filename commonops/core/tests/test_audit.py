"""Every write path leaves an audit row: saves, deletes, bulk operations, commands."""

from datetime import date

import pytest
from django.core.management import call_command

from commonops.core.audit import audit_context, history_for
from commonops.core.models import AuditEntry, PublicHoliday, User

pytestmark = pytest.mark.django_db


def _entries(obj, action):
    return AuditEntry.objects.filter(object_id=str(obj.pk), action=action,
                                     content_type__model=obj._meta.model_name)


def test_a_save_records_only_the_fields_that_changed(viet_nam, vn_chair):
    holiday = PublicHoliday.objects.create(country=viet_nam, day=date(2031, 5, 5), name="A")
    with audit_context(source="task", actor=vn_chair):
        holiday.name = "B"
        holiday.save()
    entry = _entries(holiday, "update").get()
    assert entry.changes == {"name": ["A", "B"]}
    assert (entry.actor, entry.source, entry.country_id) == (vn_chair, "task", viet_nam.pk)


def test_a_save_without_changes_records_nothing(viet_nam):
    holiday = PublicHoliday.objects.create(country=viet_nam, day=date(2031, 5, 6), name="A")
    holiday.save()
    assert not _entries(holiday, "update").exists()


def test_queryset_update_records_a_row_per_changed_object(viet_nam):
    holidays = PublicHoliday.objects.bulk_create([
        PublicHoliday(country=viet_nam, day=date(2032, 1, d), name="Old") for d in (1, 2, 3)
    ])
    assert all(_entries(h, "create").exists() for h in holidays)
    with audit_context(source="import"):
        count = PublicHoliday.objects.filter(pk__in=[h.pk for h in holidays]).update(name="New")
    assert count == 3
    for holiday in holidays:
        entry = _entries(holiday, "update").get()
        assert entry.changes == {"name": ["Old", "New"]}
        assert entry.source == "import"


def test_bulk_update_is_audited(viet_nam):
    holidays = PublicHoliday.objects.bulk_create([
        PublicHoliday(country=viet_nam, day=date(2033, 1, d), name="Old") for d in (1, 2)
    ])
    for holiday in holidays:
        holiday.name = "Renamed"
    PublicHoliday.objects.bulk_update(holidays, ["name"])
    assert all(_entries(h, "update").get().changes == {"name": ["Old", "Renamed"]}
               for h in holidays)


def test_queryset_delete_records_every_row(viet_nam):
    holidays = PublicHoliday.objects.bulk_create([
        PublicHoliday(country=viet_nam, day=date(2034, 1, d), name="Gone") for d in (1, 2)
    ])
    PublicHoliday.objects.filter(pk__in=[h.pk for h in holidays]).delete()
    for holiday in holidays:
        entry = _entries(holiday, "delete").get()
        assert entry.changes["name"] == ["Gone", None]


def test_passwords_never_reach_the_trail(vn_member):
    vn_member.set_password("a-new-secret-password")
    vn_member.save()
    entry = _entries(vn_member, "update").get()
    assert entry.changes["password"] == ["•••", "•••"]
    assert "a-new-secret" not in str(AuditEntry.objects.filter(pk=entry.pk).values().get())


def test_logging_in_is_not_recorded_as_a_change(client, vn_member):
    client.post("/accounts/login/", {"username": "vn-member", "password": "commonops-demo"})
    assert not _entries(vn_member, "update").exists()


def test_seed_demo_runs_twice_without_changing_anything():
    before = AuditEntry.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert AuditEntry.objects.count() == before


def test_commands_are_recorded_as_commands(viet_nam):
    users_before = User.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert User.objects.count() == users_before
    assert AuditEntry.objects.filter(source="command").exists()


def test_each_object_page_shows_its_history(client, vn_chair, viet_nam):
    holiday = PublicHoliday.objects.filter(country=viet_nam).first()
    client.force_login(vn_chair)
    client.post(f"/org/public-holidays/{holiday.pk}/edit/",
                {"country": viet_nam.pk, "day": holiday.day.isoformat(), "name": "Renamed"})
    page = client.get(holiday.get_absolute_url()).content.decode()
    assert "Renamed" in page and "vn-chair" in page
    assert list(history_for(holiday))[0].request_method == "POST"


def test_auditors_search_the_trail_everywhere(client, auditor, vn_chair, viet_nam):
    holiday = PublicHoliday.objects.filter(country=viet_nam).first()
    client.force_login(vn_chair)
    client.post(f"/org/public-holidays/{holiday.pk}/edit/",
                {"country": viet_nam.pk, "day": holiday.day.isoformat(), "name": "Findme"})
    client.force_login(auditor)
    response = client.get("/org/audit-entries/?q=Findme&actor=vn-chair")
    assert response.status_code == 200
    assert "Findme" in response.content.decode()
    assert response.context["page"].paginator.count == 1


def test_an_rc_searches_only_their_countrys_trail(client, vn_rc, jordan):
    holiday = PublicHoliday.objects.filter(country=jordan).first()
    holiday.name = "Jordan only"
    holiday.save()
    client.force_login(vn_rc)
    response = client.get("/org/audit-entries/?q=Jordan+only")
    assert response.context["page"].paginator.count == 0


def test_people_without_the_right_cannot_search_the_trail(client, vn_member):
    client.force_login(vn_member)
    assert client.get("/org/audit-entries/").status_code == 403


def test_bad_filters_show_a_message_not_an_error(client, auditor):
    client.force_login(auditor)
    response = client.get("/org/audit-entries/?since=not-a-date")
    assert response.status_code == 200
    assert "not valid" in response.content.decode()
