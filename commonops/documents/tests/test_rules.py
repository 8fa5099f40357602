"""D1–D3 and K1 as pure rules: who reads a classified file, what an upload may be."""

import io
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from commonops.documents import rules
from commonops.documents.rules import Classified, Experience, Reader

OWNER, UNDP, WHO = 1, 10, 20


def _reader(user_id=2, *, agency=WHO, roles=(), works_here=True, auditor=False):
    return Reader(user_id=user_id, agency_id=agency, roles_here=frozenset(roles),
                  works_here=works_here, audits_everywhere=auditor)


def _confidential(**kwargs):
    return Classified(classification=rules.CONFIDENTIAL, owner_id=OWNER,
                      allowed_roles=frozenset(kwargs.get("roles", {"rc"})),
                      allowed_agency_ids=frozenset(kwargs.get("agencies", {UNDP})),
                      granted_agency_ids=frozenset(kwargs.get("granted", set())))


def test_d1_public_is_read_by_whoever_sees_the_country():
    doc = Classified(classification=rules.PUBLIC)
    assert rules.may_read(doc, _reader(works_here=False))


def test_d1_internal_is_for_the_countrys_staff_and_auditors_only():
    doc = Classified(classification=rules.INTERNAL)
    assert rules.may_read(doc, _reader())
    assert not rules.may_read(doc, _reader(works_here=False, roles={"hq_analyst"}))
    assert rules.may_read(doc, _reader(works_here=False, auditor=True))


def test_d1_confidential_is_read_by_the_roles_and_agencies_it_names_and_its_owner():
    doc = _confidential()
    assert rules.may_read(doc, _reader(roles={"rc"}))
    assert rules.may_read(doc, _reader(agency=UNDP))
    assert rules.may_read(doc, _reader(OWNER))
    assert not rules.may_read(doc, _reader(agency=WHO, roles={"omt_member"}))


def test_d1_an_agency_named_reads_only_through_staff_working_in_the_country():
    assert not rules.may_read(_confidential(), _reader(agency=UNDP, works_here=False))


def test_d2_a_granted_request_lets_the_agency_read():
    assert rules.may_read(_confidential(granted={WHO}), _reader(agency=WHO))


def test_d1_nobody_signed_out_reads_anything():
    assert not rules.may_read(Classified(classification=rules.PUBLIC), Reader(user_id=None))


def test_d1_only_confidential_access_is_logged():
    assert rules.must_log(rules.CONFIDENTIAL)
    assert not rules.must_log(rules.INTERNAL) and not rules.must_log(rules.PUBLIC)


def test_d1_a_confidential_document_names_who_may_read_it():
    assert rules.classification_problem(rules.CONFIDENTIAL, roles=(), agencies=()) \
        == "names_nobody"
    assert rules.classification_problem(rules.INTERNAL, roles=("rc",), agencies=()) \
        == "names_for_open"
    assert rules.classification_problem(rules.CONFIDENTIAL, roles=("rc",), agencies=()) is None


def test_d2_task_force_files_go_to_the_task_forces_folder():
    assert rules.area_for("omt", has_task_force=True) == "task_forces"
    assert rules.area_for("omt", has_task_force=False) == "omt"


def test_roles_are_stored_so_that_one_role_never_matches_another():
    text = rules.roles_text(["omt_member", "rc"])
    assert text == ",omt_member,rc,"
    assert ",omt_member," in text and ",omt," not in text
    assert rules.roles_from_text(text) == {"omt_member", "rc"}


@given(st.lists(st.integers(min_value=1, max_value=1000), max_size=20))
def test_d3_a_new_version_takes_a_number_no_other_version_has(numbers):
    new = rules.next_version(numbers)
    assert new not in numbers and new >= 1


def test_d2_a_request_is_answered_once_and_never_for_what_one_reads():
    assert rules.may_decide(rules.PENDING)
    assert not rules.may_decide(rules.GRANTED) and not rules.may_decide(rules.REFUSED)
    assert rules.may_request(already_reads=True, pending=False) == (False, "reads")
    assert rules.may_request(already_reads=False, pending=True) == (False, "pending")
    assert rules.may_request(already_reads=False, pending=False) == (True, "")


# --- uploads -----------------------------------------------------------------------------


def _zip(*names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def test_the_kind_comes_from_the_content_not_the_name():
    assert rules.kind_of(b"%PDF-1.7 rest") == "pdf"
    assert rules.kind_of(b"\x89PNG\r\n\x1a\n....") == "png"
    assert rules.kind_of(b"\xff\xd8\xff\xe0") == "jpeg"
    assert rules.kind_of(b"plain words, commas\n1,2") == "text"
    docx = _zip("[Content_Types].xml", "word/document.xml")
    assert rules.kind_of(docx[:4096], opener=lambda: io.BytesIO(docx)) == "docx"
    xlsx = _zip("xl/workbook.xml")
    assert rules.kind_of(xlsx[:4096], opener=lambda: io.BytesIO(xlsx)) == "xlsx"


def test_markup_archives_and_binaries_are_not_accepted_kinds():
    assert rules.kind_of(b"<!DOCTYPE html><html><script>alert(1)</script>") is None
    assert rules.kind_of(b'<?xml version="1.0"?><svg onload="x()"/>') is None
    assert rules.kind_of(b"  <svg xmlns='http://www.w3.org/2000/svg'/>") is None
    assert rules.kind_of(b"MZ\x90\x00\x03\x00\x00\x00") is None
    other_zip = _zip("payload.exe")
    assert rules.kind_of(other_zip[:4096], opener=lambda: io.BytesIO(other_zip)) is None


def test_an_upload_is_checked_for_emptiness_size_kind_and_a_lying_name():
    accept = set(rules.KINDS)
    check = rules.check_upload
    assert check(name="a.pdf", size=0, kind="pdf", max_bytes=10, allowed_kinds=accept) \
        .problem == "empty"
    assert check(name="a.pdf", size=11, kind="pdf", max_bytes=10, allowed_kinds=accept) \
        .problem == "size"
    assert check(name="a.pdf", size=5, kind=None, max_bytes=10, allowed_kinds=accept) \
        .problem == "type"
    assert check(name="a.pdf", size=5, kind="text", max_bytes=10, allowed_kinds=accept) \
        .problem == "name"
    assert check(name="a.pdf", size=5, kind="pdf", max_bytes=10, allowed_kinds={"png"}) \
        .problem == "type"
    assert check(name="Report.PDF", size=5, kind="pdf", max_bytes=10, allowed_kinds=accept).ok


def test_only_pdfs_and_images_are_previewed():
    assert rules.may_preview("pdf") and rules.may_preview("png")
    assert not rules.may_preview("text") and not rules.may_preview("docx")
    assert not rules.may_preview("html")


def test_safe_names_drop_folders_and_odd_characters():
    assert rules.safe_name("../../etc/passwd") == "passwd"
    assert rules.safe_name("..\\..\\boot.ini") == "boot.ini"
    assert rules.safe_name("Báo cáo tài chính 2025.pdf") == "Bao-cao-tai-chinh-2025.pdf"
    assert rules.safe_name(".htaccess") == "htaccess"
    assert rules.safe_name("report.exe", kind="pdf") == "report.pdf"


@given(st.text(max_size=300))
def test_a_safe_name_is_never_a_path_nor_hidden_nor_long(name):
    safe = rules.safe_name(name)
    assert "/" not in safe and "\\" not in safe
    assert not safe.startswith(".")
    assert 0 < len(safe) <= 120
    assert all(c.isascii() and (c.isalnum() or c in "._-") for c in safe)


# --- K1 ---------------------------------------------------------------------------------


def test_k1_experiences_like_this_one_rank_service_line_then_tags_then_region():
    one = Experience(1, "ict", 1, frozenset({"sla"}))
    others = [Experience(2, "ict", 2, frozenset()), Experience(3, "finance", 1, frozenset()),
              Experience(4, "finance", 2, frozenset({"sla"})),
              Experience(5, "finance", 2, frozenset()), one]
    assert rules.alike(one, others) == [2, 4, 3]


def test_k1_tags_are_compared_without_case_or_spaces():
    assert rules.tag_set(" Fleet, solar Panels ,") == {"fleet", "solar panels"}
