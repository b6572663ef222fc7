"""bench.apollo_100k at a few hundred rows: the figures it prints add up."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_apollo_bench_counts_add_up():
    """Stored + refused/skipped + duplicates = rows in the file, a progress bar was drawn on
    the pseudo-terminal, and both ratios vs COPY are printed."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.apollo_100k", "--rows", "500"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    rows = re.search(
        r"rows +(\d+) stored \+ (\d+) refused/skipped \((\d+) bad syntax named, (\d+) blank\) "
        r"\+ (\d+) duplicates = (\d+) of (\d+): consistent",
        out,
    )
    assert rows, out
    stored, skipped, bad, blank, dups, total, file_rows = map(int, rows.groups())
    assert stored + skipped + dups == total == file_rows == 500
    assert bad + blank == skipped and bad > 0 and blank > 0 and dups > 0
    assert re.search(r"\[#+-*\] +\d+% rows stored: \d+/500 \([\d,]+ rows/s, ETA \d+s\)", out)
    assert re.search(r"ratio vs COPY \(a\) +[\d.]+x", out)
    assert re.search(r"ratio vs COPY \(b\) +[\d.]+x", out)
