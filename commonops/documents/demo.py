"""Demo data for documents and knowledge: Viet Nam's repository with each classification
(and a task force's file, a second version, a granted and a pending request), a
confidential meeting paper, two confidential reads in the access log, ten knowledge items
across the regions, fifteen experts on the roster (one asked for support) and the standard
templates. Idempotent: each part is added only when Viet Nam (or the shared knowledge) has
none of it yet.

The files are made here (PDFs with reportlab, Word files as plain Office Open XML), so that
search finds the words inside them.
"""

import io
import zipfile
from datetime import timedelta
from decimal import Decimal
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from commonops.core.models import Agency, Country, Region, User
from commonops.documents import actions
from commonops.documents.models import (
    AccessLog,
    Document,
    Expert,
    FileClassification,
    KnowledgeItem,
    SupportRequest,
    Template,
)


def pdf_bytes(title: str, lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    page.setTitle(title)
    page.setFont("Helvetica-Bold", 14)
    page.drawString(60, 780, title)
    page.setFont("Helvetica", 11)
    for number, line in enumerate(lines):
        page.drawString(60, 750 - 18 * number, line)
    page.showPage()
    page.save()
    return buffer.getvalue()


def docx_bytes(title: str, paragraphs: list[str]) -> bytes:
    """A minimal Word document (Office Open XML) with a title and paragraphs."""
    body = "".join(f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>"
                   for text in [title, *paragraphs])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="applicat'
            'ion/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" Cont'
            'entType="application/xml"/><Override PartName="/word/document.xml" ContentType="'
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'
            '"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openx'
            'mlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://s'
            'chemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Targ'
            'et="word/document.xml"/></Relationships>'))
        archive.writestr("word/document.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxm'
            'lformats.org/wordprocessingml/2006/main"><w:body>' + body + "</w:body></w:document>"))
    return buffer.getvalue()


# (title, folder, classification, roles, agencies, owner, lines)
REPOSITORY = [
    ("OMT terms of reference 2025", "omt", "public", (), (), "vn-secretary",
     ["Terms of reference of the Operations Management Team of Viet Nam.",
      "Membership, chair rotation, task forces, meetings and minutes."]),
    ("OMT annual work plan", "omt", "internal", (), (), "vn-chair",
     ["Annual work plan of the OMT: procurement, ICT and premises activities.",
      "Owners, budgets and deadlines agreed at the retreat."]),
    ("Common premises security assessment", "audits", "confidential",
     ("rc", "omt_chair"), ("UNDP", "UNICEF"), "vn-chair",
     ["Security assessment of the Green One UN House.",
      "Access control findings and recommended upgrades."]),
    ("Internal audit of the common procurement service", "audits", "confidential",
     ("rc",), ("UNDP",), "vn-rc",
     ["Audit of the long-term agreements managed by the procurement working group.",
      "Findings on vendor selection and recommendations."]),
    ("Cleaning services long-term agreement", "agreements", "internal", (), (), "vn-csm",
     ["Long-term agreement for cleaning services in the Green One UN House.",
      "Rates per square metre and service levels."]),
    ("Business Operations Strategy brief", "bos", "public", (), (), "vn-chair",
     ["Business Operations Strategy of Viet Nam: common services and cost avoidance.",
      "Summary for the UNCT and the donors."]),
]


def _seed_repository(viet_nam, people, agencies):
    today = viet_nam.today()
    for number, (title, area, level, roles, acronyms, owner, lines) in enumerate(REPOSITORY):
        actions.document_create(by=people[owner], data={
            "country": viet_nam, "title": title, "area": area, "classification": level,
            "allowed_roles": list(roles),
            "allowed_agencies": [agencies[a] for a in acronyms],
            "dated": today - timedelta(days=40 * number + 5),
            "tags": "omt" if area == "omt" else area,
            "file": ContentFile(pdf_bytes(title, lines), name=f"{title}.pdf")})
    plan = Document.objects.get(country=viet_nam, title="OMT annual work plan")
    actions.version_add(document=plan, by=people["vn-chair"], note="After the retreat",
                        file=ContentFile(pdf_bytes("OMT annual work plan", [
                            "Annual work plan of the OMT, revised after the retreat.",
                            "Adds solar panels for the common premises."]),
                            name="OMT annual work plan.pdf"))
    from commonops.governance.models import TaskForce

    task_force = TaskForce.objects.filter(country=viet_nam).first()
    if task_force is not None:
        actions.document_create(by=task_force.chair, data={
            "country": viet_nam, "title": f"{task_force.name}: market survey",
            "area": "task_forces", "classification": "internal", "task_force": task_force,
            "service_line": task_force.service_line,
            "file": ContentFile(docx_bytes(f"{task_force.name}: market survey", [
                "Market survey of suppliers prepared by the task force.",
                "Copied to the RCO for the official record."]), name="market-survey.docx")})
    audit = Document.objects.get(country=viet_nam, title="Common premises security assessment")
    granted = actions.request_create(by=people["vn-member"],
                                     data={"document": audit,
                                           "reason": "WHO manages the clinic in the premises."})
    actions.request_grant(request=granted, by=people["vn-chair"],
                          answer="Granted for the clinic's planning.")
    procurement = Document.objects.get(country=viet_nam,
                                       title="Internal audit of the common procurement service")
    actions.request_create(by=people["vn-staff"], data={
        "document": procurement, "reason": "UNESCO joins the procurement service next year."})


def _seed_stored_file(viet_nam, people) -> None:
    """D1 beyond the repository: a paper on the agenda of the last meeting held, classified
    confidential by the RC (the RC and the OMT chair read it)."""
    from commonops.governance.actions import agenda_paper_add
    from commonops.governance.models import AgendaItem

    item = AgendaItem.objects.filter(
        meeting__omt__country=viet_nam, meeting__starts_at__lte=timezone.now(),
        meeting__status="held").order_by("-meeting__starts_at", "position").first()
    if item is None:
        return
    title = "Premises security: findings for the OMT"
    paper = agenda_paper_add(item=item, by=people["vn-chair"], title=title, file=ContentFile(
        pdf_bytes(title, ["Findings of the security assessment of the Green One UN House.",
                          "For the RC and the OMT chair; not for circulation."]),
        name="premises-security-findings.pdf"))
    actions.stored_file_classify(obj=paper, by=people["vn-rc"], data={
        "classification": "confidential", "allowed_roles": ["rc", "omt_chair"],
        "allowed_agencies": []})


def _seed_reads(viet_nam, people) -> None:
    """D1: confidential reads in the access log (what a download writes there)."""
    from commonops.documents import classification
    from commonops.governance.models import AgendaPaper

    audit = Document.objects.filter(country=viet_nam, classification="confidential",
                                    current_version__isnull=False).order_by("pk").first()
    if audit is not None:
        classification.log_access(user=people["vn-chair"], country_id=viet_nam.pk,
                                  file_name=audit.current_version.name, how="download",
                                  document=audit, version=audit.current_version)
    paper = AgendaPaper.objects.filter(country=viet_nam).order_by("pk").first()
    if paper is not None and classification.classification_of_stored(paper) is not None:
        classification.log_access(user=people["vn-rc"], country_id=viet_nam.pk,
                                  file_name=paper.file.name.rsplit("/", 1)[-1],
                                  how="preview", stored=paper)


def _seed_support_request(viet_nam, people) -> None:
    """K2: the common services manager asks an expert of the roster for support."""
    expert = Expert.objects.filter(name="Moses Otieno").first()
    if expert is None:
        return
    actions.support_request_create(by=people["vn-csm"], data={
        "country": viet_nam, "expert": expert,
        "subject": "Sizing solar panels for the second common building",
        "description": "We plan to extend the solar installation of the Green One UN House "
                       "to the annex and would like advice on sizing and cost sharing."})


# (title, country, service line, year, summary, results, cost avoidance, lessons, tags)
KNOWLEDGE = [
    ("Joint long-term agreements for travel", "VN", "procurement", 2024,
     "Twelve agencies share one travel agency contract negotiated by the OMT.",
     "Lower fares and one booking tool.", "310000", "Start with the three largest users.",
     "travel, lta"),
    ("Solar panels on the common premises", "VN", "administration", 2023,
     "The Green One UN House produces a third of its electricity.",
     "Energy bill down by a third.", "95000", "Agree the cost-sharing key before building.",
     "energy, premises"),
    ("One ICT help desk for all agencies", "KE", "ict", 2024,
     "A shared service desk answers the staff of fourteen agencies.",
     "First response within four business hours for 93% of tickets.", "180000",
     "Publish the SLA from the first day.", "service desk, sla"),
    ("Shared fleet management", "KE", "logistics", 2023,
     "Agencies pool their vehicles and drivers through one booking system.",
     "Fewer idle vehicles.", "220000", "Telematics data settles disputes.", "fleet, vehicles"),
    ("Common recruitment roster for drivers", "SN", "human_resources", 2024,
     "One roster of assessed drivers used by every agency.",
     "Recruitment time down from 10 to 4 weeks.", "40000", "Share the assessment panel.",
     "recruitment, roster"),
    ("Harmonised banking services", "SN", "finance", 2022,
     "One tender for banking services for all agencies in Dakar.",
     "Lower fees on transfers.", "60000", "Involve treasury focal points early.",
     "banking, tender"),
    ("Joint security services contract", "JO", "administration", 2024,
     "One guard services contract for all UN premises in Amman.",
     "Same standard in every building.", "150000", "Keep one contract manager.",
     "security, premises"),
    ("Common interpretation pool", "JO", "procurement", 2023,
     "Agencies share a roster of interpreters and one rate card.",
     "Rates harmonised across agencies.", "35000", "Publish the rate card.",
     "interpretation, lta"),
    ("Shared warehouse in the highlands", "GT", "logistics", 2024,
     "Three agencies share a warehouse close to their field operations.",
     "Rent shared by floor area.", "70000", "Measure floor area before signing.",
     "warehouse, premises"),
    ("Joint procurement of ICT equipment", "GT", "ict", 2023,
     "One tender for laptops and network equipment for five agencies.",
     "Unit prices 18% lower.", "120000", "Agree one standard specification.",
     "ict, tender, lta"),
]

# (name, agency, region, skills, service lines, languages, availability, past assignments)
EXPERTS = [
    ("Amina Diallo", "UNICEF", "WA", "procurement, long-term agreements", "procurement",
     "fr,en", "available", "Senegal common procurement 2023"),
    ("Bruno Costa", "UNDP", "LAC", "cost-benefit analysis, BOS", "finance,procurement",
     "es,pt,en", "available", "Guatemala BOS 2024"),
    ("Chen Wei", "UNDP", "AP", "ICT service desk, SLA", "ict", "en,zh", "limited",
     "Viet Nam help desk set-up"),
    ("Daniel Mwangi", "WFP", "ESA", "fleet management, logistics", "logistics", "en,sw",
     "available", "Kenya shared fleet"),
    ("Elena Petrova", "UNOPS", "EECIS", "premises, facility management", "administration",
     "ru,en", "available", "Common premises in Central Asia"),
    ("Fatima Zahra", "UNHCR", "ASNA", "security services, contracts", "administration",
     "ar,fr,en", "unavailable", "Jordan security contract"),
    ("George Mensah", "WHO", "WA", "human resources, rosters", "human_resources",
     "en,fr", "available", "West Africa driver roster"),
    ("Hana Suzuki", "UNFPA", "AP", "finance, banking services", "finance", "en,ja",
     "available", "Harmonised banking in Asia"),
    ("Ivan Horvat", "UNOPS", "EECIS", "ICT networks, infrastructure", "ict", "en,ru",
     "limited", "Shared network in the Balkans"),
    ("Julia Ramos", "UNICEF", "LAC", "warehousing, logistics", "logistics", "es,en",
     "available", "Guatemala shared warehouse"),
    ("Karim Haddad", "UNDP", "ASNA", "procurement, interpretation", "procurement", "ar,en",
     "available", "Amman interpretation pool"),
    ("Lina Nguyen", "UNDP", "AP", "OMT governance, minutes, BOS", "administration,finance",
     "vi,en", "available", "Viet Nam OMT secretariat"),
    ("Moses Otieno", "UNEP", "ESA", "energy, solar, premises", "administration", "en,sw",
     "available", "Solar retrofits in Nairobi"),
    ("Nadia Benali", "IOM", "ASNA", "human resources, common recruitment",
     "human_resources", "ar,fr,en", "limited", "Common recruitment in North Africa"),
    ("Oscar Lindqvist", "UNOPS", "ESA", "cost sharing, budgets", "finance", "en,sv",
     "available", "Cost-sharing keys for East Africa"),
]

# (title, kind, folder, description, paragraphs)
TEMPLATES = [
    ("Memorandum of understanding for a common service", "mou", "agreements",
     "The standard MOU between a managing agency and client agencies.",
     ["Parties, services, period, cost-sharing key and performance metrics."]),
    ("Service-level agreement", "sla", "agreements",
     "Service levels, response times and reporting of a common service.",
     ["Service description, service levels, measurement and review."]),
    ("Business Operations Strategy outline", "bos", "bos",
     "The chapters of a BOS: stock-take, opportunities, results framework, plan.",
     ["Stock-take of common services, opportunities with cost-benefit analysis."]),
    ("OMT meeting minutes", "minutes", "omt",
     "Minutes by agenda item with decisions and actions.",
     ["Attendance, agenda items, decisions, actions with owner and deadline."]),
    ("Terms of reference of a task force", "tor", "task_forces",
     "Mandate, members, coordinating agency and end date of a task force.",
     ["Mandate, composition, deliverables, reporting to the OMT, end date."]),
]


def seed(stdout=None) -> None:
    viet_nam = Country.objects.filter(iso_code="VN").first()
    if viet_nam is None:
        return
    people = {u.username: u for u in User.objects.filter(username__in=[
        "vn-chair", "vn-rc", "vn-secretary", "vn-csm", "vn-member", "vn-staff", "vn-cochair",
        "hq-analyst"])}
    agencies = {a.acronym: a for a in Agency.objects.all()}
    with transaction.atomic():
        if not Document.objects.filter(country=viet_nam).exists():
            _seed_repository(viet_nam, people, agencies)
        countries = {c.iso_code: c for c in Country.objects.all()}
        if not KnowledgeItem.objects.exists():
            for (title, iso, line, year, summary, results, avoided, lessons,
                 tags) in KNOWLEDGE:
                if iso not in countries:
                    continue
                actions.knowledge_item_create(by=people["hq-analyst"], data={
                    "title": title, "country": countries[iso], "service_line": line,
                    "year": year, "summary": summary, "results": results,
                    "cost_avoidance": Decimal(avoided), "lessons": lessons,
                    "contacts": "OMT chair of the country team", "tags": tags})
        regions = {r.code: r for r in Region.objects.all()}
        if not Expert.objects.exists():
            for (name, acronym, region, skills, lines, languages, availability,
                 past) in EXPERTS:
                actions.expert_create(by=people["hq-analyst"], data={
                    "name": name, "agency": agencies.get(acronym), "region": regions[region],
                    "skills": skills, "service_lines": lines, "languages": languages,
                    "availability": availability, "past_assignments": past,
                    "email": name.lower().replace(" ", ".") + "@example.org"})
        if not FileClassification.objects.filter(country=viet_nam).exists():
            _seed_stored_file(viet_nam, people)
        if not AccessLog.objects.filter(country=viet_nam).exists():
            _seed_reads(viet_nam, people)
        if not SupportRequest.objects.filter(country=viet_nam).exists():
            _seed_support_request(viet_nam, people)
        if not Template.objects.exists():
            for title, kind, area, description, paragraphs in TEMPLATES:
                actions.template_create(by=people["hq-analyst"], data={
                    "title": title, "kind": kind, "area": area, "description": description,
                    "file": ContentFile(docx_bytes(title, paragraphs),
                                        name=f"{kind}-template.docx")})
    if stdout is not None:
        stdout.write("Documents and knowledge: repository, knowledge base, roster, templates.")
