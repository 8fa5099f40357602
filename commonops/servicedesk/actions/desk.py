"""The desk's set-up (T2, T3): teams, agents, categories and SLA policies."""



from commonops.core.audit import audited_action
from commonops.core.saving import delete_managed, save_managed
from commonops.servicedesk.models import (
    Agent,
    Category,
    SlaPolicy,
    Team,
)

# --- the desk's set-up: teams, agents, categories, SLA policies (T2, T3) ---------------------


@audited_action
def team_create(*, by, data: dict) -> Team:
    return save_managed(Team(), by=by, data=data)


@audited_action
def team_update(*, team: Team, by, data: dict) -> Team:
    return save_managed(team, by=by, data=data)


@audited_action
def team_delete(*, team: Team, by) -> None:
    delete_managed(team, by=by)


@audited_action
def agent_create(*, by, data: dict) -> Agent:
    return save_managed(Agent(), by=by, data=data)


@audited_action
def agent_update(*, agent: Agent, by, data: dict) -> Agent:
    return save_managed(agent, by=by, data=data)


@audited_action
def agent_delete(*, agent: Agent, by) -> None:
    delete_managed(agent, by=by)


@audited_action
def category_create(*, by, data: dict) -> Category:
    return save_managed(Category(), by=by, data=data)


@audited_action
def category_update(*, category: Category, by, data: dict) -> Category:
    return save_managed(category, by=by, data=data)


@audited_action
def category_delete(*, category: Category, by) -> None:
    delete_managed(category, by=by)


@audited_action
def sla_policy_create(*, by, data: dict) -> SlaPolicy:
    return save_managed(SlaPolicy(), by=by, data=data)


@audited_action
def sla_policy_update(*, sla_policy: SlaPolicy, by, data: dict) -> SlaPolicy:
    return save_managed(sla_policy, by=by, data=data)


@audited_action
def sla_policy_delete(*, sla_policy: SlaPolicy, by) -> None:
    delete_managed(sla_policy, by=by)
