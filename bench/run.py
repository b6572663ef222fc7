"""``python -m bench.run --size S|M [--seed N] [--only B1,B9] [--skip B12P] [--rounds 30]``.

Runs against ``EMBEDDED_DB_NAME`` (default ``outreach_bench``, never the dev database): migrates
it, builds or reuses the bench.seed_scale dataset, runs the operations in bench/ops/, prints a
markdown table and writes every figure to var/bench/latest.json (plus a size-stamped copy).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {
    "B1": "p50 ≤ R + 25 ms (backstop p50 ≤ 120 / p95 ≤ 200 ms), ≤ 4 queries, HTML ≤ 150 KiB",
    "B2": "≤ 1.3 × page 1",
    "B3": "≤ 5 ms",
    "B5": "as B1",
    "B6": "SQL ≤ 1/50 of the naive per-row date query; backstop ≤ 5 ms",
    "B7": "≤ 8 queries, p50 ≤ 60 ms",
    "B8": "≤ 10 queries, p50 ≤ 250 ms",
    "B9": "≥ 0.6 × COPY (stretch 0.75); duplicates flagged exactly",
    "B10": "last decile ≥ 0.8 × first decile",
    "B11": "≥ 0.7 × the same promotion without history triggers; 100k loads ≤ 30 s; re-run "
    "changes 0 rows",
    "B12": "≥ 100 × extrapolated unblocked self-join; backstop ≤ 30 s; recall ≥ 0.95",
    "B13": "p95 ≤ 5 ms",
    "B14": "≥ 0.5 × bare INSERT…SELECT; ≤ 500 ms",
    "B15": "≥ 15 pages/s, p95 with ingest ≤ 2 × without, 0 errors",
}
# Informational peer lines (no target, never in the smoke): selected by --only, left out by --skip.
PEERS = {"B12P": "Splink 4 (DuckDB) on the same people and blocking as B12 (pip install .[bench])"}


def _setup(db_name: str):
    os.environ["EMBEDDED_DB_NAME"] = db_name
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outreach_admin.settings")
    # Production-like: DEBUG off (no template debug, no query log) with a throwaway key.
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    from django.test.utils import setup_test_environment

    # Instruments template rendering so responses carry their context (the table, for the
    # render floor R); it also routes mail to memory. Same cost for every page.
    setup_test_environment()
    # No collectstatic manifest in a bench checkout: plain storage, served by whitenoise finders.
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )


def _machine(settings) -> dict:
    from django.db import connections

    with connections["owner"].cursor() as cur:
        cur.execute("SELECT version()")
        version = cur.fetchone()[0]
        pg = {}
        for name in (
            "shared_buffers",
            "work_mem",
            "max_parallel_workers_per_gather",
            "jit",
            "random_page_cost",
            "effective_cache_size",
        ):
            cur.execute(f"SHOW {name}")
            pg[name] = cur.fetchone()[0]
    mem = None
    with contextlib.suppress(OSError):
        mem = int(Path("/proc/meminfo").read_text().split()[1]) // 1024
    return {
        "nproc": os.cpu_count(),
        "memory_mib": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "postgres": version,
        "postgres_settings": pg,
        "database": settings.DATABASES["default"]["NAME"],
        "debug": settings.DEBUG,
        "load_avg": os.getloadavg(),
    }


def _coordinator():
    from django.contrib.auth.models import Group, User

    user, _ = User.objects.db_manager("owner").get_or_create(username="bench_coordinator")
    user.groups.add(Group.objects.using("owner").get(name="coordinator"))
    return User.objects.get(pk=user.pk)


def _ids() -> dict:
    from django.db import connections

    with connections["owner"].cursor() as cur:
        cur.execute("SELECT min(campaign_id) FROM marketing.campaign WHERE status = 'active'")
        campaign = cur.fetchone()[0] or 1
        cur.execute(
            "SELECT company_id FROM company.company_slot WHERE contact_id IS NOT NULL "
            "GROUP BY company_id HAVING count(*) = 3 ORDER BY company_id LIMIT 1"
        )
        company = cur.fetchone()[0]
        cur.execute("SELECT min(contact_id) FROM marketing.campaign_contact")
        person = cur.fetchone()[0]
    return {"campaign": campaign, "company": company, "person": person}


def main(argv=None) -> int:
    from bench.seed_scale import SIZES

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="S", choices=sorted(SIZES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "outreach_bench"))
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--promote-max", type=int, default=2000)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI smoke: 3 rounds, 3 runs, no B15; compare with --baseline and fail on regression",
    )
    parser.add_argument("--baseline", default=str(ROOT / "bench" / "baseline-S.json"))
    parser.add_argument(
        "--write-baseline", action="store_true", help="store this run's figures as the baseline"
    )
    parser.add_argument("--b15-seconds", type=float, default=20, help="per phase (4 phases)")
    parser.add_argument("--only", default="", help="comma list, e.g. B1,B9 (default: all)")
    parser.add_argument("--skip", default="", help="comma list to leave out, e.g. B12P,B15")
    args = parser.parse_args(argv)
    if args.db == "outreach":
        parser.error("refusing to benchmark the dev database 'outreach'")
    _setup(args.db)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from bench import ops
    from bench.seed_scale import build, renewal_dates_missing

    only = {x.strip().upper() for x in args.only.split(",") if x.strip()}
    if args.smoke:
        # Medians of 3 runs: one run's ratio can swing with the machine.
        args.rounds, args.runs = min(args.rounds, 3), 3
        only = only or (set(TARGETS) - {"B15"})

    skip = {x.strip().upper() for x in args.skip.split(",") if x.strip()}

    def want(b):
        return (not only or b in only) and b not in skip

    t0 = time.monotonic()
    call_command("migrate", database="owner", verbosity=0, interactive=False)
    ds = build(connections["owner"], size=args.size, seed=args.seed, log=print)
    # Correctness (issue 18): every renewal query must read stored dates, not the fallback.
    ds["renewal_dates_missing"] = renewal_dates_missing(connections["owner"])
    print(f"dataset {args.size}/{args.seed}: {ds['status']} {ds['counts']}", file=sys.stderr)
    scale = SIZES[args.size]
    report = {
        "size": args.size,
        "seed": args.seed,
        "dataset": ds,
        "started_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "machine": _machine(settings),
        "targets": TARGETS,
        "results": {},
    }
    res = report["results"]

    def step(key, fn, *a, **kw):
        t = time.monotonic()
        try:
            res[key] = fn(*a, **kw)
        except Exception as exc:  # one failing operation must not lose the others' figures
            res[key] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
        print(f"  {key}: {time.monotonic() - t:.1f}s", file=sys.stderr)
        _write(report)  # after every step: an interrupted run keeps what it measured

    n_ops = max(1000, int(100_000 * scale))
    if want("B12"):
        step("B12", ops.measure_detector)  # first: fills the duplicates queue for B1
    if want("B12P"):
        from bench.ops.splink_peer import measure_splink_peer

        step("B12P", measure_splink_peer)  # the Splink peer line (informational)
    if want("B9"):
        step("B9", ops.measure_ingest, n_ops, runs=args.runs)
    if want("B10"):
        step("B10", ops.measure_ingest_decay)
    if want("B11"):
        # Capped: promote costs ~2 ms per load here (10k loads took minutes on a busy machine).
        step("B11", ops.measure_promote, min(n_ops, args.promote_max), runs=min(3, args.runs))
    if want("B14"):
        step("B14", ops.measure_campaign_build, runs=args.runs)
    if want("B3"):
        step("B3", ops.measure_counts)
    if want("B6"):
        step("B6", ops.measure_renewals)
    if want("B13"):
        step("B13", ops.measure_similar)
    if only & {"B1", "B2", "B5", "B7", "B8"} or not only:
        user = _coordinator()
        step("pages", ops.measure_pages, user, ops.page_specs(scale, _ids()), rounds=args.rounds)
    if want("B15"):
        from bench.mixed_load import measure_mixed_load

        urls = [s["url"] for s in ops.page_specs(scale, _ids()) if s["b"] in ("B1", "B5")]
        step("B15", measure_mixed_load, args.db, _coordinator(), urls, seconds=args.b15_seconds)
    report["seconds"] = round(time.monotonic() - t0, 1)
    _write(report)
    print(render(report))
    baseline_path = Path(args.baseline)
    if args.write_baseline:
        baseline_path.write_text(json.dumps(baseline_of(report), indent=2, sort_keys=True) + "\n")
        print(f"baseline written to {baseline_path}")
    if args.smoke:
        if not baseline_path.exists():
            print(f"smoke: no baseline at {baseline_path}", file=sys.stderr)
            return 1
        failures = smoke_failures(report, json.loads(baseline_path.read_text()))
        for f in failures:
            print(f"SMOKE FAIL: {f}")
        print(f"smoke: {len(failures)} failures against {baseline_path.name}")
        return 1 if failures else 0
    failures = dataset_failures(report)
    for f in failures:
        print(f"BENCH FAIL: {f}")
    return 1 if failures else 0


# Ratio figures (bigger is better) compared by the smoke: times relative to a same-run reference.
# B11 and B14 are left out at S: their references take 8-20 ms there, so one run swings more
# than 2x with machine noise (they are still printed, and checked for correctness).
RATIOS = {
    "B9": "ratio_vs_copy",
    "B12": "speedup",
}


def baseline_of(report) -> dict:
    """What the CI smoke compares: counts, query counts, HTML sizes and same-run ratios."""
    r = report["results"]
    pages = r.get("pages") if isinstance(r.get("pages"), list) else []
    return {
        "size": report["size"],
        "seed": report["seed"],
        "counts": report["dataset"]["counts"],
        "pages": {
            p["name"]: {"app_queries": p["app_queries"], "html_kib": p["html_kib"]} for p in pages
        },
        "ratios": {
            b: r[b][key] for b, key in RATIOS.items() if isinstance(r.get(b), dict) and key in r[b]
        },
    }


def dataset_failures(report) -> list[str]:
    """Dataset correctness that fails every run (smoke or not): stored renewal dates present."""
    missing = report["dataset"].get("renewal_dates_missing")
    if missing:
        return [
            f"{missing} companies with a renewal month have no stored renewal date "
            "(the seed must store them; renewal figures would measure the fallback)"
        ]
    return []


def smoke_failures(report, baseline) -> list[str]:
    """Correctness and ≥ 2× regressions against the committed baseline; never absolute times."""
    out = []
    r = report["results"]
    if report["dataset"]["counts"] != baseline["counts"]:
        out.append(f"dataset counts {report['dataset']['counts']} != {baseline['counts']}")
    out.extend(dataset_failures(report))
    for key, value in r.items():
        if isinstance(value, dict) and "error" in value:
            out.append(f"{key} raised {value['error'][:200]}")
    pages = {p["name"]: p for p in r.get("pages") or [] if isinstance(p, dict)}
    for name, base in baseline["pages"].items():
        page = pages.get(name)
        if page is None:
            out.append(f"page {name!r} not measured")
            continue
        if page["status"] != 200:
            out.append(f"page {name!r} answered HTTP {page['status']}")
        if page["app_queries"] >= 2 * max(base["app_queries"], 1):
            out.append(
                f"page {name!r}: {page['app_queries']} queries (baseline {base['app_queries']})"
            )
        if page["html_kib"] >= 2 * base["html_kib"]:
            out.append(f"page {name!r}: {page['html_kib']} KiB (baseline {base['html_kib']})")
    for b, old in baseline["ratios"].items():
        new = (r.get(b) or {}).get(RATIOS[b])
        if new is None:
            out.append(f"{b} not measured")
        elif old and new * 2 <= old:
            out.append(f"{b} {RATIOS[b]} {new} fell to half or less of the baseline {old}")
    x = r.get("B9") or {}
    flagged, expected = x.get("duplicates_flagged") or [], x.get("duplicates_expected")
    if any(f != expected for f in flagged):
        out.append(f"B9 flagged {flagged} duplicates, expected {expected}")
    x = r.get("B11") or {}
    if any(x.get("rerun_changed_rows") or []):
        out.append(f"B11 re-run changed rows: {x['rerun_changed_rows']}")
    x = r.get("B12") or {}
    if "recall_injected" in x and (
        (x["recall_injected"] or 0) < 0.95 or (x["precision_vs_injected"] or 0) < 0.90
    ):
        out.append(f"B12 recall {x['recall_injected']} / precision {x['precision_vs_injected']}")
    return out


def _write(report):
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    report.setdefault("seconds", None)
    text = json.dumps(report, indent=2, default=str)
    (out / "latest.json").write_text(text)
    (out / f"latest-{report['size']}.json").write_text(text)
    # One file per size and PostgreSQL major version, so runs on 18 and 15 are both kept.
    major = report["machine"]["postgres"].split()[1].split(".")[0]
    (out / f"latest-{report['size']}-pg{major}.json").write_text(text)


def _ok(flag):
    return "✅" if flag else "❌"


def render(report) -> str:
    """The markdown table: one line per figure with its target and verdict."""
    r = report["results"]
    m = report["machine"]
    lines = [
        f"### Bench {report['size']} (seed {report['seed']}) — {report['dataset']['counts']}",
        "",
        f"{m['nproc']} CPUs, {m['memory_mib']} MiB, {m['postgres'].split(' on ')[0]}, "
        f"load avg {tuple(round(x, 1) for x in m['load_avg'])}, total {report['seconds']} s",
        "",
        "| # | Operation | Figure | Reference | Ratio / target | Met |",
        "|---|---|---|---|---|---|",
    ]

    def row(b, op, fig, ref, ratio, met):
        lines.append(f"| {b} | {op} | {fig} | {ref} | {ratio} | {met} |")

    pages = r.get("pages")
    if isinstance(pages, list):
        by_name = {p["name"]: p for p in pages}
        for p in pages:
            fl = p.get("floor") or {}
            floor_ms = ms_or(fl.get("seconds"))
            q, kib, p50, p95 = p["app_queries"], p["html_kib"], p["p50_ms"], p["p95_ms"]
            b = p["b"]
            if b in ("B1", "B5"):
                met = (
                    p["status"] == 200
                    and q <= 4
                    and kib <= 150
                    and p50 <= 120
                    and p95 <= 200
                    and (floor_ms is None or p50 <= floor_ms + 25)
                )
                ref = f"R = {floor_ms} ms" if floor_ms is not None else "R not measured"
                ratio = f"p50 − R = {round(p50 - floor_ms, 1)} ms" if floor_ms is not None else "—"
            elif b == "B2":
                base = by_name.get(next(x for x in by_name if x == p["base"]))
                ref = f"page 1 p50 {base['p50_ms']} ms"
                ratio_v = round(p50 / base["p50_ms"], 2)
                ratio = f"{ratio_v} × (≤ 1.3)"
                met = ratio_v <= 1.3
            elif b == "B7":
                ref, ratio, met = "—", "≤ 8 q, ≤ 60 ms", q <= 8 and p50 <= 60
            else:
                ref, ratio, met = "—", "≤ 10 q, ≤ 250 ms", q <= 10 and p50 <= 250
            row(
                b,
                f"{p['name']} (HTTP {p['status']}, {p['rows']} rows)",
                f"p50 {p50} / p95 {p95} ms, {q} queries (+{p['queries'] - q} framework), {kib} KiB",
                ref,
                ratio,
                _ok(met and p["status"] == 200),
            )
    else:
        row("B1/B2/B5/B7/B8", "pages", "not measured", "", str(pages or ""), "—")
    x = r.get("B3")
    if isinstance(x, list):
        for c in x:
            row(
                "B3",
                f"count {c['table']} (list pages show no total: LazyPaginator)",
                f"estimate {c['estimate_ms']} ms",
                f"exact count(*) {c['exact_ms']} ms",
                "estimate ≤ 5 ms",
                _ok(c["estimate_ms"] <= 5),
            )
    x = r.get("B6")
    if x and "real_ms" in x:
        ratio = round(x["real_ms"] / x["naive_ms"], 3) if x["naive_ms"] else None
        row(
            "B6",
            "renewal-ready page SQL (in window, first 50)",
            f"{x['real_ms']} ms",
            f"naive {x['naive_ms']} ms",
            f"{ratio} × (≤ 0.02; ≤ 5 ms)",
            _ok(x["real_ms"] <= 5 and ratio is not None and ratio <= 0.02),
        )
    x = r.get("B9")
    if x and "ratio_vs_copy" in x:
        exact = all(f == x["duplicates_expected"] for f in x["duplicates_flagged"])
        row(
            "B9",
            f"f_ingest_json {x['rows']:,} rows",
            f"{x['f_ingest_json_s']} s "
            f"({x['rows_per_s']:,}/s), dups {x['duplicates_flagged'][0]}/"
            f"{x['duplicates_expected']}",
            f"COPY {x['copy_s']} s",
            f"{x['ratio_vs_copy']} × (≥ 0.6)",
            _ok(x["ratio_vs_copy"] >= 0.6 and exact),
        )
    x = r.get("B10")
    if x and x.get("ratio") is not None:
        row(
            "B10",
            f"seed ingest, {x['batches']} batches",
            f"last decile {x['last_decile_rows_per_s']:,} rows/s",
            f"first decile {x['first_decile_rows_per_s']:,} rows/s",
            f"{x['ratio']} × (≥ 0.8)",
            _ok(x["ratio"] >= 0.8),
        )
    x = r.get("B11")
    if x and "ratio_vs_no_history" in x:
        row(
            "B11",
            f"promote {x['loads']:,} loads ({x['loads_matching_existing_people']:,} match people)",
            f"{x['promote_s']} s (100k ≈ {x['per_100k_s']} s; COPY {x['copy_s']} s)",
            f"history triggers off {x['no_history_s']} s",
            f"{x['ratio_vs_no_history']} × (≥ 0.7; 100k ≤ 30 s); "
            f"re-run {x['rerun_changed_rows'][0]} rows",
            _ok(
                x["ratio_vs_no_history"] >= 0.7
                and x["per_100k_s"] <= 30
                and not any(x["rerun_changed_rows"])
            ),
        )
    x = r.get("B12")
    if x and "speedup" in x:
        row(
            "B12",
            f"detect_duplicates over {x['people']:,} people",
            f"{x['detector_s']} s",
            f"self-join ≈ {x['extrapolated_self_join_s']} s ({x['probe']} probes "
            f"{x['probe_join_s']} s)",
            f"{x['speedup']} × (≥ 100); recall "
            f"{x['recall_injected']}, precision vs injected {x['precision_vs_injected']}",
            _ok(
                x["speedup"] >= 100
                and x["detector_s"] <= 30
                and (x["recall_injected"] or 0) >= 0.95
            ),
        )
    x = r.get("B12P")
    if x and ("skipped" in x or "at_threshold" in x):
        from bench.ops.splink_peer import render_row

        row(*render_row(x))
    x = r.get("B13")
    if x and "p95_ms" in x:
        row(
            "B13",
            "similar people panel",
            f"p50 {x['p50_ms']} / p95 {x['p95_ms']} ms",
            "—",
            "p95 ≤ 5 ms",
            _ok(x["p95_ms"] <= 5),
        )
    x = r.get("B14")
    if x and "ratio_vs_bare" in x:
        row(
            "B14",
            f"campaign_create: {x['companies']} companies → {x['members']:,} members",
            f"{x['service_ms']} ms",
            f"bare INSERT {x['bare_insert_ms']} ms",
            f"{x['ratio_vs_bare']} × (≥ 0.5; ≤ 500 ms)",
            _ok(x["ratio_vs_bare"] >= 0.5 and x["service_ms"] <= 500),
        )
    for key, value in r.items():
        if isinstance(value, dict) and "error" in value:
            row(key, "error", value["error"][:160].replace("|", "/"), "", "", "❌")
    forms = [
        (p["name"], p["b4"])
        for p in (pages if isinstance(pages, list) else [])
        if p.get("b4") and p["b4"].get("form_ms") is not None
    ]
    if forms:
        worst_name, worst = max(forms, key=lambda f: f[1].get("ratio") or 0)
        biggest = max(f[1]["max_select_options"] for f in forms)
        row(
            "B4",
            f"filter forms on {len(forms)} list pages",
            f"worst: {worst_name} form {worst['form_ms']} ms; largest <select> {biggest} options",
            "same page without the form (p50 − form render)",
            f"{worst.get('ratio')} × (≤ 1.1); ≤ 500 options",
            _ok(all((f[1].get("ratio") or 1) <= 1.1 for f in forms) and biggest <= 500),
        )
    else:
        row("B4", "filter forms", "not measured", "", "", "—")
    x = r.get("B15")
    if x and "busy" in x:
        q, b = x["quiet"], x["busy"]
        row(
            "B15",
            f"gunicorn {x['workers']} workers, {x['clients']} clients on {len(x['urls'])} list "
            f"pages, ingest {x['rows_ingested']:,} rows in busy phases",
            f"busy {b['pages_per_s']} pages/s, p95 {b['p95_ms']} ms, {b['errors']} errors",
            f"quiet {q['pages_per_s']} pages/s, p95 {q['p95_ms']} ms, {q['errors']} errors",
            f"p95 {x['p95_ratio']} × (≤ 2); ≥ 15 pages/s",
            _ok(
                b["pages_per_s"] >= 15
                and (x["p95_ratio"] or 99) <= 2
                and b["errors"] == 0
                and q["errors"] == 0
            ),
        )
    else:
        row("B15", "mixed load (gunicorn + ingest)", "not measured", "", "", "—")
    return "\n".join(lines)


def ms_or(x):
    return None if x is None else round(x * 1000, 2)


if __name__ == "__main__":
    raise SystemExit(main())
