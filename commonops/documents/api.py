"""API of documents and knowledge, mirroring the pages with the same actions and D1.

- `/api/documents/` — the repository (multipart `file` on create), D1-scoped;
  `POST …/{id}/versions/` (multipart `file`, `note`), `GET …/{id}/download/`
  (the current version, `?version=N` for another), `GET …/{id}/preview/`.
- `/api/document-requests/` — requests (`POST` {"reference", "reason"}), and the owner's
  steps `POST …/{id}/grant/` {"answer"}, `POST …/{id}/refuse/` {"answer"}.
- `/api/document-search/?q=…&country=&area=&service_line=&year=` — full-text search,
  answering `{"count": n, "results": [{"kind", "id", "title", "country", "url"}, …]}`.
- `/api/knowledge-items/`, `/api/experts/` (`POST …/{id}/support/` {"subject",
  "description"} raises a ticket of the HQ referral desk), `/api/templates/`
  (`POST …/{id}/versions/`, `GET …/{id}/download/`, `POST …/{id}/use/`).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from commonops.core import access
from commonops.core.api_base import ScopedModelSerializer, ScopedViewSet, router
from commonops.core.models import Country, ServiceLine
from commonops.core.roles import Role
from commonops.core.workflow import workflow_action
from commonops.documents import actions, classification, forms, queries, views
from commonops.documents.models import (
    Area,
    Document,
    DocumentRequest,
    DocumentVersion,
    Expert,
    KnowledgeItem,
    Template,
)
from commonops.documents.workflows import REQUEST_WORKFLOW

_STAMPS = ["created_at", "updated_at"]
_PARSERS = [JSONParser, MultiPartParser, FormParser]


def _files(content_types) -> dict:
    """A file answered with one of these content types (the schema of a download)."""
    return {(200, content_type): OpenApiTypes.BINARY for content_type in content_types}


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentVersion
        fields = ["id", "number", "name", "size", "kind", "sha256", "note", "created_at"]
        read_only_fields = fields


class RolesField(serializers.MultipleChoiceField):
    def to_representation(self, value):
        from commonops.documents.rules import roles_from_text

        return sorted(roles_from_text(value) if isinstance(value, str) else value)


class DocumentSerializer(ScopedModelSerializer):
    allowed_roles = RolesField(choices=Role.choices, required=False)
    file = serializers.FileField(write_only=True, required=False)
    note = serializers.CharField(write_only=True, required=False, allow_blank=True)
    reference = serializers.CharField(read_only=True)
    current_version = VersionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Document
        fields = ["id", "reference", "country", "title", "area", "classification",
                  "allowed_roles", "allowed_agencies", "owner", "dated", "description", "tags",
                  "service_line", *Document.LINKS, "current_version", "file", "note", *_STAMPS]
        read_only_fields = ["id", "owner", *_STAMPS]
        extra_kwargs = {"dated": {"required": False}}

    def validate_country(self, country):
        if self.instance is not None and country != self.instance.country:
            raise serializers.ValidationError(_("A document stays in its country's "
                                                "repository."))
        return country

    def validate(self, attrs):
        if self.instance is None and "file" not in attrs:
            raise serializers.ValidationError({"file": [_("Choose the file to upload.")]})
        if "allowed_roles" in attrs:
            attrs["allowed_roles"] = sorted(attrs["allowed_roles"])
        return attrs


class DocumentViewSet(ScopedViewSet):
    """The country repository (D1–D3): only the documents the caller may read."""

    pages = views.DocumentPages
    serializer_class = DocumentSerializer
    parser_classes = _PARSERS

    def get_queryset(self):
        return views.DocumentPages.queryset(self.request).prefetch_related(
            "allowed_agencies").order_by("pk")

    def perform_update(self, serializer):
        if not actions.may_change(self.request.user, serializer.instance):
            raise PermissionDenied(_("Only the document's owner or the repository's keeper "
                                     "may change it."))
        super().perform_update(serializer)

    def perform_destroy(self, instance):
        if not actions.may_change(self.request.user, instance):
            raise PermissionDenied(_("Only the document's owner or the repository's keeper "
                                     "may change it."))
        super().perform_destroy(instance)

    @extend_schema(request={"multipart/form-data": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}, "note": {"type": "string"}}}},
        responses=VersionSerializer, summary="Upload a new version (D3)")
    @action(detail=True, methods=["post"])
    def versions(self, request, pk=None):
        document = self.get_object()
        form = forms.VersionForm(request.data, request.FILES)
        if not form.is_valid():
            raise DjangoValidationError(form.errors.as_data())
        version = actions.version_add(document=document, by=request.user,
                                      file=form.cleaned_data["file"],
                                      note=form.cleaned_data["note"])
        return Response(VersionSerializer(version).data, status=201)

    def _version(self, request, document):
        number = request.query_params.get("version")
        versions = document.versions.all()
        version = (versions.filter(number=number).first() if number and number.isdigit()
                   else versions.first())
        if version is None:
            raise Http404
        return version

    @extend_schema(responses=_files(classification.DOWNLOAD_TYPES),
                   summary="Download a version's file (D1: checked and logged)")
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        document = self.get_object()
        return views.serve_version(request, self._version(request, document), how="api")

    @extend_schema(responses=_files(classification.PREVIEW_TYPES),
                   summary="A PDF or an image shown inline")
    @action(detail=True, methods=["get"])
    def preview(self, request, pk=None):
        version = self._version(request, self.get_object())
        if not version.previewable:
            raise Http404
        return views.serve_version(request, version, how="api", inline=True)


# "DocumentRequest" is already the name of the document's own request body in the schema.
@extend_schema_serializer(component_name="DocumentAccessRequest")
class DocumentRequestSerializer(ScopedModelSerializer):
    reference = serializers.CharField(write_only=True)
    document_reference = serializers.CharField(source="document.reference", read_only=True)

    class Meta:
        model = DocumentRequest
        fields = ["id", "reference", "document_reference", "agency", "requested_by", "reason",
                  "status", "decided_by", "decided_at", "answer", "country", *_STAMPS]
        read_only_fields = ["id", "agency", "requested_by", "status", "decided_by",
                            "decided_at", "answer", "country", *_STAMPS]


class DocumentRequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """D2: requests for documents; the owner grants or refuses."""

    serializer_class = DocumentRequestSerializer
    filterset_class = views.DocumentRequestPages.filterset

    def get_queryset(self):
        return views.DocumentRequestPages.queryset(self.request).order_by("pk")

    def create(self, request, *args, **kwargs):
        # refused before the reference is looked up: it would tell what exists
        if not actions.may_request(request.user):
            raise PermissionDenied(_("Only the staff of the country's participating agencies "
                                     "may request its documents."))
        form = forms.RequestForm(request.data, user=request.user)
        if not form.is_valid():
            raise DjangoValidationError(form.errors.as_data())
        created = actions.request_create(by=request.user, data={
            "document": form.cleaned_data["document"], "reason": form.cleaned_data["reason"]})
        return Response(self.get_serializer(created).data, status=201)

    step = workflow_action(REQUEST_WORKFLOW)  # D2: grant, refuse


class SearchResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField()
    country = serializers.CharField()
    url = serializers.CharField()


@extend_schema_serializer(many=False)  # one answer holding the list, not a list
class SearchAnswerSerializer(serializers.Serializer):
    """The matches of every section (each capped), and how many there are."""

    count = serializers.IntegerField()
    results = SearchResultSerializer(many=True)


class SearchParams(serializers.Serializer):
    q = serializers.CharField(max_length=200)
    country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all(),
                                                 required=False)
    area = serializers.ChoiceField(choices=Area.choices, required=False)
    service_line = serializers.ChoiceField(choices=ServiceLine.choices, required=False)
    year = serializers.IntegerField(min_value=1990, max_value=2100, required=False)


class SearchViewSet(viewsets.ViewSet):
    """Full-text search over documents, minutes, decisions and knowledge, within access."""

    @extend_schema(parameters=[SearchParams], responses=SearchAnswerSerializer,
                   summary="Search documents, minutes, decisions and knowledge")
    def list(self, request):
        params = SearchParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        country = data.get("country")
        if country is not None and not access.can(request.user, "core.view", country):
            country = Country(pk=0)  # another country's: nothing to find
        results = queries.search(request.user, q=data["q"], country=country,
                                 area=data.get("area", ""),
                                 service_line=data.get("service_line", ""),
                                 year=data.get("year"))
        rows = [{"kind": "document", "id": d.pk, "title": d.title, "country": str(d.country),
                 "url": d.get_absolute_url()} for d in results.documents]
        rows += [{"kind": "minutes", "id": i.pk, "title": f"{i.minutes.meeting}: {i.title}",
                  "country": str(i.country), "url": i.get_absolute_url()}
                 for i in results.minutes_items]
        rows += [{"kind": "decision", "id": d.pk, "title": d.subject, "country": str(d.country),
                  "url": d.get_absolute_url()} for d in results.decisions]
        rows += [{"kind": "knowledge", "id": k.pk, "title": k.title, "country": str(k.country),
                  "url": k.get_absolute_url()} for k in results.knowledge]
        return Response({"count": len(rows), "results": rows})


class KnowledgeItemSerializer(ScopedModelSerializer):
    attachments = serializers.PrimaryKeyRelatedField(many=True, required=False,
                                                     queryset=Document.objects.all())

    class Meta:
        model = KnowledgeItem
        fields = ["id", "title", "country", "service_line", "year", "summary", "results",
                  "cost_avoidance", "bos", "lessons", "contacts", "tags", "attachments",
                  *_STAMPS]
        read_only_fields = ["id", *_STAMPS]

    def validate_attachments(self, documents):
        readable = set(queries.documents_for(self.context["request"].user).filter(
            pk__in=[d.pk for d in documents]).values_list("pk", flat=True))
        if any(d.pk not in readable for d in documents):
            raise serializers.ValidationError(_("Choose documents you may read."))
        return documents

    def to_representation(self, instance):
        data = super().to_representation(instance)
        readable = set(queries.documents_for(self.context["request"].user).filter(
            pk__in=data.get("attachments", [])).values_list("pk", flat=True))
        data["attachments"] = [pk for pk in data.get("attachments", []) if pk in readable]
        return data


class KnowledgeItemViewSet(ScopedViewSet):
    """K1: the knowledge base, shared by all country teams."""

    pages = views.KnowledgeItemPages
    serializer_class = KnowledgeItemSerializer

    @extend_schema(responses=KnowledgeItemSerializer(many=True),
                   summary="Experiences like this one (K1)")
    @action(detail=True, methods=["get"])
    def alike(self, request, pk=None):
        item = self.get_object()
        return Response(self.get_serializer(queries.experiences_like(item), many=True).data)


@extend_schema_field(serializers.ListField(
    child=serializers.ChoiceField(choices=ServiceLine.choices)))
class ServiceLinesField(serializers.Field):
    """Service lines as a list (or one comma-separated string) of their codes."""

    def to_representation(self, value):
        return [code for code in value.split(",") if code]

    def to_internal_value(self, data):
        codes = data.split(",") if isinstance(data, str) else data
        if not isinstance(codes, list) or not codes:
            raise serializers.ValidationError(_("Give at least one service line."))
        valid = set(ServiceLine.values)
        if any(code not in valid for code in codes):
            raise serializers.ValidationError(_("Choose service lines from the list."))
        return ",".join(sorted(set(codes)))


class ExpertSerializer(ScopedModelSerializer):
    service_lines = ServiceLinesField()

    class Meta:
        model = Expert
        fields = ["id", "name", "agency", "email", "region", "skills", "service_lines",
                  "languages", "availability", "past_assignments", *_STAMPS]
        read_only_fields = ["id", *_STAMPS]



class SupportSerializer(serializers.Serializer):
    country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all())
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField()


class ExpertViewSet(ScopedViewSet):
    """K2: the roster of common-services experts."""

    pages = views.ExpertPages
    serializer_class = ExpertSerializer

    @extend_schema(request=SupportSerializer, summary="Ask for support: a ticket of the HQ "
                                                      "referral desk (K2)")
    @action(detail=True, methods=["post"])
    def support(self, request, pk=None):
        expert = self.get_object()
        params = SupportSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        country = params.validated_data["country"]
        if not access.can(request.user, "core.view", country):
            raise Http404
        created = actions.support_request_create(by=request.user, data={
            **params.validated_data, "expert": expert})
        return Response({"id": created.pk, "ticket": created.ticket.number,
                         "ticket_url": created.ticket.get_absolute_url()}, status=201)


class TemplateSerializer(ScopedModelSerializer):
    file = serializers.FileField(write_only=True, required=False)
    note = serializers.CharField(write_only=True, required=False, allow_blank=True)
    current_version = VersionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Template
        fields = ["id", "title", "kind", "area", "description", "current_version", "file",
                  "note", *_STAMPS]
        read_only_fields = ["id", *_STAMPS]


class UseSerializer(serializers.Serializer):
    country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all())
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    classification_level = serializers.ChoiceField(choices=["public", "internal"],
                                                   default="internal")


class TemplateViewSet(ScopedViewSet):
    """K3: templates and sample documents, versioned."""

    pages = views.TemplatePages
    serializer_class = TemplateSerializer
    parser_classes = _PARSERS

    @extend_schema(request={"multipart/form-data": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}, "note": {"type": "string"}}}},
        responses=VersionSerializer, summary="Upload a new version of a template (K3)")
    @action(detail=True, methods=["post"])
    def versions(self, request, pk=None):
        template = self.get_object()
        form = forms.VersionForm(request.data, request.FILES)
        if not form.is_valid():
            raise DjangoValidationError(form.errors.as_data())
        version = actions.template_version_add(template=template, by=request.user,
                                               file=form.cleaned_data["file"],
                                               note=form.cleaned_data["note"])
        return Response(VersionSerializer(version).data, status=201)

    @extend_schema(responses=_files(classification.DOWNLOAD_TYPES),
                   summary="Download the template's current version")
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        template = self.get_object()
        if template.current_version is None:
            raise Http404
        version = template.current_version
        return classification.serve(version.file, name=version.name, kind=version.kind)

    @extend_schema(request=UseSerializer, responses=DocumentSerializer,
                   summary="Use this template: a new document in a country's repository")
    @action(detail=True, methods=["post"])
    def use(self, request, pk=None):
        template = self.get_object()
        params = UseSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        if not access.can(request.user, "core.view", params.validated_data["country"]):
            raise Http404
        document = actions.template_use(template=template, by=request.user,
                                        **params.validated_data)
        return Response(DocumentSerializer(document, context={"request": request}).data,
                        status=201)


router.register("documents", DocumentViewSet, basename="document")
router.register("document-requests", DocumentRequestViewSet, basename="documentrequest")
router.register("document-search", SearchViewSet, basename="documentsearch")
router.register("knowledge-items", KnowledgeItemViewSet, basename="knowledgeitem")
router.register("experts", ExpertViewSet, basename="expert")
router.register("templates", TemplateViewSet, basename="template")

