"""Small groups stay hidden on public figures, even against an attacker who subtracts.

The attacker reads a public table (its total and its parts), then works out what each hidden
part must be: the total minus the parts shown, split among the hidden ones (each at least 1,
as zero is always shown). A hidden part is recovered when only one value is possible.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

import pytest

from meirim.participation.models import Activity, ParticipantCount
from meirim.participation.selectors import participation_evidence, participation_summary
from meirim.portfolio import services
from tests.portfolio import builders

pytestmark = pytest.mark.django_db


def recovered(total: object, parts: Mapping[object, object]) -> dict[object, int]:
    """Every hidden part that the total and the shown parts pin to one value."""
    total = _number(total)
    figures = {key: _number(value) for key, value in parts.items()}
    if total is None:
        return {}
    hidden = [key for key, value in figures.items() if value is None]
    if not hidden:
        return {}
    rest = total - sum(value for value in figures.values() if value is not None)
    if len(hidden) == 1:
        return {hidden[0]: rest}
    if rest == len(hidden):  # every hidden part is exactly 1
        return dict.fromkeys(hidden, 1)
    return {}


def _number(value: object) -> int | None:
    """A figure as a page or an export shows it: a number, or a text such as "fewer than 5"."""
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


@pytest.fixture
def town(geography, catalogue):
    """Kokshetau's Phase 1 done, with 3 girls aged 10–13 in one activity (builders.step6)
    and 27 children of every other age band in another: 30 children in all."""
    m = builders.town()
    builders.complete(m)
    activity = Activity.objects.create(
        municipality=m, topic="Молодёжный форум", held_on=datetime.date(2025, 11, 1),
        rung="H6", kind="T2",
    )  # fmt: skip
    for band, sex, count in (
        ("under_10", "boys", 6),
        ("14_17", "boys", 9),
        ("14_17", "girls", 5),
        ("18_24", "not_stated", 7),
    ):
        ParticipantCount.objects.create(activity=activity, age_band=band, sex=sex, count=count)
    return m


def test_the_published_portfolio_hides_a_small_activity_from_its_total(town):
    version = services.portfolio_submit(municipality=town, actor=None)
    participation = version.content["part_b"]["participation"]
    parts = {row["topic"]: row["children"] for row in participation["list"]}
    assert 3 not in parts.values()
    assert recovered(participation["children"], parts) == {}
    p2 = next(e for e in participation["evidence"] if e["code"] == "P2")
    assert recovered(p2["count"], parts) == {}


def test_the_public_evidence_hides_a_small_age_band_and_sex_from_the_total(town):
    p2 = next(e for e in participation_evidence(town, public=True) if e.code == "P2")
    figures = p2.figures
    assert figures["by_age_band"]["10_13"] != 3
    assert recovered(figures["children"], figures["by_age_band"]) == {}
    assert recovered(figures["children"], figures["by_sex"]) == {}


def test_the_public_summary_hides_a_small_cell_from_its_row_and_grand_totals(town):
    summary = participation_summary(town, public=True)
    totals = {}
    for band, cells, row_total in summary.grid:
        assert recovered(row_total, dict(enumerate(cells))) == {}
        totals[band] = row_total
    assert recovered(summary.children, totals) == {}
    assert all(3 not in cells for _band, cells, _total in summary.grid)
    # The city's own page keeps the exact figures.
    own = participation_summary(town, public=False)
    assert own.children == 30
