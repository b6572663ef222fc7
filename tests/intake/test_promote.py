"""vault.f_promote_contacts through intake.services.loads_promote (run as the app role)."""

import pytest

from companies.models import Company, CompanySlot
from intake.models import AuditLog, RawLoad, VaultContact
from intake.services import batch_ingest, loads_promote, people_contact_relink
from marketing.models import PipelineEvent
from people.models import Contact, ContactVerification
from tests import builders
from tests.intake.helpers import age_loads, scalar


def ingest(*rows, batch_id="promote-test", source="apollo"):
    """Ingest rows and return their load ids (None for skipped rows)."""
    return [r.load_id for r in batch_ingest(rows=list(rows), source=source, batch_id=batch_id).rows]


def snapshot():
    """Row counts and vault timestamps that a no-op promotion must leave untouched."""
    return {
        "vault": list(VaultContact.objects.values_list("contact_id", "updated_at")),
        "companies": Company.objects.count(),
        "slots": list(CompanySlot.objects.values_list("company_slot_id", "contact_id")),
        "people": Contact.objects.count(),
        "events": PipelineEvent.objects.count(),
        "loads": list(RawLoad.objects.values_list("load_id", "status")),
    }


def test_counts_promoted_updated_failed(db):
    """promoted_count counts new vault contacts, failed_count bad emails; loads change status."""
    ids = ingest(
        {"email": "one@alpha.example", "name": "One"},
        {"email": "two@alpha.example", "name": "Two"},
        {"email": "broken@nodot"},
    )
    result = loads_promote(load_ids=None)

    assert (result.promoted_count, result.updated_count, result.failed_count) == (2, 0, 1)
    assert "promoted=2 updated=0" in result.message
    statuses = dict(RawLoad.objects.filter(load_id__in=ids).values_list("load_id", "status"))
    assert statuses == {ids[0]: "promoted", ids[1]: "promoted", ids[2]: "failed"}
    assert RawLoad.objects.get(load_id=ids[0]).promoted_at is not None


def test_failed_loads_carry_the_reason(db):
    """A load whose email fails the format check is marked failed with the reason in metadata."""
    (load_id,) = ingest({"email": "someone@localhost"})
    loads_promote(load_ids=[load_id])
    load = RawLoad.objects.get(load_id=load_id)
    assert load.status == "failed"
    assert load.metadata["failure_reason"] == "invalid email format: someone@localhost"
    assert not VaultContact.objects.filter(email="someone@localhost").exists()


def test_only_the_given_pending_loads_are_promoted(db):
    """p_load_ids limits the promotion; other pending loads stay pending."""
    first, second = ingest({"email": "l1@limit.example"}, {"email": "l2@limit.example"})
    loads_promote(load_ids=[first])
    assert RawLoad.objects.get(load_id=first).status == "promoted"
    assert RawLoad.objects.get(load_id=second).status == "pending"


@pytest.mark.owner
def test_upsert_keeps_existing_values_where_the_new_load_is_empty(app_role):
    """A later load of the same email updates non-empty fields and keeps the others."""
    (old,) = ingest(
        {"email": "keep@keep.example", "name": "Kim Keep", "phone": "+15550001", "title": "CTO"}
    )
    loads_promote(load_ids=[old])
    age_loads([old], days=31)  # so the next load of the email is pending, not a duplicate

    (new,) = ingest({"email": "KEEP@keep.example", "name": "", "title": "Founder & CEO"})
    result = loads_promote(load_ids=[new])

    assert (result.promoted_count, result.updated_count) == (0, 1)
    vault = VaultContact.objects.get(email="keep@keep.example")
    assert (vault.name, vault.phone, vault.title) == ("Kim Keep", "+15550001", "Founder & CEO")
    assert vault.load_id == new


@pytest.mark.owner
def test_identical_load_is_not_counted_as_an_update(app_role):
    """A load that changes nothing leaves the vault row alone (IS DISTINCT FROM guard)."""
    (old,) = ingest({"email": "same@same.example", "name": "Sam Same"})
    loads_promote(load_ids=[old])
    before = VaultContact.objects.get(email="same@same.example").updated_at
    age_loads([old], days=31)

    (new,) = ingest({"email": "same@same.example", "name": "Sam Same"})
    result = loads_promote(load_ids=[new])

    assert (result.promoted_count, result.updated_count) == (0, 0)
    assert "unchanged=1" in result.message
    assert VaultContact.objects.get(email="same@same.example").updated_at == before


def test_company_matched_by_website_domain(db):
    """A load's website host finds the existing company, even for a free-mail address."""
    acme = builders.company("Acme", website_url="https://acme.example")
    ingest({"email": "ann@gmail.com", "name": "Ann", "website": "HTTPS://www.Acme.example/about"})
    companies_before = Company.objects.count()

    loads_promote(load_ids=None)

    assert Company.objects.count() == companies_before
    assert Contact.objects.get(email="ann@gmail.com").company_id == acme.company_id


def test_company_matched_and_created_by_email_domain(db):
    """A non-free-mail address names its company by domain: created once, then matched."""
    ingest({"email": "a@globex.example", "name": "A"}, {"email": "b@globex.example", "name": "B"})
    loads_promote(load_ids=None)
    globex = Company.objects.get(domain="globex.example")
    assert globex.company_name == "globex.example"
    assert set(Contact.objects.filter(company=globex).values_list("email", flat=True)) == {
        "a@globex.example",
        "b@globex.example",
    }

    ingest({"email": "c@globex.example", "name": "C"}, batch_id="later")
    loads_promote(load_ids=None)
    assert Company.objects.filter(domain="globex.example").count() == 1
    assert Contact.objects.get(email="c@globex.example").company_id == globex.company_id


def test_gmail_never_creates_a_company(db):
    """A free-mail address with no website or company name gets no company."""
    companies_before = Company.objects.count()
    ingest({"email": "solo@gmail.com", "name": "Solo"}, {"email": "x@yahoo.co.uk", "name": "X"})
    loads_promote(load_ids=None)
    assert Company.objects.count() == companies_before
    assert not Company.objects.filter(domain__in=["gmail.com", "yahoo.co.uk"]).exists()
    assert Contact.objects.get(email="solo@gmail.com").company_id is None


def test_company_matched_by_name_case_insensitively(db):
    """Without a domain, the company name finds the company regardless of case."""
    initech = builders.company("Initech")
    ingest({"email": "peter@gmail.com", "name": "Peter", "company": "INITECH"})
    loads_promote(load_ids=None)
    assert Contact.objects.get(email="peter@gmail.com").company_id == initech.company_id


def test_new_companies_get_exactly_three_slots(db):
    """A company created by promotion has one CEO, one CFO and one HR slot."""
    ingest({"email": "x@slots.example", "name": "X"}, {"email": "y@slots.example", "name": "Y"})
    loads_promote(load_ids=None)
    company = Company.objects.get(domain="slots.example")
    roles = sorted(CompanySlot.objects.filter(company=company).values_list("role_code", flat=True))
    assert roles == ["CEO", "CFO", "HR"]


def test_titles_fill_the_matching_empty_slots(db):
    """Classified titles fill their slot; a title with no role fills nothing."""
    vp_finance = scalar("SELECT confidence FROM company.classify_title('VP Finance')")
    ingest(
        {"email": "ceo@titles.example", "name": "Cee", "title": "Founder & CEO"},
        {"email": "hr@titles.example", "name": "Aitch", "title": "Chief People Officer"},
        {"email": "fin@titles.example", "name": "Fin", "title": "VP Finance"},
        {"email": "ea@titles.example", "name": "Eve", "title": "Executive Assistant to the CEO"},
    )
    loads_promote(load_ids=None)

    company = Company.objects.get(domain="titles.example")
    filled = dict(
        CompanySlot.objects.filter(company=company).values_list("role_code", "contact__email")
    )
    assert filled["CEO"] == "ceo@titles.example"
    assert filled["HR"] == "hr@titles.example"
    assert filled["CFO"] == ("fin@titles.example" if vp_finance >= 0.7 else None)
    assert "ea@titles.example" not in filled.values()
    assert CompanySlot.objects.get(company=company, role_code="CEO").filled_at is not None


def test_a_filled_slot_is_not_replaced(db):
    """A slot that already has a person keeps them."""
    company = builders.company("Holder", website_url="https://holder.example")
    incumbent = builders.contact("Ina Incumbent", company=company)
    CompanySlot.objects.filter(company=company, role_code="CEO").update(contact=incumbent)

    ingest({"email": "new@holder.example", "name": "Newcomer", "title": "CEO"})
    result = loads_promote(load_ids=None)

    assert CompanySlot.objects.get(company=company, role_code="CEO").contact_id == (
        incumbent.contact_id
    )
    assert "slots_filled=0" in result.message


def test_one_person_per_slot_highest_confidence_then_lowest_load(db):
    """Several candidates for one empty slot: highest confidence wins, then the earliest load."""
    ingest(
        {"email": "founder@race.example", "name": "F", "title": "Founder"},
        {"email": "ceo1@race.example", "name": "C1", "title": "CEO"},
        {"email": "ceo2@race.example", "name": "C2", "title": "Chief Executive Officer"},
    )
    loads_promote(load_ids=None)
    slot = CompanySlot.objects.get(company__domain="race.example", role_code="CEO")
    assert slot.contact.email == "ceo1@race.example"


def test_people_created_with_fields_and_gray_verification(db):
    """New people get their name, title, phone, LinkedIn, source and a gray verification row."""
    ingest(
        {
            "email": "Jo.Doe@people.example",
            "first_name": "Jo",
            "last_name": "Doe",
            "title": "CTO",
            "phone": "+1 555 0100",
            "linkedin_url": "https://linkedin.com/in/jodoe",
        },
        source="apify",
    )
    loads_promote(load_ids=None)
    person = Contact.objects.get(email="jo.doe@people.example")
    assert (person.full_name, person.first_name, person.last_name) == ("Jo Doe", "Jo", "Doe")
    assert (person.title, person.phone) == ("CTO", "+1 555 0100")
    assert person.linkedin_url == "https://linkedin.com/in/jodoe"
    assert person.source_system == "apify"
    assert person.promoted_from_intake_at is not None
    assert ContactVerification.objects.get(contact=person).email_status == "gray"
    vault = VaultContact.objects.get(email="jo.doe@people.example")
    assert vault.people_contact_id == person.contact_id


def test_existing_person_is_found_by_email(db):
    """An existing live person with the same email (any case) is linked, not duplicated."""
    person = builders.contact("Known Person", email="Known@Found.example")
    ingest({"email": "known@found.example", "name": "Known P."})
    loads_promote(load_ids=None)
    assert Contact.objects.filter(email__iexact="known@found.example").count() == 1
    assert VaultContact.objects.get(email="known@found.example").people_contact_id == (
        person.contact_id
    )


def test_pipeline_events_recorded(db):
    """Company creation, person creation and slot filling are recorded with Barton IDs."""
    ingest({"email": "boss@events.example", "name": "Boss", "title": "CEO"})
    loads_promote(load_ids=None)
    company = Company.objects.get(domain="events.example")
    person = Contact.objects.get(email="boss@events.example")

    events = set(PipelineEvent.objects.values_list("event_type", "entity_type", "entity_id"))
    assert ("company_created", "company", company.company_unique_id) in events
    assert ("contact_created", "person", person.unique_id) in events
    assert ("slot_filled", "company", company.company_unique_id) in events


def test_audit_log_records_the_promotion(db):
    """Each promotion writes one batch_promoted audit row with its counts."""
    ingest({"email": "aud@audit.example"}, {"email": "bad@nodot"}, batch_id="audit-promote")
    loads_promote(load_ids=None)
    entry = AuditLog.objects.filter(action="batch_promoted").latest("log_id")
    assert entry.batch_id == "audit-promote"
    assert (entry.details["promoted"], entry.details["failed"]) == (1, 1)
    assert Company.objects.get(domain="audit.example").promotion_audit_log_id == entry.log_id


def test_rerunning_promote_changes_nothing(db):
    """A second promotion of the same loads finds nothing pending and writes nothing."""
    ids = ingest(
        {"email": "r1@rerun.example", "name": "R1", "title": "CFO"},
        {"email": "r2@gmail.com", "name": "R2", "company": "Rerun Co"},
    )
    loads_promote(load_ids=ids)
    before = snapshot()

    again = loads_promote(load_ids=ids)
    all_again = loads_promote(load_ids=None)

    assert (again.promoted_count, again.updated_count, again.failed_count) == (0, 0, 0)
    assert (all_again.promoted_count, all_again.updated_count) == (0, 0)
    assert snapshot() == before


def test_relink_moves_vault_rows_between_people(db):
    """vault.f_relink_people_contact re-points the vault links of one person to another."""
    ingest({"email": "from@relink.example", "name": "From"})
    loads_promote(load_ids=None)
    source = Contact.objects.get(email="from@relink.example")
    target = builders.contact("Target Person")

    moved = people_contact_relink(
        from_contact_id=source.contact_id, to_contact_id=target.contact_id
    )

    assert moved == 1
    assert VaultContact.objects.get(email="from@relink.example").people_contact_id == (
        target.contact_id
    )
    assert (
        people_contact_relink(from_contact_id=source.contact_id, to_contact_id=target.contact_id)
        == 0
    )
