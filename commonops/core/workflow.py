"""Workflow steps, declared once.

A step is one move of an object that a person makes with a button: submit a BOS, take a
ticket, close a survey. An app declares its steps once, in `<app>/workflows.py`:

    BOS_WORKFLOW = Workflow(
        model=Bos, namespace="bos", name="bos", segment="strategies", object_arg="bos",
        facts=lambda bos: bos.status,             # the plain values the rules read
        steps=[
            Step("submit", L("Submit for quality assurance"), action=actions.bos_submit,
                 perm=Perm.BOS_EDIT, when=rules.may_submit,
                 done=L("Submitted for quality assurance.")),
            Step("return", L("Return to draft"), action=actions.bos_return,
                 perm=(Perm.BOS_QUALITY_ASSURE, Perm.BOS_ENDORSE), when=rules.may_return,
                 form=forms.ReturnForm, secondary=True, done=L("Returned to draft.")),
        ])

Everything else follows from the declaration:

- pages: `urlpatterns += BOS_WORKFLOW.urls()` gives `POST /bos/strategies/<pk>/submit/`
  (URL name `bos:bos_submit`), served by one `StepView`; a step with a form also answers
  GET with its own form page, so every step works without JavaScript. With HTMX the
  buttons swap the page's `<main>` in place;
- API: `step = workflow_action(BOS_WORKFLOW)` in a viewset gives `POST /api/bos/{id}/<step>/`;
- templates: `{% load workflow %}{% step_buttons bos %}` shows the buttons of the steps the
  person may take now, `{% may bos "submit" as can_submit %}` asks about one step.

Who may take a step is its `perm` (a permission, or several of which any one will do, in
the object's country; or a callable `(user, obj) -> bool`). When it may be taken is its
`when` rule: a pure function of the app's `rules.py`, called with `workflow.facts(obj)`.
The action applies the same rule again (it is the last line for pages, API, imports and
tasks) and says why when it refuses; the step view never re-encodes it.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.views import View

from commonops.core import access
from commonops.core.roles import Perm

# model -> its Workflow, filled as workflows are declared (templates look steps up here)
WORKFLOWS: dict[type, "Workflow"] = {}


@dataclass(frozen=True)
class Step:
    """One step: its action, who may take it (`perm`) and when (`when`)."""

    name: str  # URL segment and API action: "submit", "sign-off"
    label: Any  # the button's words
    action: Callable  # action(*, <object_arg>=obj, by, **inputs)
    perm: Any = None  # str, tuple of str (any one), callable(user, obj) -> bool, or None
    when: Callable[[Any], bool] | None = None  # rule of rules.py, called with the facts
    form: type | None = None  # a Django form of the inputs (pages, and the API by default)
    api_form: type | None = None  # a DRF serializer or Django form when the API differs
    form_kwargs: Callable[[Any, Any], dict] | None = None  # (obj, user) -> form arguments
    inputs: Callable[[dict, Any], dict] | None = None  # form data -> action arguments
    done: Any = ""  # success message, or callable(result) -> message
    then: Callable[[Any, Any], str] | None = None  # (obj, result) -> where to go after
    inline: bool = False  # the form is shown on the object's page, not on a page of its own
    secondary: bool = False  # a lesser button (return, cancel)
    intro: Any = ""  # a sentence above the step's own form page
    api_extra: Callable[[Any], dict] | None = None  # result -> keys added to the API answer

    @property
    def url_suffix(self) -> str:
        return self.name.replace("-", "_")

    def run(self, obj, *, by, object_arg: str, data: dict | None = None):
        arguments = dict(data or {})
        if self.inputs is not None:
            arguments = self.inputs(arguments, obj)
        return self.action(**{object_arg: obj}, by=by, **arguments)

    def success_message(self, result) -> str:
        return str(self.done(result) if callable(self.done) else self.done)

    def make_form(self, obj, data=None, files=None, *, user=None, api: bool = False):
        form_class = (self.api_form or self.form) if api else self.form
        if form_class is None:
            return None
        kwargs = self.form_kwargs(obj, user) if self.form_kwargs else {}
        if issubclass(form_class, django_forms.BaseForm):
            return form_class(data, files, **kwargs) if data is not None else \
                form_class(**kwargs)
        return form_class(data=data, context=kwargs)  # a DRF serializer


@dataclass
class Workflow:
    """The steps of one model, with where they live (namespace, URL segment)."""

    model: type
    namespace: str
    name: str  # URL name prefix: bos -> bos:bos_submit
    segment: str  # URL path segment: strategies -> /bos/strategies/<pk>/submit/
    object_arg: str  # the action's keyword for the object: bos_submit(bos=…)
    steps: list[Step] = field(default_factory=list)
    facts: Callable[[Any], Any] = lambda obj: obj  # what the rules read of the object
    select_related: tuple[str, ...] = ()
    queryset: Callable[[Any], Any] | None = None  # user -> the rows they may see (default:
    # model.objects.visible_to(user))
    pages: type | None = None  # the ObjectPages whose detail page shows refusals (default:
    # the model's)
    detail: Callable | None = None  # or (request, obj, extra, status) -> response

    def __post_init__(self):
        names = [step.name for step in self.steps]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.model.__name__}: two steps share a name")
        WORKFLOWS[self.model] = self

    # --- questions the pages, the API and the templates ask ------------------------------

    def step(self, name: str) -> Step:
        for step in self.steps:
            if step.name == name or step.url_suffix == name:
                return step
        raise KeyError(f"{self.model.__name__} has no step {name!r}")

    def permitted(self, step: Step, user, obj) -> bool:
        """May `user` take `step` on `obj` at all (roles only, not the object's state)?"""
        perm = step.perm
        if perm is None:
            return access.can(user, Perm.VIEW, obj.owning_country_id())
        if callable(perm):
            return bool(perm(user, obj))
        perms = (perm,) if isinstance(perm, str) else tuple(perm)
        country = obj.owning_country_id()
        return any(access.can(user, p, country) for p in perms)

    def allowed_now(self, step: Step, obj) -> bool:
        """Does the object's state allow `step` (the rule of rules.py)?"""
        return step.when is None or bool(step.when(self.facts(obj)))

    def may(self, step: Step | str, user, obj) -> bool:
        """Show the button: the person may take the step, and the rules allow it now."""
        step = self.step(step) if isinstance(step, str) else step
        return self.allowed_now(step, obj) and self.permitted(step, user, obj)

    def available(self, user, obj) -> list[Step]:
        return [step for step in self.steps if self.may(step, user, obj)]

    def url(self, step: Step, obj) -> str:
        return reverse(f"{self.namespace}:{self.name}_{step.url_suffix}", args=[obj.pk])

    def get_object(self, request, pk):
        if self.queryset is None:
            queryset = self.model.objects.select_related(*self.select_related)
            return access.get_visible_or_404(queryset, request.user, pk=pk)
        try:
            return self.queryset(request.user).select_related(*self.select_related).get(pk=pk)
        except self.model.DoesNotExist:
            raise Http404 from None

    # --- pages ---------------------------------------------------------------------------

    def urls(self):
        return [
            path(f"{self.segment}/<int:pk>/{step.name}/",
                 StepView.as_view(workflow=self, step_name=step.name),
                 name=f"{self.name}_{step.url_suffix}")
            for step in self.steps
        ]

    def render_detail(self, request, obj, extra: dict, status: int) -> HttpResponse:
        if self.detail is not None:
            return self.detail(request, obj, extra, status)
        from commonops.core.generic import DetailView, pages_for

        pages = self.pages or pages_for(self.model)
        return DetailView(pages=pages).render_object(request, obj, extra=extra, status=status)


def for_object(obj) -> Workflow | None:
    return WORKFLOWS.get(type(obj))


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _error_messages(error: ValidationError) -> list[str]:
    return list(error.messages)


class StepView(View):
    """One step on pages: POST runs it; GET shows the form of a step that asks for input.

    Refusals keep the page: an invalid form or an action's ValidationError re-renders the
    step's form page (or, for inline steps and plain buttons, the object's page) with the
    message and status 400; nothing has changed. Another country's object is a 404, a
    person without the step's permission gets 403.
    """

    workflow: Workflow = None
    step_name: str = ""

    @classmethod
    def as_view(cls, **initkwargs):
        return login_required(super().as_view(**initkwargs))

    @property
    def step(self) -> Step:
        return self.workflow.step(self.step_name)

    def setup_object(self, request, pk):
        obj = self.workflow.get_object(request, pk)
        if not self.workflow.permitted(self.step, request.user, obj):
            raise PermissionDenied
        return obj

    def get(self, request, pk):
        step = self.step
        if step.form is None:
            return HttpResponseNotAllowed(["POST"])
        obj = self.setup_object(request, pk)
        return self.render_form_page(request, obj, step.make_form(obj, user=request.user))

    def post(self, request, pk):
        step, workflow = self.step, self.workflow
        obj = self.setup_object(request, pk)
        form = step.make_form(obj, request.POST, request.FILES, user=request.user)
        if form is not None and not form.is_valid():
            return self.refuse(request, obj, form=form)
        try:
            result = step.run(obj, by=request.user, object_arg=workflow.object_arg,
                              data=form.cleaned_data if form is not None else None)
        except ValidationError as error:
            obj = workflow.get_object(request, pk)  # as stored: nothing has changed
            if form is not None:
                from commonops.core.generic import add_validation_errors

                add_validation_errors(form, error)
                return self.refuse(request, obj, form=form)
            return self.refuse(request, obj, errors=_error_messages(error))
        except PermissionDenied as denied:
            if not str(denied):
                raise
            obj = workflow.get_object(request, pk)
            return self.refuse(request, obj, errors=[str(denied)], status=403)
        message = step.success_message(result)
        if message:
            messages.success(request, message)
        target = step.then(obj, result) if step.then else obj.get_absolute_url()
        if _is_htmx(request):
            # HTMX loads the next page into <main> and keeps the address bar right
            response = HttpResponse(status=204)
            response["HX-Location"] = json.dumps(
                {"path": target, "target": "#main", "select": "#main"})
            return response
        return HttpResponseRedirect(target)

    def refuse(self, request, obj, *, form=None, errors=(), status=400):
        step = self.step
        if form is not None and not step.inline:
            return self.render_form_page(request, obj, form, errors=errors, status=status)
        extra = {"errors": list(errors), "step_forms": {step.name: form} if form else {}}
        return self.workflow.render_detail(request, obj, extra, status)

    def render_form_page(self, request, obj, form, *, errors=(), status=200):
        step = self.step
        return render(request, "core/form.html", {
            "object": obj, "form": form, "errors": list(errors), "intro": step.intro,
            "title": f"{step.label}: {obj}", "submit_label": step.label,
            "action_url": self.workflow.url(step, obj), "back": obj.get_absolute_url(),
        }, status=status)


# --- the API -------------------------------------------------------------------------------


def workflow_action(workflow: Workflow):
    """One DRF `@action` serving every step of `workflow`: `POST …/{id}/<step>/`.

    The object comes from the viewset's `get_object()` (scoped: 404 for an outsider); the
    step's permission is checked (403), its input validated with its form (400, the one
    error shape), and its action called. The answer is the object as the viewset shows it,
    read again after the step, with the step's `api_extra(result)` keys added.
    """
    from drf_spectacular.utils import OpenApiParameter, extend_schema
    from rest_framework import exceptions
    from rest_framework.decorators import action
    from rest_framework.response import Response

    names = [step.name for step in workflow.steps]
    pattern = "(?P<step>" + "|".join(names) + ")"

    @extend_schema(
        parameters=[OpenApiParameter("step", str, OpenApiParameter.PATH, enum=names,
                                     description="The workflow step to take.")],
        request={"application/json": {"type": "object"}},
        operation_id=f"{workflow.name}_step",
        summary=f"Take a workflow step: {', '.join(names)}",
    )
    @action(detail=True, methods=["post"], url_path=pattern, url_name="step")
    def step(self, request, pk=None, step=None):
        declared = workflow.step(step)
        obj = self.get_object()
        if not workflow.permitted(declared, request.user, obj):
            raise exceptions.PermissionDenied()
        data = None
        form = declared.make_form(obj, request.data, request.FILES, user=request.user,
                                  api=True)
        if form is not None:
            if isinstance(form, django_forms.BaseForm):
                if not form.is_valid():
                    raise exceptions.ValidationError(
                        {("non_field_errors" if name == "__all__" else name): errors
                         for name, errors in form.errors.items()})
                data = form.cleaned_data
            else:
                form.is_valid(raise_exception=True)
                data = dict(form.validated_data)
        result = declared.run(obj, by=request.user, object_arg=workflow.object_arg,
                              data=data)
        fresh = workflow.model.objects.get(pk=obj.pk)
        body = dict(self.get_serializer(fresh).data)
        if declared.api_extra is not None:
            body.update(declared.api_extra(result))
        return Response(body)

    return step
