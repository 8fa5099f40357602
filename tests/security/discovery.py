"""What the security probes walk over, found rather than listed: every country-owned model,
every page route of the URLconf, every viewset of the API router.

A new app that follows the house rooms (an `ObjectPages` per model, viewsets on the shared
router, the model's pages and API named after it) is probed the day it is merged. A route
whose object cannot be told from its path is reported by
`test_every_object_route_names_its_model` rather than silently left out.
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.text import slugify

from commonops.core.api_base import router

SKIPPED_PREFIXES = ("admin/", "api/", "static/", "media/", "i18n/", "__debug__/")


@dataclass(frozen=True)
class Route:
    path: str  # "omt/meetings/<int:pk>/cancel/"
    name: str  # "governance:meeting_cancel"
    pattern: URLPattern

    @property
    def params(self) -> list[tuple[str, str]]:
        return re.findall(r"<(?:(\w+):)?(\w+)>", self.path)

    def url(self, **values) -> str:
        def fill(match):
            return str(values[match.group(2)])

        return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, self.path)

    @property
    def pages(self):
        """The ObjectPages class of a generic page, if this is one."""
        return getattr(self.pattern.callback, "view_initkwargs", {}).get("pages")


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield Route(prefix + str(entry.pattern), name, entry)


def page_routes() -> list[Route]:
    """Every route of the URLconf but the admin, the API and static files."""
    return [route for route in _walk(get_resolver().url_patterns)
            if not route.path.startswith(SKIPPED_PREFIXES)
            and not route.path.startswith("^")]


def country_owned_models() -> list:
    """Every concrete CommonOps model whose rows belong to a country."""
    return [model for model in apps.get_models()
            if model.__module__.startswith("commonops.")
            and getattr(model, "country_lookup", None) is not None]


def api_viewsets() -> list[tuple[str, str, type]]:
    """(prefix, basename, viewset) of every registration on the shared API router."""
    return [(prefix, basename, viewset) for prefix, viewset, basename in router.registry]


def viewset_model(viewset):
    """The model a viewset serves, or None for a computed resource (KPIs, statements)."""
    for candidate in (getattr(viewset, "queryset", None),):
        if candidate is not None:
            return candidate.model
    if getattr(viewset, "model", None) is not None:
        return viewset.model
    pages = getattr(viewset, "pages", None)
    if pages is not None:
        return pages.model
    serializer = getattr(viewset, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


def _names_of(model) -> set[str]:
    meta = model._meta
    return {meta.model_name, f"{meta.model_name}s", slugify(str(meta.verbose_name)),
            slugify(str(meta.verbose_name_plural)),
            slugify(str(meta.verbose_name_plural)).replace("-", "")}


def _segment_index() -> dict[tuple[str, str], set]:
    """(namespace, path segment) -> the models a segment names."""
    index: dict[tuple[str, str], set] = {}

    def add(namespace, segment, model):
        index.setdefault((namespace, segment), set()).add(model)

    for route in page_routes():
        pages = route.pages
        if pages is not None:
            add(pages.namespace, pages.segment.strip("/").split("/")[-1], pages.model)
    for prefix, _basename, viewset in api_viewsets():
        model = viewset_model(viewset)
        if model is not None:
            add("", prefix, model)
    for model in apps.get_models():
        if model.__module__.startswith("commonops."):
            for name in _names_of(model):
                add("", name, model)
    return index


def route_model(route: Route, index=None):
    """The model whose id a route's `<int:pk>` names, told from the segment before it."""
    if route.pages is not None:
        return route.pages.model
    index = index if index is not None else _segment_index()
    before = route.path.split("<int:pk>")[0].strip("/").split("/")
    segment = before[-1] if before and before[-1] else ""
    namespace = route.name.split(":")[0] if ":" in route.name else ""
    for key in ((namespace, segment), ("", segment)):
        models = index.get(key)
        if models and len(models) == 1:
            return next(iter(models))
    return None


def object_routes() -> list[tuple[Route, object]]:
    """Every page route with exactly one `<int:pk>`, with the model it names (or None)."""
    index = _segment_index()
    found = []
    for route in page_routes():
        params = route.params
        if [name for _conv, name in params] == ["pk"] and params[0][0] == "int":
            found.append((route, route_model(route, index)))
    return found


def plain_routes() -> list[Route]:
    """Every page route without parameters (lists, dashboards, forms)."""
    return [route for route in page_routes() if not route.params]
