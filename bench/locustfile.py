"""Load for ``bench/national.py``: public results pages of random municipalities.

``BENCH_SCENARIO``: ``dashboard`` (a municipality's dashboard and its API results) or
``compare`` (the comparison page with 10 municipalities); ``BENCH_CODES``: a file with one
municipality code a line. Run headless against 127.0.0.1 only, e.g.

    BENCH_SCENARIO=dashboard BENCH_CODES=codes.txt .venv/bin/locust -f bench/locustfile.py \\
        --headless -u 50 -r 50 -t 30s --host http://127.0.0.1:8000 --csv out
"""

from __future__ import annotations

import os
import random
from pathlib import Path

from locust import FastHttpUser, between, task

SCENARIO = os.environ.get("BENCH_SCENARIO", "dashboard")
CODES = Path(os.environ["BENCH_CODES"]).read_text().split() if "BENCH_CODES" in os.environ else []
COMPARED = 10


class ResultsReader(FastHttpUser):
    """One visitor: a request, a short pause, another request.

    FastHttpUser (geventhttpclient) rather than HttpUser (requests): the load generator
    shares the machine's two cores with the server, and it needs several times less CPU a
    request, so more of the machine measures the server."""

    wait_time = between(0.5, 1.5)

    @task
    def read(self) -> None:
        if SCENARIO == "compare":
            chosen = random.sample(CODES, COMPARED)
            query = "&".join(f"m={code}" for code in chosen)
            self.client.get(f"/en/results/compare/?{query}", name="/en/results/compare/?m=×10")
            return
        code = random.choice(CODES)
        self.client.get(f"/en/results/{code}/", name="/en/results/<code>/")
        self.client.get(f"/api/v1/results/{code}", name="/api/v1/results/<code>")
