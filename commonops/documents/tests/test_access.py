"""D1 end to end: who may list, search, preview and download a confidential document of
Viet Nam's repository (pages, API, exports), and the log of each allowed read.

The document names the Resident Coordinator's role and UNDP. Personas: vn-chair (UNDP,
allowed), vn-rc (the RC, allowed), vn-staff (UNESCO, an agency not listed), vn-member
(WHO, not listed), jo-staff and ke-chair (other countries), sn-staff (an outsider),
hq-analyst (reads every country, but only public documents).
"""

import pytest
from django.urls import reverse

from commonops.core.models import User
from commonops.documents import classification, queries, rules
from commonops.documents.models import AccessLog, Document

pytestmark = pytest.mark.django_db

SECRET_WORD = "zebrafinch"
DENIED = ["vn-staff", "vn-member", "jo-staff", "ke-chair", "sn-staff", "hq-analyst"]
ALLOWED = ["vn-chair", "vn-rc"]


@pytest.fixture
def secret(make_document):
    return make_document(by="vn-chair", classification="confidential", roles=["rc"],
                         agencies=["UNDP"], title=f"Audit {SECRET_WORD}",
                         words=f"the {SECRET_WORD} findings")


def _user(name):
    return User.objects.get(username=name)


@pytest.mark.parametrize("username", DENIED)
def test_those_not_named_cannot_list_search_preview_or_download_it_on_pages(
        client, secret, username):
    client.force_login(_user(username))
    version = secret.current_version
    listing = client.get(reverse("documents:document_list") + "?page_size=500")
    assert secret.get_absolute_url() not in listing.content.decode()
    folder = client.get(reverse("documents:document_list"), {"area": "omt"})
    assert SECRET_WORD not in folder.content.decode()
    found = client.get(reverse("documents:search"), {"q": SECRET_WORD})
    assert found.status_code == 200
    assert secret.get_absolute_url() not in found.content.decode()
    assert 'id="found-documents"' not in found.content.decode()
    for url in (secret.get_absolute_url(),
                reverse("documents:document_preview", args=[secret.pk]),
                reverse("documents:version_preview", args=[version.pk]),
                reverse("documents:version_download", args=[version.pk]),
                reverse("documents:document_edit", args=[secret.pk])):
        assert client.get(url).status_code == 404, url
    assert not AccessLog.objects.filter(document=secret).exists()


@pytest.mark.parametrize("username", ["vn-staff", "jo-staff", "ke-chair", "hq-analyst"])
def test_those_not_named_cannot_find_it_in_the_csv_export(client, secret, username):
    client.force_login(_user(username))
    response = client.get(reverse("documents:document_list") + "?export=csv")
    if response.status_code == 403:  # no export right at all
        return
    assert SECRET_WORD not in response.content.decode()


@pytest.mark.parametrize("username", DENIED)
def test_those_not_named_cannot_reach_it_through_the_api(api, secret, username):
    client = api(_user(username))
    rows = client.get(reverse("document-list") + "?page_size=500").json()["results"]
    assert secret.pk not in {row["id"] for row in rows}
    found = client.get(reverse("documentsearch-list"), {"q": SECRET_WORD}).json()
    assert found["count"] == 0
    for action in ("detail", "download", "preview"):
        response = client.get(reverse(f"document-{action}", args=[secret.pk]))
        assert response.status_code == 404, action
    assert client.patch(reverse("document-detail", args=[secret.pk]), {"title": "x"},
                        format="json").status_code == 404
    assert not AccessLog.objects.filter(document=secret).exists()


@pytest.mark.parametrize("username", ALLOWED)
def test_each_allowed_download_and_preview_is_logged(client, api, secret, username):
    user = _user(username)
    client.force_login(user)
    version = secret.current_version
    response = client.get(reverse("documents:version_download", args=[version.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    preview = client.get(reverse("documents:version_preview", args=[version.pk]))
    assert preview.status_code == 200 and preview["Content-Disposition"].startswith("inline")
    assert api(user).get(reverse("document-download", args=[secret.pk])).status_code == 200
    log = list(AccessLog.objects.filter(document=secret, user=user).values_list("how",
                                                                                flat=True))
    assert sorted(log) == ["api", "download", "preview"]
    found = client.get(reverse("documents:search"), {"q": SECRET_WORD})
    assert secret.get_absolute_url() in found.content.decode()


def test_reading_an_internal_document_is_not_logged(client, make_document):
    document = make_document(classification="internal")
    client.force_login(_user("vn-staff"))
    response = client.get(reverse("documents:version_download",
                                  args=[document.current_version.pk]))
    assert response.status_code == 200
    assert not AccessLog.objects.filter(document=document).exists()


def test_an_internal_document_is_not_for_readers_outside_the_country(client, make_document):
    document = make_document(classification="internal")
    client.force_login(_user("hq-analyst"))
    assert client.get(document.get_absolute_url()).status_code == 404
    client.force_login(_user("auditor"))
    assert client.get(document.get_absolute_url()).status_code == 200


def test_the_sql_filter_and_the_rule_give_the_same_answers(make_document, viet_nam):
    documents = [
        make_document(classification="public"),
        make_document(classification="internal"),
        make_document(classification="confidential", roles=["rc"]),
        make_document(classification="confidential", agencies=["WHO"]),
        make_document(classification="confidential", roles=["auditor"]),
        make_document(by="vn-rc", classification="confidential", roles=["omt_secretary"]),
    ]
    for username in ["vn-chair", "vn-rc", "vn-member", "vn-staff", "vn-secretary",
                     "hq-analyst", "auditor", "ap-focal", "sn-staff", "admin"]:
        user = _user(username)
        in_sql = set(queries.documents_for(user).filter(
            pk__in=[d.pk for d in documents]).values_list("pk", flat=True))
        by_rule = {d.pk for d in documents
                   if classification.may_read_document(user, Document.objects.get(pk=d.pk))}
        assert in_sql == by_rule, username


def test_the_access_log_is_shown_to_the_repositorys_keepers_only(client, secret):
    client.force_login(_user("vn-chair"))
    client.get(reverse("documents:version_download", args=[secret.current_version.pk]))
    client.force_login(_user("vn-rc"))
    page = client.get(reverse("documents:access_log"))
    assert page.status_code == 200 and secret.current_version.name in page.content.decode()
    client.force_login(_user("vn-staff"))
    assert client.get(reverse("documents:access_log")).status_code == 403


# --- files other areas store (their D1 is a FileClassification) ---------------------------


@pytest.fixture
def paper(viet_nam):
    from django.core.files.base import ContentFile

    from commonops.governance.models import AgendaItem, AgendaPaper

    item = AgendaItem.objects.filter(country=viet_nam).first()
    paper = AgendaPaper(item=item, country=viet_nam, title="Staff restructuring options")
    paper.file.save("restructuring.pdf", ContentFile(b"%PDF-1.4 options"), save=False)
    paper.save()
    return paper


def test_a_meeting_paper_is_internal_until_classified(client, paper):
    url = reverse("governance:paper_download", args=[paper.pk])
    client.force_login(_user("vn-staff"))
    assert client.get(url).status_code == 200
    client.force_login(_user("hq-analyst"))
    assert client.get(url).status_code == 404


def test_a_confidential_meeting_paper_is_refused_to_agencies_not_named_and_logged(
        client, paper):
    from django.contrib.contenttypes.models import ContentType

    client.force_login(_user("vn-secretary"))
    response = client.post(reverse("documents:stored_file", args=[
        ContentType.objects.get_for_model(paper).pk, paper.pk]),
        {"classification": "confidential", "allowed_roles": ["omt_chair", "omt_secretary"]})
    assert response.status_code == 302, response.content.decode()[:2000]
    url = reverse("governance:paper_download", args=[paper.pk])
    for username in ("vn-staff", "vn-member", "sn-staff"):
        client.force_login(_user(username))
        assert client.get(url).status_code == 404, username
    client.force_login(_user("vn-chair"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert AccessLog.objects.filter(object_id=paper.pk, user__username="vn-chair").count() == 1


def test_classifying_a_stored_file_needs_the_keepers_or_the_managers_right(client, paper):
    from django.contrib.contenttypes.models import ContentType

    url = reverse("documents:stored_file", args=[
        ContentType.objects.get_for_model(paper).pk, paper.pk])
    client.force_login(_user("vn-staff"))
    assert client.post(url, {"classification": "public"}).status_code == 403
    client.force_login(_user("sn-staff"))
    assert client.get(url).status_code == 404


def test_a_signed_agreement_is_downloaded_through_the_same_check(client, viet_nam):
    from django.core.files.base import ContentFile

    from commonops.commonservices.models import Agreement

    agreement = Agreement.objects.filter(country=viet_nam).first()
    agreement.signed_file.save("signed.pdf", ContentFile(b"%PDF-1.4 signed"))
    url = reverse("commonservices:agreement_signed_copy", args=[agreement.pk])
    client.force_login(_user("vn-staff"))
    assert client.get(url).status_code == 200
    client.force_login(_user("ke-chair"))
    assert client.get(url).status_code == 404
    detail = client.get(agreement.get_absolute_url())
    assert detail.status_code == 404


def test_a_file_is_never_served_as_html_even_when_its_bytes_say_so(client, viet_nam):
    from django.core.files.base import ContentFile

    from commonops.commonservices.models import Agreement

    agreement = Agreement.objects.filter(country=viet_nam).first()
    agreement.signed_file.save("page.html", ContentFile(b"<html><script>x()</script>"))
    client.force_login(_user("vn-chair"))
    response = client.get(reverse("commonservices:agreement_signed_copy", args=[agreement.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert rules.may_preview("html") is False


def test_every_content_type_a_file_is_sent_with_is_the_one_the_api_documents():
    for kind in [*rules.KINDS, "unknown"]:
        assert classification.content_type_for(kind, inline=False) in (
            classification.DOWNLOAD_TYPES)
        if rules.may_preview(kind):
            assert classification.content_type_for(kind, inline=True) in (
                classification.PREVIEW_TYPES)
    assert "text/plain" not in classification.DOWNLOAD_TYPES  # sent as bytes, never shown
    assert "application/pdf" in classification.DOWNLOAD_TYPES


@pytest.mark.parametrize("username", ["hq-analyst", "as-focal"])
def test_who_works_in_no_country_team_is_refused_a_request_before_any_reference_is_read(
        client, api, secret, username):
    person = _user(username)
    response = api(person).post(reverse("documentrequest-list"),
                                {"reference": secret.reference, "reason": "Probe"},
                                format="json")
    assert response.status_code == 403
    assert secret.reference not in response.content.decode()
    client.force_login(person)
    assert client.get(reverse("documents:request_add")).status_code == 403
    assert client.post(reverse("documents:request_add"), {
        "reference": secret.reference, "reason": "Probe"}).status_code == 403
    assert not secret.requests.exists()


def test_the_staff_of_a_participating_agency_may_open_the_request_form(client):
    client.force_login(_user("vn-staff"))
    assert client.get(reverse("documents:request_add")).status_code == 200
