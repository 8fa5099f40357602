"""Imports (B4): grade rates and CBA lines, all or nothing with a preview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from commonops.bos import forms, imports
from commonops.bos.models import GradeRate, Opportunity
from commonops.bos.views.overview import _bos
from commonops.core import access
from commonops.core.roles import Perm
from commonops.core.spreadsheets import TableError, read_table, run_import

# --- imports (B4): grade rates and CBA lines, all or nothing with a preview -------------------


def _import_page(request, *, title, back, columns, apply_row, required, allowed):
    if not allowed:
        raise PermissionDenied
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_table(form.cleaned_data["upload"], columns, required=required)
        except TableError as error:
            form.add_error("upload", str(error))
            status = 400
        else:
            result = run_import(rows, apply_row, commit=form.cleaned_data["commit"])
            if result.committed:
                messages.success(request, _("Imported %(count)s rows.") % {"count": result.rows})
                return HttpResponseRedirect(back)
            status = 400 if result.errors else 200
    elif request.method == "POST":
        status = 400
    return render(request, "bos/import.html", {
        "form": form, "title": title, "back": back, "result": result,
        "columns": list(columns.values())}, status=status)


@login_required
def graderate_import(request):
    country = getattr(request, "country", None)
    return _import_page(
        request, title=_("Import grade rates for %(country)s") % {"country": country},
        back=reverse("bos:graderate_list"), columns=imports.GRADE_RATE_COLUMNS,
        required=imports.GRADE_RATE_COLUMNS,
        apply_row=lambda row: imports.grade_rate_row(row, country=country, by=request.user),
        allowed=country is not None and access.can(request.user, GradeRate.manage_permission,
                                                   country))


@login_required
def cba_import(request, pk):
    bos = _bos(request, pk)
    opportunities = {o.name.casefold(): o for o in Opportunity.objects.filter(bos=bos)}
    return _import_page(
        request, title=_("Import CBA lines into %(bos)s") % {"bos": bos},
        back=bos.get_absolute_url(), columns=imports.CBA_COLUMNS,
        required=("opportunity", "year", "side", "kind", "nature"),
        apply_row=lambda row: imports.cba_row(row, opportunities=opportunities,
                                              by=request.user),
        allowed=access.can(request.user, Perm.BOS_EDIT, bos.country_id))
