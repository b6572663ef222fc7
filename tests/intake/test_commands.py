"""ingest and promote management commands."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from intake.management.commands._progress import Progress
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
    assert raw.pop("_norm") == {
        "email": "ann@acme.example",
        "first_name": "Ann",
        "full_name": "Ann",
    }
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


DATA = Path(__file__).parent / "data"


def test_ingest_detects_the_apollo_preset(db, capsys):
    """--preset auto recognises Apollo; refused e-mails are named; rows carry "_norm"."""
    call_command("ingest", str(DATA / "apollo_people.csv"), source="apollo", batch="cmd-apollo")
    captured = capsys.readouterr()
    assert "CSV file, preset apollo." in captured.out
    assert "28 rows read: 24 stored as pending, 1 duplicates, 3 skipped" in captured.out
    assert "row 21 refused: email 'oliver.grant@@brokenemail.co.uk'" in captured.err
    load = RawLoad.objects.filter(raw_data__email="zoe.nunez@acme-benefits.com").get()
    assert load.raw_data["seniority"] == "vp"
    assert load.raw_data["_norm"]["company_phone_e164"] == "+14155550100"


def test_ingest_apify_json_with_explicit_preset(db, capsys):
    call_command(
        "ingest",
        str(DATA / "apify_linkedin.json"),
        source="apify",
        batch="cmd-apify",
        preset="apify",
    )
    assert "JSON file, preset apify." in capsys.readouterr().out
    assert RawLoad.objects.get(raw_data__email="aoife@cliffside.ie").raw_data["city"] == "Dublin"


class FakeTty(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_on_a_tty_shows_rate_and_eta():
    """On a terminal: one redrawn line with the bar, rows, rows/s and ETA."""
    now = [0.0]
    stream = FakeTty()
    progress = Progress(stream, 100_000, "rows stored", clock=lambda: now[0])
    for done in (2_000, 4_000, 50_000):
        now[0] = done / 10_000
        progress.update(done)
    progress.close()
    out = stream.getvalue()
    assert out.count("\r") == 4 and out.endswith("\n")
    assert "[###############---------------]  50% rows stored: 50000/100000" in out
    assert "(10,000 rows/s, ETA 5s)" in out


def test_progress_lines_when_not_a_tty_are_periodic():
    """Not a terminal: plain lines at most every LINE_SECONDS, and the final count."""
    now = [0.0]
    stream = io.StringIO()
    progress = Progress(stream, 10_000, "rows stored", clock=lambda: now[0])
    for done in range(1_000, 10_001, 1_000):
        now[0] += 0.5
        progress.update(done)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert 2 <= len(lines) <= 4
    assert lines[-1].startswith("[##############################] 100% rows stored: 10000/10000")


def _save_mapping(mapping, headers, *, source="manual", preset="generic"):
    from intake import services
    from tests import builders as b

    b.user("demo", group="coordinator")
    return services.mapping_save(
        source=source, preset=preset, mapping=mapping, headers=headers, actor="demo"
    )


def test_ingest_applies_the_saved_mapping_of_the_source_and_preset(db, tmp_path, capsys):
    """A mapping saved on the upload page for the source and preset maps the file's columns
    (one line says so); a column it does not name keeps the preset's default."""
    _save_mapping({"Mail": "email", "Who": "name", "Notes": "__ignore__"}, ["Mail", "Who", "Notes"])
    path = tmp_path / "rows.csv"
    path.write_text("Mail,Who,Notes,Job Title\nann@acme.example,Ann,secret,CFO\n")
    call_command("ingest", str(path), source="manual", batch="cmd-saved", preset="generic")
    out = capsys.readouterr().out
    assert "Using the mapping saved for manual (generic) by demo on " in out
    assert "1 new columns keep the preset's default" in out
    raw = RawLoad.objects.get(batch_id="cmd-saved").raw_data
    raw.pop("_norm")
    assert raw == {"email": "ann@acme.example", "name": "Ann", "title": "CFO"}


def test_no_saved_mapping_flag_and_other_sources_ignore_it(db, tmp_path, capsys):
    """--no-saved-mapping ignores the saved mapping (as does a file of another source): the
    preset's guesses and --map apply."""
    _save_mapping({"Mail": "email", "Who": "name"}, ["Mail", "Who"])
    path = tmp_path / "rows.csv"
    path.write_text("Mail,Who\nann@acme.example,Ann\n")
    call_command("ingest", str(path), source="manual", batch="cmd-flag", no_saved_mapping=True)
    assert "Using the mapping" not in capsys.readouterr().out
    raw = RawLoad.objects.get(batch_id="cmd-flag").raw_data
    assert raw["email"] == "ann@acme.example" and raw["Who"] == "Ann" and "name" not in raw
    call_command("ingest", str(path), source="apollo", batch="cmd-other", map=["Who=first_name"])
    assert "Using the mapping" not in capsys.readouterr().out
    assert RawLoad.objects.get(batch_id="cmd-other").raw_data["first_name"] == "Ann"


def test_map_option_overrides_the_saved_mapping(db, tmp_path, capsys):
    """--map wins over the saved mapping for the column it names."""
    _save_mapping({"Mail": "email", "Who": "name"}, ["Mail", "Who"])
    path = tmp_path / "rows.csv"
    path.write_text("Mail,Who\nann@acme.example,Ann\n")
    call_command("ingest", str(path), source="manual", batch="cmd-over", map=["Who=full_name"])
    assert "Using the mapping saved for manual" in capsys.readouterr().out
    raw = RawLoad.objects.get(batch_id="cmd-over").raw_data
    assert raw["full_name"] == "Ann" and "name" not in raw
