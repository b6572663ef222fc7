"""Verification follows the address (people migration 0050), enforced by the database."""

import itertools

import pytest
from django.db import IntegrityError, connection, transaction

from people.models import Contact, ContactVerification, EmailVerification
from people.services import merge_undo, person_merge
from people.verification import ADDRESS_NOT_CURRENT, address_conflict
from tests import builders

pytestmark = pytest.mark.django_db


def _sql(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def _status(contact_id):
    return _sql(
        "SELECT email, email_status FROM people.contact_verification WHERE contact_id = %s",
        [contact_id],
    )[0]


def _verified(email, status="green", **fields):
    p = builders.contact(email=email, email_status=None, **fields)
    EmailVerification.objects.create(contact=p, email=email, email_status=status, provider="t")
    return p


def test_raw_sql_email_update_ends_green():
    """A raw SQL UPDATE of a person's e-mail turns a green status gray."""
    p = _verified("old@acme.example")
    assert _status(p.pk) == ("old@acme.example", "green")
    _sql("UPDATE people.contact SET email = 'new@acme.example' WHERE contact_id = %s", [p.pk])
    assert _status(p.pk) == ("new@acme.example", "gray")


def test_orm_email_change_ends_green_and_case_change_keeps_it():
    """Saving a new e-mail through the ORM ends green; a case-only change keeps it."""
    p = _verified("kim@acme.example")
    p.email = "KIM@acme.example"
    p.save()
    assert _status(p.pk)[1] == "green"
    p.email = "kim@globex.example"
    p.save()
    assert _status(p.pk) == ("kim@globex.example", "gray")


def test_email_change_takes_status_of_earlier_verification_of_new_address():
    """Changing back to an address verified before restores that address's own status."""
    p = _verified("a@acme.example")
    _sql("UPDATE people.contact SET email = 'b@acme.example' WHERE contact_id = %s", [p.pk])
    EmailVerification.objects.create(contact=p, email="b@acme.example", email_status="red")
    assert _status(p.pk) == ("b@acme.example", "red")
    _sql("UPDATE people.contact SET email = 'a@acme.example' WHERE contact_id = %s", [p.pk])
    assert _status(p.pk) == ("a@acme.example", "green")


def test_raw_insert_of_verification_for_another_address_is_refused():
    """A raw INSERT of a result for an address that is not the person's fails with 23V01."""
    p = _verified("me@acme.example")
    with pytest.raises(IntegrityError) as err, transaction.atomic():
        _sql(
            "INSERT INTO people.email_verification (contact_id, email, email_status) "
            "VALUES (%s, 'other@acme.example', 'green')",
            [p.pk],
        )
    assert err.value.__cause__.sqlstate == ADDRESS_NOT_CURRENT
    assert address_conflict(err.value) == (
        f"verification refused: other@acme.example is not the current e-mail of person {p.pk}"
    )
    assert _status(p.pk) == ("me@acme.example", "green")


def test_address_conflict_ignores_other_errors():
    """The 409 mapping answers None for any other database error."""
    with pytest.raises(IntegrityError) as err, transaction.atomic():
        _sql("INSERT INTO people.contact (full_name, email) VALUES ('x', 'not-an-email')")
    assert address_conflict(err.value) is None


def test_result_without_address_is_about_current_one():
    """A result recorded without an address is stored for the current e-mail."""
    p = builders.contact(email="cur@acme.example", email_status=None)
    _sql(
        "INSERT INTO people.email_verification (contact_id, email_status) VALUES (%s, 'green')",
        [p.pk],
    )
    assert EmailVerification.objects.get(contact=p).email == "cur@acme.example"
    assert _status(p.pk) == ("cur@acme.example", "green")


def test_status_row_for_another_address_is_rederived():
    """A contact_verification row written for another address takes the current one's status."""
    p = builders.contact(email="cur@acme.example", email_status=None)
    _sql(
        "INSERT INTO people.contact_verification (contact_id, email, email_status) "
        "VALUES (%s, 'old@acme.example', 'green')",
        [p.pk],
    )
    assert _status(p.pk) == ("cur@acme.example", "gray")


def _merge_setup():
    survivor = _verified("surv@acme.example", "green", full_name="Robert Lambert")
    absorbed = _verified("abs@acme.example", "yellow", full_name="Bob Lambert")
    return survivor, absorbed


def test_merge_keeping_absorbed_email_keeps_that_address_verification():
    """A merge (service) that keeps the absorbed e-mail keeps that address's verification."""
    s, a = _merge_setup()
    person_merge(survivor_id=s.pk, absorbed_id=a.pk, field_choices={"email": "absorbed"}, actor="t")
    assert _status(s.pk) == ("abs@acme.example", "yellow")
    assert not ContactVerification.objects.filter(contact=a).exists()


def test_merge_keeping_survivor_email_keeps_survivor_verification():
    """A merge that keeps the survivor's e-mail keeps the survivor's verification."""
    s, a = _merge_setup()
    EmailVerification.objects.filter(contact=a).update(email_status="green")
    ContactVerification.objects.filter(contact=a).update(email_status="green")
    person_merge(survivor_id=s.pk, absorbed_id=a.pk, field_choices={"email": "survivor"}, actor="t")
    assert _status(s.pk) == ("surv@acme.example", "green")


def test_merge_then_undo_restores_both_statuses():
    """Undoing such a merge gives each person its own address's status back."""
    s, a = _merge_setup()
    log = person_merge(
        survivor_id=s.pk, absorbed_id=a.pk, field_choices={"email": "absorbed"}, actor="t"
    )
    merge_undo(merge_id=log.pk, actor="t")
    assert _status(s.pk) == ("surv@acme.example", "green")
    assert _status(a.pk) == ("abs@acme.example", "yellow")


MERGE_WRITES = {
    "retire": "UPDATE people.contact SET status = 'merged', merged_into_id = %(s)s, "
    "email = email WHERE contact_id = %(a)s",
    "email": "UPDATE people.contact SET email = 'abs@acme.example' WHERE contact_id = %(s)s",
    "repoint": "UPDATE people.email_verification SET contact_id = %(s)s WHERE contact_id = %(a)s",
    # the service's one-per-person rule: keep the better row (green first, newest) on the survivor
    "verification": """
        WITH best AS (
            SELECT to_jsonb(v) AS r FROM people.contact_verification v
            WHERE contact_id IN (%(s)s, %(a)s)
            ORDER BY (email_status = 'green') DESC, email_checked_at DESC NULLS LAST LIMIT 1)
        UPDATE people.contact_verification v
        SET email = best.r ->> 'email', email_status = best.r ->> 'email_status',
            email_checked_at = (best.r ->> 'email_checked_at')::timestamptz,
            provider = best.r ->> 'provider'
        FROM best WHERE v.contact_id = %(s)s;
        DELETE FROM people.contact_verification WHERE contact_id = %(a)s""",
}


# every order in which the absorbed person is retired before the survivor takes its address
# (the live-email unique index refuses the other orders)
ORDERS = [o for o in itertools.permutations(MERGE_WRITES) if o.index("retire") < o.index("email")]


@pytest.mark.parametrize("order", ORDERS)
def test_merge_writes_in_any_order_keep_surviving_address_verification(order):
    """Whatever order a merge's writes come in, the survivor ends with the kept address's status."""
    s, a = _merge_setup()
    for step in order:
        _sql(MERGE_WRITES[step], {"s": s.pk, "a": a.pk})
    assert _status(s.pk) == ("abs@acme.example", "yellow")
    assert Contact.objects.get(pk=s.pk).email == "abs@acme.example"


def test_orm_result_for_changed_address_is_refused():
    """An ORM create of a result for a stale address (the worker path) gets the 23V01 refusal."""
    p = builders.contact(email="now@acme.example", email_status=None)
    with pytest.raises(IntegrityError) as err, transaction.atomic():
        EmailVerification.objects.create(contact=p, email="then@acme.example", email_status="green")
    assert address_conflict(err.value).startswith("verification refused: then@acme.example")
