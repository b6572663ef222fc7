"""ingest and promote management commands."""

import json

import pytest
from django.core.management import CommandError, call_command

from intake.models import PleCycle, RawLoad


@pytest.fixture
def json_file(tmp_path):
    path = tmp_path / "rows.json"
    path.write_text(
        json.dumps(
            [
                {"email": "ann@acme.example", "name": "Ann", "website": "acme.example"},
                {"email": "bo@acme.example", "name": "Bo"},
            ]
        )
    )
    return path


def test_ingest_then_promote(db, json_file, capsys):
    """ingest stores the file as a batch; promote promotes it; both record a pipeline run."""
    call_command("ingest", str(json_file), source="apollo", batch="cmd-1")
    out = capsys.readouterr().out
    assert "rows stored: 2" in out and "2 stored as pending" in out
    assert RawLoad.objects.filter(batch_id="cmd-1", status="pending").count() == 2
    call_command("promote", batch="cmd-1")
    assert "2 new" in capsys.readouterr().out
    assert RawLoad.objects.filter(batch_id="cmd-1", status="promoted").count() == 2
    runs = PleCycle.objects.order_by("cycle_id")
    assert [r.cycle_name for r in runs] == ["ingest cmd-1", "promote cmd-1"]
    assert runs[0].counts["pending"] == 2 and runs[1].status == "completed"


def test_ingest_csv_with_map(db, tmp_path):
    """A CSV header can be mapped from the command line."""
    path = tmp_path / "rows.csv"
    path.write_text("Mail,Who\nann@acme.example,Ann\n")
    call_command(
        "ingest", str(path), source="manual", batch="cmd-csv", map=["Mail=email", "Who=name"]
    )
    raw = RawLoad.objects.get(batch_id="cmd-csv").raw_data
    assert raw.pop("_norm") == {"email": "ann@acme.example", "first_name": "Ann", "full_name": "Ann"}
    assert raw == {"email": "ann@acme.example", "name": "Ann"}


def test_ingest_bad_file_fails_and_stores_nothing(db, tmp_path):
    """A bad row makes the command fail with the reason and store nothing."""
    path = tmp_path / "bad.json"
    path.write_text('[{"email": "a@b.example"}, 3]')
    with pytest.raises(CommandError, match="Row 2 is not a JSON object"):
        call_command("ingest", str(path), source="apollo", batch="bad")
    assert not RawLoad.objects.exists()


def test_promote_with_nothing_pending_fails(db):
    """promote says so when there is nothing pending."""
    with pytest.raises(CommandError, match="no pending loads"):
        call_command("promote")
