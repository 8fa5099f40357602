"""What the rule ids of DOMAIN.md (G4, T2, B4…) mean, in a few words a user knows. Pages keep
an id where it helps people find the rule in the terms of reference, and `explain_rules`
gives it these words on hover (an <abbr> title)."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

RULE_NAMES = {
    "G1": _("Membership: one member per agency, each with an alternate"),
    "G2": _("Chair and co-chair: from two different agencies, for a term decided by the UNCT"),
    "G3": _("At least one OMT meeting each month"),
    "G4": _("The agenda goes to members at least three working days before the meeting"),
    "G5": _("Quorum: more than half of the member agencies attend"),
    "G6": _("Draft minutes are circulated within seven days, then commented and finalised"),
    "G7": _("Minutes record decisions and actions, each with one owner and a deadline"),
    "G8": _("Every agenda starts with the standard items"),
    "G9": _("A year-end retreat prepares the annual report and the next work plan"),
    "G10": _("Task forces: a coordinating member agency, a mandate and an end date"),
    "G11": _("A disagreement can be escalated to the UNCT, which decides"),
    "G12": _("The secretariat sends agendas and minutes"),
    "B1": _("BOS workflow: draft, quality assurance, UNCT endorsement, RC sign-off"),
    "B2": _("A BOS covers at least two service lines"),
    "B3": _("Stock-take of the existing common services"),
    "B4": _("Cost-benefit analysis of each opportunity"),
    "B5": _("Each service has a cost-avoidance KPI and a quality KPI"),
    "B6": _("KPI status: met, progress, not met or no data"),
    "B7": _("Annual reporting; benefits count for at most four years"),
    "B8": _("Country team size by total UN expenditure"),
    "S1": _("Yearly budget shared exactly, to the cent, by a cost-sharing key"),
    "S2": _("Large contracts must be covered by an MOU"),
    "S3": _("Budget against expenditure; a gap of more than 2 per cent is flagged"),
    "S4": _("A statement per agency and year"),
    "S5": _("Premises and the area each agency occupies"),
    "S6": _("Services are reviewed yearly with the client agencies"),
    "T1": _("Tickets: numbered per country and year, for any participating agency"),
    "T2": _("Response and resolution targets in business hours"),
    "T3": _("A new ticket goes to the available agent with the fewest open tickets"),
    "T4": _("Requesters follow every step of their tickets"),
    "T5": _("One satisfaction rating per resolved ticket"),
    "T6": _("Service-desk KPIs"),
    "Q1": _("Satisfaction: the share of ratings of 4 or 5; groups of five or more only"),
}

_ID = re.compile(r"\b(" + "|".join(sorted(RULE_NAMES, key=len, reverse=True)) + r")\b")
_TAG = re.compile(r"(<[^>]*>)")
# Text inside these is not shown as page text, or cannot hold markup.
_RAW = ("script", "style", "textarea", "title", "option", "abbr", "select")


def explain_rules(html: str) -> str:
    """`html` with each rule id in its text wrapped in <abbr title="what it means">. Tags and
    their attributes, and the text of script, style, option… are left alone."""
    parts = _TAG.split(str(html))
    inside = []
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            name = part[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower() if len(
                part) > 2 else ""
            if name in _RAW and not part.endswith("/>"):
                if part.startswith("</"):
                    if name in inside:
                        inside.remove(name)
                else:
                    inside.append(name)
            continue
        if not inside and _ID.search(part):
            parts[i] = _ID.sub(lambda m: f'<abbr title="{escape(RULE_NAMES[m.group(1)])}">'
                                         f"{m.group(1)}</abbr>", part)
    return mark_safe("".join(parts))
