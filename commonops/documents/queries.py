"""Reads of documents and knowledge: the repository's folders, full-text search over
documents, minutes, decisions and knowledge items (each scoped by access first, documents
by D1), experiences like this one (K1), and the BOS figures behind a knowledge item."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, F, Q, Sum

from commonops.core import access
from commonops.documents import classification, rules
from commonops.documents.models import (
    AccessLog,
    Document,
    DocumentRequest,
    Expert,
    KnowledgeItem,
)

SECTION_LIMIT = 25


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def documents_for(user):
    """The repository's documents `user` may read (D1), with what their rows show."""
    return classification.readable(Document.objects.all(), user).select_related(
        "country", "owner", "current_version")


def folders(user, *, country) -> list[tuple[str, str, int]]:
    """(area, label, documents readable in it) for the country's repository."""
    from commonops.documents.models import Area

    counts = dict(documents_for(user).filter(country=country).values("area")
                  .annotate(n=Count("pk")).values_list("area", "n"))
    return [(value, label, counts.get(value, 0)) for value, label in Area.choices]


def search_text_of(document, version=None) -> str:
    version = version or document.current_version
    parts = [document.title, document.description, document.tags.replace(",", " "),
             version.text if version is not None else ""]
    return " ".join(p for p in parts if p)


def refresh_search(document, version=None) -> None:
    """Keep the text search reads (and, on PostgreSQL, its indexed vector) up to date."""
    text = search_text_of(document, version)
    # a plain update: the search columns are not audited (Document.audit_exclude)
    Document.objects.filter(pk=document.pk).update(search_text=text)
    if on_postgresql():
        Document.objects.filter(pk=document.pk).update(search_vector=SearchVector(
            "title", weight="A", config=settings.DOCUMENTS_SEARCH_CONFIG) + SearchVector(
            "search_text", weight="B", config=settings.DOCUMENTS_SEARCH_CONFIG))


def _words(q: str) -> list[str]:
    return [w for w in q.split() if w][:10]


def _contains_all(fields, q) -> Q:
    """SQLite: every word in at least one of the fields (case-insensitive)."""
    condition = Q()
    for word in _words(q):
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return condition


def _full_text(queryset, fields, q, *, vector_field=None):
    """PostgreSQL full-text search (websearch syntax, ranked); on SQLite every word must
    appear in one of the fields."""
    if not on_postgresql():
        return queryset.filter(_contains_all(fields, q))
    query = SearchQuery(q, config=settings.DOCUMENTS_SEARCH_CONFIG, search_type="websearch")
    if vector_field is not None:
        return queryset.filter(**{vector_field: query}).annotate(
            rank=SearchRank(F(vector_field), query)).order_by("-rank", "-pk")
    vector = SearchVector(*fields, config=settings.DOCUMENTS_SEARCH_CONFIG)
    return queryset.annotate(search=vector).filter(search=query).annotate(
        rank=SearchRank(vector, query)).order_by("-rank", "-pk")


@dataclass
class SearchResults:
    documents: list = field(default_factory=list)
    minutes_items: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    knowledge: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return (len(self.documents) + len(self.minutes_items) + len(self.decisions)
                + len(self.knowledge))


def search(user, *, q: str, country=None, area: str = "", service_line: str = "",
           year: int | None = None, limit: int = SECTION_LIMIT) -> SearchResults:
    """Search the repository (titles and the text of PDF and office files), the minutes,
    the UNCT's decisions and the knowledge base, each within what `user` may read.
    Filters apply to the sections that have them; a section that lacks one is left out."""
    from commonops.governance.models import MinutesItem, UnctDecision

    results = SearchResults()
    if not q.strip():
        return results
    docs = documents_for(user)
    if country is not None:
        docs = docs.filter(country=country)
    if area:
        docs = docs.filter(area=area)
    if service_line:
        docs = docs.filter(service_line=service_line)
    if year:
        docs = docs.filter(dated__year=year)
    results.documents = list(_full_text(docs, ["search_text"], q,
                                        vector_field="search_vector")[:limit])
    if not area:
        knowledge = KnowledgeItem.objects.visible_to(user).select_related("country")
        if country is not None:
            knowledge = knowledge.filter(country=country)
        if service_line:
            knowledge = knowledge.filter(service_line=service_line)
        if year:
            knowledge = knowledge.filter(year=year)
        results.knowledge = list(_full_text(
            knowledge, ["title", "summary", "results", "lessons", "tags"], q)[:limit])
    if not area and not service_line:
        items = MinutesItem.objects.visible_to(user).select_related(
            "minutes__meeting", "country")
        decisions = UnctDecision.objects.visible_to(user).select_related("country")
        if country is not None:
            items, decisions = items.filter(country=country), decisions.filter(country=country)
        if year:
            items = items.filter(minutes__meeting__starts_at__year=year)
            decisions = decisions.filter(decided_on__year=year)
        results.minutes_items = list(_full_text(
            items, ["title", "discussion", "decisions"], q)[:limit])
        results.decisions = list(_full_text(decisions, ["subject", "text"], q)[:limit])
    return results


# --- requests and the access log ----------------------------------------------------------


def requests_for(user):
    """D2: the requests a person made (their agency's) and those they decide (as owner)."""
    mine = Q(requested_by=user)
    if getattr(user, "agency_id", None):
        mine |= Q(agency_id=user.agency_id)
    return DocumentRequest.objects.visible_to(user).filter(
        mine | Q(document__owner=user)).select_related(
        "document", "document__country", "agency", "requested_by", "decided_by")


def access_log_for(user, *, country):
    """D1: the confidential reads of a country, for those who keep its repository."""
    from commonops.core.roles import Perm

    if not access.can(user, Perm.KEEP_REPOSITORY, country):
        return AccessLog.objects.none()
    return AccessLog.objects.filter(country=country).select_related(
        "user", "document", "version", "content_type")


def request_pending(document, agency_id) -> bool:
    return DocumentRequest.objects.filter(document=document, agency_id=agency_id,
                                          status=rules.PENDING).exists()


# --- knowledge (K1, K2) ---------------------------------------------------------------------


def experiences_like(item: KnowledgeItem, *, limit: int = 5) -> list[KnowledgeItem]:
    """K1: the experiences most like this one (service line, tags, region)."""
    def experience(row):
        return rules.Experience(id=row.pk, service_line=row.service_line,
                                region_id=row.country.region_id, tags=rules.tag_set(row.tags))

    candidates = list(KnowledgeItem.objects.exclude(pk=item.pk).filter(
        Q(service_line=item.service_line) | Q(country__region_id=item.country.region_id)
        | Q(tags__gt="")).select_related("country", "country__region")[:500])
    order = rules.alike(experience(item), [experience(row) for row in candidates],
                        limit=limit)
    by_id = {row.pk: row for row in candidates}
    return [by_id[pk] for pk in order]


def bos_reported_cost_avoidance(item: KnowledgeItem):
    """The realised cost avoidance the item's BOS reported for its year (B7), if any."""
    if item.bos_id is None:
        return None
    from commonops.bos.models import AnnualResult

    return AnnualResult.objects.filter(opportunity__bos_id=item.bos_id, year=item.year) \
        .aggregate(total=Sum("realised_cost_avoidance"))["total"]


def experts_matching(*, q: str = "", service_line: str = "", language: str = "",
                     region=None, available_only: bool = False):
    """K2: search the roster by words (name, skills, past assignments), service line,
    language and region."""
    from commonops.documents.models import Availability

    experts = Expert.objects.select_related("region", "agency")
    if q:
        experts = experts.filter(_contains_all(["name", "skills", "past_assignments"], q))
    if service_line:
        experts = experts.filter(service_lines__contains=service_line)
    if language:
        experts = experts.filter(languages__contains=language)
    if region is not None:
        experts = experts.filter(region=region)
    if available_only:
        experts = experts.exclude(availability=Availability.UNAVAILABLE)
    return experts
