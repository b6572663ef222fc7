"""Smoke tests of the bench harness that need no dataset (the real run is `make bench`)."""

from bench.ops import common, pages
from bench.run import baseline_of, dataset_failures, render, smoke_failures


def test_percentile_is_nearest_rank():
    """pct() returns the nearest-rank percentile of the values."""
    values = list(range(1, 101))
    assert common.pct(values, 50) == 50
    assert common.pct(values, 95) == 95
    assert common.pct([7], 95) == 7


def test_page_specs_cover_the_issue_pages(monkeypatch):
    """Every list page of B1, the deep pages of B2, detail pages and the dashboard are measured."""
    monkeypatch.setattr(pages, "_deep_cursor", lambda page, row: f"{page}-{row}")
    specs = pages.page_specs(0.1, {"campaign": 1, "company": 2, "person": 3})
    kinds = {s["b"] for s in specs}
    assert {"B1", "B2", "B5", "B7", "B8"} <= kinds
    deep = [s for s in specs if s["b"] == "B2"]
    assert any("cursor=people-25000" in s["url"] for s in deep)  # row 25,000 at size S


def test_framework_statements_are_not_counted_as_page_queries():
    """Session, user, role/actor and transaction statements are framework overhead."""
    assert pages._overhead('SELECT "django_session"."session_key" FROM "django_session"')
    assert pages._overhead("SELECT public.set_actor('x')")
    assert not pages._overhead('SELECT "people"."contact"."contact_id" FROM "people"."contact"')


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


def _report(**results):
    page = {"name": "people", "status": 200, "app_queries": 3, "html_kib": 50.0}
    base = {
        "size": "S",
        "seed": 1,
        "dataset": {"counts": {"people": 10}},
        "results": {
            "pages": [page],
            "B9": {"ratio_vs_copy": 0.5, "duplicates_flagged": [9], "duplicates_expected": 9},
            "B11": {"ratio_vs_copy": 0.4, "rerun_changed_rows": [0]},
            "B12": {"speedup": 120, "recall_injected": 1.0, "precision_vs_injected": 0.99},
            "B14": {"ratio_vs_bare": 0.6},
        },
    }
    for key, value in results.items():
        base["results"][key] = value
    return base


def test_smoke_passes_against_its_own_baseline():
    """A run compared with the baseline taken from itself has no failures."""
    report = _report()
    assert smoke_failures(report, baseline_of(report)) == []


def test_smoke_fails_on_doubled_queries_and_halved_ratios():
    """Twice the queries of a page, or a same-run ratio at half, is a regression."""
    baseline = baseline_of(_report())
    slower = _report(
        pages=[{"name": "people", "status": 200, "app_queries": 6, "html_kib": 50.0}],
        B9={"ratio_vs_copy": 0.25, "duplicates_flagged": [9], "duplicates_expected": 9},
    )
    failures = smoke_failures(slower, baseline)
    assert any("people" in f and "6 queries" in f for f in failures)
    assert any(f.startswith("B9") for f in failures)
    assert len(failures) == 2


def test_smoke_tolerates_noise_below_two_times():
    """Query counts and ratios within 2× of the baseline pass (the machines are noisy)."""
    baseline = baseline_of(_report())
    noisy = _report(
        pages=[{"name": "people", "status": 200, "app_queries": 5, "html_kib": 90.0}],
        B9={"ratio_vs_copy": 0.26, "duplicates_flagged": [9], "duplicates_expected": 9},
    )
    assert smoke_failures(noisy, baseline) == []


def test_smoke_fails_on_wrong_correctness_figures():
    """Duplicates not flagged exactly, a re-run that changes rows, or low recall fail."""
    baseline = baseline_of(_report())
    wrong = _report(
        B9={"ratio_vs_copy": 0.5, "duplicates_flagged": [8], "duplicates_expected": 9},
        B11={"ratio_vs_copy": 0.4, "rerun_changed_rows": [3]},
        B12={"speedup": 120, "recall_injected": 0.5, "precision_vs_injected": 0.99},
    )
    failures = smoke_failures(wrong, baseline)
    assert [f[:3] for f in failures] == ["B9 ", "B11", "B12"]


def test_smoke_fails_when_a_page_errors_or_goes_missing():
    """A page answering 500, or one no longer measured, fails the smoke."""
    baseline = baseline_of(_report())
    broken = _report(pages=[{"name": "people", "status": 500, "app_queries": 3, "html_kib": 1}])
    assert any("HTTP 500" in f for f in smoke_failures(broken, baseline))
    missing = _report(pages=[])
    assert any("not measured" in f for f in smoke_failures(missing, baseline))


def test_missing_stored_renewal_dates_fail_every_run():
    """A company with a renewal month but no stored date fails the smoke and the plain run."""
    report = _report()
    baseline = baseline_of(report)
    report["dataset"]["renewal_dates_missing"] = 7
    failures = smoke_failures(report, baseline)
    assert any("7 companies" in f and "renewal date" in f for f in failures)
    assert dataset_failures(report) == failures
    report["dataset"]["renewal_dates_missing"] = 0
    assert dataset_failures(report) == [] and smoke_failures(report, baseline) == []
