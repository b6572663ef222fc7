"""One history trigger body for every schema (issue 15): public.trigger_history.

A scripted set of writes over every audited table (inserts, updates, no-op and counts-only
updates, deletes, a key move, the slot reason, with and without outreach.actor) runs as the
app role; the history rows it leaves, minus ids and clock readings, must equal
history_expected.json, which was dumped from the four per-schema clones before they were
replaced (so the shared body provably writes the rows they wrote), then re-dumped once when
issue 16 gave contact_verification its ``email`` column and re-derived a status that moves to
another person's address (people 0050): only those rows' email/status values changed.
"""

import json
import re
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).with_name("history_expected.json")
HISTORY = {
    "company.history": "company_id, company_slot_id",
    "people.history": "contact_id",
    "marketing.history": "row_id, campaign_id, contact_id",
    "bit.history": "row_id, company_id, contact_id",
}
ACTOR = "SELECT public.set_actor(%s)"
REASON = "SELECT set_config('outreach.reason', %s, true)"
T0 = "2025-01-02T03:04:05+00:00"

SCRIPT = [
    (ACTOR, ["hist-alice"]),
    (
        "INSERT INTO company.company (company_id, company_unique_id, company_name, domain,"
        " renewal_month, employee_count) VALUES"
        " (900001, '04.04.01.99.90001.001', 'Hist Co', 'WWW.Hist-One.example', 5, 40),"
        " (900002, '04.04.01.99.90002.001', 'Hist Two', 'hist-two.example', NULL, NULL)",
        None,
    ),
    ("UPDATE company.company SET industry = 'Retail' WHERE company_id = 900001", None),
    ("UPDATE company.company SET industry = 'Retail' WHERE company_id = 900001", None),  # no-op
    ("UPDATE company.company SET renewal_month = 7 WHERE company_id = 900001", None),
    (
        "UPDATE company.company SET city = 'Oslo', employee_count = employee_count + 1"
        " WHERE company_id IN (900001, 900002)",
        None,
    ),
    (
        "INSERT INTO people.contact (contact_id, unique_id, full_name, first_name, last_name,"
        " title, email, company_id) VALUES"
        " (900101, '04.04.02.99.90101.001', 'Ada Hist', 'Ada', 'Hist', 'Chief Executive Officer',"
        " ' Ada@Hist-One.example ', 900001),"
        " (900102, '04.04.02.99.90102.001', 'Bob Hist', 'Bob', 'Hist', 'CFO',"
        " 'bob@hist-one.example', 900001),"
        " (900103, '04.04.02.99.90103.001', 'Cy Hist', 'Cy', 'Hist', 'HR Manager', NULL, 900002)",
        None,
    ),
    (
        "INSERT INTO people.contact_verification (contact_id, email_status, email_checked_at,"
        " email_confidence, provider) VALUES (900101, 'green', %s, 0.9, 'hist')",
        [T0],
    ),
    (
        "UPDATE people.contact SET title = 'CEO', phone = '+47 22 00 00 00'"
        " WHERE contact_id = 900101",
        None,
    ),
    ("UPDATE people.contact SET updated_at = updated_at WHERE contact_id = 900102", None),
    ("UPDATE people.contact_verification SET contact_id = 900102 WHERE contact_id = 900101", None),
    ("UPDATE people.contact_verification SET email_status = 'red' WHERE contact_id = 900102", None),
    (
        "INSERT INTO people.contact_verification (contact_id, email_status)"
        " VALUES (900101, 'green')",
        None,
    ),
    (
        "UPDATE people.contact_verification SET email_status = 'green' WHERE contact_id = 900102",
        None,
    ),
    (REASON, ["  opening the seat  "]),
    (
        "INSERT INTO company.company_slot (company_slot_id, company_slot_unique_id, role_code,"
        " company_id) VALUES (900201, '04.04.05.99.90201.001', 'CEO', 900001),"
        " (900202, '04.04.05.99.90202.001', 'CFO', 900001)",
        None,
    ),
    (REASON, ["best title match"]),
    ("UPDATE company.company_slot SET contact_id = 900101 WHERE company_slot_id = 900201", None),
    (REASON, [""]),
    ("UPDATE company.company_slot SET contact_id = 900102 WHERE company_slot_id = 900202", None),
    (REASON, ["closing"]),
    ("DELETE FROM company.company_slot WHERE company_slot_id = 900202", None),
    (REASON, [""]),
    (ACTOR, [""]),  # no actor: the login is named
    ("DELETE FROM people.contact WHERE contact_id = 900103", None),
    (ACTOR, ["hist-bob"]),
    (
        "INSERT INTO marketing.campaign (campaign_id, name, type, target_roles, created_by)"
        " VALUES (900301, 'Hist campaign', 'renewal', ARRAY['CEO', 'CFO'], 'hist-bob')",
        None,
    ),
    (
        "INSERT INTO marketing.campaign_contact (campaign_contact_id, campaign_id, contact_id,"
        " company_id, role_code) VALUES (900401, 900301, 900101, 900001, 'CEO'),"
        " (900402, 900301, 900102, 900001, 'CFO')",
        None,
    ),
    ("UPDATE marketing.campaign SET sent_count = sent_count + 1 WHERE campaign_id = 900301", None),
    (
        "UPDATE marketing.campaign SET name = 'Hist campaign 2', response_count = 1"
        " WHERE campaign_id = 900301",
        None,
    ),
    (
        "UPDATE marketing.campaign_contact SET status = 'sent' WHERE campaign_id = 900301",
        None,
    ),
    ("DELETE FROM marketing.campaign_contact WHERE campaign_contact_id = 900402", None),
    (
        "INSERT INTO marketing.message_log (message_log_id, direction, channel, subject, body,"
        " sent_at, campaign_id, contact_id) VALUES"
        " (900501, 'inbound', 'email', 'Hello', 'Hi there', %s, NULL, 900101)",
        [T0],
    ),
    (
        "UPDATE marketing.message_log SET subject = 'Hello again' WHERE message_log_id = 900501",
        None,
    ),
    ("DELETE FROM marketing.message_log WHERE message_log_id = 900501", None),
    (ACTOR, ["hist-carol"]),
    (
        "INSERT INTO bit.signal (signal_id, reason, signal_strength, payload, dedupe_key,"
        " company_id, contact_id) VALUES"
        " (900601, 'renewal_due', 70, '{\"k\": 1}', 'hist-1', 900001, NULL),"
        " (900602, 'job_change', 40, '{}', 'hist-2', 900001, 900101)",
        None,
    ),
    ("UPDATE bit.signal SET processed_at = %s WHERE signal_id IN (900601, 900602)", [T0]),
    ("UPDATE bit.signal SET processed_at = processed_at WHERE signal_id = 900601", None),
    ("DELETE FROM bit.signal WHERE signal_id = 900602", None),
    ("DELETE FROM company.company WHERE company_id = 900002", None),
]

# A clock reading taken while the script runs (defaults such as sent_at or filled_at).
NOW = re.compile(r"^20(2[6-9]|[3-9]\d)-\d\d-\d\dT")


def _scrub(value):
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, str) and NOW.match(value):
        return "<now>"
    return value


def _dump(marks: dict) -> dict:
    """Every history row the script wrote, in history_id order, without history_id/changed_at."""
    out = {}
    with connection.cursor() as cursor:
        for table, refs in HISTORY.items():
            cursor.execute(
                f"SELECT {refs}, table_name, action, changed_fields, old_values, new_values,"
                f" changed_by FROM {table} WHERE history_id > %s ORDER BY history_id",
                [marks[table]],
            )
            names = [d.name for d in cursor.description]
            rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
            for row in rows:
                for col in ("changed_fields", "old_values", "new_values"):
                    if isinstance(row[col], str):
                        row[col] = json.loads(row[col])
            out[table] = _scrub(rows)
    return out


def run_script() -> dict:
    """Run SCRIPT in the test's transaction; return the history it wrote."""
    with connection.cursor() as cursor:
        marks = {}
        for table in HISTORY:
            cursor.execute(f"SELECT coalesce(max(history_id), 0) FROM {table}")
            marks[table] = cursor.fetchone()[0]
        for sql, params in SCRIPT:
            cursor.execute(sql, params)
    return _dump(marks)


def _as_multisets(dump: dict) -> dict:
    """Each table's rows in a fixed order. One statement's rows reach history in the order the
    statement touched them, which depends on the plan: in full runs (never alone) the two-row
    company UPDATE came back 900002 before 900001, every row otherwise equal to the dump."""
    return {
        t: sorted(rows, key=lambda r: json.dumps(r, sort_keys=True)) for t, rows in dump.items()
    }


def test_scripted_writes_leave_the_expected_history():
    """The script's history rows equal the frozen dump of the per-schema clones' rows."""
    assert _as_multisets(run_script()) == _as_multisets(json.loads(EXPECTED.read_text()))


# Every audited table and the arguments its three triggers pass (see the function's live file).
TRIGGERS = {
    "company.company": ["company_id"],
    "company.company_slot": ["company_id", "company_slot_id", "+reason"],
    "people.contact": ["contact_id"],
    "people.contact_verification": ["contact_id"],
    "marketing.campaign": ["row_id=campaign_id", "campaign_id", "contact_id"],
    "marketing.campaign_contact": ["row_id=campaign_contact_id", "campaign_id", "contact_id"],
    "marketing.message_log": ["row_id=message_log_id", "campaign_id", "contact_id"],
    "bit.signal": ["row_id=signal_id", "company_id", "contact_id"],
}
COUNTS = ["-sent_count", "-response_count", "-target_count"]


@pytest.mark.owner
def test_the_shared_function_is_the_only_history_function():
    """public.trigger_history is the one history trigger function installed; the clones are gone
    and it is SECURITY DEFINER with a pinned search_path and no EXECUTE for PUBLIC."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.oid::regprocedure::text, p.prosecdef, p.proconfig,"
            " has_function_privilege('public', p.oid, 'EXECUTE')"
            " FROM pg_proc p WHERE p.proname LIKE '%%history%%'"
            " AND p.prorettype = 'trigger'::regtype"
        )
        rows = cursor.fetchall()
    assert rows == [("trigger_history()", True, ["search_path=pg_catalog, pg_temp"], False)]


@pytest.mark.owner
def test_every_history_trigger_runs_the_shared_function_per_statement():
    """Each audited table has an AFTER INSERT, UPDATE and DELETE trigger, statement-level over
    transition tables, all running public.trigger_history with the table's arguments."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.tgrelid::regclass::text, t.tgtype & 28, (t.tgtype & 1) = 1,"
            " t.tgoldtable IS NOT NULL, t.tgnewtable IS NOT NULL,"
            " string_to_array(rtrim(encode(t.tgargs, 'escape'), '\\000'), '\\000')"
            " FROM pg_trigger t WHERE t.tgfoid = 'public.trigger_history()'::regprocedure"
            " ORDER BY 1, 2"
        )
        rows = cursor.fetchall()
    expected = []
    for table, args in sorted(TRIGGERS.items()):
        update_args = args + COUNTS if table == "marketing.campaign" else args
        expected += [
            (table.replace("bit.", '"bit".'), 4, False, False, True, args),
            (table.replace("bit.", '"bit".'), 8, False, True, False, args),
            (table.replace("bit.", '"bit".'), 16, False, True, True, update_args),
        ]
    assert sorted(rows) == sorted(expected)
