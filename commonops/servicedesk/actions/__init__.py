"""State-changing use cases of the service desk (T1–T6). Pages, the API, the mail reader
and the SLA task all call these; nothing else writes tickets."""

from commonops.servicedesk.actions.common import (
    may_change_status,
    may_rate,
    may_reply,
    may_work,
    sla_hours,
)
from commonops.servicedesk.actions.desk import (
    agent_create,
    agent_delete,
    agent_update,
    category_create,
    category_delete,
    category_update,
    sla_policy_create,
    sla_policy_delete,
    sla_policy_update,
    team_create,
    team_delete,
    team_update,
)
from commonops.servicedesk.actions.sla import (
    sla_check,
)
from commonops.servicedesk.actions.tickets import (
    agent_loads,
    agent_set_available,
    ticket_assign,
    ticket_change_status,
    ticket_merge,
    ticket_raise,
    ticket_rate,
    ticket_reply,
    ticket_take,
    ticket_triage,
)

__all__ = [
    "may_change_status",
    "may_rate",
    "may_reply",
    "may_work",
    "sla_hours",
    "agent_create",
    "agent_delete",
    "agent_update",
    "category_create",
    "category_delete",
    "category_update",
    "sla_policy_create",
    "sla_policy_delete",
    "sla_policy_update",
    "team_create",
    "team_delete",
    "team_update",
    "agent_loads",
    "agent_set_available",
    "ticket_assign",
    "ticket_change_status",
    "ticket_merge",
    "ticket_raise",
    "ticket_rate",
    "ticket_reply",
    "ticket_take",
    "ticket_triage",
    "sla_check",
]
