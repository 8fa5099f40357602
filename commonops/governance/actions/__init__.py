"""Every change to OMT governance. Pages, the API, tasks, the admin and the demo call these.

One signature for the plain writes, written out in the subject's module:

    <entity>_create(*, by, data)            meeting_create, action_create, …
    <entity>_update(*, <entity>, by, data)  meeting_update(meeting=…), …
    <entity>_delete(*, <entity>, by)        membership_delete(membership=…), …

and typed keyword functions for the workflow steps and other domain moves, each named
`<entity>_<verb>` with the object it moves (`minutes_finalise(*, minutes, by)`), declared
as steps in `governance/workflows.py`. Each action checks `by` through `core.access`,
applies the rules of `governance.rules`, validates the whole row and saves in one
transaction (`core.audit.audited_action`); e-mails go out after the commit. A rule broken
raises ValidationError with a sentence for the person, and nothing is changed.

Modules by subject: `omt` (the OMT, members, chairs, task forces, UNCT decisions),
`meetings` (meetings, agendas, attendance), `minutes`, `tracker` (actions, escalations).
"""

from commonops.governance.actions.common import EditConflict
from commonops.governance.actions.meetings import (
    agenda_item_create,
    agenda_item_delete,
    agenda_item_move,
    agenda_item_update,
    agenda_paper_create,
    agenda_send,
    attendance_create,
    attendance_delete,
    meeting_cancel,
    meeting_create,
    meeting_record_attendance,
    meeting_update,
    minutes_start,
)
from commonops.governance.actions.minutes import (
    check_editable,
    may_finalise_minutes,
    minutes_circulate,
    minutes_comment_create,
    minutes_correct,
    minutes_finalise,
    minutes_item_create,
    minutes_item_update,
    minutes_share,
    minutes_update,
)
from commonops.governance.actions.omt import (
    chair_term_create,
    chair_term_update,
    membership_create,
    membership_delete,
    membership_update,
    omt_create,
    omt_update,
    task_force_create,
    task_force_member_create,
    task_force_member_delete,
    task_force_update,
    unct_decision_create,
)
from commonops.governance.actions.tracker import (
    action_complete,
    action_create,
    action_update,
    escalation_create,
    escalation_decide,
    may_complete_action,
)

__all__ = [
    "EditConflict", "action_complete", "action_create", "action_update", "agenda_item_create",
    "agenda_item_delete", "agenda_item_move", "agenda_item_update", "agenda_paper_create",
    "agenda_send", "attendance_create", "attendance_delete", "chair_term_create",
    "chair_term_update", "check_editable", "escalation_create", "escalation_decide",
    "may_complete_action", "may_finalise_minutes", "meeting_cancel", "meeting_create",
    "meeting_record_attendance", "meeting_update", "membership_create", "membership_delete",
    "membership_update", "minutes_circulate", "minutes_comment_create", "minutes_correct",
    "minutes_finalise", "minutes_item_create", "minutes_item_update", "minutes_share",
    "minutes_start", "minutes_update", "omt_create", "omt_update", "task_force_create",
    "task_force_member_create", "task_force_member_delete", "task_force_update",
    "unct_decision_create",
]
