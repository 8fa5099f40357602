"""OMT governance: the OMT, its members and chairs, task forces, meetings with agendas and
attendance, minutes with comments and versions, actions, escalations and UNCT decisions.

Every row is owned by the country of its OMT (`CountryOwnedModel`), so access and the audit
trail come from `core`. Rule ids (G1–G12) refer to DOMAIN.md.
"""

from commonops.governance.models.common import GOVERN, GovernanceModel, ReminderSent
from commonops.governance.models.meetings import (
    AgendaItem,
    AgendaPaper,
    Attendance,
    AttendanceCapacity,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from commonops.governance.models.minutes import (
    Minutes,
    MinutesComment,
    MinutesItem,
    MinutesStatus,
)
from commonops.governance.models.omt import (
    ChairRole,
    ChairTerm,
    Membership,
    Omt,
    Secretariat,
    TaskForce,
    TaskForceMember,
    UnctDecision,
    UnctDecisionKind,
)
from commonops.governance.models.tracker import (
    Action,
    ActionStatus,
    Escalation,
    EscalationStatus,
)

__all__ = [
    "GOVERN", "Action", "ActionStatus", "AgendaItem", "AgendaPaper", "Attendance",
    "AttendanceCapacity", "AttendanceStatus", "ChairRole", "ChairTerm", "Escalation",
    "EscalationStatus", "GovernanceModel", "Meeting", "MeetingKind", "MeetingStatus",
    "Membership", "Minutes", "MinutesComment", "MinutesItem", "MinutesStatus", "Omt",
    "ReminderSent", "Secretariat", "TaskForce", "TaskForceMember", "UnctDecision",
    "UnctDecisionKind",
]
