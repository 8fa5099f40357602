"""What every API endpoint shares: the router, and a viewset base that scopes reads with
`core.access` and sends writes through the actions. Pagination and the error shape are in
`api_conventions`."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, routers, serializers, viewsets
from rest_framework.response import Response

from commonops.core import access


class Router(routers.DefaultRouter):
    """DRF's router, with ids that are numbers: `/api/tickets/abc/take/` names nothing and
    answers 404 in the one error shape (`api_not_found`), never a database error."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if not hasattr(viewset, "lookup_value_regex"):
            viewset = type(viewset.__name__, (viewset,), {"lookup_value_regex": "[0-9]+"})
        return super().get_lookup_regex(viewset, lookup_prefix)


router = Router()


def api_not_found(request, *args, **kwargs):
    """Any other path under /api/: a 404 in the one error shape."""
    return JsonResponse({"error": {"status": 404, "code": "not_found",
                                   "message": _("Not found."), "fields": {}}}, status=404)


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference that only accepts rows the caller may see (others "do not exist")."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        return access.scope_queryset(queryset, request.user if request else None)


class ScopedModelSerializer(serializers.ModelSerializer):
    serializer_related_field = ScopedPrimaryKeyRelatedField


class ScopedViewSet(viewsets.ModelViewSet):
    """CRUD over one model with the page rules: scoped reads, writes through the actions.

    Subclasses set `pages` (the model's ObjectPages, which names its actions) and a
    serializer; filtering uses the same FilterSet as the list page.
    """

    pages = None

    def get_queryset(self):
        return self.pages.queryset(self.request).order_by("pk")

    # Refuse before validating: a unique field's "already exists" would otherwise tell an
    # outsider that another country's row (a user name, an ISO code) exists.
    def create(self, request, *args, **kwargs):
        if not self.pages.may_create(request.user):
            raise exceptions.PermissionDenied(_("Your roles do not allow this."))
        return super().create(request, *args, **kwargs)

    def get_object(self):
        obj = super().get_object()
        if self.action in ("update", "partial_update", "destroy") and not access.can_manage(
                self.request.user, obj):
            raise exceptions.PermissionDenied(_("Your roles do not allow this."))
        return obj

    @property
    def filterset_class(self):
        return self.pages.filterset

    def perform_create(self, serializer):
        serializer.instance = self.pages.create(by=self.request.user,
                                                data=dict(serializer.validated_data))

    def perform_update(self, serializer):
        instance = serializer.instance
        serializer.instance = self.pages.update(instance=instance, by=self.request.user,
                                                data=dict(serializer.validated_data))

    def perform_destroy(self, instance):
        self.pages.delete(instance=instance, by=self.request.user)


def crud_viewset(pages_class, serializer_class):
    """A ScopedViewSet for a model whose API is plain CRUD, documented from its pages."""
    return type(
        f"{pages_class.model.__name__}ViewSet", (ScopedViewSet,),
        {"pages": pages_class, "serializer_class": serializer_class,
         "__doc__": f"{pages_class.model._meta.verbose_name_plural.capitalize()}: list, "
                    "read, create, change and delete, within the caller's scope."},
    )


def no_content():
    return Response(status=204)
