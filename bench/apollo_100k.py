"""``python -m bench.apollo_100k [--rows 100000] [--seed 1] [--runs 1]``.

Issue 16's last "done when": a 100k-row Apollo-shaped CSV through ``manage.py ingest``, with its
progress bar, measured against B9 (README "Performance": ``f_ingest_json`` through the upload
path vs COPY into ``intake.raw_loads``, target ≥ 0.6× COPY).

1. Writes a deterministic Apollo people CSV (the header set of
   ``tests/intake/data/apollo_people.csv``) with messy values: ~3% blank e-mails, ~1% bad
   syntax, UK/DE/IN/AU/US phones, "N/A"/"-"/mailto: websites, quoted commas and newlines,
   ~5% repeated e-mails, Zipf-like companies.
2. Clears this script's earlier batches, then times the Python side alone (the command's two
   passes: reading+mapping, then reading+mapping+normalising), keeping the prepared rows.
3. Runs ``manage.py ingest FILE --preset auto --batch … --source apollo`` as a subprocess under a
   pseudo-terminal, so the command draws its real progress bar; frames are captured; reads back
   the raw_data it stored.
4. ``--runs`` rounds of ``f_ingest_json`` alone (``services.batch_ingest_stream`` over the
   prepared rows, as the runtime role, rolled back) interleaved with COPY of the stored raw_data
   into ``intake.raw_loads`` as the owner (rolled back): B9 is the ratio of their medians.

Runs in its own database, ``EMBEDDED_DB_NAME=outreach_apollo`` (migrated first), whose
``intake.raw_loads`` it TRUNCATEs before the command and before each timed run
(``reset_raw_loads``).
"""

from __future__ import annotations

import argparse
import csv
import gc
import itertools
import os
import pty
import random
import re
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "outreach_apollo"
BATCH_PREFIX = "apollo-bench-"
HEADERS = (  # noqa: SIM905 - the header line as the vendor writes it
    "First Name,Last Name,Title,Company,Company Name for Emails,Email,Email Status,Seniority,"
    "Departments,Work Direct Phone,Home Phone,Mobile Phone,Corporate Phone,Other Phone,"
    "# Employees,Industry,Person Linkedin Url,Website,Company Linkedin Url,City,State,Country,"
    "Company City,Company State,Company Country,Apollo Contact Id,Keywords"
).split(",")
FIRST = (  # noqa: SIM905
    "Mary Zoë Jan Priya Liam Dana Lee Sam Ana Tom José Aoife Rahul Chloé Jürgen Mei Olivia "
    "Noah Emma Lucas Sofia Arjun Grace Henry Isla Jack Léa Max Nina Omar Ravi Sara Tariq Uma"
).split()
LAST = (  # noqa: SIM905
    "O'Brien Ñúñez Smith Müller Sharma Murphy Ruiz Park Okafor Silva Baker Nguyen Jones "
    "Schmidt Patel Wilson Taylor Brown Fischer Iyer Kelly Walsh Weber Gupta Martin Lee Clarke"
).split()
PARTICLES = ["", "", "", "", "", "", "van der ", "de ", "von ", "Mac"]
TITLES = [
    "Chief Financial Officer",
    "VP, People & Culture\n(Americas)",
    "Head of HR",
    "Director, Total Rewards",
    "Benefits Manager",
    "HR Manager",
    "Payroll Lead",
    "Controller",
    "CEO",
    "IT Director",
]
SENIORITY = ["c_suite", "vp", "head", "director", "manager", "senior", "entry"]
DEPARTMENTS = ["Finance", "Human Resources", "Information Technology", "Operations"]
STATUSES = ["Verified", "Verified", "Verified", "Extrapolated", "Guessed", "Unavailable"]
INDUSTRIES = ["Logistics & Supply Chain", "Insurance", "Utilities", "Mining & Metals", "Retail"]
# country: (name, TLD, cities, phone formats as (format, digit count))
COUNTRIES = {
    "US": ("United States", "com", ["New York", "Austin", "San Francisco"], 45),
    "GB": ("United Kingdom", "co.uk", ["London", "Leeds", "Bristol"], 20),
    "DE": ("Germany", "de", ["Berlin", "Hamburg", "München"], 15),
    "IN": ("India", "in", ["Bengaluru", "Mumbai", "Pune"], 10),
    "AU": ("Australia", "com.au", ["Sydney", "Melbourne", "Perth"], 10),
}
BAD_EMAILS = ["{u}..x@{d}", "{u}@", "{u}@@{d}", "{u} x@{d}", "{u}@{d}.", "{u}@-{d}"]


def _phone(rng: random.Random, code: str, kind: str) -> str:
    """A national- or international-format number of ``code``'s country (some invalid)."""
    d = lambda n: "".join(rng.choice("0123456789") for _ in range(n))  # noqa: E731
    if code == "US":
        area = rng.choice(["212", "415", "512", "646"])
        return rng.choice(
            [f"({area}) 555-{d(4)}", f"+1 {area}-{d(3)}-{d(4)}", f"({area}) 555-{d(4)} ext. 12"]
        )
    if code == "GB":
        return (
            f"07700 9{d(5)}"
            if kind == "mobile"
            else rng.choice([f"020 7946 {d(4)}", f"+44 20 7946 {d(4)}"])
        )
    if code == "DE":
        return (
            f"+49 151 {d(8)}" if kind == "mobile" else rng.choice([f"030 {d(7)}", f"+49 30 {d(6)}"])
        )
    if code == "IN":
        return f"098765 {d(5)}" if kind == "mobile" else f"+91 80 {d(4)} {d(4)}"
    return f"0412 {d(3)} {d(3)}" if kind == "mobile" else f"(02) 9{d(3)} {d(4)}"


def write_csv(path: Path, *, rows: int, seed: int) -> dict:
    """Write the Apollo CSV; returns what was injected (blank, bad-syntax and repeated e-mails)."""
    rng = random.Random(seed)
    n_companies = max(50, rows // 10)
    weights = list(itertools.accumulate(1 / (k + 1) ** 1.1 for k in range(n_companies)))
    companies = []
    for k in range(n_companies):
        code = rng.choices(list(COUNTRIES), weights=[v[3] for v in COUNTRIES.values()])[0]
        kind = rng.choice(["Freight", "Benefits", "Mining", "Systems", "Traders"])
        stem = f"{rng.choice(LAST).replace(chr(39), '')} {kind} {k}"
        slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
        slug = slug.encode("ascii", "ignore").decode() or f"co{k}"
        site = rng.choices(
            [
                f"{slug}.{COUNTRIES[code][1]}",
                f"https://www.{slug}.{COUNTRIES[code][1]}",
                f"http://www.{slug}.{COUNTRIES[code][1]}/",
                "N/A",
                "-",
                f"mailto:info@{slug}.com",
                "http://intranet/",
                "",
            ],
            weights=[40, 30, 15, 6, 3, 2, 2, 2],
        )[0]
        suffix = rng.choice(["Ltd", "GmbH", "Pvt Ltd", "Inc.", "Pty Ltd", ""])
        name = f"{stem}, {suffix}" if suffix == "Inc." else f"{stem} {suffix}".strip()
        employees = rng.choice(["12", "250", "1,200", "3400", "10001", "51-200", ""])
        companies.append((code, name, stem, slug, site, employees))
    emails: list[str] = []
    injected = {"blank": 0, "bad": 0, "repeat": 0}
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\r\n")
        out.writerow(HEADERS)
        for n in range(rows):
            code, company, short, slug, site, employees = companies[
                rng.choices(range(n_companies), cum_weights=weights)[0]
            ]
            country, tld, cities, _ = COUNTRIES[code]
            first, last = rng.choice(FIRST), rng.choice(PARTICLES) + rng.choice(LAST)
            user = re.sub(r"[^a-z0-9]+", ".", f"{first}.{last}".lower()).strip(".") + str(n)
            domain = f"{slug}.{tld}"
            roll = rng.random()
            if roll < 0.03:
                email = ""
                injected["blank"] += 1
            elif roll < 0.04:
                email = rng.choice(BAD_EMAILS).format(u=user, d=domain)
                injected["bad"] += 1
            elif roll < 0.09 and emails:
                email = rng.choice(emails)
                injected["repeat"] += 1
            else:
                email = f"{user}@{domain}"
                emails.append(email)
            city = rng.choice(cities)
            row = {
                "First Name": first,
                "Last Name": last,
                "Title": rng.choice(TITLES),
                "Company": company,
                "Company Name for Emails": short,
                "Email": email,
                "Email Status": rng.choice(STATUSES),
                "Seniority": rng.choice(SENIORITY),
                "Departments": rng.choice(DEPARTMENTS),
                "Work Direct Phone": _phone(rng, code, "work") if rng.random() < 0.5 else "",
                "Home Phone": "",
                "Mobile Phone": _phone(rng, code, "mobile") if rng.random() < 0.4 else "",
                "Corporate Phone": _phone(rng, code, "work") if rng.random() < 0.7 else "",
                "Other Phone": "555-0110" if rng.random() < 0.02 else "",
                "# Employees": employees,
                "Industry": rng.choice(INDUSTRIES),
                "Person Linkedin Url": (
                    f"https://www.linkedin.com/in/{user.replace('.', '-')}"
                    if rng.random() < 0.8
                    else ""
                ),
                "Website": site,
                "Company Linkedin Url": f"http://www.linkedin.com/company/{slug}",
                "City": city,
                "State": "",
                "Country": country,
                "Company City": city,
                "Company State": "",
                "Company Country": country,
                "Apollo Contact Id": f"{rng.getrandbits(96):024x}",
                "Keywords": "benefits, payroll" if rng.random() < 0.3 else "",
            }
            out.writerow([row[h] for h in HEADERS])
    return injected


def _env() -> dict:
    env = dict(os.environ)
    env["EMBEDDED_DB_NAME"] = DB_NAME
    env["DJANGO_SETTINGS_MODULE"] = "outreach_admin.settings"
    env["DJANGO_DEBUG"] = "false"
    env.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
    return env


def _setup() -> None:
    os.environ.update(_env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def run_under_pty(argv: list[str]) -> tuple[float, int, str, str]:
    """Run ``argv`` with stdout on a pseudo-terminal (stderr piped); wall time, rc, outputs."""
    master, slave = pty.openpty()
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=slave, stderr=subprocess.PIPE, env=_env(), cwd=ROOT, close_fds=True
    )
    os.close(slave)
    chunks, err = [], []
    while True:
        ready, _, _ = select.select([master, proc.stderr], [], [], 1.0)
        if proc.stderr in ready:
            data = os.read(proc.stderr.fileno(), 65536)
            if data:
                err.append(data)
        if master in ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                data = b""
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None and not ready:
            break
    rc = proc.wait()
    elapsed = time.perf_counter() - started
    err.append(proc.stderr.read())
    os.close(master)
    return elapsed, rc, b"".join(chunks).decode(), b"".join(err).decode()


def frames_of(output: str) -> list[str]:
    """The redrawn progress lines (``\\r\\x1b[2K`` + line) in order."""
    text = output.replace("\x1b[2K", "")
    return [f.strip() for f in re.split(r"[\r\n]+", text) if "rows/s" in f]


def python_side(path: Path) -> tuple[float, float, list[dict], dict]:
    """Time the command's two passes without the database: reading+mapping (counting pass) and
    reading+mapping+normalising (the rows handed to f_ingest_json)."""
    from intake import parsing, presets

    with path.open("rb") as fh:
        kind = parsing.sniff_format(fh, str(path))
        columns, _ = presets.read_columns(fh, kind)
    mapping = presets.guess_mapping(columns, presets.detect_preset(columns))
    t = time.perf_counter()
    with path.open("rb") as fh:
        count = sum(
            1 for _ in presets.open_prepared(fh, kind, mapping, preset="apollo", normalise=False)
        )
    read_s = time.perf_counter() - t
    refused: dict = {}
    t = time.perf_counter()
    with path.open("rb") as fh:
        rows = list(presets.open_prepared(fh, kind, mapping, preset="apollo", refused=refused))
    norm_s = time.perf_counter() - t
    assert count == len(rows)
    return read_s, norm_s, rows, refused


def f_ingest_once(rows: list[dict], run: int) -> float:
    """``batch_ingest_stream`` over prepared rows as the runtime role (the B9 path), rolled back."""
    from django.db import transaction

    from intake import services
    from outreach_admin.db import acting_as

    with acting_as("bench"):
        t = time.perf_counter()
        services.batch_ingest_stream(
            rows=iter(rows), source="apollo", batch_id=f"{BATCH_PREFIX}fn-{run}"
        )
        elapsed = time.perf_counter() - t
        transaction.set_rollback(True)
    return elapsed


def read_stored(batch_id: str) -> tuple[list[str], dict]:
    """The raw_data the command stored (as text, in load order) and the batch's counts by
    status."""
    from django.db import connections

    with connections["owner"].cursor() as cur:
        cur.execute(
            "SELECT raw_data::text FROM intake.raw_loads WHERE batch_id = %s ORDER BY load_id",
            [batch_id],
        )
        raws = [r[0] for r in cur.fetchall()]
        cur.execute(
            "SELECT status, count(*) FROM intake.raw_loads WHERE batch_id = %s GROUP BY 1",
            [batch_id],
        )
        return raws, dict(cur.fetchall())


def copy_once(raws: list[str]) -> float:
    """COPY of the stored raw_data into intake.raw_loads as the owner, rolled back."""
    from django.db import connections

    owner = connections["owner"]
    owner.ensure_connection()
    pg = owner.connection
    pg.commit()
    with pg.transaction(force_rollback=True), pg.cursor() as cur:
        t = time.perf_counter()
        with cur.copy("COPY intake.raw_loads (batch_id, source, raw_data) FROM STDIN") as cp:
            for raw in raws:
                cp.write_row(("apollo-copy", "apollo", raw))
        return time.perf_counter() - t


def reset_raw_loads() -> int:
    """Empty intake.raw_loads of this bench's own database with TRUNCATE (not DELETE), before
    each timed ingest: it gives the table a new file with no statistics (reltuples -1). After a
    DELETE or a rolled-back 100k ingest, autovacuum records it as analysed-empty (reltuples 0
    over ~30k dead pages) and f_ingest_json's duplicate lookup then seq-scans the growing table
    on every chunk of a big ingest: ~11 s per 2,000-row chunk (seen in the first run)."""
    from django.db import connections

    with connections["owner"].cursor() as cur:
        cur.execute("SELECT count(*) FROM intake.raw_loads")
        rows = cur.fetchone()[0]
        cur.execute("TRUNCATE intake.raw_loads CASCADE")
        return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1, help="f_ingest_json/COPY repetitions")
    parser.add_argument("--frames", type=int, default=6, help="progress frames shown")
    args = parser.parse_args(argv)
    python = sys.executable
    manage = str(ROOT / "manage.py")
    subprocess.run(
        [python, manage, "migrate", "--database", "owner", "-v", "0"], env=_env(), check=True
    )
    _setup()
    from django.db import connections

    cleared = reset_raw_loads()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "apollo_people.csv"
        injected = write_csv(path, rows=args.rows, seed=args.seed)
        size_mib = path.stat().st_size / 1024 / 1024
        # No cyclic GC while 100k prepared rows are held (the command streams them; collecting
        # a growing list of dicts would be charged to these timings and not to the command's).
        gc.disable()
        read_s, norm_s, rows, refused_py = python_side(path)
        connections.close_all()
        batch_id = f"{BATCH_PREFIX}{args.rows}-{args.seed}-{time.time_ns() % 10**9}"
        wall, rc, out, err = run_under_pty(
            [
                python,
                manage,
                "ingest",
                str(path),
                "--preset",
                "auto",
                "--batch",
                batch_id,
                "--source",
                "apollo",
            ]  # fmt: skip
        )
    if rc:
        print(out, err, sep="\n")
        return rc
    raws, status = read_stored(batch_id)
    stored_rows = len(raws)
    # f_ingest_json and COPY interleaved, each into a freshly truncated table, so a busy
    # moment of this shared machine slows both sides of the ratio alike.
    fn_times, copy_times = [], []
    for run in range(args.runs):
        reset_raw_loads()
        fn_times.append(f_ingest_once(rows, run))
        reset_raw_loads()
        copy_times.append(copy_once(raws))
    del rows, raws
    gc.enable()
    summary = re.search(
        r"(\d+) rows read: (\d+) stored as pending, (\d+) duplicates, (\d+) skipped", out
    )
    read, pending, dups, skipped = map(int, summary.groups())
    more = re.search(r"and (\d+) more rows refused", err)
    refused = err.count(" refused: ") + (int(more.group(1)) if more else 0)
    frames = frames_of(out)
    shown = frames[:: max(1, len(frames) // args.frames)][: args.frames]
    if frames and frames[-1] not in shown:
        shown.append(frames[-1])
    fn_s, copy_s = statistics.median(fn_times), statistics.median(copy_times)
    consistent = pending + dups + skipped == read == args.rows and refused == len(refused_py)
    consistent = consistent and status.get("pending", 0) == pending
    consistent = consistent and status.get("duplicate", 0) == dups

    print(f"database              {DB_NAME} (rows truncated first: {cleared:,})")
    print(
        f"file                  {args.rows:,} Apollo CSV rows, {size_mib:.1f} MiB, seed {args.seed}"
    )
    print(
        f"injected              {injected['blank']:,} blank e-mails, {injected['bad']:,} bad "
        f"syntax, {injected['repeat']:,} repeated e-mails"
    )
    print("progress frames       (pty; as the command redrew them)")
    for frame in shown:
        print(f"    {frame}")
    print(f"ingest command        {wall:.2f} s wall, {args.rows / wall:,.0f} rows/s (rc {rc})")
    print(f"  python: read+map    {read_s:.2f} s (counting pass)")
    print(f"  python: +normalise  {norm_s:.2f} s (rows handed to f_ingest_json)")
    print(
        f"  f_ingest_json       {fn_s:.2f} s ({args.rows / fn_s:,.0f} rows/s; "
        f"runs {[round(t, 2) for t in fn_times]})"
    )
    rest = wall - read_s - norm_s - fn_s
    print(f"  rest (startup…)     {rest:.2f} s")
    print(
        f"COPY reference        {copy_s:.2f} s for the {stored_rows:,} stored raw_data values "
        f"(runs {[round(t, 2) for t in copy_times]})"
    )
    print(f"ratio vs COPY (a)     {copy_s / wall:.3f}x  whole command")
    print(f"ratio vs COPY (b)     {copy_s / fn_s:.3f}x  f_ingest_json alone (B9; target ≥ 0.6x)")
    print(
        f"rows                  {pending:,} stored + {skipped:,} refused/skipped "
        f"({refused:,} bad syntax named, {skipped - refused:,} blank) + {dups:,} duplicates "
        f"= {pending + skipped + dups:,} of {args.rows:,}: "
        f"{'consistent' if consistent else 'MISMATCH'}"
    )
    return 0 if consistent else 1


if __name__ == "__main__":
    sys.exit(main())
