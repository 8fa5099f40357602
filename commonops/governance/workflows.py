"""The governance workflows, declared once: each step's action, who may take it and when.

Pages (`WORKFLOW.urls()` in urls.py), the API (`workflow_action(WORKFLOW)` in the
viewsets) and the templates (`{% step_buttons meeting %}`) all read these declarations;
see `commonops/core/workflow.py`. The "when" of each step is a rule of `rules.py`, read
from the object's state by `queries.meeting_state` / `queries.minutes_state`; the action
applies the same rule and says why when it refuses.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as L

from commonops.core.roles import Perm
from commonops.core.workflow import Step, Workflow
from commonops.governance import actions, forms, queries, rules
from commonops.governance.models import Action, Escalation, Meeting, Minutes


def _minutes_answer(key: str):
    """The API answer of a step that makes new minutes: them, under `key`."""
    def extra(minutes) -> dict:
        from commonops.governance.api.minutes import MinutesSerializer

        return {key: MinutesSerializer(minutes).data}
    return extra


def _agenda_preview(request, meeting):
    """G4: the e-mail and its recipients, before the agenda goes (the step's GET page)."""
    from commonops.governance.views.meetings import agenda_preview

    return agenda_preview(request, meeting)


# A refused step is shown on the object's own page: the detail page of its ObjectPages
# (views/meetings.py, views/minutes.py, views/tracker.py), found by its model.
MEETING_WORKFLOW = Workflow(
    model=Meeting, namespace="governance", name="meeting", segment="meetings",
    object_arg="meeting", select_related=("country", "omt"),
    facts=lambda meeting: queries.meeting_state(meeting, now=timezone.now()),
    steps=[
        # G4: late is allowed, and recorded
        Step("send-agenda", L("Send agenda"), action=actions.agenda_send, perm=Perm.GOVERN,
             when=rules.may_send_agenda, url_name="agenda_send", page=_agenda_preview,
             done=L("The agenda is sent to the members and alternates.")),
        Step("cancel", L("Cancel meeting"), action=actions.meeting_cancel, perm=Perm.GOVERN,
             when=rules.may_cancel, secondary=True, done=L("The meeting is cancelled.")),
        Step("start-minutes", L("Start the minutes"), action=actions.minutes_start,
             perm=Perm.GOVERN, when=rules.may_start_minutes, url_name="minutes_start",
             then=lambda meeting, minutes: minutes.get_absolute_url(),
             api_extra=_minutes_answer("minutes"),
             done=L("Draft minutes are started, one item per agenda item.")),
    ],
)


MINUTES_WORKFLOW = Workflow(
    model=Minutes, namespace="governance", name="minutes", segment="minutes",
    object_arg="minutes", select_related=("country", "meeting", "meeting__omt"),
    facts=lambda minutes: queries.minutes_state(minutes, today=minutes.country.today()),
    steps=[
        Step("circulate", L("Circulate for comments"), action=actions.minutes_circulate,
             perm=Perm.GOVERN, when=rules.may_circulate,
             done=L("The minutes are circulated to the members for comments.")),
        # G6, G12: by the secretariat, once the comment period has closed
        Step("finalise", L("Finalise"), action=actions.minutes_finalise,
             perm=actions.may_finalise_minutes, when=rules.may_finalise,
             done=L("The minutes are final; they are now read-only.")),
        Step("share", L("Share with the UNCT"), action=actions.minutes_share,
             perm=Perm.GOVERN, when=rules.may_share,
             done=L("The minutes are shared with the UNCT.")),
        Step("correct", L("Make a correction"), action=actions.minutes_correct,
             perm=Perm.GOVERN, when=rules.may_correct, secondary=True,
             then=lambda minutes, correction: correction.get_absolute_url(),
             api_extra=_minutes_answer("correction"),
             done=L("A correction is started as a new version.")),
    ],
)


def _note(data, action):
    # The page's form names it `done_note` (the model field); the API takes `note`.
    return {"note": data.get("done_note", data.get("note", ""))}


ACTION_WORKFLOW = Workflow(
    model=Action, namespace="governance", name="action", segment="actions",
    object_arg="action", select_related=("country",),
    facts=lambda action: action.status,
    steps=[
        Step("complete", L("Mark done"), action=actions.action_complete,
             perm=actions.may_complete_action, when=rules.may_complete,
             form=forms.ActionCompleteForm, api_form=forms.ActionNoteForm, inputs=_note,
             inline=True, done=L("The action is marked done.")),
    ],
)


ESCALATION_WORKFLOW = Workflow(
    model=Escalation, namespace="governance", name="escalation", segment="escalations",
    object_arg="escalation", select_related=("country",),
    facts=lambda escalation: escalation.status,
    steps=[
        # G11: only the UNCT decides; the decision closes the escalation
        Step("decide", L("Record the decision"), action=actions.escalation_decide,
             perm=Perm.UNCT_DECIDE, when=rules.may_decide, form=forms.EscalationDecideForm,
             form_kwargs=lambda escalation, user=None: {
                 "initial": {"decided_on": escalation.country.today()}},
             inline=True, done=L("The UNCT's decision is recorded.")),
    ],
)
