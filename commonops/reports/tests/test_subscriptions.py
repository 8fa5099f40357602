"""Report subscriptions: refused for a report the person may not see; delivered by e-mail
once per period, even when several workers run the scheduled command at once."""

from datetime import UTC, datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse

from commonops.core.models import AuditEntry, Region, User
from commonops.reports import tasks
from commonops.reports.models import Delivery, DeliveryStatus, Subscription

pytestmark = pytest.mark.django_db

JANUARY = datetime(2027, 1, 4, 6, tzinfo=UTC)


@pytest.fixture
def focal(db):
    return User.objects.get(username="ap-focal")


@pytest.fixture(autouse=True)
def _only_these_subscriptions(db):
    Subscription.objects.all().delete()  # the demo's own, so counts are this test's


def _subscribe(client, user, **data):
    client.force_login(user)
    return client.post(reverse("reports:subscription_list"), {
        "frequency": "monthly", "file_format": "pdf", **data})


def test_a_focal_point_subscribes_to_their_region(client, focal):
    asia = Region.objects.get(code="AP")
    response = _subscribe(client, focal, kind="region", region=asia.pk)
    assert response.status_code == 302
    subscription = Subscription.objects.get(user=focal)
    assert (subscription.kind, subscription.region) == ("region", asia)
    assert AuditEntry.objects.filter(object_id=str(subscription.pk), action="create",
                                     actor=focal).exists()


def test_a_subscription_to_a_report_one_may_not_see_is_refused(client, focal):
    africa = Region.objects.get(code="ESA")
    for data in ({"kind": "region", "region": africa.pk}, {"kind": "global"}):
        response = _subscribe(client, focal, **data)
        assert response.status_code == 400
        assert "You may not receive this report" in response.content.decode()
    assert not Subscription.objects.exists()


def test_the_api_refuses_it_in_the_one_error_shape(api, focal):
    africa = Region.objects.get(code="ESA")
    response = api(focal).post("/api/reports/subscriptions/", {
        "kind": "region", "region": africa.pk, "frequency": "monthly", "file_format": "pdf"},
        format="json")
    assert response.status_code == 400
    assert "You may not receive this report" in str(response.json()["error"]["fields"])
    assert not Subscription.objects.exists()


def test_nobody_sees_or_ends_another_persons_subscription(client, api, focal):
    asia = Region.objects.get(code="AP")
    subscription = Subscription.objects.create(user=focal, kind="region", region=asia)
    hq = User.objects.get(username="hq-analyst")
    assert api(hq).get("/api/reports/subscriptions/").json()["results"] == []
    assert api(hq).delete(f"/api/reports/subscriptions/{subscription.pk}/").status_code == 404
    client.force_login(hq)
    url = reverse("reports:subscription_delete", args=[subscription.pk])
    assert client.post(url).status_code == 404
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_a_due_report_is_e_mailed_once_per_period(focal):
    asia = Region.objects.get(code="AP")
    subscription = Subscription.objects.create(user=focal, kind="region", region=asia,
                                               frequency="monthly", file_format="pdf")
    assert tasks.send_due_reports(now=JANUARY) == {"claimed": 1, "already": 0}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [focal.email]
    name, content, mimetype = message.attachments[0]
    assert name == "regional-report-AP-2026.pdf" and content.startswith(b"%PDF")
    assert mimetype == "application/pdf"
    delivery = Delivery.objects.get(subscription=subscription)
    assert (delivery.period, delivery.year, delivery.status) == ("2027-01", 2026, "sent")
    # later the same month, and a second worker: nothing more goes out
    assert tasks.send_due_reports(now=JANUARY.replace(day=20)) == {"claimed": 0, "already": 1}
    call_command("send_due_reports", "--now", "2027-01-31T23:00+00:00", stdout=mock.Mock())
    assert len(mail.outbox) == 1
    # the next month, the next one
    tasks.send_due_reports(now=JANUARY.replace(month=2))
    assert len(mail.outbox) == 2


def test_two_workers_claiming_at_the_same_moment_send_it_once(focal):
    """The second worker checked before the first inserted: its insert hits the unique
    (subscription, period) constraint, and it moves on without sending."""
    subscription = Subscription.objects.create(user=focal, kind="region",
                                               region=Region.objects.get(code="AP"),
                                               frequency="quarterly", file_format="xlsx")
    tasks.send_due_reports(now=JANUARY)
    assert len(mail.outbox) == 1
    with mock.patch.object(Delivery.objects, "filter") as looked:
        looked.return_value.exists.return_value = False  # as if nobody had claimed it yet
        assert tasks.send_due_reports(now=JANUARY) == {"claimed": 0, "already": 1}
    assert Delivery.objects.filter(subscription=subscription).count() == 1
    assert len(mail.outbox) == 1
    with pytest.raises(IntegrityError):
        Delivery.objects.create(subscription=subscription, period="2027-Q1", year=2026,
                                claimed_at=JANUARY)


def test_a_delivery_enqueued_twice_is_sent_once(focal):
    subscription = Subscription.objects.create(user=focal, kind="global", frequency="yearly")
    delivery = Delivery.objects.create(subscription=subscription, period="2027", year=2026,
                                       claimed_at=JANUARY)
    hq = User.objects.get(username="hq-analyst")
    subscription.user = hq
    subscription.save()
    assert tasks.deliver_report.call(delivery.pk) == "sent"
    assert tasks.deliver_report.call(delivery.pk) == "skipped"
    assert len(mail.outbox) == 1
    name = mail.outbox[0].attachments[0][0]
    assert name == "global-report-2026.pdf"


def test_a_subscriber_who_lost_access_gets_nothing(focal):
    subscription = Subscription.objects.create(user=focal, kind="region",
                                               region=Region.objects.get(code="AP"))
    focal.role_assignments.all().delete()
    tasks.send_due_reports(now=JANUARY)
    assert mail.outbox == []
    assert Delivery.objects.get(subscription=subscription).status == DeliveryStatus.REFUSED
