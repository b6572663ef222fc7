"""Smoke tests of the bench harness that need no dataset (the real run is `make bench`)."""

from bench import ops
from bench.run import render


def test_percentile_is_nearest_rank():
    """pct() returns the nearest-rank percentile of the values."""
    values = list(range(1, 101))
    assert ops.pct(values, 50) == 50
    assert ops.pct(values, 95) == 95
    assert ops.pct([7], 95) == 7


def test_page_specs_cover_the_issue_pages():
    """Every list page of B1, the deep pages of B2, detail pages and the dashboard are measured."""
    specs = ops.page_specs(0.1, {"campaign": 1, "company": 2, "person": 3})
    kinds = {s["b"] for s in specs}
    assert {"B1", "B2", "B5", "B7", "B8"} <= kinds
    deep = [s for s in specs if s["b"] == "B2"]
    assert any("page=500" in s["url"] for s in deep)  # row 25,000 at size S


def test_framework_statements_are_not_counted_as_page_queries():
    """Session, user, role/actor and transaction statements are framework overhead."""
    assert ops._overhead('SELECT "django_session"."session_key" FROM "django_session"')
    assert ops._overhead("SELECT set_config('outreach.actor', 'x', true)")
    assert not ops._overhead('SELECT "people"."contact"."contact_id" FROM "people"."contact"')


def test_render_marks_targets_and_unmeasured_rows():
    """The markdown table shows a verdict per figure and names what was not measured."""
    report = {
        "size": "S",
        "seed": 1,
        "seconds": 1.0,
        "dataset": {"counts": {"people": 1}},
        "machine": {
            "nproc": 2,
            "memory_mib": 1,
            "postgres": "PostgreSQL 18 on x",
            "load_avg": (0.0, 0.0, 0.0),
        },
        "results": {
            "B13": {"samples": 3, "p50_ms": 1.0, "p95_ms": 2.0},
            "B9": {"error": "boom"},
        },
    }
    text = render(report)
    assert "| B13 | similar people panel | p50 1.0 / p95 2.0 ms | — | p95 ≤ 5 ms | ✅ |" in text
    assert "| B9 | error | boom" in text
    assert "B15" in text and "not measured" in text
