"""Pages of documents and knowledge.

The repository's documents, requests, knowledge items, experts and templates use the
generic `ObjectPages` (documents scoped by D1, not only by country); downloads, previews,
versions, search, the classification of stored files and the access log are pages of
their own. Every file leaves through `classification.serve`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from commonops.core import access
from commonops.core.generic import (
    DetailView,
    EditView,
    ListView,
    ObjectPages,
    add_validation_errors,
)
from commonops.core.roles import Perm
from commonops.documents import actions, classification, filters, forms, queries, rules
from commonops.documents.models import (
    Document,
    DocumentRequest,
    DocumentVersion,
    Expert,
    KnowledgeItem,
    Template,
    TemplateVersion,
)


class FileEditView(EditView):
    """The generic add and edit page, with the uploaded file passed to the form."""

    template_name = "documents/file_edit.html"

    def post(self, request, pk=None):
        obj = self.get_instance(request, pk)
        form = self.pages.form(request.POST, request.FILES, instance=obj, user=request.user)
        if form.is_valid():
            data = self.pages.form_data(form)
            try:
                if obj is None:
                    obj = self.pages.create(by=request.user, data=data)
                else:
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


class _FilePages(ObjectPages):
    namespace = "documents"

    @classmethod
    def form_data(cls, form) -> dict:
        data = super().form_data(form)
        for extra in ("file", "note", "allowed_roles"):
            if extra in form.cleaned_data:
                data[extra] = form.cleaned_data[extra]
        return data

    @classmethod
    def urls(cls):
        return [url if not (url.name.endswith("_add") or url.name.endswith("_edit")) else
                path(str(url.pattern), FileEditView.as_view(pages=cls), name=url.name)
                for url in super().urls()]


class DocumentPages(_FilePages):
    """D1–D3: the country repository."""

    model = Document
    name = "document"
    segment = "repository"
    object_arg = "document"
    filterset = filters.DocumentFilterSet
    form = forms.DocumentForm
    select_related = ("country", "owner", "current_version", "task_force")
    columns = [("title", gettext_lazy("Title")), ("area", gettext_lazy("Folder")),
               ("classification", gettext_lazy("Classification")), ("dated", gettext_lazy("Date")),
               ("owner", gettext_lazy("Owner")),
               ("current_version.number", gettext_lazy("Version")),
               ("country", gettext_lazy("Country"))]
    detail_template = "documents/document_detail.html"
    create_action = staticmethod(actions.document_create)
    update_action = staticmethod(actions.document_update)
    delete_action = staticmethod(actions.document_delete)

    @classmethod
    def queryset(cls, request):
        return queries.documents_for(request.user).select_related(*cls.select_related)

    @classmethod
    def get_object(cls, request, pk):
        try:
            return cls.queryset(request).get(pk=pk)
        except Document.DoesNotExist:
            raise Http404 from None

    @classmethod
    def detail_context(cls, request, obj):
        may_change = actions.may_change(request.user, obj)
        links = [(Document._meta.get_field(name).verbose_name, getattr(obj, name))
                 for name in Document.LINKS if getattr(obj, f"{name}_id")]
        return {
            "versions": list(obj.versions.select_related("created_by")),
            "may_change": may_change,
            "can_change": may_change,
            "version_form": forms.VersionForm() if may_change else None,
            "links": links,
            "agencies": list(obj.allowed_agencies.all()),
            "roles": [label for value, label in forms.ROLE_CHOICES if value in obj.role_set],
            "requests": list(obj.requests.select_related("agency", "requested_by"))
            if obj.owner_id == request.user.pk else [],
        }


class DocumentRequestPages(ObjectPages):
    """D2: requests for documents, as the requesting agency and the owner see them."""

    model = DocumentRequest
    namespace = "documents"
    name = "request"
    segment = "requests"
    object_arg = "request"
    filterset = filters.DocumentRequestFilterSet
    select_related = ("document", "agency", "requested_by", "decided_by", "country")
    columns = [("__str__", gettext_lazy("Request")), ("status", gettext_lazy("Status")),
               ("requested_by", gettext_lazy("Requested by")),
               ("created_at", gettext_lazy("Asked")),
               ("country", gettext_lazy("Country"))]
    detail_fields = ["agency", "requested_by", "reason", "status", "decided_by", "decided_at",
                     "answer"]
    detail_template = "documents/request_detail.html"

    @classmethod
    def queryset(cls, request):
        return DocumentRequest.objects.visible_to(request.user).select_related(
            *cls.select_related)

    @classmethod
    def get_object(cls, request, pk):
        try:
            return cls.queryset(request).get(pk=pk)
        except DocumentRequest.DoesNotExist:
            raise Http404 from None

    @classmethod
    def detail_context(cls, request, obj):
        return {"can_change": False,
                "may_open": classification.may_read_document(request.user, obj.document)}

    @classmethod
    def urls(cls):
        return [path(f"{cls.segment}/", ListView.as_view(pages=cls), name=f"{cls.name}_list"),
                path(f"{cls.segment}/<int:pk>/", DetailView.as_view(pages=cls),
                     name=f"{cls.name}_detail")]


class KnowledgeItemPages(ObjectPages):
    """K1: the knowledge base, shared by every country team."""

    model = KnowledgeItem
    namespace = "documents"
    name = "knowledgeitem"
    segment = "knowledge"
    object_arg = "knowledge_item"
    filterset = filters.KnowledgeItemFilterSet
    form = forms.KnowledgeItemForm
    select_related = ("country", "country__region")
    columns = [("title", gettext_lazy("Experience")), ("country", gettext_lazy("Country")),
               ("country.region", gettext_lazy("Region")),
               ("service_line", gettext_lazy("Service line")),
               ("year", gettext_lazy("Year"))]
    detail_template = "documents/knowledgeitem_detail.html"
    create_action = staticmethod(actions.knowledge_item_create)
    update_action = staticmethod(actions.knowledge_item_update)
    delete_action = staticmethod(actions.knowledge_item_delete)

    @classmethod
    def detail_context(cls, request, obj):
        return {
            "alike": queries.experiences_like(obj),
            "bos_figure": queries.bos_reported_cost_avoidance(obj),
            "attachments": list(queries.documents_for(request.user).filter(
                pk__in=obj.attachments.values("pk"))),
        }


class ExpertPages(ObjectPages):
    """K2: the roster of common-services experts."""

    model = Expert
    namespace = "documents"
    name = "expert"
    segment = "experts"
    object_arg = "expert"
    filterset = filters.ExpertFilterSet
    form = forms.ExpertForm
    select_related = ("region", "agency")
    columns = [("name", gettext_lazy("Expert")), ("skills", gettext_lazy("Skills")),
               ("region", gettext_lazy("Region")), ("languages", gettext_lazy("Languages")),
               ("availability", gettext_lazy("Availability"))]
    detail_template = "documents/expert_detail.html"
    create_action = staticmethod(actions.expert_create)
    update_action = staticmethod(actions.expert_update)
    delete_action = staticmethod(actions.expert_delete)

    @classmethod
    def detail_context(cls, request, obj):
        country = getattr(request, "country", None)
        may_ask = country is not None and access.can(request.user, Perm.RAISE_TICKETS, country)
        return {"may_ask": may_ask, "support_form": forms.SupportRequestForm()
                if may_ask else None}


class TemplatePages(_FilePages):
    """K3: templates and sample documents."""

    model = Template
    name = "template"
    segment = "templates"
    object_arg = "template"
    filterset = filters.TemplateFilterSet
    form = forms.TemplateForm
    select_related = ("current_version",)
    columns = [("title", gettext_lazy("Template")), ("kind", gettext_lazy("Kind")),
               ("current_version.number", gettext_lazy("Version"))]
    detail_template = "documents/template_detail.html"
    create_action = staticmethod(actions.template_create)
    update_action = staticmethod(actions.template_update)
    delete_action = staticmethod(actions.template_delete)

    @classmethod
    def detail_context(cls, request, obj):
        use_form = forms.UseTemplateForm(user=request.user, initial={
            "country": getattr(request.country, "pk", None), "title": obj.title})
        return {
            "versions": list(obj.versions.all()),
            "version_form": forms.VersionForm() if access.can_manage(request.user, obj)
            else None,
            "use_form": use_form if use_form.fields["country"].queryset.exists() else None,
        }


# --- the repository's home, search and files -----------------------------------------------


@login_required
def repository(request):
    """The country's repository: its folders, recent documents and the search box."""
    country = getattr(request, "country", None)
    if country is None:
        raise Http404
    recent = queries.documents_for(request.user).filter(country=country)[:10]
    return render(request, "documents/repository.html", {
        "country": country,
        "folders": queries.folders(request.user, country=country),
        "recent": recent,
        "may_upload": access.can(request.user, Perm.UPLOAD_DOCUMENTS, country),
        "keeps": access.can(request.user, Perm.KEEP_REPOSITORY, country),
        "may_request": actions.may_request(request.user),
        "search_form": forms.SearchForm(user=request.user, initial={"country": country.pk}),
    })


@login_required
def search(request):
    """Full-text search over documents, minutes, decisions and knowledge (D1 applies)."""
    form = forms.SearchForm(request.GET or None, user=request.user)
    results = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            results = queries.search(request.user, q=data["q"] or "", country=data["country"],
                                     area=data["area"], service_line=data["service_line"],
                                     year=data["year"])
        else:
            status = 400
    return render(request, "documents/search.html", {"form": form, "results": results},
                  status=status)


def _version_or_404(request, pk) -> DocumentVersion:
    try:
        return DocumentVersion.objects.visible_to(request.user).select_related(
            "document", "document__country").get(pk=pk)
    except DocumentVersion.DoesNotExist:
        raise Http404 from None


def serve_version(request, version: DocumentVersion, *, how: str, inline: bool = False):
    """D1 on every download: the reader was checked by the query; a confidential read is
    logged before the file leaves."""
    if rules.must_log(version.document.classification):
        classification.log_access(user=request.user, country_id=version.country_id,
                                  file_name=version.name, how=how,
                                  document=version.document, version=version)
    return classification.serve(version.file, name=version.name, kind=version.kind,
                                inline=inline)


@login_required
def version_download(request, pk):
    return serve_version(request, _version_or_404(request, pk), how="download")


@login_required
def version_preview(request, pk):
    version = _version_or_404(request, pk)
    if not version.previewable:
        raise Http404
    return serve_version(request, version, how="preview", inline=True)


@login_required
def document_preview(request, pk):
    """A page showing the current version of a PDF or an image inside the app's layout."""
    document = DocumentPages.get_object(request, pk)
    version = document.current_version
    if version is None or not version.previewable:
        raise Http404
    return render(request, "documents/preview.html", {"document": document,
                                                      "version": version})


@login_required
@require_POST
def version_add(request, pk):
    """D3: upload a new version; the old ones are kept."""
    document = DocumentPages.get_object(request, pk)
    form = forms.VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.version_add(document=document, by=request.user,
                                file=form.cleaned_data["file"],
                                note=form.cleaned_data["note"])
        except ValidationError as error:
            add_validation_errors(form, error)
        except PermissionDenied as denied:
            raise PermissionDenied(str(denied)) from None
        else:
            messages.success(request, _("New version saved."))
            return HttpResponseRedirect(document.get_absolute_url())
    return _with_version_form(request, document, form)


def _with_version_form(request, document, form):
    context = {**DocumentPages.detail_context(request, document), "version_form": form}
    from commonops.core import audit

    return render(request, DocumentPages.detail_template, {
        "object": document, "history": audit.history_for(document),
        "verbose_name_plural": Document._meta.verbose_name_plural.capitalize(),
        "list_url": reverse("documents:document_list"), "namespace": "documents",
        "url_name": "document", **context}, status=400)


@login_required
def request_create(request):
    """D2: ask for a document your agency cannot read."""
    actions.require_may_request(request.user)  # 403 before any reference is looked up
    form = forms.RequestForm(request.POST or None, user=request.user,
                             initial={"reference": request.GET.get("reference", "")})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = actions.request_create(by=request.user, data={
                    "document": form.cleaned_data["document"],
                    "reason": form.cleaned_data["reason"]})
            except ValidationError as error:
                add_validation_errors(form, error)
            except PermissionDenied as denied:
                form.add_error(None, str(denied))
            else:
                messages.success(request, _("Your request was sent to the document's owner."))
                return HttpResponseRedirect(created.get_absolute_url())
        status = 400
    return render(request, "core/form.html", {
        "title": _("Request a document"), "form": form, "submit_label": _("Send the request"),
        "intro": _("Your agency may ask for a document of the repository it cannot read. "
                   "Its owner grants or refuses the request."),
        "back": reverse("documents:request_list")}, status=status)


# --- files other areas store ---------------------------------------------------------------


def stored_models():
    """The files other areas store, each through the same D1 check."""
    from commonops.commonservices.models import Agreement
    from commonops.governance.models import AgendaPaper
    from commonops.servicedesk.models import Attachment

    return {AgendaPaper: "file", Agreement: "signed_file", Attachment: "file"}


def _stored_object(request, content_type_id, object_id):
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model not in stored_models():
        raise Http404
    if model.__name__ == "Attachment":
        from commonops.servicedesk.queries import tickets_visible_to

        obj = get_object_or_404(model.objects.filter(
            ticket__in=tickets_visible_to(request.user)), pk=object_id)
    else:
        obj = access.get_visible_or_404(model.objects.all(), request.user, pk=object_id)
    return obj


@login_required
def stored_file(request, content_type_id, object_id):
    """D1 for a meeting paper, a signed agreement or a ticket attachment."""
    obj = _stored_object(request, content_type_id, object_id)
    current = classification.classification_of_stored(obj)
    if not classification.may_read_stored(request.user, obj, current):
        raise Http404
    if not actions.may_classify_stored(request.user, obj):
        raise PermissionDenied
    form = forms.StoredFileClassificationForm(request.POST or None, instance=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in
                    ("classification", "allowed_roles", "allowed_agencies")}
            try:
                actions.stored_file_classify(obj=obj, by=request.user, data=data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("Classification saved."))
                return HttpResponseRedirect(reverse("documents:repository"))
        status = 400
    return render(request, "core/form.html", {
        "title": _("Classify %(file)s") % {"file": obj}, "form": form,
        "intro": _("Without a classification a stored file is internal: the staff of the "
                   "country's participating agencies may read it."),
        "back": reverse("documents:repository")}, status=status)


@login_required
def access_log(request):
    """D1: the confidential reads of the current country, for its repository's keepers."""
    country = getattr(request, "country", None)
    if country is None or not access.can(request.user, Perm.KEEP_REPOSITORY, country):
        raise PermissionDenied
    page = Paginator(queries.access_log_for(request.user, country=country), 50).get_page(
        request.GET.get("page"))
    return render(request, "documents/access_log.html", {"page": page, "country": country})


# --- roster and templates ----------------------------------------------------------------


@login_required
@require_POST
def support_request(request, pk):
    """K2: ask an expert for support: a ticket of the HQ referral desk."""
    expert = get_object_or_404(Expert, pk=pk)
    country = getattr(request, "country", None)
    form = forms.SupportRequestForm(request.POST)
    if country is not None and form.is_valid():
        try:
            created = actions.support_request_create(by=request.user, data={
                "country": country, "expert": expert, **form.cleaned_data})
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Your request is ticket %(number)s of the HQ referral "
                                        "desk.") % {"number": created.ticket.number})
            return HttpResponseRedirect(created.ticket.get_absolute_url())
    if country is None or not access.can(request.user, Perm.RAISE_TICKETS, country):
        raise PermissionDenied
    return render(request, "documents/expert_detail.html", {
        "object": expert, "may_ask": True, "support_form": form,
        "list_url": reverse("documents:expert_list"), "verbose_name_plural": _("Experts"),
        "namespace": "documents", "url_name": "expert"}, status=400)


@login_required
def template_download(request, pk):
    version = get_object_or_404(TemplateVersion.objects.visible_to(request.user), pk=pk)
    return classification.serve(version.file, name=version.name, kind=version.kind)


@login_required
@require_POST
def template_version_add(request, pk):
    template = get_object_or_404(Template.objects.visible_to(request.user), pk=pk)
    form = forms.VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.template_version_add(template=template, by=request.user,
                                         file=form.cleaned_data["file"],
                                         note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(template.get_absolute_url())
        messages.success(request, _("New version saved."))
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return HttpResponseRedirect(template.get_absolute_url())


@login_required
@require_POST
def template_use(request, pk):
    """K3: "use this template": a new document in a country's repository."""
    template = get_object_or_404(Template.objects.visible_to(request.user), pk=pk)
    form = forms.UseTemplateForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            document = actions.template_use(template=template, by=request.user,
                                            **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The document was created from the template."))
            return HttpResponseRedirect(document.get_absolute_url())
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return HttpResponseRedirect(template.get_absolute_url())
