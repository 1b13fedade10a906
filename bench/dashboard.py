"""Benchmark of a municipality's results dashboard: prints figures, exits 0.

    .venv/bin/python bench/dashboard.py [--requests 20] [--municipalities 100] [--years 10]

Creates the throw-away database ``meirim_bench_dashboard`` on the PostgreSQL server that
``scripts/test-services.sh`` starts (and whose URL it prints last), migrates it, loads the
national catalogue and the municipality file, writes synthetic *approved* data (every index
indicator, about 3 % explicit "no data", for ``--municipalities`` × ``--years``), then asks
for one municipality's dashboard with Django's test client:

* cold: the cache is cleared before each request (compute + render);
* warm: the results and charts for the current data revision are in the cache.

Prints p50 / p95 latency in milliseconds for both, then drops the database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DB_NAME = "meirim_bench_dashboard"
FIRST_YEAR = 2016


def server_url() -> str:
    out = subprocess.run(
        [str(ROOT / "scripts" / "test-services.sh")],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return out.stdout.strip().splitlines()[-1]


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def admin_execute(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(statement)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def populate(n_municipalities: int, n_years: int) -> str:
    """Catalogue, municipalities and synthetic approved data; returns a municipality code."""
    import numpy as np
    from django.db import transaction
    from django.db.models import F

    from meirim.catalogue.models import Indicator
    from meirim.catalogue.services import catalogue_load_version
    from meirim.data.models import DataRevision, DataYear, Observation, ObservationStatus
    from meirim.geography.models import Municipality
    from meirim.geography.services import municipalities_import

    data_file = ROOT / "meirim" / "geography" / "data" / "municipalities.csv"
    municipalities_import(data=data_file.read_bytes(), filename=data_file.name, actor=None)
    version = catalogue_load_version(code="2026.1", actor=None, publish=True)
    indicators = list(Indicator.objects.filter(version=version).order_by("order"))
    places = list(Municipality.objects.order_by("code")[:n_municipalities])
    years = list(range(FIRST_YEAR, FIRST_YEAR + n_years))
    rng = np.random.default_rng(20260101)
    observations = []
    for place in places:
        level = rng.uniform(0.2, 0.8)
        for k, indicator in enumerate(indicators):
            trend = rng.normal(0.01, 0.02)
            for t, year in enumerate(years):
                if rng.random() < 0.03:
                    observations.append(
                        Observation(
                            version=version,
                            municipality=place,
                            code=indicator.code,
                            year=year,
                            status=ObservationStatus.NO_DATA,
                        )
                    )
                    continue
                share = min(max(level + trend * t + rng.normal(0, 0.05), 0.0), 1.0)
                if indicator.unit == "yesno":
                    value = float(rng.random() < share)
                elif indicator.unit == "percent":
                    value = round(100 * share, 2)
                elif indicator.unit == "count":
                    value = float(round(200 * share))
                else:
                    value = round((k % 7 + 1) * 50 * share, 3)
                observations.append(
                    Observation(
                        version=version,
                        municipality=place,
                        code=indicator.code,
                        year=year,
                        value=value,
                        is_demo=True,
                    )
                )
    with transaction.atomic():
        Observation.objects.bulk_create(observations, batch_size=5000)
        DataYear.objects.bulk_create(
            DataYear(version=version, municipality=place, year=year, state=DataYear.State.APPROVED)
            for place in places
            for year in years
        )
        revision, _ = DataRevision.objects.get_or_create(version=version)
        DataRevision.objects.filter(pk=revision.pk).update(revision=F("revision") + 1)
    print(
        f"data: {len(places)} municipalities x {len(indicators)} indicators x {n_years} years "
        f"= {len(observations):,} observations"
    )
    return places[len(places) // 2].code


def measure(code: str, requests: int) -> None:
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = Client()
    url = f"/en/results/{code}/"

    def timed() -> float:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return elapsed

    cold, warm = [], []
    for _ in range(requests):
        cache.clear()
        cold.append(timed())
    timed()  # fill the cache
    for _ in range(requests):
        warm.append(timed())
    print(f"dashboard {url}, {requests} requests each")
    print(f"{'':6} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
    for name, samples in (("cold", cold), ("warm", warm)):
        print(
            f"{name:6} {percentile(samples, 0.5):8.1f} {percentile(samples, 0.95):8.1f} "
            f"{statistics.fmean(samples):8.1f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--municipalities", type=int, default=100)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    url = server_url()
    admin_execute(url, f"DROP DATABASE IF EXISTS {DB_NAME}")
    admin_execute(url, f"CREATE DATABASE {DB_NAME}")
    os.environ["DATABASE_URL"] = with_database(url, DB_NAME)
    # The test settings: a fixed key, no collectstatic needed.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.testing")
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)
        code = populate(args.municipalities, args.years)
        measure(code, args.requests)
    finally:
        from django.db import connections

        connections.close_all()
        admin_execute(url, f"DROP DATABASE IF EXISTS {DB_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
