"""Saved upload mappings (intake.services.mappings, the selector, presets.apply_saved_mapping):
one shared mapping per source and preset, audited, refused for viewers and bad input."""

import pytest
from django.db import DatabaseError, connection, transaction

from intake import presets, selectors, services
from intake.models import AuditLog, SavedMapping
from tests import builders as b

pytestmark = pytest.mark.django_db

HEADERS = ["Mail", "Who", "Notes"]
MAPPING = {"Mail": "email", "Who": "name", "Notes": "__ignore__"}


def _save(actor, **overrides):
    args = {"source": "apollo", "preset": "apollo", "mapping": MAPPING, "headers": HEADERS}
    args.update(overrides)
    return services.mapping_save(actor=actor, **args)


def test_save_stores_the_mapping_and_an_audit_row_naming_the_user():
    """Saving stores mapping, header signature, who and when, and writes one 'mapping_saved'
    audit row naming the acting user."""
    demo = b.user("demo")
    row = _save(demo.username)
    assert (row.source, row.preset, row.mapping) == ("apollo", "apollo", MAPPING)
    assert row.headers == HEADERS and row.updated_by == "demo" and row.updated_at
    [log] = AuditLog.objects.filter(action="mapping_saved")
    assert log.user_name == "demo" and log.record_count == 3
    assert log.details["source"] == "apollo" and log.details["mapping_id"] == row.pk


def test_saving_again_updates_the_one_row_for_the_source_and_preset():
    """A second save for the same source and preset (by anyone) replaces the first; the audit
    row says whose mapping it replaced; another preset is a separate mapping."""
    _save(b.user("demo").username)
    second = {"Mail": "email", "Who": "full_name", "Notes": "__keep__"}
    row = _save(b.user("erin").username, mapping=second)
    assert SavedMapping.objects.filter(source="apollo", preset="apollo").count() == 1
    assert row.mapping == second and row.updated_by == "erin"
    log = AuditLog.objects.filter(action="mapping_saved").order_by("-log_id").first()
    assert log.user_name == "erin" and log.details["replaced_by"] == "demo"
    _save("erin", preset="generic")
    assert SavedMapping.objects.count() == 2
    assert selectors.saved_mapping(source="apollo", preset="apollo").updated_by == "erin"
    assert selectors.saved_mapping(source="apify", preset="apollo") is None


def test_columns_the_mapping_leaves_out_are_stored_as_kept():
    """The stored mapping names every column of the file (unnamed: keep); the file order is
    the header signature (jsonb keeps no key order)."""
    b.user("demo")
    row = _save("demo", mapping={"Mail": "email"})
    assert row.mapping == {"Mail": "email", "Who": "__keep__", "Notes": "__keep__"}
    assert row.headers == HEADERS


@pytest.mark.parametrize("group", ["viewer", None])
def test_a_viewer_or_a_user_in_no_group_is_refused_and_nothing_is_saved(group):
    """Only coordinators and admins may save a mapping: anyone else is refused, nothing stored."""
    user = b.user(group=group)
    with pytest.raises(services.MappingRefused, match="Only coordinators and admins"):
        _save(user.username)
    with pytest.raises(services.MappingRefused, match="Only coordinators and admins"):
        _save("nobody-at-all")
    assert not SavedMapping.objects.exists()
    assert not AuditLog.objects.filter(action="mapping_saved").exists()


def test_an_admin_may_save():
    """Admins act like coordinators."""
    assert _save(b.user(group="admin").username).pk


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"mapping": {"Mail": "email", "Who": "favourite_colour"}}, "not a raw field"),
        ({"mapping": {"Mail": "email", "Who": 3}}, "not a raw field"),
        ({"mapping": {"Mail": "email", "Fax": "phone"}}, "column the file lacks: 'Fax'"),
        ({"mapping": {"Mail": "name"}}, "Map one column to Email"),
        ({"mapping": {"Mail": "email", "Who": "email"}}, "repeated: email"),
        ({"mapping": ["Mail", "email"]}, "not a column"),
        ({"source": "a" * 101}, "101 characters long; the limit is 100"),
        ({"source": "  "}, "source is blank"),
        ({"source": "apollo\x00"}, "control characters"),
        ({"preset": "auto"}, "Unknown preset"),
        ({"headers": []}, "columns are missing"),
        ({"headers": ["Mail", "Mail"], "mapping": {"Mail": "email"}}, "names repeat"),
        ({"headers": ["Mail", "Who\x00"], "mapping": {"Mail": "email"}}, "cannot be saved"),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_saves_nothing(overrides, message):
    """An unknown raw field, a column the file lacks, no e-mail, a field twice, an over-long or
    blank source, an unknown preset, bad columns: MappingRefused naming the problem, no row and
    no audit row."""
    b.user("demo")
    with pytest.raises(services.MappingRefused, match=message):
        _save("demo", **overrides)
    assert not SavedMapping.objects.exists()
    assert not AuditLog.objects.filter(action="mapping_saved").exists()


def test_delete_removes_the_mapping_with_an_audit_row():
    """Deleting (the admin's action) removes the row and names who did it."""
    b.user("demo")
    row = _save("demo")
    assert services.mapping_delete(mapping_id=row.pk, actor="root") is True
    assert not SavedMapping.objects.exists()
    log = AuditLog.objects.get(action="mapping_deleted")
    assert log.user_name == "root" and log.details["source"] == "apollo"
    assert services.mapping_delete(mapping_id=row.pk, actor="root") is False


def test_the_app_role_reads_and_writes_but_cannot_truncate():
    """Grants: the runtime role may select/insert/update/delete rows, never truncate."""
    b.user("demo")
    _save("demo")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == "outreach_app"
        cursor.execute("UPDATE intake.saved_mapping SET updated_by = updated_by")
        assert cursor.rowcount == 1
        with pytest.raises(DatabaseError), transaction.atomic():
            cursor.execute("TRUNCATE intake.saved_mapping")


def test_the_database_refuses_an_over_long_source_or_unknown_preset():
    """The table keeps the rules too: source up to 100 characters, a known preset."""
    row = {"mapping": MAPPING, "headers": HEADERS, "updated_by": "x"}
    with pytest.raises(DatabaseError), transaction.atomic():
        SavedMapping.objects.create(source="a" * 101, preset="apollo", **row)
    with pytest.raises(DatabaseError), transaction.atomic():
        SavedMapping.objects.create(source="apollo", preset="auto", **row)
    assert not SavedMapping.objects.exists()


def test_apply_saved_mapping_keeps_saved_columns_and_defaults_new_ones():
    """Columns the saved mapping names keep their saved field; a new column gets the preset's
    default, or keep when a saved column already took that field."""
    columns = ["Email", "First Name", "Title", "Mobile Phone", "Work Direct Phone"]
    saved = {"Email": "email", "First Name": "__ignore__", "Title": "mobile_phone"}
    mapping, fallback = presets.apply_saved_mapping(columns, "apollo", saved)
    assert fallback == ["Mobile Phone", "Work Direct Phone"]
    assert mapping == {
        "Email": "email",
        "First Name": "__ignore__",
        "Title": "mobile_phone",
        "Mobile Phone": "__keep__",  # the preset's mobile_phone, taken by the saved "Title"
        "Work Direct Phone": "work_phone",
    }
