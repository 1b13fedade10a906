"""National-scale benchmark of the stored results: prints figures, exits 0 (``--strict``: 1
when a figure is over its target).

    .venv/bin/python bench/national.py [--municipalities 10000] [--years 10] [--strict]

Creates the throw-away database ``meirim_bench_national`` on the PostgreSQL server that
``scripts/test-services.sh`` starts (and whose URL it prints last), migrates it, loads the
national catalogue and the municipality file, adds ``--municipalities`` synthetic ones
(``BENCH-00001``…, spread over the regions) and writes, by ``COPY``, one observation for
every (municipality, catalogue indicator, year): 10,000 × 74 × 10 = 7.4 million, every data
year approved, about 3 % explicit "no data". Directional indicators without goalposts get
the 5th and 95th percentile of the generated values (basis "national"), so the whole index
is scored. Generation is not timed. Then, each figure with its command, target and load:

* full recompute: ``results_compute(version)`` of every city in a process of its own, as
  the worker runs it (seconds, node rows written, peak RSS);
* one value changes: ``observation_save`` of one city's open year, then the time until the
  city's ``ResultState.computed_at`` is newer and its dashboard (preview of the open year)
  shows the new value and score, with a real ``manage.py db_worker`` running (5 times);
* served load: gunicorn (``config.wsgi``, production settings) driven by locust
  (``bench/locustfile.py``, headless): (a) dashboard + API of random cities, (b) the
  comparison page with 10 cities, (c) (a) while a full recompute runs (at ``nice -n 10``,
  as the README asks of workers beside the web server); p50/p95/max, req/s, failures, and
  the RSS of each gunicorn worker at start and end;
* ``relative_compute(version)`` (the comparison across cities; information only);
* the national council's Phase 1 overview of every municipality (``/en/preparation/``,
  unfiltered and filtered by status), rendered in-process: median of five views.

Everything listens on and talks to 127.0.0.1 only; every run is bounded in time. The
database is dropped at the end (``--keep`` keeps it; ``--reuse`` skips the generation when
a kept database is there).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DB_NAME = "meirim_bench_national"
FIRST_YEAR = 2016
VERSION = "2026.1"
PYTHON = sys.executable
CODES_FILE = Path(tempfile.gettempdir()) / f"meirim-bench-national-codes-{os.getpid()}.txt"
LATENCY_RUNS = 5
LATENCY_LIMIT = 60.0  # seconds: a change not shown by then counts as that long


# --------------------------------------------------------------------------------------
# Reporting


@dataclass
class Figure:
    name: str
    command: str
    value: float
    unit: str
    target: float | None
    load: tuple[float, float, float]
    detail: str = ""

    @property
    def ratio(self) -> float | None:
        return None if not self.target else self.value / self.target

    @property
    def over(self) -> bool:
        return self.target is not None and self.value > self.target


FIGURES: list[Figure] = []


def load() -> tuple[float, float, float]:
    return os.getloadavg()


def record(
    name: str,
    command: str,
    value: float,
    unit: str,
    target: float | None,
    detail: str = "",
    at_load: tuple[float, float, float] | None = None,
) -> None:
    figure = Figure(name, command, value, unit, target, at_load or load(), detail)
    FIGURES.append(figure)
    target_text = "information" if target is None else f"target <= {target:g} {unit}"
    ratio = "" if figure.ratio is None else f", ratio {figure.ratio:.2f}"
    flag = "  OVER" if figure.over else ""
    print(
        f"\n== {name}: {value:.3f} {unit} ({target_text}{ratio}){flag}\n"
        f"   command: {command}\n"
        f"   load average (1/5/15 min): {figure.load[0]:.2f} {figure.load[1]:.2f} "
        f"{figure.load[2]:.2f}",
        flush=True,
    )
    if detail:
        print("   " + detail.replace("\n", "\n   "), flush=True)


def summary() -> None:
    print("\n== summary (value / target = ratio; load average 1 min at the time)")
    for f in FIGURES:
        target = "-" if f.target is None else f"{f.target:g}"
        ratio = "-" if f.ratio is None else f"{f.ratio:.2f}"
        print(
            f"   {f.name:58} {f.value:10.3f} {f.unit:4} / {target:>6} = {ratio:>5}"
            f"  load {f.load[0]:.2f}{'  OVER' if f.over else ''}"
        )


# --------------------------------------------------------------------------------------
# Database


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


def database_exists(url: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.testing")
    import django

    django.setup()


def copy_frame(table: str, frame: Any) -> None:
    """COPY a polars frame into ``table`` (columns named as the frame's)."""
    from django.db import connection

    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False, null_value="")
    data = buffer.getbuffer()
    names = ", ".join(connection.ops.quote_name(c) for c in frame.columns)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)") as copy,
    ):
        step = 1 << 22
        for start in range(0, len(data), step):
            copy.write(data[start : start + step])


def populate(n_municipalities: int, n_years: int) -> None:
    """Catalogue, municipalities, synthetic municipalities and approved observations."""
    import numpy as np
    import polars as pl
    from django.db import connection, transaction
    from django.db.models import F
    from django.utils import timezone

    from meirim.catalogue.models import Indicator, PostsBasis
    from meirim.catalogue.services import catalogue_load_version
    from meirim.data.models import DataRevision, DataYear, Observation
    from meirim.geography.models import Municipality, MunicipalityKind, Region
    from meirim.geography.services import municipalities_import

    started = time.perf_counter()
    data_file = ROOT / "meirim" / "geography" / "data" / "municipalities.csv"
    municipalities_import(data=data_file.read_bytes(), filename=data_file.name, actor=None)
    version = catalogue_load_version(code=VERSION, actor=None, publish=True)
    indicators = list(Indicator.objects.filter(version=version).order_by("order", "code"))
    regions = list(Region.objects.order_by("code"))
    Municipality.objects.bulk_create(
        (
            Municipality(
                code=f"BENCH-{i:05d}",
                country=regions[i % len(regions)].country,
                name_en=f"Bench municipality {i}",
                name_ru=f"Тестовый муниципалитет {i}",
                kind=MunicipalityKind.DISTRICT,
                region=regions[i % len(regions)],
                child_population=1000 + i,
            )
            for i in range(1, n_municipalities + 1)
        ),
        batch_size=2000,
    )
    places = np.array(
        Municipality.objects.filter(code__startswith="BENCH-")
        .order_by("code")
        .values_list("pk", flat=True),
        dtype=np.int64,
    )
    years = np.arange(FIRST_YEAR, FIRST_YEAR + n_years, dtype=np.int64)
    n_u, n_k, n_y = places.size, len(indicators), years.size
    rng = np.random.default_rng(20260101)
    level = rng.uniform(0.2, 0.8, size=(n_u, 1, 1))
    trend = rng.normal(0.01, 0.02, size=(n_u, n_k, 1))
    t = np.arange(n_y).reshape(1, 1, n_y)
    share = np.clip(level + trend * t + rng.normal(0, 0.05, size=(n_u, n_k, n_y)), 0.0, 1.0)
    values = np.empty((n_u, n_k, n_y))
    texts = np.zeros(n_k, dtype=bool)
    for k, indicator in enumerate(indicators):
        s = share[:, k, :]
        if indicator.unit == "yesno":
            values[:, k, :] = (rng.random(s.shape) < s).astype(float)
        elif indicator.unit == "percent":
            values[:, k, :] = np.round(100 * s, 2)
        elif indicator.unit == "count":
            values[:, k, :] = np.round(200 * s)
        elif indicator.unit == "text":
            texts[k] = True
            values[:, k, :] = np.nan
        else:
            values[:, k, :] = np.round((k % 7 + 1) * 50 * s, 3)
    no_data = rng.random((n_u, n_k, n_y)) < 0.03
    # Goalposts for the directional indicators that have none: the national distribution.
    posted = 0
    for k, indicator in enumerate(indicators):
        if indicator.direction == 0 or texts[k] or indicator.posts is not None:
            continue
        low, high = np.nanpercentile(values[:, k, :], [5, 95])
        if not high > low:
            low, high = float(np.nanmin(values[:, k, :])), float(np.nanmax(values[:, k, :]))
        if not high > low:
            high = low + 1
        Indicator.objects.filter(pk=indicator.pk).update(
            lower_post=round(float(low), 6),
            upper_post=round(float(high), 6),
            posts_basis=PostsBasis.NATIONAL,
        )
        posted += 1
    codes = np.array([i.code for i in indicators], dtype=object)
    u_ix, k_ix, y_ix = (a.reshape(-1) for a in np.indices((n_u, n_k, n_y)))
    flat_values = values.reshape(-1)
    flat_no_data = no_data.reshape(-1)
    is_text = texts[k_ix]
    now = timezone.now()
    frame = pl.DataFrame(
        {
            "version_id": np.full(u_ix.size, version.pk, dtype=np.int64),
            "municipality_id": places[u_ix],
            "code": pl.Series(codes[k_ix], dtype=pl.String),
            "year": years[y_ix],
            "value": np.where(flat_no_data, np.nan, flat_values),
            "text_value": np.where(is_text & ~flat_no_data, "Described in the plan.", ""),
            "status": np.where(flat_no_data, "no_data", "reported"),
        },
        nan_to_null=True,
    ).with_columns(
        pl.lit("").alias("sex"),
        pl.lit("").alias("age_band"),
        pl.lit("").alias("disability"),
        pl.lit("").alias("district"),
        pl.lit("").alias("source"),
        pl.lit("").alias("comment"),
        pl.lit("").alias("data_type"),
        pl.lit("").alias("collection_method"),
        pl.lit(False).alias("is_outlier"),
        pl.lit(True).alias("is_demo"),
        pl.lit(now).alias("updated_at"),
    )
    table = connection.ops.quote_name(Observation._meta.db_table)
    year_frame = pl.DataFrame(
        {
            "version_id": np.full(n_u * n_y, version.pk, dtype=np.int64),
            "municipality_id": np.repeat(places, n_y),
            "year": np.tile(years, n_u),
            "state": ["approved"] * (n_u * n_y),
        }
    ).with_columns(pl.lit(now).alias("approved_at"))
    with transaction.atomic(), connection.cursor() as cursor:
        # A bulk load: no per-row foreign-key triggers (the keys are made above), and the
        # secondary indexes and the unique key built once at the end rather than row by row.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "WHERE c.conrelid = %s::regclass AND c.contype = 'u'",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        step = 1_000_000
        for start in range(0, frame.height, step):
            copy_frame(table, frame.slice(start, step))
        for name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cursor.execute(definition)
        copy_frame(connection.ops.quote_name(DataYear._meta.db_table), year_frame)
        revision, _ = DataRevision.objects.get_or_create(version=version)
        DataRevision.objects.filter(pk=revision.pk).update(revision=F("revision") + 1)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
    bench_codes = Municipality.objects.filter(code__startswith="BENCH-").values_list(
        "code", flat=True
    )
    CODES_FILE.write_text("\n".join(bench_codes))
    print(
        f"data: {n_u:,} municipalities x {n_k} indicators x {n_y} years = {frame.height:,} "
        f"observations ({int(flat_no_data.sum()):,} no data; goalposts set for {posted} "
        f"indicators), generated in {time.perf_counter() - started:.0f} s (not timed)",
        flush=True,
    )


# --------------------------------------------------------------------------------------
# Child processes


def child_env(database_url: str, settings: str = "config.settings") -> dict[str, str]:
    env = dict(os.environ)
    env.pop("MEIRIM_DEBUG", None)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE=settings,
        MEIRIM_SECRET_KEY="bench-national-" + "k" * 48,
        MEIRIM_ALLOWED_HOSTS="127.0.0.1,localhost",
        MEIRIM_LOG_LEVEL="ERROR",
        PYTHONUNBUFFERED="1",
    )
    return env


def recompute_command() -> list[str]:
    return [PYTHON, str(Path(__file__).resolve()), "_recompute"]


def peak_rss_mb() -> float:
    """This process's peak RSS. Not ``ru_maxrss``: Linux carries it over from the parent
    through fork and exec (here the parent that generated 7.4 M rows)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def lower_session_priority(nice: int = 10) -> None:
    """Give this process's session the lower CPU priority too, where Linux allows it.

    With autogroup scheduling (``/proc/sys/kernel/sched_autogroup_enabled``, on by default on
    many kernels, this machine's included) CPU time is first shared between sessions, and a
    process's nice value only weighs against the processes of its own session. The
    recompute runs in a session of its own, so ``nice -n 10`` alone leaves it an equal share
    with the web server's session; its session's group gets the same nice value here."""
    autogroup = Path("/proc/self/autogroup")
    if autogroup.exists():
        with contextlib.suppress(OSError):  # not allowed here: nice alone then
            autogroup.write_text(str(nice))


def idle_scheduling() -> None:
    """Run only on CPU time nothing else wants (Linux ``SCHED_IDLE``, which a process may
    choose for itself), as the README advises for workers beside the web server: a woken
    web worker then takes the CPU at once instead of after the worker's time slice."""
    if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_IDLE"):
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))


def child_recompute() -> int:
    """Run ``results_compute`` for every city and print the figures as JSON."""
    if os.getpriority(os.PRIO_PROCESS, 0) > 0:
        # Started at the lower priority of a worker beside the web server.
        lower_session_priority(os.getpriority(os.PRIO_PROCESS, 0))
        idle_scheduling()
    setup_django()
    from meirim.catalogue.models import CatalogueVersion
    from meirim.reports.computing import results_compute

    version = CatalogueVersion.objects.get(code=VERSION)
    start = time.perf_counter()
    rows = results_compute(version)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "rows": rows, "peak_mb": peak_rss_mb()}), flush=True)
    return 0


def child_relative() -> int:
    setup_django()
    from meirim.catalogue.models import CatalogueVersion
    from meirim.reports.relative import relative_compute, relative_request

    version = CatalogueVersion.objects.get(code=VERSION)
    relative_request(version.pk)
    start = time.perf_counter()
    rows = relative_compute(version)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "rows": rows, "peak_mb": peak_rss_mb()}), flush=True)
    return 0


def run_child(command: list[str], env: dict[str, str], timeout: float) -> dict[str, Any]:
    out = subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def shell(command: list[str], env: dict[str, str] | None = None) -> str:
    shown = [c.replace(str(ROOT) + "/", "") for c in command]
    prefix = ""
    if env is not None:
        prefix = "DJANGO_SETTINGS_MODULE=" + env["DJANGO_SETTINGS_MODULE"] + " DATABASE_URL=… "
    return prefix + " ".join(shown)


# --------------------------------------------------------------------------------------
# Figures


def figure_full_recompute(database_url: str) -> None:
    env = child_env(database_url)
    command = recompute_command()
    before = load()
    found = run_child(command, env, timeout=900)
    record(
        "full recompute, results_compute(version)",
        shell(command, env),
        found["seconds"],
        "s",
        60,
        f"node rows written: {found['rows']:,}; peak RSS {found['peak_mb']:.0f} MB; "
        f"load before {before[0]:.2f}",
    )


def figure_phase1_overview() -> None:
    """The national council's Phase 1 overview of every municipality: the page as the view
    renders it (in-process, through Django's test client), median of five views after one
    warm-up, unfiltered and filtered by status."""
    from django.test import Client

    from meirim.accounts.models import Role, RoleAssignment, User

    council, _ = User.objects.get_or_create(username="bench-council")
    RoleAssignment.objects.get_or_create(user=council, role=Role.NATIONAL_COUNCIL)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(council)
    for label, path in (
        ("Phase 1 overview, every municipality, page 1", "/en/preparation/"),
        ("Phase 1 overview, filtered: not enrolled, page 3",
         "/en/preparation/?status=NOT_ENROLLED&page=3"),
    ):  # fmt: skip
        assert client.get(path).status_code == 200
        times = []
        for _ in range(5):
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200
        record(
            label,
            f"{PYTHON} bench/national.py --reuse --keep --only overview  (GET {path})",
            statistics.median(times),
            "s",
            0.3,
            f"five views: {', '.join(f'{t:.3f}' for t in times)} s",
        )


def figure_relative(database_url: str) -> None:
    env = child_env(database_url)
    command = [PYTHON, str(Path(__file__).resolve()), "_relative"]
    found = run_child(command, env, timeout=1800)
    record(
        "relative_compute(version) (background)",
        shell(command, env),
        found["seconds"],
        "s",
        None,
        f"rows written: {found['rows']:,}; peak RSS {found['peak_mb']:.0f} MB",
    )


def worker_command(queue: str) -> list[str]:
    return [PYTHON, "manage.py", "db_worker", "--no-reload", "--queue-name", queue]


def start_worker(database_url: str, log: Path, queue: str) -> subprocess.Popen[bytes]:
    command = worker_command(queue)
    handle = log.open("wb")
    return subprocess.Popen(
        command,
        env=child_env(database_url),
        cwd=ROOT,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def figure_change_latency(database_url: str, n_years: int, work: Path) -> None:
    """observation_save → stored → shown, with a real task worker."""
    from django.test.utils import setup_test_environment
    from django_tasks_db.models import DBTaskResult

    from meirim.catalogue.models import CatalogueVersion, Indicator
    from meirim.data.models import DataYear
    from meirim.data.services import data_year_reopen, observation_save
    from meirim.geography.models import Municipality
    from meirim.reports import computing, selectors
    from meirim.reports.models import ResultState

    setup_test_environment()
    version = CatalogueVersion.objects.get(code=VERSION)
    place = Municipality.objects.filter(code__startswith="BENCH-").order_by("code").first()
    assert place is not None
    year = FIRST_YEAR + n_years - 1
    indicator = (
        Indicator.objects.filter(version=version, unit="percent")
        .exclude(direction=0)
        .order_by("order", "code")
        .first()
    )
    assert indicator is not None
    # The city's latest year is reopened for a correction (not timed), and its results
    # computed, so the worker starts from an empty queue.
    actor = None  # a system write, as the demo set-up and commands make
    approved = DataYear.objects.filter(
        version=version, municipality=place, year=year, state=DataYear.State.APPROVED
    ).exists()
    if approved:  # a kept database (--reuse) has it open from the last run
        data_year_reopen(
            version=version, municipality=place, year=year, actor=actor, reason="benchmark"
        )
    computing.results_compute(version, [place.pk])
    DBTaskResult.objects.all().delete()  # the tasks the set-up queued
    log = work / "db_worker.log"
    # As in production: one worker for the cities' own results, one for the comparison.
    workers = [
        start_worker(database_url, log, "default"),
        start_worker(database_url, work / "db_worker_relative.log", "relative"),
    ]
    command = (
        "observation_save(…) of one city's open year with `"
        + shell(worker_command("default"))
        + "` and `"
        + shell(worker_command("relative"))
        + "` running (DatabaseBackend); poll ResultState.computed_at + dashboard(preview)"
    )
    samples: list[float] = []
    details: list[str] = []
    at_load = load()
    try:
        time.sleep(3)  # the worker's start-up delay
        for run in range(LATENCY_RUNS):
            state = ResultState.objects.get(version=version, municipality=place)
            previous = state.computed_at
            new_value = 41.0 + run * 7.5
            start = time.perf_counter()
            observation_save(
                version=version,
                municipality=place,
                code=indicator.code,
                year=year,
                values={"value": new_value, "status": "reported"},
                actor=actor,
            )
            shown = False
            while time.perf_counter() - start < LATENCY_LIMIT:
                state = ResultState.objects.get(version=version, municipality=place)
                if state.computed_at and (previous is None or state.computed_at > previous):
                    board = selectors.dashboard(version=version, municipality=place, preview=True)
                    line = next(x for x in board.indicators if x.indicator.code == indicator.code)
                    values = dict(zip(board.years, line.values, strict=True))
                    if values.get(year) is not None and abs(values[year] - new_value) < 1e-6:
                        shown = True
                        break
                time.sleep(0.02)
            elapsed = time.perf_counter() - start
            samples.append(elapsed)
            details.append(f"run {run + 1}: {elapsed:.2f} s{'' if shown else ' (NOT SHOWN)'}")
            time.sleep(1.5)  # let the queued comparison task start, as in real use
        at_load = load()
    finally:
        for worker in workers:
            stop(worker)
    median = statistics.median(samples)
    record(
        "one value changes -> stored and shown (median of 5)",
        command,
        median,
        "s",
        2,
        "; ".join(details) + f"; max {max(samples):.2f} s; worker log {log}",
        at_load,
    )
    record("one value changes -> stored and shown (max of 5)", command, max(samples), "s", 2)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    import psutil

    return float(psutil.Process(pid).memory_info().rss) / (1 << 20)


def gunicorn_workers(master: int) -> list[int]:
    import psutil

    return sorted(p.pid for p in psutil.Process(master).children())


def wait_http(url: str, timeout: float) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - 127.0.0.1
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def read_stats(prefix: Path) -> list[dict[str, str]]:
    with (prefix.parent / f"{prefix.name}_stats.csv").open() as handle:
        return list(csv.DictReader(handle))


def run_locust(
    scenario: str, port: int, users: int, seconds: int, prefix: Path
) -> tuple[str, list[dict[str, str]]]:
    command = [
        str(Path(PYTHON).parent / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "-u",
        str(users),
        "-r",
        str(users),
        "-t",
        f"{seconds}s",
        "--stop-timeout",
        "5",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    env = dict(os.environ, BENCH_SCENARIO=scenario, BENCH_CODES=str(CODES_FILE))
    out = subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=seconds + 120
    )
    if not (prefix.parent / f"{prefix.name}_stats.csv").exists():
        raise SystemExit(f"locust failed:\n{out.stderr[-3000:]}")
    shown = f"BENCH_SCENARIO={scenario} " + shell(command).replace(str(prefix), "…")
    return shown, read_stats(prefix)


def number(text: str) -> float:
    """A locust CSV figure; 'N/A' (no request finished) counts as infinitely slow."""
    try:
        return float(text)
    except ValueError:
        return float("inf")


def stats_detail(rows: list[dict[str, str]]) -> tuple[dict[str, str], str]:
    lines = [
        f"{'request':34} {'n':>6} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} "
        f"{'req/s':>6}"
    ]
    aggregated = rows[-1]
    for row in rows:
        lines.append(
            f"{row['Name'][:34]:34} {row['Request Count']:>6} {row['Failure Count']:>5} "
            f"{row['50%']:>7} {row['95%']:>7} {float(row['Max Response Time']):7.0f} "
            f"{float(row['Requests/s']):6.1f}"
        )
    return aggregated, "\n".join(lines)


def figure_served(database_url: str, users: int, seconds: int, workers: int, work: Path) -> None:
    env = child_env(database_url)
    static_root = work / "static"
    env["MEIRIM_STATIC_ROOT"] = str(static_root)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=300,
    )
    port = free_port()
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
    ]
    log = (work / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        codes = CODES_FILE.read_text().split()
        wait_http(f"http://127.0.0.1:{port}/en/results/{codes[0]}/", 60)
        # One request of each kind per worker, so start-up work is not in the figures.
        for _ in range(workers * 2):
            wait_http(f"http://127.0.0.1:{port}/en/results/{codes[1]}/", 30)
            wait_http(f"http://127.0.0.1:{port}/api/v1/results/{codes[2]}", 30)
            wait_http(
                f"http://127.0.0.1:{port}/en/results/compare/?"
                + "&".join(f"m={c}" for c in codes[:10]),
                30,
            )
        pids = gunicorn_workers(server.pid)
        rss_start = {pid: rss_mb(pid) for pid in pids}
        print(
            f"\n   gunicorn: {shell(command, env)} (MEIRIM_SECRET_KEY set, MEIRIM_DEBUG unset, "
            f"collectstatic into a temporary MEIRIM_STATIC_ROOT)",
            flush=True,
        )

        def one(label: str, scenario: str, target: float, recompute: bool = False) -> None:
            background = None
            if recompute:
                # At the lower CPU priority the README asks of workers beside the web server.
                background = subprocess.Popen(
                    ["nice", "-n", "10", *recompute_command()],
                    env=child_env(database_url),
                    cwd=ROOT,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    start_new_session=True,
                )
                time.sleep(2)
            before = {pid: rss_mb(pid) for pid in gunicorn_workers(server.pid)}
            shown, rows = run_locust(scenario, port, users, seconds, work / f"locust-{scenario}")
            at_load = load()
            after = {pid: rss_mb(pid) for pid in gunicorn_workers(server.pid)}
            aggregated, table = stats_detail(rows)
            extra = ""
            if background is not None:
                running = background.poll() is None
                if running:
                    extra = "\nbackground recompute still running at the end of the run"
                    stop(background, timeout=5)  # type: ignore[arg-type]
                else:
                    out, _err = background.communicate()
                    found = json.loads(out.strip().splitlines()[-1])
                    extra = (
                        f"\nbackground recompute finished during the run: {found['seconds']:.1f} s"
                    )
            rss = ", ".join(
                f"pid {pid}: {before.get(pid, float('nan')):.0f} -> {after[pid]:.0f} MB"
                for pid in sorted(after)
            )
            detail = (
                f"{table}\nfailures: {aggregated['Failure Count']} of "
                f"{aggregated['Request Count']}; req/s {float(aggregated['Requests/s']):.1f}; "
                f"p50 {aggregated['50%']} ms; max {float(aggregated['Max Response Time']):.0f} ms"
                f"\ngunicorn worker RSS at start -> end of this run: {rss}{extra}"
            )
            record(
                f"{label}: p95 at {users} users",
                shown,
                number(aggregated["95%"]),
                "ms",
                target,
                detail,
                at_load,
            )

        one("(a) dashboard + API, random cities", "dashboard", 100)
        one("(b) compare page, 10 cities", "compare", 300)
        one("(c) dashboard + API while the worker recomputes", "dashboard", 100, recompute=True)
        rss_end = {pid: rss_mb(pid) for pid in gunicorn_workers(server.pid)}
        print(
            "\n   gunicorn worker RSS, first request done -> end of all runs: "
            + ", ".join(
                f"pid {pid}: {rss_start.get(pid, float('nan')):.0f} -> {rss_end[pid]:.0f} MB"
                for pid in sorted(rss_end)
            ),
            flush=True,
        )
    finally:
        stop(server)
        log.close()


# --------------------------------------------------------------------------------------


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "_recompute":
        return child_recompute()
    if len(sys.argv) > 1 and sys.argv[1] == "_relative":
        return child_relative()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--municipalities", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30, help="duration of each locust run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a figure is over")
    parser.add_argument("--database", default=DB_NAME, help="name of the throw-away database")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database")
    parser.add_argument(
        "--only",
        default="recompute,change,served,relative,overview",
        help="figures to measure (comma-separated: recompute, change, served, relative, overview)",
    )
    args = parser.parse_args()
    only = set(args.only.split(","))
    url = server_url()
    name = args.database
    database_url = with_database(url, name)
    reuse = args.reuse and database_exists(url, name)
    if not reuse:
        admin_execute(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin_execute(url, f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = database_url
    work = Path(tempfile.mkdtemp(prefix="meirim-bench-national-"))
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in load())}", flush=True)
    try:
        setup_django()
        from bench.pgsettings import server_settings

        print(server_settings(), flush=True)
        from django.core.management import call_command

        if not reuse:
            call_command("migrate", verbosity=0, interactive=False)
            call_command("createcachetable", verbosity=0)
            populate(args.municipalities, args.years)
        elif not CODES_FILE.exists():
            from meirim.geography.models import Municipality

            CODES_FILE.write_text(
                "\n".join(
                    Municipality.objects.filter(code__startswith="BENCH-").values_list(
                        "code", flat=True
                    )
                )
            )
        if "recompute" in only:
            figure_full_recompute(database_url)
        if "change" in only:
            figure_change_latency(database_url, args.years, work)
        if "served" in only:
            figure_served(database_url, args.users, args.seconds, args.workers, work)
        if "relative" in only:
            figure_relative(database_url)
        if "overview" in only:
            figure_phase1_overview()
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin_execute(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            shutil.rmtree(work, ignore_errors=True)
        CODES_FILE.unlink(missing_ok=True)
    summary()
    over = [f for f in FIGURES if f.over]
    return 1 if args.strict and over else 0


if __name__ == "__main__":
    sys.exit(main())
