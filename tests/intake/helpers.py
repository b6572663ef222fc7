"""Helpers for the intake tests: role switching, one-value queries and ageing raw loads."""

from django.db import connection


def set_role(role: str | None) -> None:
    """``SET LOCAL ROLE role`` for the rest of the test's transaction (None: back to the owner)."""
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE" if role is None else f'SET LOCAL ROLE "{role}"')


def scalar(sql: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def age_loads(load_ids, days: int) -> None:
    """Move raw loads ``days`` into the past as the owner (RLS lets no one else), then return to
    the app role."""
    set_role(None)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE intake.raw_loads SET created_at = created_at - make_interval(days => %s) "
            "WHERE load_id = ANY(%s)",
            [days, list(load_ids)],
        )
    set_role("outreach_app")
