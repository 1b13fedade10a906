"""Stored scores against an independent hand computation (2 municipalities × 2 years).

Fixed goalposts from the version (percentages 0–100, yes/no 0–1, the council's posts for
I60/I61 (0, 20), I66 (0, 10), I28 (0, 10)), 0–100 scores truncated at the posts:

  I16 +1: A 40, 60            B 50, 80
  I17 +1: A 70, 90            B 80, 70
  I60 −1: A 10→50, 8→60       B 12→40, 6→70
  I62 −1: A 30→70, 20→80      B 25→75, 25→75
  I66 +1: A 2→20, 4→40        B 6→60, 6→60
  I72 +1: A 10, 20            B 30, 50;  I73: 50 everywhere
  S03 (scored: I23, I24, I26, I27, I28): only A 2023 has 3 of 5 → (88 + 100 + 30) / 3

S02 = mean(I16, I17); S07 = mean(I60, I62) (2 of 3); S09 = I66; S11 = mean(I72, I73) (2 of
3). Each category with data has one of its two sub-domains: coverage 0.5, enough.
CFCI = mean of the categories with a score (4 or 5 of 6).
"""

from __future__ import annotations

import pytest

from meirim.reports import store
from meirim.reports.adapter import Scope

from .conftest import A, B

pytestmark = pytest.mark.django_db

S02 = {(A, 2023): 55.0, (A, 2024): 75.0, (B, 2023): 65.0, (B, 2024): 75.0}
S03 = {(A, 2023): 218 / 3}
S07 = {(A, 2023): 60.0, (A, 2024): 70.0, (B, 2023): 57.5, (B, 2024): 72.5}
S09 = {(A, 2023): 20.0, (A, 2024): 40.0, (B, 2023): 60.0, (B, 2024): 60.0}
S11 = {(A, 2023): 30.0, (A, 2024): 35.0, (B, 2023): 40.0, (B, 2024): 50.0}


def hand_cfci(place: str, year: int) -> float:
    parts = [S02[place, year], S07[place, year], S09[place, year], S11[place, year]]
    if (place, year) in S03:
        parts.append(S03[place, year])
    return sum(parts) / len(parts)


@pytest.mark.parametrize("place", [A, B])
@pytest.mark.parametrize("year", [2023, 2024])
def test_stored_scores_equal_the_hand_computation(cfci, place, year):
    result = store.read(cfci["version"], Scope.public()).result
    assert result is not None

    def score(code):
        return result.value(place, year, code)

    for code, expected in (("S02", S02), ("S07", S07), ("S09", S09), ("S11", S11)):
        assert score(code) == pytest.approx(expected[place, year], abs=1e-9), code
    assert score("C1") == pytest.approx(S02[place, year])
    assert score("C4") == pytest.approx(S07[place, year])
    assert score("C5") == pytest.approx(S09[place, year])
    assert score("C6") == pytest.approx(S11[place, year])
    if (place, year) in S03:
        assert score("S03") == pytest.approx(S03[place, year]) == score("C2")
    else:
        assert score("S03") is None and score("C2") is None
    assert score("C3") is None
    assert score("CFCI") == pytest.approx(hand_cfci(place, year), abs=1e-9)


def test_hand_values_for_the_overall_index(cfci):
    result = store.read(cfci["version"], Scope.public()).result
    assert result is not None
    assert result.value(A, 2023, "CFCI") == pytest.approx(713 / 15)
    assert result.value(A, 2024, "CFCI") == pytest.approx(55.0)
    assert result.value(B, 2023, "CFCI") == pytest.approx(55.625)
    assert result.value(B, 2024, "CFCI") == pytest.approx(64.375)
    # Direction −1: the lower value scores higher.
    assert result.value(A, 2024, "I60", stage="normalised") == pytest.approx(60.0)
    # The contextual indicator is not part of any score.
    assert "I50" not in result.indicators
