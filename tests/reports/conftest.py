"""A small, hand-checkable data set: two municipalities, two approved years, a few indicators.

Kokshetau (A, the demo coordinator's city) and Stepnogorsk (B), 2023 and 2024 approved;
Kokshetau also has an open 2025 year (visible only in the preview). Expected scores are
worked out by hand in ``test_scores.py``. The fixture ends as the worker would: with the
results computed and stored.
"""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db.models import F

from meirim.catalogue.models import CatalogueVersion, Indicator, PostsBasis
from meirim.data.models import DataRevision, DataYear, ObservationStatus
from meirim.geography.models import Municipality
from meirim.reports.computing import results_compute
from meirim.reports.relative import relative_compute
from tests.factories import ObservationFactory

A = "KZ-AKM-KOKSHETAU"
B = "KZ-AKM-STEPNOGORSK"

# code: {(municipality, year): value}
VALUES: dict[str, dict[tuple[str, int], float]] = {
    "I16": {(A, 2023): 40, (A, 2024): 60, (B, 2023): 50, (B, 2024): 80},  # S02, +1, percent
    "I17": {(A, 2023): 70, (A, 2024): 90, (B, 2023): 80, (B, 2024): 70},  # S02, +1, percent
    "I60": {(A, 2023): 10, (A, 2024): 8, (B, 2023): 12, (B, 2024): 6},  # S07, -1, number
    "I62": {(A, 2023): 30, (A, 2024): 20, (B, 2023): 25, (B, 2024): 25},  # S07, -1, percent
    "I66": {(A, 2023): 2, (A, 2024): 4, (B, 2023): 6, (B, 2024): 6},  # S09, +1, rate
    "I72": {(A, 2023): 10, (A, 2024): 20, (B, 2023): 30, (B, 2024): 50},  # S11, +1, percent
    "I73": {(A, 2023): 50, (A, 2024): 50, (B, 2023): 50, (B, 2024): 50},  # S11, all equal
    "I23": {(A, 2023): 12, (B, 2024): 10},  # S03 (1 of 12 indicators: too little)
    "I26": {(A, 2023): 1, (B, 2023): 0},  # S03, yes/no
    "I28": {(A, 2023): 3, (A, 2024): 3, (B, 2023): 3},  # S03, count
    "I50": {(A, 2023): 5, (B, 2023): 7},  # contextual (direction 0): shown, not scored
}


@pytest.fixture(autouse=True)
def _fresh_results_cache():
    """Results are keyed by data revision, and test transactions roll revisions back."""
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


def bump_revision(version: CatalogueVersion) -> int:
    """What every data write does in its transaction, then what the worker does after it
    (the factories write rows directly, without the services' signal)."""
    DataRevision.objects.get_or_create(version=version)
    DataRevision.objects.filter(version=version).update(revision=F("revision") + 1)
    results_compute(version)
    relative_compute(version)
    return DataRevision.objects.get(version=version).revision


def observe(version, place, code, year, value=None, status=ObservationStatus.REPORTED, **extra):
    return ObservationFactory(
        version=version,
        municipality=place,
        code=code,
        year=year,
        value=value,
        status=status,
        **extra,
    )


def set_year(version, place, year, state=DataYear.State.APPROVED):
    DataYear.objects.update_or_create(
        version=version, municipality=place, year=year, defaults={"state": state}
    )


#: Goalposts the council set for the non-percentage indicators used here (percentages use
#: 0–100, yes/no answers 0–1, by default).
POSTS = {"I60": (0, 20), "I61": (0, 20), "I66": (0, 10), "I28": (0, 10)}


def set_posts(version: CatalogueVersion, posts: dict[str, tuple[float, float]]) -> None:
    for code, (low, high) in posts.items():
        Indicator.objects.filter(version=version, code=code).update(
            lower_post=low, upper_post=high, posts_basis=PostsBasis.COUNCIL
        )


@pytest.fixture
def cfci(catalogue, geography):
    """The data set above, approved for 2023–2024, plus noise that must not count."""
    set_posts(catalogue, POSTS)
    a = Municipality.objects.get(code=A)
    b = Municipality.objects.get(code=B)
    places = {A: a, B: b}
    for code, cells in VALUES.items():
        for (place, year), value in cells.items():
            observe(catalogue, places[place], code, year, value)
    # Not counted: a breakdown by sex, an explicit "no data", "outside competence", a
    # baseline figure.
    observe(catalogue, a, "I16", 2023, 99, sex="female")
    observe(catalogue, a, "I01", 2024, status=ObservationStatus.NO_DATA)
    observe(catalogue, a, "I02", 2024, status=ObservationStatus.OUTSIDE_COMPETENCE)
    observe(catalogue, a, "B01", 2024, 123456)
    for place in (a, b):
        for year in (2023, 2024):
            set_year(catalogue, place, year)
    # An open year: only the preview sees it.
    observe(catalogue, a, "I16", 2025, 100)
    set_year(catalogue, a, 2025, DataYear.State.OPEN)
    bump_revision(catalogue)
    return {"version": catalogue, "a": a, "b": b}
