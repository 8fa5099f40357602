"""E-mails of oversight (C3): the reminders before and after a recommendation's target
date, sent in the project's language after the claim that allows them has committed."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import translation
from django.utils.translation import gettext as _


def send_recommendation_reminder(recommendation, recipient, *, kind: str) -> int:
    if not recipient.email:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        url = settings.SITE_URL.rstrip("/") + recommendation.get_absolute_url()
        values = {"report": recommendation.report, "day": recommendation.target_date.isoformat(),
                  "text": recommendation.text, "url": url}
        if kind == "before":
            subject = _("Oversight recommendation due on %(day)s: %(report)s") % values
            body = _("The recommendation below is due on %(day)s and is not implemented "
                     "yet.\n\n%(text)s\n\n%(url)s\n") % values
        else:
            subject = _("Oversight recommendation past its target date: %(report)s") % values
            body = _("The recommendation below was due on %(day)s and is not implemented "
                     "yet. Record its implementation, with the evidence, as soon as it is "
                     "done.\n\n%(text)s\n\n%(url)s\n") % values
        with get_connection() as connection:
            return connection.send_messages([EmailMessage(subject=subject, body=body,
                                                          to=[recipient.email])])
