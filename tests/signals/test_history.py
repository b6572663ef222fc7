"""bit.history (signals 0005): marking signals processed is recorded with the acting user, one
row per signal, written set-based by statement-level triggers."""

import pytest
from django.db import connection

from outreach_admin.db import set_acting_user
from signals import services
from signals.models import Signal, SignalHistory
from tests import builders as b

pytestmark = pytest.mark.django_db


def test_processing_writes_one_row_per_signal_naming_the_actor():
    """Marking two signals processed writes two 'update' rows (one firing) naming the actor."""
    co = b.company("Signal History Co")
    signals = [Signal.objects.create(company=co, reason=f"r{i}") for i in range(2)]
    mark = SignalHistory.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    set_acting_user("erin")
    assert services.signal_mark_processed(signal_ids=[s.pk for s in signals], actor="erin") == 2
    rows = list(SignalHistory.objects.filter(pk__gt=mark).order_by("row_id"))
    assert [(r.row_id, r.company_id, r.action, r.changed_by) for r in rows] == [
        (s.pk, co.pk, "update", "erin") for s in signals
    ]
    assert all(r.changed_fields == ["processed_at"] and r.old_values == {"processed_at": None}
               for r in rows)  # fmt: skip
    assert len({r.changed_at for r in rows}) == 1


def test_signal_history_triggers_are_statement_level():
    """bit.signal's history triggers fire once per statement over a transition table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE (t.tgtype & 1) = 0"
            " AND (t.tgnewtable IS NOT NULL OR t.tgoldtable IS NOT NULL)), count(*)"
            " FROM pg_trigger t WHERE t.tgfoid = 'public.trigger_history()'::regprocedure"
            " AND t.tgrelid = 'bit.signal'::regclass"
        )
        assert cursor.fetchone() == (3, 3)
