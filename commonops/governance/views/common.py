"""What the governance pages share: their ObjectPages base, the OMT of a URL, the
permission check, and the one shape of a form on a page of its own."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from commonops.core import access
from commonops.core.generic import DetailView, ObjectPages, add_validation_errors
from commonops.governance import queries
from commonops.governance.models import Omt


class GovernancePages(ObjectPages):
    namespace = "governance"

    @classmethod
    def initial(cls, request):
        """An add form starts with the OMT of the country the person works in."""
        initial = super().initial(request)
        country = getattr(request, "country", None)
        if "omt" in (cls.form._meta.fields or []) and "omt" not in initial and country:
            omt = queries.omt_of(country)
            if omt is not None:
                initial["omt"] = omt.pk
        return initial

    @classmethod
    def render(cls, request, obj, *, extra=None, status=200):
        """The object's page; `extra` adds a refusal's messages or bound forms to it."""
        return DetailView(pages=cls).render_object(request, obj, extra=extra, status=status)


def visible_omt(request, pk) -> Omt:
    return access.get_visible_or_404(
        Omt.objects.select_related("country", "secretary", "me_focal_point"), request.user,
        pk=pk)


def require(request, perm: str, country) -> None:
    """403 unless the person holds `perm` in the country."""
    access.require(request.user, perm, country, _("Your roles do not allow this."))


def form_page(request, form, *, title, back: str, save, done="", intro="", then=None):
    """One form on a page of its own (`core/form.html`).

    GET shows the form. POST validates it and calls `save(cleaned_data)`, which calls one
    action, then goes to `then(result)` (default: the result's page) with the `done`
    message (a text, or a callable of the result). Invalid input or the action's
    ValidationError is shown on the form with status 400, and nothing has changed.
    """
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = save(form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                message = done(result) if callable(done) else done
                if message:
                    messages.success(request, message)
                return HttpResponseRedirect(then(result) if then else result.get_absolute_url())
        status = 400
    return render(request, "core/form.html", {
        "title": title, "form": form, "back": back, "intro": intro}, status=status)
