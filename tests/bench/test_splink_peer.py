"""The B12 peer line (Splink on DuckDB): its pairing and P/R logic, its row, its selection.

Everything but the last test is pure and runs without Splink; the last one runs Splink itself
and is skipped (pytest.importorskip) where the optional ``bench`` extra is not installed.
"""

import random

import pytest

from bench import run
from bench.ops import splink_peer as sp

FIRST = [
    "anna",
    "boris",
    "carla",
    "dmitri",
    "elena",
    "farid",
    "greta",
    "hugo",
    "ines",
    "jonas",
    "kira",
    "luis",
    "maya",
    "nils",
    "olga",
    "pavel",
    "rosa",
    "sami",
    "tanja",
    "uwe",
]
LAST = [
    "keller",
    "lindqvist",
    "moreau",
    "novak",
    "okafor",
    "petrov",
    "quast",
    "romero",
    "santos",
    "tanaka",
    "ulrich",
    "varga",
    "weber",
    "xu",
    "young",
    "zimmer",
]


def tiny_people(n=40, companies=4, dups=8):
    """n people in a few companies, then injected near-duplicates (ids n+1…) and the true pairs.

    A duplicate has its original's company and first name, a surname with one edit (dropped
    or doubled last letter, or unchanged) and a personal e-mail, like bench.seed_scale's.
    Names and companies come from a seeded generator, so the data is the same every run.
    """
    rnd = random.Random(7)
    people = []
    for i in range(1, n + 1):
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        company = rnd.randint(1, companies)
        people.append(
            {
                "unique_id": i,
                "company_id": company,
                "nemail": f"{first}.{last}.{i}@c{company}.example.com",
                "li": f"linkedin.com/in/{first}-{last}-{i}" if i % 3 else None,
                "phone": None,
                "first_key": first,
                "surname": last,
                "last3": last[:3],
                "work_domain": f"c{company}.example.com",
            }
        )
    truth = []
    for j in range(dups):
        original = 1 + (j * 37) % n  # distinct for j < n when n is not a multiple of 37
        o = people[original - 1]
        surname = {0: o["surname"], 1: o["surname"][:-1], 2: o["surname"] + o["surname"][-1]}[j % 3]
        dup_id = n + 1 + j
        people.append(
            {
                **o,
                "unique_id": dup_id,
                "nemail": f"{o['first_key']}{surname}{dup_id}@gmail.com",
                "li": None,
                "surname": surname,
                "last3": surname[:3],
                "work_domain": None,
            }
        )
        truth.append((dup_id, original))
    return people, truth


def test_pairs_are_unordered_and_keep_their_best_score():
    """(a, b) and (b, a) are one pair; a pair scored twice keeps its higher probability."""
    assert sp.pair(9, 2) == sp.pair(2, 9) == (2, 9)
    assert sp.best_scores([(5, 1, 0.2), (1, 5, 0.7), (2, 3, 0.4)]) == {(1, 5): 0.7, (2, 3): 0.4}


def test_precision_and_recall_against_the_injected_pairs():
    """Precision = injected pairs found / pairs predicted; recall over all injected pairs.

    Truth is given as (duplicate, original), the scores in the other order: they must match.
    """
    truth = [(41, 3), (42, 7), (43, 12), (44, 18)]
    scored = [(3, 41, 0.99), (7, 42, 0.95), (12, 43, 0.5), (1, 2, 0.97), (5, 6, 0.1)]
    at = sp.precision_recall(scored, truth, 0.9)
    assert at == {
        "threshold": 0.9,
        "predicted": 3,
        "true_positives": 2,
        "precision": round(2 / 3, 3),
        "recall": 0.5,
    }
    low = sp.precision_recall(scored, truth, 0.05)
    assert (low["predicted"], low["true_positives"], low["recall"]) == (5, 3, 0.75)
    assert sp.precision_recall([], truth, 0.9)["precision"] is None


def test_best_f1_picks_the_threshold_with_the_highest_f1_and_keeps_ties_together():
    """The sweep over the scores finds the best-F1 cut; equal scores are never split."""
    truth = [(1, 2), (3, 4), (5, 6)]
    scored = [(1, 2, 0.99), (3, 4, 0.9), (7, 8, 0.9), (5, 6, 0.6), (9, 10, 0.5), (11, 12, 0.5)]
    best = sp.best_f1(scored, truth)
    # cut at 0.9: P 2/3, R 2/3 (F1 0.667); at 0.6: P 3/4, R 1 (F1 0.857); at 0.5: P 0.5, R 1
    assert best == {"threshold": 0.6, "precision": 0.75, "recall": 1.0, "f1": 0.857}
    tie = sp.best_f1([(1, 2, 0.8), (7, 8, 0.8)], [(1, 2)])
    assert (tie["threshold"], tie["precision"]) == (0.8, 0.5)


def _report(b12p):
    return {
        "size": "S",
        "seed": 1,
        "seconds": 1.0,
        "dataset": {"counts": {"people": 48}},
        "machine": {
            "nproc": 2,
            "memory_mib": 1,
            "postgres": "PostgreSQL 18 on x",
            "load_avg": (0.0, 0.0, 0.0),
        },
        "results": {"B12P": b12p},
    }


def test_the_peer_row_renders_its_figures_or_says_not_installed():
    """The bench table has a "B12 peer" row with time, memory and P/R, or the install hint."""
    x = {
        "splink_version": "4.0.9",
        "people": 50000,
        "splink_s": 3.2,
        "peak_rss_mib": 512.0,
        "rss_growth_mib": 300.5,
        "export_s": 0.8,
        "scored_pairs": 1234,
        "min_probability": 0.01,
        "blocking_rules": 7,
        "at_threshold": {"threshold": 0.9, "precision": 0.95, "recall": 0.9},
        "best_f1": {"threshold": 0.42, "precision": 0.97, "recall": 0.93, "f1": 0.95},
    }
    text = run.render(_report(x))
    line = next(ln for ln in text.splitlines() if ln.startswith("| B12 peer |"))
    assert "Splink 4.0.9 (DuckDB) over 50,000 people" in line
    assert "3.2 s, 512.0 MiB peak RSS" in line
    assert "P/R 0.95 / 0.9 at 0.9; best F1 P/R 0.97 / 0.93 at 0.42" in line
    assert "informational" in line and "❌" not in line and "✅" not in line
    skipped = run.render(_report({"skipped": sp.NOT_INSTALLED}))
    assert "| B12 peer | Splink 4 (DuckDB) | not installed: pip install .[bench] |" in skipped


def test_the_peer_line_has_no_target_so_the_smoke_never_runs_it():
    """The CI smoke runs TARGETS minus B15 by default: the peer line must not be a target."""
    assert "B12P" in run.PEERS and "B12P" not in run.TARGETS


def test_peak_rss_is_read_from_the_process_status():
    """Current and peak RSS come from /proc/self/status (they cover DuckDB's native memory)."""
    sp.reset_peak_rss()
    cur, peak = sp.rss_mib()
    assert cur is not None and peak is not None and peak >= cur > 0


def test_splink_finds_the_injected_duplicates_of_a_tiny_dataset():
    """Splink itself, configured and trained as the bench does, finds the near-duplicates.

    400 people in 20 companies drawn from 20 first names and 16 surnames (so colleagues share
    names by chance) plus 40 injected near-duplicates. Skipped (pytest.importorskip) where the
    bench extra (splink, duckdb) is not installed: CI installs only the dev extra.
    """
    pytest.importorskip("splink")
    people, truth = tiny_people(n=400, companies=20, dups=40)
    out = sp.run_splink(people)
    best = sp.best_f1(out["scored"], truth)
    assert best["recall"] >= 0.9 and best["precision"] >= 0.6, best
    assert out["splink_version"].startswith("4.")


def test_without_splink_the_peer_line_is_skipped_not_failed(monkeypatch):
    """Where the bench extra is missing, the measurement returns the install hint, no error."""
    monkeypatch.setattr(sp, "splink_available", lambda: False)
    assert sp.measure_splink_peer() == {"skipped": "not installed: pip install .[bench]"}
