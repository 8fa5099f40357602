"""Background work of the Performance area, through Django's Tasks API (the django-tasks
backport): reports over many countries prepared as PDF and XLSX, and subscribed reports
delivered by e-mail once per period.

`send_due_reports(now=…)` is what the scheduled command runs, from as many machines as
like: it claims each subscription's delivery for the current period by inserting the one
(subscription, period) row a unique constraint allows, and enqueues the delivery. Tasks are
thin: fetch by id, check, call the report code, record the outcome.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from commonops.core.audit import audit_context
from commonops.core.spreadsheets import XLSX_TYPE
from commonops.reports import documents, rules
from commonops.reports.models import (
    Delivery,
    DeliveryStatus,
    FileFormat,
    ReportRun,
    RunStatus,
    Subscription,
)

logger = logging.getLogger(__name__)


def _progress(run_id: int, percent: int, step: str, **extra) -> None:
    # a plain UPDATE that commits at once (tasks run outside a transaction), so the page
    # polling the run sees each step
    ReportRun.objects.filter(pk=run_id).update(progress=percent, step=step, **extra)


@task()
def prepare_report(run_id: int) -> str:
    """Prepare a report run's PDF and XLSX, with the access of the person who asked."""
    run = (ReportRun.objects.select_related("requested_by", "country", "country__region",
                                            "region", "agency")
           .filter(pk=run_id).first())
    if run is None or run.status != RunStatus.QUEUED:
        return "skipped"
    # claim the run: a second worker handed the same task finds it running already
    if not ReportRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
            status=RunStatus.RUNNING):
        return "skipped"
    try:
        with audit_context(source="task", actor=run.requested_by), \
                translation.override(run.language):
            _progress(run.pk, 5, _("Adding up the figures"))
            document = documents.build(run.kind, user=run.requested_by, year=run.year,
                                       country=run.country, region=run.region,
                                       agency=run.agency)

            def pdf_progress(done, total):
                _progress(run.pk, 10 + 70 * done // total,
                          _("Writing the PDF: %(done)s of %(total)s sections") % {
                              "done": done, "total": total})

            pdf = documents.render_pdf(document, progress=pdf_progress)
            _progress(run.pk, 85, _("Writing the XLSX workbook"))
            xlsx = documents.render_xlsx(document)
            _progress(run.pk, 100, _("Ready"), status=RunStatus.DONE, pdf=pdf, xlsx=xlsx,
                      finished_at=timezone.now())
    except Exception as error:  # the page must say it failed rather than wait forever
        logger.exception("report run %s failed", run_id)
        _progress(run.pk, 100, _("Failed"), status=RunStatus.FAILED, error=str(error),
                  finished_at=timezone.now())
        return "failed"
    return "done"


# --- subscriptions ---------------------------------------------------------------------------


def send_due_reports(*, now=None) -> dict[str, int]:
    """Claim and enqueue this period's delivery of every subscription not yet delivered in
    it. Safe on several workers at once: the unique (subscription, period) row is the claim,
    and only one insert of it succeeds."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"claimed": 0, "already": 0}
    for subscription in Subscription.objects.all().order_by("pk").iterator():
        period = rules.period_key(subscription.frequency, today)
        if Delivery.objects.filter(subscription=subscription, period=period).exists():
            counts["already"] += 1
            continue
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(
                    subscription=subscription, period=period, claimed_at=now,
                    year=rules.delivered_year(subscription.frequency, today))
                deliver_report.enqueue(delivery.pk)
        except IntegrityError:
            counts["already"] += 1  # another worker claimed it between our check and insert
            continue
        counts["claimed"] += 1
    return counts


@task()
def deliver_report(delivery_id: int) -> str:
    """E-mail one delivery's report to its subscriber, once."""
    # claim: a delivery enqueued twice is sent by whichever worker moves it out of "queued"
    if not Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.SENDING):
        return "skipped"
    delivery = Delivery.objects.select_related(
        "subscription", "subscription__user", "subscription__country",
        "subscription__country__region", "subscription__region",
        "subscription__agency").get(pk=delivery_id)
    subscription = delivery.subscription
    user = subscription.user
    from commonops.reports.actions import may_see_report

    if not user.is_active or not user.email or not may_see_report(
            user, kind=subscription.kind, country=subscription.country,
            region=subscription.region, agency=subscription.agency):
        Delivery.objects.filter(pk=delivery_id).update(status=DeliveryStatus.REFUSED)
        return "refused"
    try:
        with audit_context(source="task", actor=user), \
                translation.override(subscription.language):
            document = documents.build(subscription.kind, user=user, year=delivery.year,
                                       country=subscription.country,
                                       region=subscription.region, agency=subscription.agency)
            if subscription.file_format == FileFormat.XLSX:
                data = documents.render_xlsx(document)
                attachment = (f"{document.filename}.xlsx", data, XLSX_TYPE)
            else:
                data = documents.render_pdf(document)
                attachment = (f"{document.filename}.pdf", data, "application/pdf")
            message = EmailMessage(
                subject=f"{document.title} — {document.subtitle}",
                body=_("Your %(frequency)s report is attached: %(title)s, %(subtitle)s.\n\n"
                       "Change or end your subscriptions at %(url)s") % {
                    "frequency": subscription.get_frequency_display().lower(),
                    "title": document.title, "subtitle": document.subtitle,
                    "url": settings.SITE_URL.rstrip("/") + "/reports/subscriptions/"},
                from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email])
            message.attach(*attachment)
            message.send()
    except Exception as error:
        logger.exception("report delivery %s failed", delivery_id)
        Delivery.objects.filter(pk=delivery_id).update(status=DeliveryStatus.FAILED,
                                                       error=str(error))
        return "failed"
    Delivery.objects.filter(pk=delivery_id).update(status=DeliveryStatus.SENT,
                                                   sent_at=timezone.now())
    return "sent"
