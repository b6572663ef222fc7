"""Trigger behaviour of the company and people schemas, driven by raw SQL as the app role.

Raw SQL on purpose: the rules must hold for any writer (psql, functions, the ORM), not only
for the app's services.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import DatabaseError, connection, transaction

pytestmark = pytest.mark.django_db


def q(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as c:
        c.execute(sql, params)
        return c.fetchall() if c.description else []


def one(sql: str, params=None):
    rows = q(sql, params)
    assert len(rows) == 1, rows
    return rows[0] if len(rows[0]) > 1 else rows[0][0]


def sqlstate(sql: str, params=None) -> str | None:
    """Run one statement in a savepoint; return the SQLSTATE it failed with (None: success)."""
    try:
        with transaction.atomic(), connection.cursor() as c:
            c.execute(sql, params)
    except DatabaseError as exc:
        return getattr(exc.__cause__, "sqlstate", None)
    return None


def new_company(name="Trig Co", **cols) -> int:
    cols = {"company_name": name, **cols}
    names = ", ".join(cols)
    marks = ", ".join(["%s"] * len(cols))
    return one(
        f"INSERT INTO company.company ({names}) VALUES ({marks}) RETURNING company_id",
        list(cols.values()),
    )


def new_slots(company_id: int) -> dict[str, int]:
    rows = q(
        "INSERT INTO company.company_slot (company_id, role_code) "
        "SELECT %s, r FROM unnest(ARRAY['CEO','CFO','HR']) r RETURNING role_code, company_slot_id",
        [company_id],
    )
    return dict(rows)


def new_person(full_name="Ada Lovelace", **cols) -> int:
    cols = {"full_name": full_name, **cols}
    names = ", ".join(cols)
    marks = ", ".join(["%s"] * len(cols))
    return one(
        f"INSERT INTO people.contact ({names}) VALUES ({marks}) RETURNING contact_id",
        list(cols.values()),
    )


def decoded(row: tuple) -> tuple:
    """Decode jsonb values (raw cursors return them as text)."""
    return tuple(json.loads(v) if isinstance(v, str) and v[:1] in "[{" else v for v in row)


def yy() -> str:
    return f"{dt.date.today().year % 100:02d}"


# --- Barton IDs -------------------------------------------------------------------------------


def test_barton_ids_have_the_documented_format_and_year():
    """Company 04.04.01, person 04.04.02 and slot 04.04.05 IDs are PREFIX.YY.NNNNN.NNN, YY now."""
    company = new_company()
    slot = new_slots(company)["CEO"]
    person = new_person()
    ids = {
        "04.04.01": one(
            "SELECT company_unique_id FROM company.company WHERE company_id=%s", [company]
        ),
        "04.04.05": one(
            "SELECT company_slot_unique_id FROM company.company_slot WHERE company_slot_id=%s",
            [slot],
        ),
        "04.04.02": one("SELECT unique_id FROM people.contact WHERE contact_id=%s", [person]),
    }
    for prefix, value in ids.items():
        assert re.fullmatch(re.escape(prefix) + r"\.\d{2}\.\d{5}\.\d{3}", value), value
        assert value.split(".")[3] == yy()


def test_barton_ids_are_unique_across_500_inserts():
    """500 companies inserted in one statement get 500 distinct Barton IDs."""
    q(
        "INSERT INTO company.company (company_name) "
        "SELECT 'Bulk ' || g FROM generate_series(1, 500) g"
    )
    total, distinct = one(
        "SELECT count(*), count(DISTINCT company_unique_id) FROM company.company "
        "WHERE company_name LIKE 'Bulk %%'"
    )
    assert total == distinct == 500


@pytest.mark.parametrize(
    ("table", "column", "key"),
    [
        ("company.company", "company_unique_id", "company_id"),
        ("company.company_slot", "company_slot_unique_id", "company_slot_id"),
        ("people.contact", "unique_id", "contact_id"),
    ],
)
def test_barton_id_cannot_be_changed(table, column, key):
    """An UPDATE that changes a Barton ID fails with 55000 (object not in prerequisite state)."""
    company = new_company()
    slot = new_slots(company)["CFO"]
    person = new_person()
    row = {"company_id": company, "company_slot_id": slot, "contact_id": person}[key]
    prefix = {"company.company": "04.04.01", "company.company_slot": "04.04.05"}.get(
        table, "04.04.02"
    )
    state = sqlstate(
        f"UPDATE {table} SET {column} = %s WHERE {key} = %s", [f"{prefix}.{yy()}.99999.999", row]
    )
    assert state == "55000"
    # Setting it to its own value is not a change and is allowed.
    assert sqlstate(f"UPDATE {table} SET {column} = {column} WHERE {key} = %s", [row]) is None


@pytest.mark.parametrize("prefix", ["4.4.1", "04.04", "04.04.01.", "AA.BB.CC", "", None])
def test_generate_barton_id_rejects_a_bad_prefix(prefix):
    """generate_barton_id refuses any prefix that is not NN.NN.NN (22023)."""
    assert sqlstate("SELECT public.generate_barton_id(%s)", [prefix]) == "22023"


# --- Slots ------------------------------------------------------------------------------------


def test_filled_at_follows_contact_id_through_raw_sql():
    """filled_at is set when a person is put in, moves when replaced, clears when emptied."""
    slot = new_slots(new_company())["CEO"]
    first, second = new_person("First Person"), new_person("Second Person")

    def state():
        return one(
            "SELECT contact_id, is_filled, filled_at FROM company.company_slot "
            "WHERE company_slot_id = %s",
            [slot],
        )

    assert state() == (None, False, None)
    q("UPDATE company.company_slot SET contact_id = %s WHERE company_slot_id = %s", [first, slot])
    contact, filled, at1 = state()
    assert (contact, filled) == (first, True) and at1 is not None
    q(
        "UPDATE company.company_slot SET last_refreshed_at = now() WHERE company_slot_id = %s",
        [slot],
    )
    assert state()[2] == at1  # an unrelated update keeps it
    q("UPDATE company.company_slot SET contact_id = %s WHERE company_slot_id = %s", [second, slot])
    contact, filled, at2 = state()
    assert contact == second and at2 > at1
    q("UPDATE company.company_slot SET contact_id = NULL WHERE company_slot_id = %s", [slot])
    assert state() == (None, False, None)


def test_filled_at_is_set_on_insert_and_cannot_be_forged():
    """A slot inserted filled gets filled_at; an empty slot cannot claim a filled_at."""
    company = new_company()
    person = new_person()
    at = one(
        "INSERT INTO company.company_slot (company_id, role_code, contact_id) "
        "VALUES (%s, 'CEO', %s) RETURNING filled_at",
        [company, person],
    )
    assert at is not None
    forged = one(
        "INSERT INTO company.company_slot (company_id, role_code, filled_at) "
        "VALUES (%s, 'HR', now()) RETURNING filled_at",
        [company],
    )
    assert forged is None


def test_merged_person_cannot_fill_a_slot():
    """Putting a merged person into a slot is refused (23514)."""
    slot = new_slots(new_company())["CFO"]
    survivor = new_person("Survivor")
    merged = new_person("Absorbed", status="merged", merged_into_id=survivor)
    state = sqlstate(
        "UPDATE company.company_slot SET contact_id = %s WHERE company_slot_id = %s",
        [merged, slot],
    )
    assert state == "23514"


def test_archived_company_slot_cannot_be_filled():
    """A slot of an archived company cannot be filled (23514)."""
    company = new_company(status="archived")
    slot = new_slots(company)["HR"]
    state = sqlstate(
        "UPDATE company.company_slot SET contact_id = %s WHERE company_slot_id = %s",
        [new_person(), slot],
    )
    assert state == "23514"


# --- updated_at, domain, names --------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "key", "column", "value"),
    [
        ("company.company", "company_id", "city", "Lyon"),
        ("people.contact", "contact_id", "title", "CFO"),
    ],
)
def test_updated_at_moves_on_update(table, key, column, value):
    """Every UPDATE moves updated_at forward, even within one transaction."""
    row = new_company() if table == "company.company" else new_person()
    before = one(f"SELECT updated_at FROM {table} WHERE {key} = %s", [row])
    after = one(
        f"UPDATE {table} SET {column} = %s WHERE {key} = %s RETURNING updated_at", [value, row]
    )
    assert after > before


def test_domain_is_derived_from_the_website():
    """https://www.Acme.com/about gives domain acme.com; a new website re-derives it."""
    company = new_company(website_url="https://www.Acme.com/about")
    assert one("SELECT domain FROM company.company WHERE company_id=%s", [company]) == "acme.com"
    new = one(
        "UPDATE company.company SET website_url = 'http://shop.acme-group.co.uk:8080/x?y' "
        "WHERE company_id = %s RETURNING domain",
        [company],
    )
    assert new == "shop.acme-group.co.uk"


def test_explicit_domain_is_kept():
    """A domain given explicitly is kept, also when the website changes later."""
    company = new_company(website_url="https://www.acme.com", domain="acme-corp.com")
    assert one("SELECT domain FROM company.company WHERE company_id=%s", [company]) == (
        "acme-corp.com"
    )
    kept = one(
        "UPDATE company.company SET website_url = 'https://acme.io' WHERE company_id = %s "
        "RETURNING domain",
        [company],
    )
    assert kept == "acme-corp.com"


@pytest.mark.parametrize(
    ("full_name", "first", "last"),
    [
        ("Ada Lovelace", "Ada", "Lovelace"),
        ("  Mary   Ann  Evans ", "Mary", "Evans"),
        ("Cher", "Cher", None),
    ],
)
def test_first_and_last_name_are_parsed_from_full_name(full_name, first, last):
    """first_name/last_name come from full_name (whitespace collapsed) when absent."""
    person = new_person(full_name)
    assert one(
        "SELECT first_name, last_name FROM people.contact WHERE contact_id=%s", [person]
    ) == (first, last)


def test_given_first_and_last_name_are_kept():
    """Explicit first/last names are not overwritten by the parser."""
    person = new_person(
        "José María García López", first_name="José María", last_name="García López"
    )
    assert one(
        "SELECT first_name, last_name FROM people.contact WHERE contact_id=%s", [person]
    ) == ("José María", "García López")


# --- History ----------------------------------------------------------------------------------


def test_update_records_history_with_the_acting_user():
    """An UPDATE records changed fields, old and new values, and the outreach.actor user."""
    company = new_company(city="Paris")
    q("SELECT public.set_actor('alice')")
    q(
        "UPDATE company.company SET city = 'Lyon', industry = 'Retail' WHERE company_id=%s",
        [company],
    )
    row = decoded(
        one(
            "SELECT table_name, action, changed_fields, old_values, new_values, changed_by "
            "FROM company.history WHERE company_id = %s AND action = 'update'",
            [company],
        )
    )
    assert row == (
        "company",
        "update",
        ["city", "industry"],
        {"city": "Paris", "industry": None},
        {"city": "Lyon", "industry": "Retail"},
        "alice",
    )


def test_person_update_records_history_with_the_acting_user():
    """A person's UPDATE is recorded in people.history with the acting user."""
    person = new_person(title="CFO")
    q("SELECT public.set_actor('bob')")
    q("UPDATE people.contact SET title = 'CEO' WHERE contact_id = %s", [person])
    assert decoded(
        one(
            "SELECT changed_fields, old_values, new_values, changed_by FROM people.history "
            "WHERE contact_id = %s AND action = 'update'",
            [person],
        )
    ) == (["title"], {"title": "CFO"}, {"title": "CEO"}, "bob")


def test_history_names_the_database_user_without_an_actor():
    """Without outreach.actor, changed_by is the database role that made the change."""
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"], host=settings["HOST"], user="outreach_app"
    ) as conn:
        try:
            with conn.cursor() as c:
                assert c.execute("SELECT current_user").fetchone()[0] == "outreach_app"
                c.execute(
                    "INSERT INTO company.company (company_name) VALUES ('Psql Co') "
                    "RETURNING company_id"
                )
                company = c.fetchone()[0]
                c.execute(
                    "INSERT INTO people.contact (full_name) VALUES ('Psql Person') "
                    "RETURNING contact_id"
                )
                person = c.fetchone()[0]
                by = c.execute(
                    "SELECT (SELECT changed_by FROM company.history WHERE company_id = %s), "
                    "(SELECT changed_by FROM people.history WHERE contact_id = %s)",
                    [company, person],
                ).fetchone()
        finally:
            conn.rollback()
    assert by == ("outreach_app", "outreach_app")


def test_noop_update_records_nothing():
    """An UPDATE that changes no value adds no history row."""
    company = new_company(city="Paris")
    person = new_person()
    q("UPDATE company.company SET city = 'Paris' WHERE company_id = %s", [company])
    q("UPDATE people.contact SET full_name = full_name WHERE contact_id = %s", [person])
    assert (
        q("SELECT 1 FROM company.history WHERE company_id=%s AND action='update'", [company]) == []
    )
    assert q("SELECT 1 FROM people.history WHERE contact_id=%s AND action='update'", [person]) == []


def test_slot_fill_records_company_history():
    """Filling a slot records a company.history row for table company_slot with the person."""
    company = new_company()
    slot = new_slots(company)["CEO"]
    person = new_person()
    q("SELECT public.set_actor('carol')")
    q("UPDATE company.company_slot SET contact_id = %s WHERE company_slot_id=%s", [person, slot])
    row = decoded(
        one(
            "SELECT company_slot_id, changed_fields, old_values ->> 'contact_id', "
            "(new_values ->> 'contact_id')::bigint, changed_by FROM company.history "
            "WHERE company_id = %s AND table_name = 'company_slot' AND action = 'update'",
            [company],
        )
    )
    assert row[0] == slot
    assert "contact_id" in row[1] and "filled_at" in row[1]
    assert row[2:] == (None, person, "carol")


@pytest.mark.parametrize("table", ["company.history", "people.history"])
def test_app_role_cannot_write_history(table):
    """The app role may read history but INSERT/UPDATE/DELETE are refused (42501)."""
    company = new_company()
    assert one("SELECT current_user") == "outreach_app"
    assert q(f"SELECT 1 FROM {table} LIMIT 1") is not None  # reading is allowed
    key = "company_id" if table == "company.history" else "contact_id"
    assert (
        sqlstate(
            f"INSERT INTO {table} ({key}, table_name, action, changed_by) "
            "VALUES (%s, 'x', 'update', 'forger')",
            [company],
        )
        == "42501"
    )
    assert sqlstate(f"UPDATE {table} SET changed_by = 'forger'") == "42501"
    assert sqlstate(f"DELETE FROM {table}") == "42501"


# --- Verification -----------------------------------------------------------------------------


def test_email_verification_updates_the_current_status():
    """Recording a verification result updates contact_verification; an older one does not."""
    person = new_person(email="ada@example.com")
    q(
        "INSERT INTO people.email_verification "
        "(contact_id, email, email_status, confidence, provider, verified_at) "
        "VALUES (%s, 'ada@example.com', 'green', 97, 'neverbounce', now() - interval '1 day')",
        [person],
    )
    assert one(
        "SELECT email_status, email_confidence, provider FROM people.contact_verification "
        "WHERE contact_id = %s",
        [person],
    ) == ("green", 97, "neverbounce")
    q(
        "INSERT INTO people.email_verification (contact_id, email_status, verified_at) "
        "VALUES (%s, 'red', now() - interval '10 days')",
        [person],
    )
    assert one(
        "SELECT email_status FROM people.contact_verification WHERE contact_id=%s", [person]
    ) == ("green")
    q(
        "INSERT INTO people.email_verification (contact_id, email_status, confidence) "
        "VALUES (%s, 'yellow', 55)",
        [person],
    )
    assert one(
        "SELECT email_status, email_confidence FROM people.contact_verification "
        "WHERE contact_id = %s",
        [person],
    ) == ("yellow", 55)


# --- ON DELETE actions ------------------------------------------------------------------------


def test_deleting_a_company_cascades_to_its_slots():
    """Deleting a company deletes its slots (ON DELETE CASCADE in the database)."""
    company = new_company()
    new_slots(company)
    q("DELETE FROM company.company WHERE company_id = %s", [company])
    assert one("SELECT count(*) FROM company.company_slot WHERE company_id=%s", [company]) == 0


def test_deleting_a_person_empties_their_slot():
    """Deleting a person leaves their slot empty (SET NULL) and clears filled_at."""
    company = new_company()
    slot = new_slots(company)["CEO"]
    person = new_person()
    q("UPDATE company.company_slot SET contact_id = %s WHERE company_slot_id=%s", [person, slot])
    q("DELETE FROM people.contact WHERE contact_id = %s", [person])
    assert one(
        "SELECT contact_id, is_filled, filled_at FROM company.company_slot "
        "WHERE company_slot_id = %s",
        [slot],
    ) == (None, False, None)
