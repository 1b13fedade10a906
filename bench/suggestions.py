"""Throughput of the children's suggestion box: anonymous submissions per second under the
production server. Exits 1 when under target or on any error.

    .venv/bin/python bench/suggestions.py [--users 50] [--seconds 30] [--workers 3]

Creates the throw-away database ``meirim_bench_suggestions`` on the PostgreSQL server that
``scripts/test-services.sh`` starts, migrates it, creates the cache table and one
municipality, then starts gunicorn (``config.wsgi``, production settings, on a free port of
127.0.0.1) with ``MEIRIM_PROXY_IP_HEADER=HTTP_X_FORWARDED_FOR``: the load generator sends
each request from one of 2,000 client addresses (children behind school proxies), so the
daily abuse limit (60 a day per address) is not reached. Then locust (headless, this same
file as its locustfile) runs:

* (a) ``--users`` clients, no pause, for ``--seconds``: POST
  ``/api/v1/municipalities/{code}/suggestions`` → 201. Target ≥ 300 requests/s, 0 errors.
* (b) 20 clients for 8 s, all from ONE address: after its daily allowance every answer must
  be 429 (the friendly refusal), never a 5xx.

Everything listens on and talks to 127.0.0.1 only; every run is bounded in time. The
database is dropped at the end (``--keep`` keeps it).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = "meirim_bench_suggestions"
TOWN = "BENCH-TOWN"
TARGET_RPS = 300.0
PYTHON = sys.executable
ADDRESSES = 2000
FLOOD_ADDRESS = "192.0.2.77"
# 2,000 school connections: about 5 messages each in a 30 s run, far under the daily 60.
ADDRESS_POOL = [f"10.{i // 250}.{i % 250}.1" for i in range(ADDRESSES)]
TEXTS = [
    "Please build a skate park near the lake.",
    "Во дворе нет горки для малышей.",
    "Мектепке баратын жолда бағдаршам керек.",
    "More benches and bins in the park, please.",
    "Хочу бесплатный кружок робототехники.",
]


# --------------------------------------------------------------------------------------
# The load (locust imports this file as its locustfile; the orchestration below does not
# import locust, whose gevent patching must stay out of it).

if __name__ != "__main__":
    from locust import FastHttpUser, constant, task

    PHASE = os.environ.get("BENCH_PHASE", "load")

    class Child(FastHttpUser):
        """A child sending a message; no pause between requests (the server is the
        bottleneck under measure). FastHttpUser: the load generator shares the two cores."""

        wait_time = constant(0)

        @task
        def send(self) -> None:
            if PHASE == "flood":
                address = FLOOD_ADDRESS
            else:
                address = (
                    f"10.{random.randrange(8)}.{random.randrange(250)}.{random.randrange(1, 250)}"
                )
            body = {
                "text": random.choice(TEXTS),
                "topic": random.choice(["", "play", "school", "safety"]),
                "age_band": random.choice(["", "under_10", "10_13", "14_17"]),
            }
            with self.client.post(
                f"/api/v1/municipalities/{TOWN}/suggestions",
                data=json.dumps(body),
                headers={"Content-Type": "application/json", "X-Forwarded-For": address},
                name="POST /api/v1/municipalities/{code}/suggestions",
                catch_response=True,
            ) as response:
                if response.status_code == 201 and "receipt" in (response.text or ""):
                    response.success()
                elif response.status_code == 429 and PHASE == "flood":
                    response.failure("limited (429)")
                else:
                    response.failure(f"status {response.status_code}")


# --------------------------------------------------------------------------------------
# Orchestration


def _national() -> Any:  # the house helpers of bench/national.py (database, server, shell)
    sys.path.insert(0, str(ROOT / "bench"))
    import national

    return national


def prepare(url: str, keep: bool) -> str:
    n = _national()
    if n.database_exists(url, DB_NAME):
        n.admin_execute(url, f'DROP DATABASE "{DB_NAME}" WITH (FORCE)')
    n.admin_execute(url, f'CREATE DATABASE "{DB_NAME}"')
    database_url = n.with_database(url, DB_NAME)
    env = n.child_env(database_url)
    for command in (
        [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
        [PYTHON, "manage.py", "createcachetable"],
        [
            PYTHON,
            "manage.py",
            "shell",
            "-c",
            "from meirim.geography.models import Municipality as M\n"
            f"M.objects.get_or_create(code='{TOWN}', defaults=dict(country='KZ', "
            "kind='city', name_en='Bench Town', name_ru='Тестовый город'))",
        ],
    ):
        subprocess.run(command, env=env, cwd=ROOT, check=True, timeout=600)
    return str(database_url)


def run_locust(
    port: int, users: int, seconds: int, phase: str, prefix: Path
) -> tuple[str, dict[str, str], list[dict[str, str]]]:
    n = _national()
    command = [
        str(Path(PYTHON).parent / "locust"),
        "-f",
        str(Path(__file__).resolve()),
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
    env = dict(os.environ, BENCH_PHASE=phase)
    out = subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=seconds + 120
    )
    stats = prefix.parent / f"{prefix.name}_stats.csv"
    if not stats.exists():
        raise SystemExit(f"locust failed:\n{out.stderr[-3000:]}")
    with stats.open() as handle:
        rows = list(csv.DictReader(handle))
    with (prefix.parent / f"{prefix.name}_failures.csv").open() as handle:
        failures = list(csv.DictReader(handle))
    shown = f"BENCH_PHASE={phase} " + n.shell(command).replace(str(prefix), "…")
    return shown, rows[-1], failures


def server_cpu(master: int) -> float:
    """CPU seconds (user + system) used so far by gunicorn's workers."""
    import psutil

    total = 0.0
    for child in psutil.Process(master).children():
        times = child.cpu_times()
        total += times.user + times.system
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument(
        "--threads",
        type=int,
        default=0,
        help="threads per worker (gthread workers, which keep connections alive); 0: sync",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    n = _national()
    url = n.server_url()
    database_url = prepare(url, args.keep)
    env = n.child_env(database_url)
    env["MEIRIM_PROXY_IP_HEADER"] = "HTTP_X_FORWARDED_FOR"
    env["MEIRIM_PROXY_COUNT"] = "1"
    port = n.free_port()
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--timeout",
        "60",
    ]
    if args.threads:
        command += ["--worker-class", "gthread", "--threads", str(args.threads)]
    work = Path(tempfile.mkdtemp(prefix="meirim-bench-suggestions-"))
    log = (work / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    ok = True
    try:
        n.wait_http(f"http://127.0.0.1:{port}/api/v1/municipalities/{TOWN}", 60)
        for _ in range(args.workers * 3):  # start-up work out of the figures
            n.wait_http(f"http://127.0.0.1:{port}/api/v1/municipalities/{TOWN}", 30)
        print(
            f"\n   gunicorn: {n.shell(command, env)} MEIRIM_PROXY_IP_HEADER=HTTP_X_FORWARDED_FOR",
            flush=True,
        )
        started = time.monotonic()
        cpu_before = server_cpu(server.pid)
        shown, total, failures = run_locust(port, args.users, args.seconds, "load", work / "load")
        cpu_used = server_cpu(server.pid) - cpu_before
        per_request = 1000 * cpu_used / max(1, int(total["Request Count"]))
        rps = float(total["Requests/s"])
        errors = int(total["Failure Count"])
        print(
            f"\n== (a) suggestions submitted: {rps:.1f} requests/s at {args.users} users "
            f"(target >= {TARGET_RPS:g}/s, 0 errors)\n   command: {shown}\n"
            f"   requests {total['Request Count']}, failures {errors}, p50 {total['50%']} ms, "
            f"p95 {total['95%']} ms, max {float(total['Max Response Time']):.0f} ms; "
            f"{time.monotonic() - started:.0f} s; load average {os.getloadavg()[0]:.2f}\n"
            f"   gunicorn workers' CPU: {per_request:.2f} ms a request "
            "(the machine is shared: other processes take CPU too)",
            flush=True,
        )
        for row in failures:
            print(f"   failure: {row['Error']} × {row['Occurrences']}", flush=True)
        if rps < TARGET_RPS or errors:
            ok = False
            print("   UNDER TARGET" if rps < TARGET_RPS else "   ERRORS", flush=True)

        shown, total, failures = run_locust(port, 20, 8, "flood", work / "flood")
        limited = sum(int(r["Occurrences"]) for r in failures if "429" in r["Error"])
        other = [r for r in failures if "429" not in r["Error"]]
        accepted = int(total["Request Count"]) - int(total["Failure Count"])
        print(
            f"\n== (b) one address floods the box: {accepted} accepted, {limited} refused "
            f"with 429, {sum(int(r['Occurrences']) for r in other)} other errors\n"
            f"   command: {shown}",
            flush=True,
        )
        for row in other:
            print(f"   failure: {row['Error']} × {row['Occurrences']}", flush=True)
        if not limited or other:
            ok = False
            print("   NO 429 OR OTHER ERRORS", flush=True)
    finally:
        n.stop(server)
        log.close()
        if not args.keep:
            n.admin_execute(url, f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    print(f"\n== {'OK' if ok else 'FAILED'} (gunicorn log: {work / 'gunicorn.log'})", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
