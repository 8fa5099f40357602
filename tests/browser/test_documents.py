"""The repository in the browser: upload a document, add a version, find it by a word in
its PDF, download it; then ask for a confidential document, have its owner grant the
request, and download it (D1–D3)."""

import uuid

import pytest

from commonops.documents.demo import pdf_bytes
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def _pdf(tmp_path, name, words):
    path = tmp_path / name
    path.write_bytes(pdf_bytes("Browser upload", [words]))
    return str(path)


def _log_out(page):
    page.context.clear_cookies()


def test_upload_version_search_and_download(page, tmp_path):
    from commonops.documents.models import Document

    word = "wagtail" + uuid.uuid4().hex[:6]
    title = f"Fleet study {word[-6:]}"
    log_in(page, "vn-chair")
    page.goto(page.base + "/documents/repository/add/")
    page.fill("input[name=title]", title)
    page.select_option("select[name=area]", "omt")
    page.select_option("select[name=classification]", "internal")
    page.set_input_files("input[name=file]", _pdf(tmp_path, "study.pdf", "first draft"))
    page.click("main form.stacked button[type=submit]")
    page.wait_for_load_state("load")
    document = Document.objects.get(title=title)
    assert page.url.endswith(document.get_absolute_url())

    page.set_input_files("#versions input[name=file]",
                         _pdf(tmp_path, "study-2.pdf", f"final text with {word}"))
    page.fill("#versions input[name=note]", "Final")
    page.click("#versions button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator("#versions tbody tr").count() == 2
    screenshot(page, "documents-detail")

    page.goto(page.base + "/documents/")
    page.fill("#id_q", word)
    page.click("main form[role=search] button[type=submit]")
    page.wait_for_load_state("load")
    page.click(f"#found-documents a:has-text('{title}')")
    page.wait_for_load_state("load")
    with page.expect_download() as download:
        page.click("main .page-head a:has-text('Download')")
    assert download.value.suggested_filename == "study-2.pdf"
    assert page.errors == []


def test_request_and_grant_a_confidential_document(page, tmp_path):
    from django.core.files.base import ContentFile

    from commonops.core.models import Agency, Country, User
    from commonops.documents import actions

    secret = actions.document_create(by=User.objects.get(username="vn-chair"), data={
        "country": Country.objects.get(iso_code="VN"), "title": "Browser secret",
        "area": "audits", "classification": "confidential", "allowed_roles": ["rc"],
        "allowed_agencies": [Agency.objects.get(acronym="UNDP")],
        "file": ContentFile(pdf_bytes("Browser secret", ["sealed"]), name="secret.pdf")})
    log_in(page, "vn-staff")
    page.goto(page.base + secret.get_absolute_url())
    assert page.get_by_text("Browser secret").count() == 0
    page.goto(page.base + "/documents/requests/add/")
    page.fill("input[name=reference]", secret.reference)
    page.fill("textarea[name=reason]", "UNESCO needs the findings")
    page.click("main form.stacked button[type=submit]")
    page.wait_for_load_state("load")
    assert page.get_by_text("Pending").first.is_visible()
    screenshot(page, "documents-request")

    _log_out(page)
    log_in(page, "vn-chair")
    page.goto(page.base + secret.requests.get().get_absolute_url())
    page.locator("form:has(textarea[name=answer])").first.locator("textarea").fill("Granted")
    page.locator("button:has-text('Grant')").click()
    page.locator("button:has-text('Grant')").wait_for(state="detached")
    assert secret.requests.get().status == "granted"

    _log_out(page)
    log_in(page, "vn-staff")
    page.goto(page.base + secret.get_absolute_url())
    with page.expect_download() as download:
        page.click("main .page-head a:has-text('Download')")
    assert download.value.suggested_filename == "secret.pdf"
    assert secret.access_log.filter(user__username="vn-staff").count() == 1


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_repository_on_a_phone(phone, language):
    log_in(phone, "vn-chair")
    phone.context.add_cookies([{"name": "django_language", "value": language,
                                "url": phone.base}])
    phone.goto(phone.base + "/documents/")
    assert phone.locator("html").get_attribute("lang") == language
    screenshot(phone, f"documents-repository-360-{language}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360 + 1
