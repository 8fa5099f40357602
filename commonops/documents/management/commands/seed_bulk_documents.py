"""Scale test data for the repository's search: many documents with the text a PDF or an
office file of an OMT gives when extracted (minutes, agreements, audits, reports), fast.

Each document gets a first version (a file name that is not stored: search never opens
files) and its search text (`documents.queries.search_text_of`, as the actions store it),
inserted in batches of a thousand; then one UPDATE sets every new document's current
version and, on PostgreSQL, its search vector in SQL (`documents.queries.search_vector()`),
with the GIN index dropped meanwhile and built once after (the table is locked while the
command runs), and the tables are analysed. These rows bypass the actions and the audit
trail on purpose: they are load-test data, not records. Classifications are mixed as in a
real repository (a fifth public, a sixth confidential, naming roles and sometimes
agencies); texts are 1 to 40 KB.

    manage.py seed_bulk_documents --count 100000 --country VN

`--count` is the size the repository is brought to, so running it again adds nothing.
"""

import hashlib
import random
import re
import time
from datetime import date, timedelta
from importlib import import_module

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery

from commonops.core.models import Agency, Country, User
from commonops.documents import queries, rules
from commonops.documents.models import Document, DocumentVersion

BATCH = 1000
# the migration that defines the GIN index on the search vector (PostgreSQL)
SEARCH_INDEX = import_module("commonops.documents.migrations.0002_document_search_index")

AGENCIES = ["UNDP", "UNICEF", "WHO", "UNFPA", "FAO", "UNESCO", "UNHCR", "WFP", "ILO",
            "UNIDO", "IOM", "UN Women", "UNOPS", "UNEP", "UNAIDS", "UN-Habitat"]
# (service, service line)
SERVICES = [("cleaning", "administration"), ("security guard", "administration"),
            ("fleet management", "logistics"), ("fuel supply", "logistics"),
            ("travel agency", "procurement"), ("interpretation", "procurement"),
            ("internet connectivity", "ict"), ("printing", "administration"),
            ("courier", "logistics"), ("medical insurance", "human_resources"),
            ("banking", "finance"), ("conference facilities", "administration"),
            ("waste management", "administration"), ("solar energy", "administration"),
            ("generator maintenance", "administration"), ("catering", "administration"),
            ("shuttle bus", "logistics"), ("recruitment roster", "human_resources"),
            ("help desk", "ict"), ("video conferencing", "ict"),
            ("payroll", "finance"), ("customs clearance", "logistics")]
PLACES = ["Hanoi", "Ho Chi Minh City", "Da Nang", "Hue", "Can Tho", "Hai Phong",
          "the Green One UN House", "the Da Nang sub-office"]
SYLLABLES = ["An", "Binh", "Cuong", "Dai", "Dong", "Hai", "Hoa", "Hung", "Khanh", "Long",
             "Minh", "Nam", "Phat", "Phu", "Quang", "Tan", "Thanh", "Thinh", "Tien", "Trung",
             "Viet", "Vinh", "Xuan", "Hanh", "Loc"]
SUFFIXES = ["Services", "Trading", "Logistics", "Technology", "Joint Stock Company",
            "Company Limited", "Facility Management", "Solutions"]
# subjects of findings and actions, from everyday to rare (picked with Zipf-like weights)
TERMS = """procurement plan; vendor performance; invoice; purchase order; asset register;
inventory; petty cash; bank reconciliation; cost-sharing key; headcount; floor area;
service-level agreement; response time; key performance indicator; budget revision;
exchange rate; work plan; risk register; business continuity; evacuation drill;
access control; visitor badge; closed-circuit television; fire safety; first aid;
vehicle logbook; fuel card; mileage; tyre replacement; spare parts; maintenance schedule;
cleaning checklist; hygiene inspection; waste segregation; recycling; energy audit;
electricity meter; water tank; air conditioning; lift maintenance; generator fuel;
network switch; firewall; bandwidth; backup tape; laptop refresh; software licence;
mobile phone plan; printer toner; stationery; courier waybill; customs declaration;
duty exemption; import permit; interpreter roster; translation memory; conference room;
catering menu; shuttle timetable; parking allocation; staff survey; client satisfaction;
complaint log; grievance; whistle-blower; ethics training; gender parity; disability
inclusion; sexual exploitation prevention; mutual recognition; reciprocal agreement;
long-term agreement; piggy-backing; tender evaluation; bid opening; technical
evaluation; financial evaluation; contract amendment; liquidated damages; performance
bond; advance payment; retention money; escrow; tax refund; value added tax;
withholding tax; audit trail; segregation of duties; delegation of authority; signatory
panel; biometric attendance; turnstile; photovoltaic inverter; lithium battery;
rainwater harvesting; greywater; fumigation; termite treatment; asbestos survey;
seismic retrofit; typhoon preparedness; flood barrier; dengue prevention; telemedicine;
ambulance contract; pharmacy stock; cold chain; vaccine refrigerator; satellite phone;
radio room; call sign; convoy; armoured vehicle; ballistic film; blast assessment""".replace(
    "\n", " ")
TERMS = [t.strip() for t in TERMS.split(";") if t.strip()]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
BASES = ["headcount", "floor area", "usage", "equal shares", "the number of vehicles"]
ROLE_SETS = [("rc",), ("rc", "omt_chair"), ("omt_chair", "omt_secretary"), ("rc",
             "omt_chair", "omt_co_chair"), ("cs_manager",)]

SENTENCES = [
    "The OMT agreed that {agency} will manage the common {service} service from {month} "
    "{year}.",
    "The long-term agreement with {vendor} covers {service} for {n} agencies at {amount} "
    "USD a year.",
    "Cost avoidance from the joint {service} tender is estimated at {amount} USD over {k} "
    "years.",
    "{agency} and {agency2} raised concerns about the response times of {vendor}.",
    "The {service} task force reviewed {n} offers and recommends {vendor}.",
    "Finding {k}: the {term} was incomplete for {pct}% of the transactions reviewed.",
    "Action: {agency} to circulate the revised {term} before {day} {month} {year}.",
    "The cost-sharing key for {service} is based on {basis}.",
    "Payments to {vendor} were made within {days} days of invoice in {pct}% of cases.",
    "The premises in {place} host {n} agencies and {staff} staff.",
    "Quarterly {service} usage reached {staff} units, {pct}% above the plan.",
    "The audit recommends a single {term} for all agencies in {place}.",
    "Risk: delays in the {term} could affect the {service} service in {place}.",
    "The minutes of the meeting of {day} {month} were circulated and finalised.",
    "{agency} presented the {term} and answered questions from {agency2}.",
    "The Resident Coordinator asked the OMT to report on the {term} by {month}.",
    "Members noted that {vendor} met the service levels in {pct}% of months.",
    "The budget of the {service} service for {year} is {amount} USD, shared by {n} "
    "agencies.",
    "Recommendation {k}: strengthen the {term} and train the focal points of {agency}.",
    "The contract with {vendor} ends on {day} {month} {year}; a new tender is planned.",
    "Staff of {agency} in {place} rated the {service} service {score} out of five.",
    "The working group on {service} met {n} times and will report to the OMT in {month}.",
    "Management response: {agency} accepts the recommendation on the {term}.",
    "The BOS results framework tracks the {term} and the cost avoidance of {service}.",
    "Any other business: {agency2} proposed a joint {term} with {agency}.",
]
TITLES = {
    "omt": ["OMT meeting minutes, {month} {year}", "OMT annual work plan {year}",
            "Terms of reference of the {service} working group",
            "OMT retreat report {year}"],
    "bos": ["BOS {year}-{year4}: {service} opportunity", "Cost-benefit analysis of common "
            "{service}", "BOS annual report {year}"],
    "task_forces": ["{Service} task force: market survey {year}",
                    "{Service} task force: evaluation report"],
    "agreements": ["Long-term agreement for {service} with {vendor}",
                   "MOU for the common {service} service {year}",
                   "Service-level agreement: {service}"],
    "audits": ["Internal audit of the common {service} service ({year})",
               "Audit follow-up: {term}"],
    "service_desk": ["Service desk report, {month} {year}",
                     "Help desk satisfaction survey {year}"],
    "other": ["Guidelines on the {term}", "Letter to {agency} on {service}"],
}
AREAS = list(TITLES)
REFERENCE_KINDS = {"omt": "OMT", "bos": "BOS", "task_forces": "TF", "agreements": "LTA",
                   "audits": "AUD", "service_desk": "SD", "other": "GEN"}
REFERENCE = re.compile(r"Reference: ([A-Z]+-[A-Z]{2}-\d{4}-\d{6})")


class Generator:
    """Deterministic realistic texts (a seeded random generator). Sentences are written
    once into a pool per service (a few thousand each, with every placeholder drawn), and
    each document draws its sentences from its service's pool and, for a third, from all
    of them: 100,000 documents in seconds rather than minutes."""

    POOL = 2000  # sentences per service

    def __init__(self, seed: int, iso_code: str = "VN", sequence: int = 0):
        self.rng = random.Random(seed)
        self.iso_code = iso_code
        self.sequence = sequence
        self.vendors = [f"{a} {b} {s}" for a in SYLLABLES for b in SYLLABLES if a != b
                        for s in SUFFIXES[:2]]
        self.term_weights = [1 / (rank + 1) for rank in range(len(TERMS))]
        self.pools = {service: [self.rng.choice(SENTENCES).format(**self._values(service))
                                for _ in range(self.POOL)] for service, _line in SERVICES}
        self.everything = [sentence for pool in self.pools.values() for sentence in pool]

    def _values(self, service):
        rng = self.rng
        year = rng.randint(2017, date.today().year)
        return {
            "agency": rng.choice(AGENCIES), "agency2": rng.choice(AGENCIES),
            "service": service, "Service": service.capitalize(), "vendor": rng.choice(
                self.vendors), "month": rng.choice(MONTHS), "year": year,
            "year4": year + 4, "day": rng.randint(1, 28), "n": rng.randint(2, 18),
            "k": rng.randint(1, 12), "amount": f"{rng.randint(5, 900) * 1000:,}",
            "pct": rng.randint(3, 99), "days": rng.randint(5, 60),
            "staff": rng.randint(40, 1400), "score": rng.choice(["3.8", "4.1", "4.4"]),
            "place": rng.choice(PLACES), "basis": rng.choice(BASES),
            "term": rng.choices(TERMS, self.term_weights)[0],
        }

    def document(self) -> dict:
        rng = self.rng
        area = rng.choice(AREAS)
        service, line = rng.choice(SERVICES)
        values = self._values(service)
        title = rng.choice(TITLES[area]).format(**values)
        # 1 to 40 KB, most near 4 KB: an extracted PDF of one to fifteen pages
        count = max(12, min(450, int(rng.lognormvariate(3.8, 0.8))))
        others = count // 3
        sentences = rng.choices(self.pools[service], k=count - others) + rng.choices(
            self.everything, k=others)
        rng.shuffle(sentences)
        paragraphs = [" ".join(sentences[i:i + 5]) for i in range(0, count, 5)]
        self.sequence += 1
        reference = (f"{REFERENCE_KINDS[area]}-{self.iso_code}-{values['year']}-"
                     f"{self.sequence:06d}")  # what people quote, unique
        text = "\n\n".join([title, f"Reference: {reference}", *paragraphs])
        draw = rng.random()
        level = rules.PUBLIC if draw < 0.2 else rules.CONFIDENTIAL if draw > 0.84 \
            else rules.INTERNAL
        return {"title": title[:200], "area": area, "service_line": line, "text": text,
                "classification": level, "dated": date.today() - timedelta(
                    days=rng.randint(0, 8 * 365)),
                "tags": f"{service}, {values['term']}",
                "roles": rng.choice(ROLE_SETS) if level == rules.CONFIDENTIAL else (),
                "agencies": rng.sample(AGENCIES[:6], 2) if level == rules.CONFIDENTIAL
                and rng.random() < 0.4 else []}


class Command(BaseCommand):
    help = "Add many realistic documents to a country's repository for search load tests."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000,
                            help="add documents until the country's repository holds this "
                                 "many")
        parser.add_argument("--country", default="VN")
        parser.add_argument("--seed", type=int, default=13)

    def handle(self, *args, count, country, seed, **options):
        country = Country.objects.filter(iso_code=country.upper()).first()
        if country is None:
            raise CommandError("Unknown country.")
        owners = list(User.objects.filter(duty_country=country, agency__isnull=False)
                      .order_by("pk").values_list("pk", flat=True))
        agencies = dict(Agency.objects.values_list("acronym", "pk"))
        if not owners:
            raise CommandError("Seed the demo first: the country needs staff.")
        existing = Document.objects.filter(country=country).count()
        if existing >= count:
            self.stdout.write(f"{country.name} already holds {existing} documents.")
            return
        count -= existing
        started = time.monotonic()
        generator = Generator(seed + existing, country.iso_code, sequence=existing)
        first = (Document.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        made = 0
        with transaction.atomic():
            while made < count:
                size = min(BATCH, count - made)
                self._batch(country, [generator.document() for _ in range(size)], owners,
                            agencies, made)
                made += size
            inserted = time.monotonic()
            # one UPDATE through the plain manager (load-test rows are not audited): each
            # document's current version and, on PostgreSQL, its search vector, in SQL
            filled = {"current_version": Subquery(DocumentVersion._base_manager.filter(
                document=OuterRef("pk")).order_by("-number").values("pk")[:1])}
            postgresql = connection.vendor == "postgresql"
            if postgresql:
                filled["search_vector"] = queries.search_vector()
                # the GIN index is built once afterwards rather than entry by entry
                with connection.cursor() as cursor:
                    cursor.execute(SEARCH_INDEX.DROP)
            Document._base_manager.filter(pk__gte=first, country=country).update(**filled)
            if postgresql:
                # the foreign keys are checked now (they are deferred to the commit, and
                # PostgreSQL builds no index on a table with checks pending)
                connection.check_constraints()
                with connection.cursor() as cursor:
                    cursor.execute(SEARCH_INDEX.CREATE)
        self.stdout.write(
            f"{count} documents inserted in {inserted - started:.1f} s; current versions"
            + (", search vectors (SQL) and the GIN index" if postgresql else "")
            + f" in {time.monotonic() - inserted:.1f} s")
        if connection.vendor == "postgresql":
            analysed = time.monotonic()
            # VACUUM runs outside a transaction only (not so inside a test): then ANALYZE
            analyse = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                for model in (Document, DocumentVersion):
                    table = connection.ops.quote_name(model._meta.db_table)
                    cursor.execute(f"{analyse} {table}")
            self.stdout.write(f"tables analysed in {time.monotonic() - analysed:.1f} s")

    def _batch(self, country, rows, owners, agencies, offset):
        documents, versions = [], []
        for i, row in enumerate(rows):
            document = Document(
                country=country, title=row["title"], area=row["area"],
                classification=row["classification"], allowed_roles=rules.roles_text(
                    row["roles"]), owner_id=owners[(offset + i) % len(owners)],
                dated=row["dated"], tags=row["tags"], service_line=row["service_line"])
            version = DocumentVersion(
                country=country, number=1, name="bulk.pdf", size=len(row["text"]) * 3,
                kind="pdf", sha256=hashlib.sha256(row["text"].encode()).hexdigest(),
                text=row["text"])
            # what the actions store (title, tags and the file's text), as they compute it
            document.search_text = queries.search_text_of(document, version)
            documents.append(document)
            versions.append(version)
        documents = Document._base_manager.bulk_create(documents)
        for document, version in zip(documents, versions, strict=True):
            version.document = document
            version.file = f"documents/{country.pk}/{document.pk}/v1-bulk.pdf"
        DocumentVersion._base_manager.bulk_create(versions)
        through = Document.allowed_agencies.through
        through.objects.bulk_create([
            through(document_id=document.pk, agency_id=agencies[acronym])
            for document, row in zip(documents, rows, strict=True)
            for acronym in row["agencies"] if acronym in agencies])
