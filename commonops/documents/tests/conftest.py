import itertools

import pytest
from django.core.files.base import ContentFile

from commonops.documents import actions
from commonops.documents.demo import pdf_bytes

_seq = itertools.count(1)


def pdf(title="Budget", words="quarterly figures"):
    return ContentFile(pdf_bytes(title, [words]), name=f"{title}.pdf")


@pytest.fixture
def make_document(viet_nam):
    """make_document(by=…, classification=…, roles=(), agencies=(), words=…)."""
    from commonops.core.models import Agency, User

    def _make(*, by="vn-chair", classification="internal", roles=(), agencies=(),
              words="ordinary words", title=None, **data):
        title = title or f"Paper {next(_seq)}"
        return actions.document_create(by=User.objects.get(username=by), data={
            "country": viet_nam, "title": title, "area": "omt",
            "classification": classification, "allowed_roles": list(roles),
            "allowed_agencies": list(Agency.objects.filter(acronym__in=agencies)),
            "file": pdf(title, words), **data})

    return _make
