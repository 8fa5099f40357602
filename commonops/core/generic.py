"""Generic list, detail, edit and delete pages, NetBox style.

A model's pages are one `ObjectPages` subclass that declares its queryset, FilterSet, form,
columns and actions; `ObjectPages.urls()` gives the five URL patterns. Access goes through
`core.access`: lists are scoped with `visible_to`, an object outside the user's scope is a
404, and changes need the model's manage permission in the object's country.
"""

from datetime import date, datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ImproperlyConfigured,
    PermissionDenied,
    ValidationError,
)
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View

from commonops.core import access, audit, display
from commonops.core.filters import filter_status
from commonops.core.roles import Perm
from commonops.core.spreadsheets import csv_response

PAGE_SIZE = 50


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def add_validation_errors(form, error: ValidationError) -> None:
    """Show an action's ValidationError on the form: by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# model -> its ObjectPages (the first declared), for pages that show an object of a model
PAGES_OF: dict = {}


def pages_for(model):
    return PAGES_OF.get(model)


class ObjectPages:
    model = None
    namespace = "core"
    name = ""  # URL name prefix, e.g. "country" -> core:country_list
    segment = ""  # URL path segment, e.g. "countries" -> /org/countries/
    filterset = None
    form = None
    columns: list[tuple[str, str]] = []  # (attribute path, label)
    detail_fields: list[str] = []
    select_related: tuple[str, ...] = ()
    detail_template = "core/object_detail.html"
    # The model's actions, one signature (docs/adding-an-app.md):
    #   <entity>_create(*, by, data) -> obj
    #   <entity>_update(*, <entity>, by, data) -> obj
    #   <entity>_delete(*, <entity>, by) -> None
    # where <entity> is `object_arg`.
    create_action = None
    update_action = None
    delete_action = None
    object_arg = ""  # the actions' keyword for the object: "opportunity"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.model is not None:
            PAGES_OF.setdefault(cls.model, cls)

    @classmethod
    def queryset(cls, request):
        return cls.model.objects.visible_to(request.user).select_related(*cls.select_related)

    @classmethod
    def get_object(cls, request, pk):
        return access.get_visible_or_404(
            cls.model.objects.select_related(*cls.select_related), request.user, pk=pk
        )

    @classmethod
    def entity(cls) -> str:
        return cls.object_arg or cls.model._meta.model_name

    @classmethod
    def _action(cls, name):
        action = getattr(cls, f"{name}_action")
        if action is None:
            raise ImproperlyConfigured(f"{cls.__name__} declares no {name}_action")
        return action

    @classmethod
    def may_create(cls, user) -> bool:
        """May `user` create a row of this model anywhere? Asked before any validation."""
        return access.can_manage(user, cls.model)

    @classmethod
    def create(cls, *, by, data):
        return cls._action("create")(by=by, data=data)

    @classmethod
    def update(cls, *, instance, by, data):
        return cls._action("update")(**{cls.entity(): instance}, by=by, data=data)

    @classmethod
    def delete(cls, *, instance, by):
        return cls._action("delete")(**{cls.entity(): instance}, by=by)

    @classmethod
    def form_data(cls, form) -> dict:
        return {name: form.cleaned_data[name] for name in form._meta.fields
                if name in form.cleaned_data}

    @classmethod
    def detail_context(cls, request, obj) -> dict:
        """Extra context for the detail page (related rows); override per model."""
        return {}

    @classmethod
    def initial(cls, request) -> dict:
        """Initial values of an add form: the current country, and fields named in the URL."""
        fields = cls.form._meta.fields or []
        initial = {name: value for name, value in request.GET.items() if name in fields}
        country = getattr(request, "country", None)
        if country is not None and "country" in fields:
            initial.setdefault("country", country.pk)
        return initial

    @classmethod
    def urls(cls):
        n, s = cls.name, cls.segment
        return [
            path(f"{s}/", ListView.as_view(pages=cls), name=f"{n}_list"),
            path(f"{s}/add/", EditView.as_view(pages=cls), name=f"{n}_add"),
            path(f"{s}/<int:pk>/", DetailView.as_view(pages=cls), name=f"{n}_detail"),
            path(f"{s}/<int:pk>/edit/", EditView.as_view(pages=cls), name=f"{n}_edit"),
            path(f"{s}/<int:pk>/delete/", DeleteView.as_view(pages=cls), name=f"{n}_delete"),
        ]


class _PagesView(LoginRequiredMixin, View):
    pages: type[ObjectPages] = None

    def common(self) -> dict:
        meta = self.pages.model._meta
        return {
            "pages": self.pages,
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": capfirst(meta.verbose_name_plural),
            "list_url": reverse(f"{self.pages.namespace}:{self.pages.name}_list"),
            "namespace": self.pages.namespace,
            "url_name": self.pages.name,
        }


def _csv_value(value):
    """A column value for the CSV: numbers and dates stay themselves, anything else is text."""
    if value is None or isinstance(value, (bool, int, float, Decimal, date, datetime)):
        return value
    return str(value)


def _field_of(model, accessor: str):
    """The model field an accessor ("service.name", "total") ends on, or None."""
    field = None
    for part in accessor.split("."):
        if model is None:
            return None
        try:
            field = model._meta.get_field(part)
        except Exception:  # a method or property named as a column
            return None
        model = field.related_model
    return field


def _cell_class(field) -> str:
    """Figures right-aligned and whole; dates kept on one line."""
    if isinstance(field, (models.DecimalField, models.FloatField)):
        return "num"
    if isinstance(field, (models.DateField, models.TimeField)):  # DateTimeField too
        return "nowrap"
    return ""


def _cell(obj, accessor: str):
    value = obj
    for part in accessor.split("."):
        if value is None:
            return None
        display = getattr(value, f"get_{part}_display", None)
        value = display() if display is not None else getattr(value, part)
        if callable(value):  # "__str__" and other methods named as columns
            value = value()
    return value


class ListView(_PagesView):
    def get(self, request):
        pages = self.pages
        filterset = pages.filterset(request.GET or None, queryset=pages.queryset(request),
                                    request=request)
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else (
            filterset.queryset if not filterset.is_bound else pages.model.objects.none())
        if request.GET.get("export") == "csv":
            return self.export_csv(request, rows)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        fields = [_field_of(pages.model, accessor) for accessor, _label in pages.columns]
        classes = [_cell_class(field) for field in fields]
        table = [
            (obj, [(display.field_value(field, _cell(obj, accessor)), css)
                   for (accessor, _label), field, css in zip(pages.columns, fields,
                                                             classes, strict=True)])
            for obj in page.object_list
        ]
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            **self.common(),
            "filterset": filterset,
            "page": page,
            "table": table,
            "headers": [(label, css) for (_a, label), css in zip(pages.columns, classes,
                                                                 strict=True)],
            "can_add": access.can_manage(request.user, pages.model,
                                         getattr(request.country, "pk", None)),
            "can_export": access.can(request.user, Perm.EXPORT),
            "query": query.urlencode(),
        }
        template = "core/_object_table.html" if is_htmx(request) else "core/object_list.html"
        return render(request, template, context, status=filter_status(filterset))

    def export_csv(self, request, rows):
        if not access.can(request.user, Perm.EXPORT):
            raise PermissionDenied
        columns = self.pages.columns
        return csv_response(
            f"{self.pages.name}s", ["id", *[str(label) for _a, label in columns]],
            ([obj.pk, *[_csv_value(_cell(obj, accessor)) for accessor, _l in columns]]
             for obj in rows.iterator(chunk_size=1000)))


class DetailView(_PagesView):
    def get(self, request, pk):
        return self.render_object(request, self.pages.get_object(request, pk))

    def render_object(self, request, obj, *, extra=None, status=200):
        """The object's page; `extra` adds to the context (a refused step's errors)."""
        pages = self.pages
        fields = []
        for name in pages.detail_fields:
            field = pages.model._meta.get_field(name)
            fields.append((capfirst(field.verbose_name),
                           display.field_value(field, _cell(obj, name))))
        context = {
            **self.common(),
            "object": obj,
            "fields": fields,
            "history": audit.history_for(obj),
            "can_change": access.can_manage(request.user, obj),
            **pages.detail_context(request, obj),
            **(extra or {}),
        }
        return render(request, pages.detail_template, context, status=status)


class EditView(_PagesView):
    template_name = "core/object_edit.html"

    def get_instance(self, request, pk):
        if pk is None:
            if not access.can_manage(request.user, self.pages.model,
                                     getattr(request.country, "pk", None)):
                raise PermissionDenied
            return None
        obj = self.pages.get_object(request, pk)
        if not access.can_manage(request.user, obj):
            raise PermissionDenied
        return obj

    def render_form(self, request, form, obj, status=200):
        context = {**self.common(), "form": form, "object": obj}
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk=None):
        obj = self.get_instance(request, pk)
        form = self.pages.form(instance=obj, user=request.user,
                               initial=self.pages.initial(request) if obj is None else None)
        return self.render_form(request, form, obj)

    def post(self, request, pk=None):
        obj = self.get_instance(request, pk)
        form = self.pages.form(request.POST, request.FILES or None, instance=obj,
                               user=request.user)
        if form.is_valid():
            data = self.pages.form_data(form)
            try:
                if obj is None:
                    obj = self.pages.create(by=request.user, data=data)
                else:
                    # The form has already applied its values to `obj`; reload so the
                    # action sees the stored row and records the real before/after.
                    obj.refresh_from_db()
                    obj = self.pages.update(instance=obj, by=request.user, data=data)
            except ValidationError as error:
                add_validation_errors(form, error)
            except PermissionDenied as denied:
                form.add_error(None, str(denied) or _("You may not make this change."))
            else:
                messages.success(request, _("Saved %(object)s.") % {"object": obj})
                return HttpResponseRedirect(obj.get_absolute_url())
        if obj is not None:
            obj.refresh_from_db()
        return self.render_form(request, form, obj, status=400)


class DeleteView(_PagesView):
    def get_instance(self, request, pk):
        obj = self.pages.get_object(request, pk)
        if not access.can_manage(request.user, obj):
            raise PermissionDenied
        return obj

    def get(self, request, pk):
        obj = self.get_instance(request, pk)
        return render(request, "core/object_delete.html", {**self.common(), "object": obj})

    def post(self, request, pk):
        obj = self.get_instance(request, pk)
        label = str(obj)
        try:
            self.pages.delete(instance=obj, by=request.user)
        except PermissionDenied as denied:
            messages.error(request, str(denied) or _("You may not delete this."))
            return HttpResponseRedirect(obj.get_absolute_url())
        except ValidationError as refused:  # the action's rule says no (a sent survey, say)
            messages.error(request, " ".join(refused.messages))
            return HttpResponseRedirect(obj.get_absolute_url())
        except Exception as error:  # ProtectedError, RestrictedError: still referenced
            from django.db.models import ProtectedError, RestrictedError

            if not isinstance(error, (ProtectedError, RestrictedError)):
                raise
            messages.error(request, _("%(object)s is still used elsewhere and cannot be "
                                      "deleted.") % {"object": label})
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("Deleted %(object)s.") % {"object": label})
        return HttpResponseRedirect(reverse(f"{self.pages.namespace}:{self.pages.name}_list"))


__all__ = ["ObjectPages", "NON_FIELD_ERRORS"]
