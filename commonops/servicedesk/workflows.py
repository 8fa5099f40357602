"""The ticket workflow (T1–T5), declared once: each step's action, who may take it and
when. Pages, the API and the ticket page's buttons all read it (`core.workflow`)."""

from django.utils.translation import gettext_lazy as L

from commonops.core.workflow import Step, Workflow
from commonops.servicedesk import actions, forms, queries, rules
from commonops.servicedesk.models import Ticket


def _facts(ticket: Ticket) -> rules.TicketFacts:
    return rules.TicketFacts(status=ticket.status, assigned=ticket.assignee_id is not None,
                             rated=hasattr(ticket, "rating"))


def _country(ticket, user):
    return {"country": ticket.country_id}


def _reply_inputs(data, ticket):
    return {"body": data["body"], "public": not data.get("internal", False),
            "files": data.get("files") or ()}


def _status_inputs(data, ticket):
    return {"status": data["status"], "note": data.get("note") or "",
            "expected_version": data.get("version")}


TICKET_WORKFLOW = Workflow(
    model=Ticket, namespace="servicedesk", name="ticket", segment="tickets",
    object_arg="ticket", facts=_facts, queryset=queries.tickets_visible_to,
    select_related=("country", "requester", "agency", "category", "team", "team__lead",
                    "assignee", "merged_into"),
    detail=lambda request, ticket, extra, status: _detail(request, ticket, extra, status),
    steps=[
        Step("take", L("Take it"), action=actions.ticket_take, perm=actions.may_work,
             when=rules.may_take, done=L("The ticket is yours.")),
        Step("reply", L("Send"), action=actions.ticket_reply, perm=actions.may_reply,
             when=rules.may_reply, form=forms.ReplyForm, inline=True,
             form_kwargs=lambda ticket, user: {"agent": actions.may_work(user, ticket)},
             inputs=_reply_inputs, done=L("Sent."),
             api_extra=lambda event: {"event": event.pk}),
        Step("status", L("Change"), action=actions.ticket_change_status,
             perm=actions.may_change_status, when=rules.may_change_status,
             form=forms.StatusForm, inline=True,
             form_kwargs=lambda ticket, user: {"current": ticket.status,
                                               "version": ticket.version},
             inputs=_status_inputs, done=L("Status changed.")),
        Step("assign", L("Assign"), action=actions.ticket_assign, perm=actions.may_work,
             when=rules.may_work_on, form=forms.AssignForm, inline=True,
             form_kwargs=_country, done=L("Reassigned.")),
        Step("update", L("Save"), action=actions.ticket_triage, perm=actions.may_work,
             when=rules.may_work_on, form=forms.TicketUpdateForm, inline=True,
             form_kwargs=lambda ticket, user: {
                 "country": ticket.country_id,
                 "initial": {"category": ticket.category_id, "priority": ticket.priority}},
             done=L("Saved.")),
        Step("merge", L("Close as a duplicate"), action=actions.ticket_merge,
             perm=actions.may_work, when=rules.may_work_on, form=forms.MergeForm,
             api_form=forms.MergeByIdForm, form_kwargs=_country, inline=True, secondary=True,
             done=L("Merged.")),
        Step("rate", L("Rate this help"), action=actions.ticket_rate, perm=actions.may_rate,
             when=rules.may_rate, form=forms.RatingForm,
             done=L("Thank you for your rating.")),
    ],
)


def _detail(request, ticket, extra, status):
    from commonops.servicedesk.views import render_ticket

    return render_ticket(request, ticket, status=status, **extra)
