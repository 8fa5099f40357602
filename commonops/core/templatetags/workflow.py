"""Templates ask the declared steps (core.workflow) whether to show a button.

    {% load workflow %}
    {% step_buttons bos %}                  the buttons of every step the person may take now
    {% step_buttons ticket "take" %}        only the named steps
    {% step_form survey "invite" %}         a step whose form sits on the object's page
    {% may ticket "take" as can_take %}     ask about one step
"""

from django import template

from commonops.core import workflow as workflows

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(takes_context=True)
def may(context, obj, step_name) -> bool:
    """Whether the person may take the step on the object now (roles and rules)."""
    flow = workflows.for_object(obj)
    return bool(flow and flow.may(step_name, _user(context), obj))


@register.inclusion_tag("core/_step_buttons.html", takes_context=True)
def step_buttons(context, obj, *names):
    """Buttons of the steps the person may take now; inline steps only when named."""
    flow = workflows.for_object(obj)
    user = _user(context)
    steps = [] if flow is None else (
        [flow.step(name) for name in names] if names
        else [step for step in flow.steps if not step.inline])
    buttons = [(step, flow.url(step, obj)) for step in steps if flow.may(step, user, obj)]
    return {"buttons": buttons, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("core/_step_form.html", takes_context=True)
def step_form(context, obj, name, submit_label=""):
    """The form of an inline step, bound with its errors after a refusal."""
    flow = workflows.for_object(obj)
    step = flow.step(name) if flow else None
    if step is None or not flow.may(step, _user(context), obj):
        return {"step": None}
    form = (context.get("step_forms") or {}).get(step.name) or step.make_form(
        obj, user=_user(context))
    return {"step": step, "form": form, "url": flow.url(step, obj),
            "submit_label": submit_label or step.label, "csrf_token": context.get("csrf_token")}
