"""The search's load-test data and benchmark: rows made as the actions make them, found by
the one search query, and a benchmark that runs on the database at hand."""

from io import StringIO

from django.core.management import call_command

from commonops.core.models import User
from commonops.documents import queries
from commonops.documents.management.commands.bench_documents import QUERIES
from commonops.documents.management.commands.seed_bulk_documents import REFERENCE
from commonops.documents.models import Document


def _seed(country, more):
    target = Document.objects.filter(country=country).count() + more
    out = StringIO()
    call_command("seed_bulk_documents", count=target, country=country.iso_code, stdout=out)
    return target, out.getvalue()


def test_bulk_documents_are_stored_as_the_actions_store_them_and_found_by_search(viet_nam):
    before = set(Document.objects.values_list("pk", flat=True))
    target, out = _seed(viet_nam, 30)
    assert Document.objects.filter(country=viet_nam).count() == target
    added = list(Document.objects.exclude(pk__in=before).select_related("current_version"))
    assert len(added) == 30
    references = set()
    for document in added:
        assert document.current_version.number == 1
        assert document.search_text == queries.search_text_of(document)
        references.add(REFERENCE.search(document.search_text).group(1))
    assert len(references) == 30
    # the reference quoted in a document the chair may read finds it, and only it
    document = next(d for d in added if d.classification != "confidential")
    chair = User.objects.get(username="vn-chair")
    words = REFERENCE.search(document.search_text).group(1)
    assert list(queries.documents_matching(chair, q=words, country=viet_nam)) == [document]
    # bringing the repository to the same size again adds nothing
    _target, again = _seed(viet_nam, 0)
    assert "already holds" in again
    assert Document.objects.filter(country=viet_nam).count() == target


def test_the_benchmark_times_page_api_and_query_and_reports_the_plan(viet_nam):
    _seed(viet_nam, 20)
    out = StringIO()
    call_command("bench_documents", country="VN", repeat=1, readers="vn-staff", stdout=out)
    text = out.getvalue()
    assert "vn-staff may read" in text
    for label in ("common word", "rare words", "no match", "common word, folder and year"):
        assert f"{label}:" in text
    plans = text.split("Plans of the documents query")[1].splitlines()
    assert len([line for line in plans if line.startswith("vn-staff")]) == len(QUERIES)
