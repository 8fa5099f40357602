"""Background tasks of the platform (Django's Tasks API; see settings.TASKS)."""

from django_tasks import task

from commonops.core import mail


@task()
def send_outbound_email(outbound_id: int) -> str:
    """Send one e-mail of the outbox (core.mail); safe to run twice for the same e-mail."""
    return mail.send_outbound(outbound_id)
