"""Scores against an independent hand computation (2 municipalities × 2 years).

Goalposts (min, max over both cities and both years) and 0–100 scores:

  I16 +1 (40, 80):  A 40→0, 60→50        B 50→25, 80→100
  I17 +1 (70, 90):  A 70→0, 90→100       B 80→50, 70→0
  I60 −1 (6, 12):   A 10→33.33, 8→66.67  B 12→0, 6→100
  I62 −1 (20, 30):  A 30→0, 20→100       B 25→50, 25→50
  I66 +1 (2, 6):    A 2→0, 4→50          B 6→100, 6→100
  I72 +1 (10, 50):  A 10→0, 20→25        B 30→50, 50→100
  I73 all 50, a percentage → posts (0, 100): 50 everywhere

S02 = mean(I16, I17); S07 = mean(I60, I62) (2 of 3 present); S09 = I66; S11 = mean(I72, I73)
(2 of 3). Each category has one of its two sub-domains: coverage 0.5, enough. S03 has 2 of
its 11 scored indicators: no score, so C2 has none; C3 has no data.
CFCI = mean(C1, C4, C5, C6), 4 of 6.
"""

from __future__ import annotations

import pytest

from meirim.reports import adapter
from meirim.reports.adapter import Scope

from .conftest import A, B

pytestmark = pytest.mark.django_db

S02 = {(A, 2023): 0.0, (A, 2024): 75.0, (B, 2023): 37.5, (B, 2024): 50.0}
S07 = {(A, 2023): 50 / 3, (A, 2024): 250 / 3, (B, 2023): 25.0, (B, 2024): 75.0}
S09 = {(A, 2023): 0.0, (A, 2024): 50.0, (B, 2023): 100.0, (B, 2024): 100.0}
S11 = {(A, 2023): 25.0, (A, 2024): 37.5, (B, 2023): 50.0, (B, 2024): 75.0}


def hand_cfci(place: str, year: int) -> float:
    parts = [S02[place, year], S07[place, year], S09[place, year], S11[place, year]]
    return sum(parts) / len(parts)


@pytest.mark.parametrize("place", [A, B])
@pytest.mark.parametrize("year", [2023, 2024])
def test_scores_equal_the_hand_computation(cfci, place, year):
    result = adapter.compute_results(cfci["version"], 1, Scope.public()).result
    assert result is not None

    def score(code):
        return result.value(place, year, code)

    for code, expected in (("S02", S02), ("S07", S07), ("S09", S09), ("S11", S11)):
        assert score(code) == pytest.approx(expected[place, year], abs=1e-9), code
    assert score("C1") == pytest.approx(S02[place, year])
    assert score("C4") == pytest.approx(S07[place, year])
    assert score("C5") == pytest.approx(S09[place, year])
    assert score("C6") == pytest.approx(S11[place, year])
    assert score("S03") is None and score("C2") is None and score("C3") is None
    assert score("CFCI") == pytest.approx(hand_cfci(place, year), abs=1e-9)


def test_hand_values_for_the_overall_index(cfci):
    result = adapter.compute_results(cfci["version"], 1, Scope.public()).result
    assert result is not None
    assert result.value(A, 2023, "CFCI") == pytest.approx(10.416666666666666)
    assert result.value(A, 2024, "CFCI") == pytest.approx(61.458333333333336)
    assert result.value(B, 2023, "CFCI") == pytest.approx(53.125)
    assert result.value(B, 2024, "CFCI") == pytest.approx(75.0)
    # Direction −1: the lower value scores higher.
    assert result.value(A, 2024, "I60", stage="normalised") == pytest.approx(200 / 3)
    # The contextual indicator is not part of any score.
    assert "I50" not in result.indicators
