"""Slot services: assign, replace, clear, conflicts, database rules, history, bulk fill."""

import pytest
from django.db import transaction

from companies import services
from companies.models import CompanyHistory, CompanySlot
from companies.services import SlotConflict, SlotNotAllowed, SlotNotFound
from people.models import Contact
from tests import builders as b


def _slot_history(slot):
    return list(CompanyHistory.objects.filter(company_slot_id=slot.pk, action="update"))


@pytest.mark.django_db
def test_assign_fills_empty_slot_and_history_names_actor():
    """Assigning an empty slot stores the person and a history row naming the acting user."""
    c = b.company()
    p = b.contact("Dana Ruiz", company=c, title="CFO")
    slot = b.slot(c, "CFO")
    services.slot_assign(slot_id=slot.pk, contact_id=p.pk, actor="alice")
    slot.refresh_from_db()
    assert slot.contact_id == p.pk and slot.filled_at is not None
    (h,) = _slot_history(slot)
    assert h.changed_by == "alice"
    assert h.new_values["contact_id"] == p.pk


@pytest.mark.django_db
def test_replace_requires_reason_and_records_it():
    """Replace refuses a blank reason and stores the given reason in history with the actor."""
    c = b.company()
    p1 = b.contact(company=c)
    p2 = b.contact(company=c)
    slot = b.slot(c, "CEO")
    services.slot_assign(slot_id=slot.pk, contact_id=p1.pk, actor="alice")
    with pytest.raises(SlotNotAllowed, match="reason"):
        services.slot_replace(
            slot_id=slot.pk, contact_id=p2.pk, actor="bob", expected_contact_id=p1.pk, reason=" "
        )
    services.slot_replace(
        slot_id=slot.pk, contact_id=p2.pk, actor="bob", expected_contact_id=p1.pk, reason="left"
    )
    slot.refresh_from_db()
    assert slot.contact_id == p2.pk
    last = _slot_history(slot)[0]
    assert (last.changed_by, last.new_values["reason"]) == ("bob", "left")
    assert last.old_values["contact_id"] == p1.pk


@pytest.mark.django_db
def test_clear_empties_slot_with_reason():
    """Clear empties the slot and records who cleared it and why."""
    c = b.company()
    p = b.contact(company=c)
    slot = b.slot(c, "HR")
    services.slot_assign(slot_id=slot.pk, contact_id=p.pk, actor="alice")
    services.slot_clear(slot_id=slot.pk, actor="carol", expected_contact_id=p.pk, reason="bounced")
    slot.refresh_from_db()
    assert slot.contact_id is None and slot.filled_at is None
    last = _slot_history(slot)[0]
    assert (last.changed_by, last.new_values["reason"]) == ("carol", "bounced")


@pytest.mark.django_db
def test_reason_does_not_leak_into_later_changes():
    """The reason applies only to its own change, not to later writes in the same transaction."""
    c = b.company()
    p = b.contact(company=c)
    slot = b.slot(c, "HR")
    services.slot_assign(slot_id=slot.pk, contact_id=p.pk, actor="a", reason="first")
    services.slot_clear(slot_id=slot.pk, actor="a", expected_contact_id=p.pk)
    assert "reason" not in _slot_history(slot)[0].new_values


@pytest.mark.django_db
def test_stale_expected_contact_raises_conflict_naming_who_and_when():
    """A form that saw an empty slot cannot overwrite a fill made since; the message says who."""
    c = b.company(name="Acme")
    dana = b.contact("Dana Ruiz", company=c)
    other = b.contact("Lee Park", company=c)
    slot = b.slot(c, "CFO")
    services.slot_assign(slot_id=slot.pk, contact_id=dana.pk, actor="alice")
    with pytest.raises(SlotConflict) as err:
        services.slot_assign(
            slot_id=slot.pk, contact_id=other.pk, actor="bob", expected_contact_id=None
        )
    msg = str(err.value)
    assert "CFO slot of Acme was filled with Dana Ruiz by alice at" in msg
    assert "reload" in msg
    slot.refresh_from_db()
    assert slot.contact_id == dana.pk


@pytest.mark.django_db
def test_clear_conflicts_when_person_changed():
    """Clearing a slot whose person changed since the page was loaded is refused."""
    c = b.company()
    p1, p2 = b.contact(company=c), b.contact(company=c)
    slot = b.slot(c, "CEO")
    services.slot_assign(slot_id=slot.pk, contact_id=p1.pk, actor="a")
    services.slot_replace(
        slot_id=slot.pk, contact_id=p2.pk, actor="b", expected_contact_id=p1.pk, reason="x"
    )
    with pytest.raises(SlotConflict):
        services.slot_clear(slot_id=slot.pk, actor="c", expected_contact_id=p1.pk)
    slot.refresh_from_db()
    assert slot.contact_id == p2.pk


@pytest.mark.django_db
def test_assign_to_filled_slot_requires_replace():
    """slot_assign never overwrites a filled slot, even with the right expected person."""
    c = b.company()
    p1, p2 = b.contact(company=c), b.contact(company=c)
    slot = b.slot(c, "CEO")
    services.slot_assign(slot_id=slot.pk, contact_id=p1.pk, actor="a")
    with pytest.raises(SlotNotAllowed, match="replace"):
        services.slot_assign(
            slot_id=slot.pk, contact_id=p2.pk, actor="a", expected_contact_id=p1.pk
        )


@pytest.mark.django_db
def test_merged_person_refused_with_clear_error():
    """A merged person cannot fill a slot; the error names the surviving record."""
    c = b.company()
    survivor = b.contact("Dana Ruiz", company=c)
    merged = b.contact("Dana R.", company=c)
    Contact.objects.filter(pk=merged.pk).update(status="merged", merged_into=survivor)
    slot = b.slot(c, "CFO")
    with pytest.raises(SlotNotAllowed, match="merged into Dana Ruiz"):
        services.slot_assign(slot_id=slot.pk, contact_id=merged.pk, actor="a")
    slot.refresh_from_db()
    assert slot.contact_id is None


@pytest.mark.django_db
def test_archived_company_refused_with_clear_error():
    """Slots of an archived company cannot be filled."""
    c = b.company(name="Old Co", status="archived")
    p = b.contact(company=c)
    slot = b.slot(c, "CEO")
    with pytest.raises(SlotNotAllowed, match="Old Co is archived"):
        services.slot_assign(slot_id=slot.pk, contact_id=p.pk, actor="a")


@pytest.mark.django_db
def test_database_trigger_refusal_becomes_domain_error(monkeypatch):
    """Even if the Python check is bypassed, the DB trigger's 23514 becomes SlotNotAllowed."""
    c = b.company(status="archived")
    p = b.contact(company=c)
    slot = b.slot(c, "CEO")
    monkeypatch.setattr(services, "_fillable_contact", lambda slot, contact_id: None)
    with pytest.raises(SlotNotAllowed, match="archived"):
        services.slot_assign(slot_id=slot.pk, contact_id=p.pk, actor="a")
    assert CompanySlot.objects.get(pk=slot.pk).contact_id is None


@pytest.mark.django_db
def test_unknown_slot_or_person():
    """Unknown slot or person ids raise SlotNotFound and change nothing."""
    c = b.company()
    slot = b.slot(c, "CEO")
    with pytest.raises(SlotNotFound):
        services.slot_assign(slot_id=10**12, contact_id=1, actor="a")
    with pytest.raises(SlotNotFound):
        services.slot_assign(slot_id=slot.pk, contact_id=10**12, actor="a")
    slot.refresh_from_db()
    assert slot.contact_id is None


def _bulk_setup():
    clear = b.company(name="Clear Co")
    b.contact("Clear CFO", company=clear, title="Chief Financial Officer", email_status="green")
    b.contact("Some Controller", company=clear, title="Controller")
    close = b.company(name="Close Co")
    b.contact("VP One", company=close, title="VP Finance")
    b.contact("Controller Two", company=close, title="Controller")
    low = b.company(name="Low Co")
    b.contact("Fin Manager", company=low, title="Finance Manager")
    none = b.company(name="None Co")
    filled = b.company(name="Filled Co")
    p = b.contact(company=filled, title="CFO")
    services.slot_assign(slot_id=b.slot(filled, "CFO").pk, contact_id=p.pk, actor="a")
    return [b.slot(x, "CFO") for x in (clear, close, low, none, filled)]


@pytest.mark.django_db
def test_bulk_fill_threshold_and_margin_rules():
    """Only a best candidate above the threshold and clearly ahead of the runner-up is filled."""
    slots = _bulk_setup()
    out = services.slots_bulk_fill(
        slot_ids=[s.pk for s in slots], actor="alice", threshold=0.7, margin=0.15, dry_run=False
    )
    by_company = {o.company_name: o for o in out}
    assert by_company["Clear Co"].action == "fill"
    assert by_company["Clear Co"].contact_name == "Clear CFO"
    assert "not clearly ahead" in by_company["Close Co"].reason
    assert "below 0.70" in by_company["Low Co"].reason
    assert "no candidate" in by_company["None Co"].reason
    assert by_company["Filled Co"].reason == "already filled"
    assert CompanySlot.objects.get(pk=slots[0].pk).contact.full_name == "Clear CFO"
    assert CompanySlot.objects.get(pk=slots[1].pk).contact_id is None
    h = _slot_history(slots[0])[0]
    assert h.changed_by == "alice" and "bulk fill" in h.new_values["reason"]


@pytest.mark.django_db
def test_bulk_fill_preview_equals_result_and_writes_nothing():
    """The dry run changes nothing and predicts exactly what the real run then does."""
    slots = _bulk_setup()
    ids = [s.pk for s in slots]
    preview = services.slots_bulk_fill(slot_ids=ids, actor="a", dry_run=True)
    assert CompanySlot.objects.filter(pk__in=ids, contact__isnull=False).count() == 1
    result = services.slots_bulk_fill(slot_ids=ids, actor="a", dry_run=False)
    assert preview == result


@pytest.mark.django_db
def test_expected_db_error_inside_savepoint_keeps_transaction_usable():
    """After a refused assign the surrounding transaction still works."""
    c = b.company(status="archived")
    p = b.contact(company=c)
    with pytest.raises(SlotNotAllowed), transaction.atomic():
        services.slot_assign(slot_id=b.slot(c, "CEO").pk, contact_id=p.pk, actor="a")
    assert CompanySlot.objects.filter(company=c).count() == 3
