"""Person create and edit: services (history, conflicts, verification, leavers' slots) and pages."""

import pytest

from companies import selectors as company_selectors
from companies.services import slot_assign
from people import services
from people.models import (
    Contact,
    ContactVerification,
    EmailVerification,
    PersonHistory,
    PersonIntelligence,
)
from people.services import PersonConflict, PersonError
from tests import builders as b

pytestmark = pytest.mark.django_db


def _history(person, action):
    return list(
        PersonHistory.objects.filter(contact_id=person.pk, table_name="contact", action=action)
    )


def _update(person, actor="alice", **data):
    return services.person_update(
        actor=actor, person_id=person.pk, expected_updated_at=person.updated_at, data=data
    )


def _queued_slot_ids():
    return set(company_selectors.slot_queue().values_list("company_slot_id", flat=True))


def _slot_state(slot):
    (s,) = [x for x in company_selectors.company_slots(slot.company_id) if x.pk == slot.pk]
    return s.state


def test_create_writes_a_manual_person_and_history_names_the_actor():
    """A created person is source 'manual'; the insert history row names the user."""
    acme = b.company("Acme")
    person = services.person_create(
        actor="alice",
        data={
            "full_name": "Dana Ruiz",
            "email": "dana@acme.example",
            "company": acme,
            "status": "active",
            "unique_id": "forged",
            "source_system": "forged",
        },
    )
    assert person.source_system == "manual" and person.unique_id != "forged"
    assert person.company_id == acme.pk
    (row,) = _history(person, "insert")
    assert row.changed_by == "alice"


def test_update_writes_only_changed_fields_and_names_the_actor():
    """An edit writes the changed fields; the history row names the user and only those."""
    person = b.contact("Dana Ruiz", title="CFO")
    saved = _update(person, actor="bob", title="Chief Financial Officer", full_name="Dana Ruiz")
    assert saved.changed_fields == ["title"]
    (row,) = _history(person, "update")
    assert row.changed_by == "bob"
    assert "title" in row.new_values and "full_name" not in row.new_values


def test_update_with_nothing_changed_writes_nothing():
    person = b.contact("Same Person")
    saved = _update(person, full_name="Same Person")
    assert saved.changed_fields == []
    assert Contact.objects.get(pk=person.pk).updated_at == person.updated_at
    assert _history(person, "update") == []


def test_stale_update_is_a_conflict_and_changes_nothing():
    """A form loaded before someone else's save is refused naming who; nothing is written."""
    person = b.contact("Raced Person")
    seen = person.updated_at
    _update(person, actor="carol", title="CEO")
    with pytest.raises(PersonConflict, match="changed by carol"):
        services.person_update(
            actor="dave", person_id=person.pk, expected_updated_at=seen, data={"title": "CFO"}
        )
    assert Contact.objects.get(pk=person.pk).title == "CEO"


def test_merged_person_and_merged_status_are_refused():
    """A merged record is edited through its survivor; nobody sets 'merged' by hand."""
    survivor, absorbed = b.contact("Kim A"), b.contact("Kim B")
    services.person_merge(survivor_id=survivor.pk, absorbed_id=absorbed.pk, actor="alice")
    absorbed.refresh_from_db()
    with pytest.raises(PersonError, match="was merged into"):
        _update(absorbed, title="CEO")
    with pytest.raises(PersonError) as caught:
        _update(survivor, status="merged")
    assert caught.value.field == "status"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"full_name": "   "}, "full_name"),
        ({"email": "no-at-sign"}, "email"),
        ({"work_phone_e164": "555-0100"}, "work_phone_e164"),
        ({"linkedin_url": "javascript:alert(1)"}, "linkedin_url"),
    ],
)
def test_database_refusals_become_person_errors(data, field):
    """Past the form, the CHECKs still refuse; the service names the field, nothing changes."""
    person = b.contact("Checked Person")
    with pytest.raises(PersonError) as caught:
        _update(person, **data)
    assert caught.value.field == field
    assert Contact.objects.get(pk=person.pk).full_name == "Checked Person"


def test_taken_email_is_an_email_error():
    b.contact("Owner", email="taken@acme.example")
    person = b.contact("Other")
    with pytest.raises(PersonError, match="Another person already has this e-mail") as caught:
        _update(person, email="TAKEN@acme.example")
    assert caught.value.field == "email"


def test_email_change_through_the_service_ends_green():
    """Verification follows the address: a new e-mail saved by an edit is no longer green,
    and changing it back restores that address's own status (people migration 0050)."""
    person = b.contact("Green Person", email="g@acme.example", email_status=None)
    EmailVerification.objects.create(contact=person, email="g@acme.example", email_status="green")
    person = _update(person, email="g@globex.example")
    verification = ContactVerification.objects.get(pk=person.pk)
    assert (verification.email, verification.email_status) == ("g@globex.example", "gray")
    _update(person, email="g@acme.example")
    assert ContactVerification.objects.get(pk=person.pk).email_status == "green"


# --- a leaver's slots -------------------------------------------------------------------------


def _cfo_of(company, **fields):
    person = b.contact("Lee Leaver", company=company, **fields)
    slot = b.slot(company, "CFO")
    slot_assign(slot_id=slot.pk, contact_id=person.pk, actor="setup")
    person.refresh_from_db()
    return person, slot


def test_left_the_company_marks_the_slots_stale_and_queues_them():
    """Status 'left the company' (inactive): every slot they fill is stale and in the queue."""
    acme = b.company("Leaver Co")
    person, slot = _cfo_of(acme)
    assert _slot_state(slot) != "stale" and slot.pk not in _queued_slot_ids()
    saved = _update(person, status="inactive")
    assert saved.stale_slots == [(slot.pk, "CFO", "Leaver Co")]
    assert _slot_state(slot) == "stale"
    assert slot.pk in _queued_slot_ids()


def test_new_employer_marks_the_old_slots_stale_and_records_the_job_change():
    """Another employer: the old company's slots are stale and queued; a job_change
    intelligence row names both companies."""
    acme, globex = b.company("Old Employer"), b.company("New Employer")
    person, slot = _cfo_of(acme)
    saved = _update(person, company=globex)
    assert saved.changed_fields == ["company"]
    assert saved.stale_slots == [(slot.pk, "CFO", "Old Employer")]
    assert _slot_state(slot) == "stale" and slot.pk in _queued_slot_ids()
    (change,) = PersonIntelligence.objects.filter(contact=person, intelligence_type="job_change")
    assert (change.previous_value, change.new_value) == ("Old Employer", "New Employer")


def test_other_edits_leave_the_slots_alone():
    """A title or phone edit does not make a slot stale."""
    acme = b.company("Steady Co")
    person, slot = _cfo_of(acme)
    saved = _update(person, title="Finance Director")
    assert saved.stale_slots == []
    assert _slot_state(slot) != "stale" and slot.pk not in _queued_slot_ids()


def test_clearing_the_employer_of_a_slot_holder_is_refused():
    """Clearing the employer would leave the slot looking current: refused with what to do."""
    acme = b.company("Cleared Co")
    person, slot = _cfo_of(acme)
    with pytest.raises(PersonError, match="Left the company") as caught:
        _update(person, company=None)
    assert caught.value.field == "company"
    assert Contact.objects.get(pk=person.pk).company_id == acme.pk
    saved = _update(person, company=None, status="inactive")
    assert saved.stale_slots and _slot_state(slot) == "stale"
