"""Template tags of the governance pages.

    {% load governance %}{% action_state action %}   the action's state, labelled and coloured
"""

from django import template

from commonops.governance import rules
from commonops.governance.filters import ACTION_STATES

register = template.Library()

LABELS = dict(ACTION_STATES)
LEVELS = {"overdue": "danger", "due_soon": "warning", "done": "ok", "open": "info"}


def state_of(action) -> str:
    """`state` as the tracker annotates it in SQL (queries.with_state), or, for an action
    read without it, the same rule on its country's today."""
    state = getattr(action, "state", None)
    if state is None:
        state = rules.action_state(due=action.due_on, done=action.status == "done",
                                   today=action.country.today())
    return state


@register.inclusion_tag("governance/_action_state.html")
def action_state(action):
    state = state_of(action)
    return {"label": LABELS.get(state, ""), "level": LEVELS.get(state, "info")}
