"""Uploads (safety limits), versions (D3), requests (D2), templates (K3) and the roster's
support request (K2), through the actions and their pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commonops.core.models import User
from commonops.documents import actions, rules
from commonops.documents.models import Document, DocumentRequest, Expert, Template
from commonops.documents.tests.conftest import pdf

pytestmark = pytest.mark.django_db

# DocumentVersion and TemplateVersion rows are made (and refused) by the upload, version and
# template tests below; FileClassification by test_access; SupportRequest by the roster's.


def _user(name):
    return User.objects.get(username=name)


def _data(viet_nam, upload, **extra):
    return {"country": viet_nam, "title": "Upload check", "area": "omt",
            "classification": "internal", "file": upload, **extra}


@pytest.mark.parametrize(("name", "content", "message"), [
    ("page.pdf", b"<html><script>alert(1)</script></html>", "not accepted"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>', "not accepted"),
    ("tool.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "not accepted"),
    ("notes.pdf", b"plain words only", "does not match"),
    ("empty.pdf", b"", "empty"),
])
def test_a_refused_upload_says_why_and_stores_nothing(viet_nam, name, content, message):
    count = Document.objects.count()
    with pytest.raises(ValidationError) as refused:
        actions.document_create(by=_user("vn-chair"),
                                data=_data(viet_nam, ContentFile(content, name=name)))
    assert message in " ".join(refused.value.messages)
    assert Document.objects.count() == count


def test_a_file_over_the_size_limit_is_refused(viet_nam, settings):
    settings.DOCUMENTS_MAX_UPLOAD_MB = 1
    big = ContentFile(b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1), name="big.pdf")
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        actions.document_create(by=_user("vn-chair"), data=_data(viet_nam, big))


def refuse_eicar(upload, name):
    return "test signature found" if b"EICAR" in upload.read() else None


def test_the_antivirus_hook_can_refuse_a_file(viet_nam, settings):
    settings.DOCUMENTS_SCANNER = "commonops.documents.tests.test_actions.refuse_eicar"
    infected = ContentFile(b"%PDF-1.4 EICAR-STANDARD-ANTIVIRUS-TEST", name="x.pdf")
    with pytest.raises(ValidationError, match="virus check"):
        actions.document_create(by=_user("vn-chair"), data=_data(viet_nam, infected))
    actions.document_create(by=_user("vn-chair"), data=_data(viet_nam, pdf()))


def test_a_file_name_cannot_climb_out_of_its_folder(viet_nam):
    upload = ContentFile(b"%PDF-1.4 x", name="../../../settings.pdf")
    document = actions.document_create(by=_user("vn-chair"), data=_data(viet_nam, upload))
    stored = document.current_version.file.name
    assert ".." not in stored
    assert stored.startswith(f"documents/{viet_nam.pk}/{document.pk}/v1-")
    assert document.current_version.name == "settings.pdf"


def test_d3_a_new_version_keeps_the_old_ones_and_search_reads_the_newest(viet_nam):
    chair = _user("vn-chair")
    document = actions.document_create(by=chair, data=_data(viet_nam, pdf("Plan", "alpha")))
    actions.version_add(document=document, by=chair, file=pdf("Plan", "omegaword"),
                        note="Revised")
    document.refresh_from_db()
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    assert document.current_version.number == 2
    assert "omegaword" in document.search_text
    first = document.versions.get(number=1)
    assert first.file.open("rb").read().startswith(b"%PDF")


def test_only_the_owner_or_the_keeper_adds_versions(viet_nam):
    document = actions.document_create(by=_user("vn-chair"), data=_data(viet_nam, pdf()))
    with pytest.raises(PermissionDenied):
        actions.version_add(document=document, by=_user("vn-member"), file=pdf())
    actions.version_add(document=document, by=_user("vn-secretary"), file=pdf())


def test_staff_cannot_upload_to_the_repository(viet_nam):
    with pytest.raises(PermissionDenied):
        actions.document_create(by=_user("vn-staff"), data=_data(viet_nam, pdf()))


def test_d1_a_confidential_document_must_name_who_reads_it(viet_nam):
    with pytest.raises(ValidationError, match="names the roles or agencies"):
        actions.document_create(by=_user("vn-chair"), data=_data(
            viet_nam, pdf(), classification="confidential"))


def test_d2_a_task_forces_file_is_filed_with_it_and_its_chair_may_change_it(viet_nam):
    from commonops.governance.models import TaskForce

    task_force = TaskForce.objects.filter(country=viet_nam).first()
    document = actions.document_create(by=_user("vn-secretary"), data=_data(
        viet_nam, pdf(), task_force=task_force))
    assert document.area == "task_forces"
    assert actions.may_change(task_force.chair, document)


def test_d2_an_agency_requests_the_owner_grants_and_its_staff_then_read(viet_nam):
    chair, member = _user("vn-chair"), _user("vn-member")
    document = actions.document_create(by=chair, data=_data(
        viet_nam, pdf(), classification="confidential", allowed_roles=["rc"]))
    from commonops.documents.classification import may_read_document

    assert not may_read_document(member, document)
    request = actions.request_create(by=member, data={"document": document,
                                                      "reason": "For the clinic"})
    with pytest.raises(ValidationError, match="already asked"):
        actions.request_create(by=member, data={"document": document, "reason": "Again"})
    with pytest.raises(PermissionDenied):
        actions.request_grant(request=request, by=member)
    actions.request_grant(request=request, by=chair, answer="Yes")
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("granted", chair)
    assert may_read_document(member, document)
    assert may_read_document(_user("vn-unct"), document)  # WHO too: the grant is the agency's
    with pytest.raises(ValidationError, match="already been answered"):
        actions.request_refuse(request=request, by=chair, answer="No")


def test_d2_a_refusal_says_why_and_is_recorded(viet_nam):
    chair = _user("vn-chair")
    document = actions.document_create(by=chair, data=_data(
        viet_nam, pdf(), classification="confidential", allowed_roles=["rc"]))
    request = actions.request_create(by=_user("vn-staff"), data={"document": document,
                                                                 "reason": "Curious"})
    with pytest.raises(ValidationError, match="Say why"):
        actions.request_refuse(request=request, by=chair, answer=" ")
    actions.request_refuse(request=request, by=chair, answer="Audit in progress")
    assert DocumentRequest.objects.get(pk=request.pk).status == rules.REFUSED


def test_d2_nobody_requests_what_they_already_read(viet_nam):
    document = actions.document_create(by=_user("vn-chair"), data=_data(viet_nam, pdf()))
    with pytest.raises(ValidationError, match="already read"):
        actions.request_create(by=_user("vn-staff"), data={"document": document,
                                                           "reason": "x"})


def test_d2_requests_and_steps_through_the_pages_and_the_api(client, api, viet_nam):
    chair = _user("vn-chair")
    document = actions.document_create(by=chair, data=_data(
        viet_nam, pdf(), classification="confidential", allowed_roles=["rc"]))
    client.force_login(_user("vn-staff"))
    bad = client.post(reverse("documents:request_add"), {"reference": "DOC-999999",
                                                         "reason": "x"})
    assert bad.status_code == 400 and "No document" in bad.content.decode()
    response = client.post(reverse("documents:request_add"),
                           {"reference": document.reference, "reason": "For planning"})
    assert response.status_code == 302
    request = DocumentRequest.objects.get(document=document)
    outsider = api(_user("sn-staff"))
    assert outsider.post(reverse("documentrequest-step", args=[request.pk, "grant"]),
                         {}, format="json").status_code == 404
    answer = api(chair).post(reverse("documentrequest-step", args=[request.pk, "refuse"]),
                             {"answer": "Not yet"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "refused"


def test_k3_using_a_template_creates_a_document_in_the_repository(viet_nam):
    template = Template.objects.exclude(current_version=None).first()
    document = actions.template_use(template=template, by=_user("vn-chair"), country=viet_nam,
                                    title="Our MOU")
    assert document.country == viet_nam and document.title == "Our MOU"
    assert document.current_version.sha256 == template.current_version.sha256


def test_k3_a_new_template_version_keeps_the_old_one():
    template = Template.objects.exclude(current_version=None).first()
    before = template.current_version.number
    content = ContentFile(b"plain text template", name="t.txt")
    actions.template_version_add(template=template, by=_user("hq-analyst"), file=content)
    template.refresh_from_db()
    assert template.current_version.number == before + 1
    assert template.versions.count() == before + 1
    with pytest.raises(PermissionDenied):
        actions.template_version_add(template=template, by=_user("vn-member"), file=content)


def test_k2_a_request_for_support_becomes_a_ticket_of_the_hq_referral_desk(client, viet_nam):
    expert = Expert.objects.first()
    client.force_login(_user("vn-member"))
    response = client.post(reverse("documents:support_request", args=[expert.pk]),
                           {"subject": "Help with our fleet", "description": "Two weeks"})
    assert response.status_code == 302
    request = expert.support_requests.get()
    assert request.ticket.team.name == actions.HQ_REFERRAL_TEAM
    assert request.ticket.subject == "Help with our fleet"
    assert request.ticket.country == viet_nam


def test_k1_experiences_like_this_one_share_the_service_line_first(client):
    from commonops.documents.models import KnowledgeItem

    item = KnowledgeItem.objects.get(title="Joint procurement of ICT equipment")
    client.force_login(_user("sn-staff"))  # knowledge is shared by every country
    page = client.get(item.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "One ICT help desk for all agencies" in body


def test_the_upload_page_stores_the_file_and_a_bad_file_changes_nothing(client, viet_nam):
    client.force_login(_user("vn-chair"))
    form = {"country": viet_nam.pk, "title": "Page upload", "area": "omt",
            "classification": "internal"}
    count = Document.objects.count()
    bad = client.post(reverse("documents:document_add"), {
        **form, "file": SimpleUploadedFile("x.pdf", b"<html></html>")})
    assert bad.status_code == 400 and "not accepted" in bad.content.decode()
    assert Document.objects.count() == count
    good = client.post(reverse("documents:document_add"), {
        **form, "file": SimpleUploadedFile("x.pdf", b"%PDF-1.4 body")})
    assert good.status_code == 302
    assert Document.objects.get(title="Page upload").owner.username == "vn-chair"


def test_the_api_uploads_versions_and_searches(api, viet_nam):
    client = api(_user("vn-chair"))
    created = client.post(reverse("document-list"), {
        "country": viet_nam.pk, "title": "Api upload", "area": "bos",
        "classification": "public", "file": pdf("Api", "kingfisher")}, format="multipart")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    version = client.post(reverse("document-versions", args=[pk]),
                          {"file": pdf("Api", "heron"), "note": "v2"}, format="multipart")
    assert version.status_code == 201 and version.json()["number"] == 2
    found = client.get(reverse("documentsearch-list"), {"q": "heron"}).json()
    assert [row["id"] for row in found["results"] if row["kind"] == "document"] == [pk]
    bad = client.get(reverse("documentsearch-list"), {"q": "heron", "year": "x"})
    assert bad.status_code == 400 and "year" in bad.json()["error"]["fields"]
