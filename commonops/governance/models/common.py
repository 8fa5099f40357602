"""What every governance model shares: its country (the OMT's), the permission that
changes it, and the bookkeeping of the reminders."""

from django.conf import settings
from django.db import models

from commonops.core.models import CountryOwnedModel

GOVERN = "governance.manage"


class GovernanceModel(CountryOwnedModel):
    manage_permission = GOVERN

    class Meta:
        abstract = True


class ReminderSent(models.Model):
    """A reminder e-mail that went out; the unique key makes each one go out once, however
    many workers run the reminders at the same time."""

    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=60)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key", "recipient"],
                                               name="reminder_once")]

    def __str__(self):
        return f"{self.kind} {self.key} → {self.recipient_id}"
