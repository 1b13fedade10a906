"""Benchmark of the observations import: 1,000,000 rows into PostgreSQL, budget 10 s.

    .venv/bin/python bench/import_observations.py [--rows N] [--reimport] [--keep]

Uses the PostgreSQL server of DATABASE_URL (default: the one ``./scripts/test-services.sh``
starts and prints). Creates its own database ``meirim_bench`` on that server, migrates it,
loads the catalogue 2026.1 and N synthetic municipalities, generates a CSV (fixed seed) with
a ``municipality`` column and imports it with ``observations_import_all`` — the service the
``import_observations --all-municipalities`` command calls. Then drops the database.

Timed: the service call only (reading the bytes, checking every row, the year-on-year
check, COPY + INSERT … ON CONFLICT, audit, revision), not the generation of the file.
``--reimport`` imports the same file again: every cell is then unchanged.
Prints rows, seconds, rows/s, the budget, the ratio and the peak memory (ru_maxrss, budget
500 MB), with the command that made them.
Exits 0 either way (``--strict``: exit 1 when over budget).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED = 20260101
ROWS = 1_000_000
BUDGET_SECONDS = 10.0
BENCH_DATABASE = "meirim_bench"
YEARS = tuple(range(2015, 2025))
# (sex, age_band, disability): the total and seven breakdowns.
BREAKDOWNS = (
    ("", "", ""),
    ("female", "", ""),
    ("male", "", ""),
    ("", "0-4", ""),
    ("", "5-9", ""),
    ("", "10-14", ""),
    ("", "15-17", ""),
    ("", "", "with"),
)
SOURCES = ("Bureau of National Statistics", "Akimat department of education", "Health department")
HEADER = (
    "municipality,code,name,year,value,numerator,denominator,status,sex,age_band,disability,"
    "district,data_type,collection_method,source,comment"
)


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        return url
    result = subprocess.run(
        [str(ROOT / "scripts" / "test-services.sh")], check=True, capture_output=True, text=True
    )
    return result.stdout.strip().splitlines()[-1]


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def admin_execute(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(statement)


def generate_csv(
    specs: dict[str, tuple[str, str, float]],
    municipalities: list[str],
    rows: int,
    seed: int = SEED,
) -> bytes:
    """``specs``: code → (unit, denominator series, factor). Deterministic for a given seed.

    Every fourth value is written the way people type them ("45,5", "12 000"); about one
    series in a hundred has a jump (a year × 8) that the outlier check should flag.
    """
    rnd = random.Random(seed)
    buffer = io.BytesIO()  # encoded as it goes: no second copy of the text
    out = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    out.write(HEADER + "\n")
    writer = csv.writer(out, lineterminator="\n")
    written = 0
    for municipality in municipalities:
        for code, (unit, denominator, factor) in specs.items():
            for sex, age_band, disability in BREAKDOWNS:
                level = rnd.uniform(5, 80)
                jump_year = rnd.choice(YEARS) if rnd.random() < 0.01 else 0
                for year in YEARS:
                    if written == rows:
                        out.flush()
                        return buffer.getvalue()
                    value = numerator = den = ""
                    status = "reported"
                    drift = level * rnd.uniform(0.9, 1.1) * (8 if year == jump_year else 1)
                    if rnd.random() < 0.03:
                        status = "no_data"
                    elif unit == "yesno":
                        value = rnd.choice(("yes", "no", "иә", "жоқ"))
                    elif unit == "percent":
                        if denominator and rnd.random() < 0.3:
                            den = str(rnd.randint(1000, 50000))
                            numerator = str(int(int(den) * min(drift, 100) / 100))
                        else:
                            value = f"{min(drift, 100):.2f}"
                            if written % 4 == 0:
                                value = value.replace(".", ",")
                    elif unit == "rate":
                        if denominator and rnd.random() < 0.3:
                            den = str(rnd.randint(10000, 90000))
                            numerator = str(int(int(den) * drift / factor))
                        else:
                            value = f"{drift:.1f}"
                    elif unit == "count":
                        value = str(int(drift * 1000))
                        if written % 4 == 0:
                            value = f"{int(drift * 1000):,}".replace(",", " ")
                    else:
                        value = f"{drift:.3f}"
                    writer.writerow(
                        (
                            municipality,
                            code,
                            "",
                            year,
                            value,
                            numerator,
                            den,
                            status,
                            sex,
                            age_band,
                            disability,
                            "",
                            "",
                            "official_statistics",
                            SOURCES[written % len(SOURCES)],
                            "",
                        )
                    )
                    written += 1
    raise SystemExit(f"not enough synthetic cells for {rows} rows")


def _time_phases() -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """Wrap the steps of the import with timers, for the last import: name → seconds, the
    peak memory (MB) when the step ended, and the CPU seconds of this process (all threads;
    steady on a busy machine, unlike the seconds; the database server's work is not in it)."""
    from meirim.data.services import imports

    phases: dict[str, float] = {}
    peaks: dict[str, float] = {}
    cpus: dict[str, float] = {}

    def timed(name: str, function):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            started, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - started
                cpus[name] = cpus.get(name, 0.0) + time.process_time() - cpu
                peaks[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        return wrapper

    imports._read = timed("read", imports._read)
    imports._read_frames = timed("read frames", imports._read_frames)
    imports.FrameChecker.check = timed("check", imports.FrameChecker.check)
    selectors = imports.data_selectors
    selectors.stored_cells_frame = timed("stored cells", selectors.stored_cells_frame)
    imports.series_ids = timed("history", imports.series_ids)
    imports.check_history_frame = timed("history", imports.check_history_frame)
    imports.mark_changes = timed("changes", imports.mark_changes)
    imports._write_frame = timed("write", imports._write_frame)
    return phases, peaks, cpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument(
        "--reimport", action="store_true", help="import the same file again (all unchanged)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database meirim_bench")
    parser.add_argument("--strict", action="store_true", help="exit 1 when over budget")
    args = parser.parse_args()

    print("command: " + " ".join(["bench/import_observations.py", *sys.argv[1:]]), flush=True)
    url = server_url()
    admin_execute(url, f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
    admin_execute(url, f"CREATE DATABASE {BENCH_DATABASE}")
    os.environ["DATABASE_URL"] = with_database(url, BENCH_DATABASE)
    # The test settings: a fixed key, no collectstatic needed.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.testing")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from meirim.catalogue.services import catalogue_load_version
    from meirim.data import selectors as data_selectors
    from meirim.data.services import observations_import_all
    from meirim.geography.services import municipalities_import

    phases, peaks, cpus = _time_phases()
    over = False
    try:
        print(f"database: {os.environ['DATABASE_URL']}", flush=True)
        from bench.pgsettings import server_settings

        print(server_settings(), flush=True)
        call_command("migrate", verbosity=0)
        version = catalogue_load_version(code="2026.1", actor=None, publish=True)
        specs = {
            code: (spec.unit, spec.denominator, float(spec.factor or 1))
            for code, spec in data_selectors.item_specs(version).items()
        }
        cells = len(specs) * len(BREAKDOWNS) * len(YEARS)
        count = -(-args.rows // cells)
        codes = [f"BENCH-{n:03d}" for n in range(1, count + 1)]
        geography = "code,kind,parent,country,name_en\nBENCH,region,,XX,Bench region\n" + "".join(
            f"{code},city_regional,BENCH,XX,Bench town {code[-3:]}\n" for code in codes
        )
        municipalities_import(data=geography.encode(), filename="bench.csv", actor=None)
        started = time.perf_counter()
        data = generate_csv(specs, codes, args.rows)
        print(
            f"generated {args.rows:,} rows for {count} municipalities "
            f"({len(data) / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        runs = [("import", data)]
        if args.reimport:  # the same file again: every cell is unchanged
            runs.append(("re-import", data))
        for label, data in runs:
            marks: dict[str, float] = {}

            def progress(
                done: int, total: int, marks: dict[str, float] = marks, label: str = label
            ) -> None:
                marks.setdefault("checked", time.perf_counter())
                print(f"  {label}: {done:>9,} / {total:,} rows written", flush=True)

            phases.clear()
            peaks.clear()
            cpus.clear()
            started = time.perf_counter()
            summary = observations_import_all(
                version=version, data=data, filename="bench.csv", actor=None, progress=progress
            )
            seconds = time.perf_counter() - started
            checked = marks.get("checked", started) - started
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            over = over or seconds > BUDGET_SECONDS
            print(f"{label}:")
            print(
                f"  rows          {summary.rows:,} ({summary.created:,} created, "
                f"{summary.updated:,} updated, {summary.unchanged:,} unchanged, "
                f"{len(summary.outliers):,} outlier warnings)"
            )
            print(
                f"  seconds       {seconds:.1f} "
                f"(check {checked:.1f}, write {seconds - checked:.1f})"
            )
            split = ", ".join(f"{name} {seconds:.1f}" for name, seconds in phases.items())
            print(f"  phases        {split}")
            split = ", ".join(f"{name} {seconds:.1f}" for name, seconds in cpus.items())
            print(f"  cpu (python)  {split}")
            print(f"  rows/s        {summary.rows / seconds:,.0f}")
            print(f"  budget        {BUDGET_SECONDS:.0f} s")
            print(f"  ratio         {seconds / BUDGET_SECONDS:.2f} of the budget")
            print(f"  peak memory   {peak_mb:,.0f} MB (ru_maxrss)")
            after = ", ".join(f"{name} {mb:,.0f}" for name, mb in peaks.items())
            print(f"  peak after    {after} (MB)")
            loads = " ".join(f"{load:.2f}" for load in os.getloadavg())
            print(f"  load average  {loads}", flush=True)
    finally:
        connections.close_all()
        if not args.keep:
            admin_execute(url, f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
    return 1 if (over and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
