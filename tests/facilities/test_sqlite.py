"""The demo runs on SQLite, which has no containment lookup on JSON: the filters by one item
of a JSON list (a facility's barriers, an action's target ages) must still answer there."""

from __future__ import annotations

from tests.fresh_process import manage

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


def test_filtering_by_a_barrier_works_on_sqlite(tmp_path):
    for args in (
        ("migrate", "--noinput", "-v0"),
        ("import_municipalities", "meirim/geography/data/municipalities.csv"),
        ("shell", "--no-imports", "-c", SCRIPT),
    ):
        proc = manage(*args, tmp_path=tmp_path, timeout=300, MEIRIM_DEBUG="1")
        assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "cost: ['Park']" in proc.stdout
    assert "safety: ['Pool']" in proc.stdout
    assert "other: []" in proc.stdout
