"""Build time of the open data release on a generated national data set; prints figures.

    .venv/bin/python bench/opendata.py [--municipalities 100] [--years 10] [--keep]

Creates the throw-away database ``meirim_bench_opendata`` on the PostgreSQL server that
``scripts/test-services.sh`` starts, migrates it and generates the data the way
``bench/national.py`` does (the national catalogue and municipality file, ``--municipalities``
synthetic cities × the catalogue's 74 indicators × ``--years`` approved years, by ``COPY``),
then computes and stores the results (not timed). Timed: ``release_build`` — the four
datasets read in columns and written as CSV, XLSX, JSON and Parquet to a temporary media
folder — with the rows and file sizes of each dataset. Talks to 127.0.0.1 only; the database
is dropped at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import national  # noqa: E402 - the national benchmark's data generation, reused

DB_NAME = "meirim_bench_opendata"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipalities", type=int, default=100)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    url = national.server_url()
    national.admin_execute(url, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    national.admin_execute(url, f"CREATE DATABASE {DB_NAME}")
    os.environ["DATABASE_URL"] = national.with_database(url, DB_NAME)
    media = tempfile.mkdtemp(prefix="meirim-bench-opendata-")
    os.environ["MEIRIM_MEDIA_ROOT"] = media
    try:
        national.setup_django()
        from django.core.management import call_command

        from meirim.catalogue.selectors import published_version
        from meirim.opendata import writers
        from meirim.opendata.services import read_datasets, release_build
        from meirim.reports.computing import results_compute

        call_command("migrate", verbosity=0, interactive=False)
        national.populate(args.municipalities, args.years)
        version = published_version()
        assert version is not None
        started = time.perf_counter()
        results_compute(version)
        print(f"results computed in {time.perf_counter() - started:.1f} s (not timed)")
        for run in (1, 2):
            started = time.perf_counter()
            release = release_build(force=True)
            wall = time.perf_counter() - started
            assert release is not None and release.state == "complete"
            print(
                f"open data release {release.label}, run {run}: {wall:.2f} s "
                f"(build {release.seconds:.2f} s)"
            )
        for dataset, formats in release.files.items():
            sizes = ", ".join(f"{fmt} {f['size'] / 1e6:.2f} MB" for fmt, f in formats.items())
            print(f"  {dataset}: {release.rows[dataset]:,} rows; {sizes}")
        # Where the time goes: the reads, then each dataset in each format.
        started = time.perf_counter()
        frames = read_datasets(version)
        print(f"  read the four datasets: {time.perf_counter() - started:.2f} s")
        folder = Path(media)
        for dataset, frame in frames.items():
            spent = []
            for fmt in writers.FORMATS:
                started = time.perf_counter()
                writers.write(frame, fmt, folder / f"x.{fmt}", dataset=dataset, envelope={})
                spent.append(f"{fmt} {time.perf_counter() - started:.2f} s")
            print(f"  write {dataset}: {', '.join(spent)}")
    finally:
        shutil.rmtree(media, ignore_errors=True)
        if not args.keep:
            from django.db import connections

            connections.close_all()
            national.admin_execute(url, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
