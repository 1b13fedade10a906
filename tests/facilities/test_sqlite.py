"""The demo runs on SQLite, which has no containment lookup on JSON: the filters by one item
of a JSON list (a facility's barriers, an action's target ages) must still answer there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SET_BY_TESTS = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}

SCRIPT = """
from meirim.facilities.selectors import facilities
from meirim.facilities.services import facility_create
from meirim.geography.models import Municipality
from meirim.planning.models import Action

town = Municipality.objects.get(code="KZ-AKM-KOKSHETAU")
for name, barriers in (("Park", ["cost", "distance"]), ("Pool", ["safety"]), ("Yard", [])):
    facility_create(
        municipality=town,
        values={"name": name, "kind": "play", "availability": "available", "barriers": barriers},
        actor=None,
    )
print("cost:", [f.name for f in facilities(town, barrier="cost")])
print("safety:", [f.name for f in facilities(town, barrier="safety", kind="play")])
print("other:", [f.name for f in facilities(town, barrier="other")])
"""


def manage(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("MEIRIM_") and key not in SET_BY_TESTS
    }
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", MEIRIM_DEBUG="1")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_filtering_by_a_barrier_works_on_sqlite(tmp_path):
    for args in (
        ("migrate", "--noinput", "-v0"),
        ("import_municipalities", "meirim/geography/data/municipalities.csv"),
        ("shell", "--no-imports", "-c", SCRIPT),
    ):
        proc = manage(*args, tmp_path=tmp_path)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "cost: ['Park']" in proc.stdout
    assert "safety: ['Pool']" in proc.stdout
    assert "other: []" in proc.stdout
