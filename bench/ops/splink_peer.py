"""B12 peer: Splink 4 (DuckDB backend) over the same people with the project's blocking.

Informational, no target: it puts ``people.detect_duplicates`` (B12) beside an off-the-shelf
probabilistic linker run on the same live people and scored against the same injected pairs
(``bench.injected_duplicate``). Splink comes from the optional ``bench`` extra
(``pip install .[bench]``; ``make bench`` installs it); without it the line says so instead of
failing.

The blocking mirrors the candidate stage of detect_duplicates v2 (people/sql/
people.detect_duplicates.sql): the same normalised e-mail, the same LinkedIn profile, the same
phone, and inside an employer or a work e-mail domain the same canonical first name or the same
first three letters of the last name. (The project also compares every pair of a block of ≤ 100
by trigram; Splink blocking rules are equi-joins, so the two sub-block rules stand for it.) The
keys are computed by the project's own normalisers in the export query, so both sides see the
same values.

Training is deterministic: fixed m probabilities (M_PROBABILITIES, what a true duplicate looks
like: nearly always the same first name, a close surname by Jaro-Winkler, often another e-mail
or no LinkedIn, usually the same employer), u by random sampling with a fixed seed, and the
prior from a deterministic rule with a stated recall. EM was tried first and is not used: on
the 400-person test set (tests/bench/test_splink_peer.py) EM on employer blocks converged to
"same surname" as the match class (first-name m 0.04). The m values were then adjusted after a
first run at S (Levenshtein ≤ 2 on short synthetic surnames gave P 0.69): the peer's figures
are a tuned best case on this synthetic data, not an out-of-the-box Splink.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from bench.ops.common import _cur

NOT_INSTALLED = "not installed: pip install .[bench]"
THRESHOLD = 0.5  # operating point "more likely than not"; the best-F1 cut is reported too
SEED = 1
# m per comparison level, the null level left out, in the order Splink lists the levels.
M_PROBABILITIES = {
    "first_key": [0.95, 0.05],  # exact (canonical: nicknames folded), other
    "surname": [0.55, 0.4, 0.03, 0.02],  # exact, Jaro-Winkler ≥ 0.92, ≥ 0.8, other
    # a duplicate often carries another (personal) address: no evidence against. A level for
    # "another address at the same work domain" was tried: its u is tiny (it implies the same
    # employer), so Splink scored it as evidence *for* a match, counting the employer twice.
    "nemail": [0.5, 0.5],
    "li": [0.5, 0.5],
    "company_id": [0.8, 0.2],  # job changes
}

EXPORT_SQL = """
    SELECT x.contact_id AS unique_id, x.company_id, x.nemail, x.li, x.phone,
           coalesce(nk.canonical, nullif(split_part(x.nname, ' ', 1), '')) AS first_key,
           substring(x.nname FROM '([^ ]+)$') AS surname,
           left(substring(x.nname FROM '([^ ]+)$'), 3) AS last3,
           CASE WHEN NOT people.is_personal_email_domain(split_part(x.nemail, '@', 2))
                THEN nullif(split_part(x.nemail, '@', 2), '') END AS work_domain
    FROM (
        SELECT p.contact_id, p.company_id, people.normalize_name(p.full_name) AS nname,
               CASE WHEN p.email IS NOT NULL THEN people.normalize_email(p.email) END AS nemail,
               people.normalize_linkedin(p.linkedin_url) AS li,
               coalesce(CASE WHEN p.phone IS NOT NULL THEN people.normalize_phone(p.phone) END,
                        p.work_phone_e164, p.personal_phone_e164) AS phone
        FROM people.contact p
        WHERE p.status <> 'merged'
        OFFSET 0
    ) x
    LEFT JOIN people.nickname nk ON nk.name = split_part(x.nname, ' ', 1)
    ORDER BY x.contact_id
"""
COLUMNS = [
    "unique_id",
    "company_id",
    "nemail",
    "li",
    "phone",
    "first_key",
    "surname",
    "last3",
    "work_domain",
]


# --- pure scoring (no Splink needed) ----------------------------------------------------------


def pair(a, b) -> tuple:
    """An unordered pair as (smaller id, larger id): how both sides name the same two people."""
    return (a, b) if a <= b else (b, a)


def best_scores(scored) -> dict:
    """{pair: highest probability} from (id_l, id_r, probability) rows, in either order."""
    out: dict = {}
    for a, b, p in scored:
        k = pair(a, b)
        if p > out.get(k, -1.0):
            out[k] = p
    return out


def precision_recall(scored, truth, threshold) -> dict:
    """Precision and recall of the pairs scored ≥ threshold against the true pairs.

    Precision counts every predicted pair that is not an injected one as a false positive (as
    B12's "precision vs injected" does); recall is over all injected pairs, so a pair the
    blocking never produced counts as missed.
    """
    truth = {pair(a, b) for a, b in truth}
    predicted = {k for k, p in best_scores(scored).items() if p >= threshold}
    tp = len(predicted & truth)
    return {
        "threshold": threshold,
        "predicted": len(predicted),
        "true_positives": tp,
        "precision": round(tp / len(predicted), 3) if predicted else None,
        "recall": round(tp / len(truth), 3) if truth else None,
    }


def best_f1(scored, truth) -> dict:
    """The threshold (one of the scores) with the highest F1, and its precision and recall."""
    truth = {pair(a, b) for a, b in truth}
    ranked = sorted(best_scores(scored).items(), key=lambda kv: -kv[1])
    best = {"threshold": None, "precision": None, "recall": None, "f1": 0.0}
    tp = 0
    for i, (k, p) in enumerate(ranked):
        tp += k in truth
        # only at the last pair of a run of equal scores (a threshold keeps ties together)
        if i + 1 < len(ranked) and ranked[i + 1][1] == p:
            continue
        prec, rec = tp / (i + 1), (tp / len(truth) if truth else 0.0)
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        if f1 > best["f1"]:
            best = {
                "threshold": round(p, 4),
                "precision": round(prec, 3),
                "recall": round(rec, 3),
                "f1": round(f1, 3),
            }
    return best


def render_row(x: dict) -> tuple:
    """The bench-table cells (#, operation, figure, reference, ratio, met) of the peer line."""
    if "skipped" in x:
        return ("B12 peer", "Splink 4 (DuckDB)", x["skipped"], "", "informational", "—")
    at, best = x["at_threshold"], x["best_f1"]
    return (
        "B12 peer",
        f"Splink {x['splink_version']} (DuckDB) over {x['people']:,} people",
        f"{x['splink_s']} s, {x['peak_rss_mib']} MiB peak RSS "
        f"(+{x['rss_growth_mib']} MiB; export {x['export_s']} s)",
        f"{x['scored_pairs']:,} pairs scored ≥ {x['min_probability']} "
        f"({x['blocking_rules']} blocking rules)",
        f"P/R {at['precision']} / {at['recall']} at {at['threshold']}; best F1 "
        f"P/R {best['precision']} / {best['recall']} at {best['threshold']}",
        "— (informational)",
    )


# --- memory -----------------------------------------------------------------------------------


def _status_kib(field: str) -> int | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return None


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM) of this process; False where not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def rss_mib() -> tuple[float | None, float | None]:
    """(current RSS, peak RSS) of the whole process in MiB: DuckDB's native memory included."""
    cur, peak = _status_kib("VmRSS"), _status_kib("VmHWM")
    return (
        None if cur is None else round(cur / 1024, 1),
        None if peak is None else round(peak / 1024, 1),
    )


# --- the Splink run ---------------------------------------------------------------------------


def splink_available() -> bool:
    try:
        import splink  # noqa: F401
    except ImportError:
        return False
    return True


def run_splink(records: list[dict], seed=SEED, min_probability=0.01) -> dict:
    """Train and predict with Splink 4 on DuckDB; returns the scored pairs and their timings.

    ``records`` are dicts with the COLUMNS keys. Pairs under ``min_probability`` are not kept
    (they cannot be above any useful threshold).
    """
    import pandas as pd
    import splink
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    rules = [
        block_on("nemail"),
        block_on("li"),
        block_on("phone"),
        block_on("company_id", "first_key"),
        block_on("company_id", "last3"),
        block_on("work_domain", "first_key"),
        block_on("work_domain", "last3"),
    ]
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=rules,
        comparisons=[
            c.configure(m_probabilities=M_PROBABILITIES[name])
            for name, c in [
                ("first_key", cl.ExactMatch("first_key")),
                ("surname", cl.JaroWinklerAtThresholds("surname", [0.92, 0.8])),
                ("nemail", cl.ExactMatch("nemail")),
                ("li", cl.ExactMatch("li")),
                ("company_id", cl.ExactMatch("company_id")),
            ]
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    df = pd.DataFrame.from_records(records, columns=COLUMNS)
    t0 = time.perf_counter()
    linker = Linker(df, settings, DuckDBAPI())
    linker.training.estimate_probability_two_random_records_match(
        [block_on("company_id", "first_key", "surname")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=seed)
    t_train = time.perf_counter() - t0
    pred = linker.inference.predict(threshold_match_probability=min_probability)
    out = pred.as_pandas_dataframe()
    scored = list(
        zip(
            out["unique_id_l"].tolist(),
            out["unique_id_r"].tolist(),
            out["match_probability"].tolist(),
            strict=True,
        )
    )
    total = time.perf_counter() - t0
    return {
        "splink_version": splink.__version__,
        "scored": scored,
        "min_probability": min_probability,
        "train_s": round(t_train, 3),
        "splink_s": round(total, 3),
        "blocking_rules": len(rules),
        "model": linker.misc.save_model_to_json(),
    }


def measure_splink_peer() -> dict:
    """Export the live people with their blocking keys, run Splink, score against injected."""
    if not splink_available():
        return {"skipped": NOT_INSTALLED}
    t = time.perf_counter()
    with _cur() as cur:
        cur.execute(EXPORT_SQL)
        records = [dict(zip(COLUMNS, row, strict=True)) for row in cur.fetchall()]
        cur.execute("SELECT duplicate_id, original_id FROM bench.injected_duplicate")
        truth = cur.fetchall()
    export_s = time.perf_counter() - t
    rss_before, _ = rss_mib()
    reset = reset_peak_rss()
    run = run_splink(records)
    _, peak = rss_mib()
    scored = run.pop("scored")
    run.pop("model")
    return {
        **run,
        "people": len(records),
        "export_s": round(export_s, 3),
        "rss_before_mib": rss_before,
        "peak_rss_mib": peak,
        "peak_is_run_only": reset,
        "rss_growth_mib": round(peak - rss_before, 1) if peak and rss_before else None,
        "scored_pairs": len(scored),
        "injected_pairs": len(truth),
        "at_threshold": precision_recall(scored, truth, THRESHOLD),
        "best_f1": best_f1(scored, truth),
    }
