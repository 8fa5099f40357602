"""Background work of compacts and oversight, run once a day (`manage.py compacts_daily`,
or the `daily` task from a scheduler), from as many workers as one likes:

- `send_reminders(now=…)`: a reminder to the owner of each recommendation not yet
  implemented, a week before its target date and the day after it (C3). Each goes out
  once per target date: moving the target date makes it due again.
- `refresh_measures(now=…)`: the standard C2 measures of this year's compacts, computed
  again, since some depend on the day (a recommendation falling due, say).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django_tasks import task

from commonops.compacts import actions, notifications, queries, rules
from commonops.compacts.models import Compact, Office, OversightReminder
from commonops.core.audit import audit_context

logger = logging.getLogger(__name__)


def _claim(recommendation, kind: str, recipient) -> bool:
    """Take the right to send one reminder; False when another run already has it.

    The unique (recommendation, kind, target date, recipient) row is the lock: of two
    workers inserting it at once the database lets one succeed, the other gets
    IntegrityError and skips. The savepoint keeps a surrounding transaction usable.
    """
    try:
        with transaction.atomic():
            OversightReminder.objects.create(
                recommendation=recommendation, kind=kind,
                target_date=recommendation.target_date, recipient=recipient)
    except IntegrityError:
        return False
    return True


def send_reminders(*, now: datetime) -> dict[str, int]:
    """Send every oversight reminder due at `now` that has not gone out; counts by kind.
    Run outside a transaction so that each claim commits before its e-mail leaves."""
    counts = {rules.BEFORE: 0, rules.AFTER: 0}
    with audit_context(source="task"), translation.override(settings.LANGUAGE_CODE):
        # a day of slack: the candidates are read in UTC, each one's day in its country
        for recommendation in queries.due_for_reminders(now.date() + timedelta(days=1)):
            today = recommendation.country.local_date(now)
            owner = recommendation.owner
            if not (owner.is_active and owner.email):
                continue
            for kind in rules.reminders_due(target=recommendation.target_date, today=today,
                                            implemented=False):
                if not _claim(recommendation, kind, owner):
                    continue
                try:
                    sent = notifications.send_recommendation_reminder(
                        recommendation, owner, kind=kind)
                except Exception:  # one bad address must not stop the others
                    logger.exception("Oversight reminder %s %s failed", kind,
                                     recommendation.pk)
                    sent = 0
                if sent:
                    counts[kind] += 1
                else:  # nothing went out: give the claim back for the next run
                    OversightReminder.objects.filter(
                        recommendation=recommendation, kind=kind,
                        target_date=recommendation.target_date, recipient=owner).delete()
    return counts


def refresh_measures(*, now: datetime) -> int:
    """Recompute the standard measures of every office's compacts of this year."""
    changed = 0
    with audit_context(source="task"):
        for office in Office.objects.filter(
                pk__in=Compact.objects.values("office_id")).select_related("country"):
            year = office.country.local_date(now).year
            try:
                with transaction.atomic():
                    changed += actions.measures_refresh(
                        office=office, year=year, today=office.country.local_date(now))
            except IntegrityError:
                # another worker recorded the same actual at the same moment: it is done
                continue
    return changed


@task()
def daily(now: str | None = None) -> dict:
    moment = datetime.fromisoformat(now) if now else timezone.now()
    counts = send_reminders(now=moment)
    return {**counts, "measures_changed": refresh_measures(now=moment)}
