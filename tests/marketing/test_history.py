"""marketing.history (marketing 0009): every change of a campaign, member or message is one
history row naming the acting user, written set-based by statement-level triggers."""

import pytest
from django.db import DatabaseError, connection, transaction

from marketing.models import Campaign, CampaignContact, MarketingHistory
from marketing.services import campaigns as services
from marketing.services import handoffs as handoff_services
from outreach_admin.db import set_acting_user
from tests.marketing.test_campaign_rules import renewal_company, seat

pytestmark = pytest.mark.django_db


def _campaign(n_companies=1, roles=("CEO", "CFO", "HR"), status="draft"):
    ids = []
    for i in range(n_companies):
        co = renewal_company(name=f"History Co {i}")
        for role in roles:
            seat(co, role)
        ids.append(co.pk)
    c = services.campaign_create(
        name="History", type="renewal", target_roles=list(roles), company_ids=ids, actor="setup"
    )
    if status != "draft":
        services.campaign_transition(campaign_id=c.pk, to_status=status, actor="setup")
    return c


def _new_rows(since: int):
    return list(MarketingHistory.objects.filter(pk__gt=since).order_by("pk"))


def _last_id() -> int:
    return MarketingHistory.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_transition_writes_one_row_naming_the_actor():
    """Moving a campaign writes one 'update' row with the old and new status and the actor."""
    c = _campaign()
    mark = _last_id()
    set_acting_user("alice")
    services.campaign_transition(campaign_id=c.pk, to_status="active", actor="alice")
    (row,) = _new_rows(mark)
    assert (row.table_name, row.row_id, row.campaign_id, row.action, row.changed_by) == (
        "campaign",
        c.pk,
        c.pk,
        "update",
        "alice",
    )
    assert "status" in row.changed_fields and "started_at" in row.changed_fields
    assert (row.old_values["status"], row.new_values["status"]) == ("draft", "active")


def test_member_remove_keeps_the_deleted_row():
    """Removing a member writes one 'delete' row holding the removed member's values."""
    c = _campaign(roles=("CEO",))
    member = CampaignContact.objects.get(campaign=c)
    mark = _last_id()
    set_acting_user("alice")
    services.campaign_member_remove(member_id=member.pk, actor="alice")
    (row,) = _new_rows(mark)
    assert (row.table_name, row.row_id, row.action, row.changed_by) == (
        "campaign_contact",
        member.pk,
        "delete",
        "alice",
    )
    assert row.old_values["contact_id"] == member.contact_id == row.contact_id
    assert row.campaign_id == c.pk and row.new_values == {}


def test_outcome_writes_one_row_the_counts_follow_silently():
    """An outcome is one member row; the campaign counts it moves write no row of their own."""
    c = _campaign(roles=("CFO",), status="active")
    member = CampaignContact.objects.get(campaign=c)
    mark = _last_id()
    set_acting_user("bob")
    services.member_record_outcome(member_id=member.pk, outcome="sent", actor="bob")
    c.refresh_from_db()
    assert c.sent_count == 1
    (row,) = _new_rows(mark)
    assert (row.table_name, row.action, row.changed_by) == ("campaign_contact", "update", "bob")
    assert (row.old_values, row.new_values) == ({"status": "pending"}, {"status": "sent"})


def test_message_add_writes_one_row():
    """Logging a message outside a campaign writes one 'insert' row naming the actor."""
    co = renewal_company()
    person = seat(co, "CEO")
    mark = _last_id()
    set_acting_user("carol")
    message = handoff_services.message_record(
        contact_id=person.pk, direction="inbound", channel="email", subject="Hi", body="",
        actor="carol",
    )  # fmt: skip
    (row,) = _new_rows(mark)
    assert (row.table_name, row.row_id, row.contact_id, row.action, row.changed_by) == (
        "message_log",
        message.pk,
        person.pk,
        "insert",
        "carol",
    )
    assert row.new_values["subject"] == "Hi"


def test_bulk_member_insert_is_one_set_based_firing():
    """Building a campaign records every member in one trigger firing (one INSERT … SELECT):
    one row per member, all stamped by the single firing's clock reading."""
    mark = _last_id()
    set_acting_user("dave")
    c = _campaign(n_companies=4)
    rows = [r for r in _new_rows(mark) if r.table_name == "campaign_contact"]
    assert len(rows) == c.target_count == 12
    assert {r.action for r in rows} == {"insert"} and {r.changed_by for r in rows} == {"dave"}
    assert len({r.changed_at for r in rows}) == 1  # a row trigger would read the clock 12 times
    assert {r.row_id for r in rows} == set(c.members.values_list("pk", flat=True))
    # The campaign row itself: one insert; its target_count fill-in writes no update row.
    assert [r.action for r in _new_rows(mark) if r.table_name == "campaign"] == ["insert"]


def test_history_triggers_are_statement_level_with_transition_tables():
    """Every marketing history trigger fires once per statement over a transition table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname, (t.tgtype & 1) = 1,"
            " t.tgnewtable IS NOT NULL OR t.tgoldtable IS NOT NULL"
            " FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE t.tgfoid = 'public.trigger_history()'::regprocedure"
            " AND c.relnamespace = 'marketing'::regnamespace ORDER BY 1, 2"
        )
        rows = cursor.fetchall()
    assert {r[0] for r in rows} == {"campaign", "campaign_contact", "message_log"}
    assert len(rows) == 9
    assert all(not row_level and transition for _, _, row_level, transition in rows), rows


def test_app_role_cannot_write_history():
    """The runtime role reads history but cannot forge or erase it."""
    for sql in (
        "INSERT INTO marketing.history (table_name, row_id, action) VALUES ('x', 1, 'insert')",
        "DELETE FROM marketing.history",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)


def test_without_an_actor_the_login_is_named():
    """A change made without outreach.actor (psql, a script) names the login, never blank."""
    c = Campaign.objects.create(name="No actor", type="renewal")
    row = MarketingHistory.objects.get(table_name="campaign", row_id=c.pk)
    assert row.changed_by


def test_inserted_rows_record_every_column_but_bookkeeping():
    """An insert row holds the whole new row (as jsonb_changed_keys/jsonb_pick would give it),
    its changed_fields the same keys; a delete row holds the whole old row."""
    mark = _last_id()
    c = _campaign(n_companies=2, roles=("CEO", "HR"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT h.new_values = public.jsonb_pick(to_jsonb(m),"
            "        public.jsonb_changed_keys(NULL, to_jsonb(m))),"
            "       h.changed_fields = to_jsonb(public.jsonb_changed_keys(NULL, to_jsonb(m)))"
            " FROM marketing.history h"
            " JOIN marketing.campaign_contact m ON m.campaign_contact_id = h.row_id"
            " WHERE h.history_id > %s AND h.table_name = 'campaign_contact'",
            [mark],
        )
        checks = cursor.fetchall()
    assert checks == [(True, True)] * 4
    member = c.members.order_by("pk").first()
    services.campaign_member_remove(member_id=member.pk, actor="x")
    row = MarketingHistory.objects.get(row_id=member.pk, action="delete")
    assert row.old_values["campaign_contact_id"] == member.pk
    assert "created_at" not in row.old_values and row.changed_fields == sorted(row.old_values)
