"""The rubric's recommendation (R-9.6, D-10) as properties: weights and thresholds come from
the cycle, never from the code."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meirim.recognition.cycles import recommendation, weighted_percentage
from meirim.recognition.models import Criterion, Cycle, Level
from tests.recognition.factories import cycle_make

pytestmark = pytest.mark.django_db

RANK = {Level.NONE: 0, Level.L1: 1, Level.L2: 2}
SCALE = 4


@pytest.fixture
def cycle(db):
    made = cycle_make(Cycle.State.CALL_OPEN, criteria=3, level1_threshold=50, level2_threshold=75)
    Criterion.objects.filter(cycle=made, code="K3").update(weight=2, scale_max=10)
    return made


scores = st.lists(st.integers(min_value=0, max_value=SCALE), min_size=1, max_size=4)
sheets = st.fixed_dictionaries({"K1": scores, "K2": scores, "K3": scores})
checks = settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])


@checks
@given(sheet=sheets, which=st.sampled_from(["K1", "K2", "K3"]))
def test_raising_a_score_never_lowers_the_recommendation(cycle, sheet, which):
    before = recommendation(cycle, sheet)
    raised = {**sheet, which: [min(s + 1, SCALE) for s in sheet[which]]}
    assert RANK[recommendation(cycle, raised)] >= RANK[before]


@checks
@given(sheet=sheets)
def test_the_level_follows_the_thresholds(cycle, sheet):
    percentage = weighted_percentage(cycle, sheet)
    level = recommendation(cycle, sheet)
    assert percentage is not None and Decimal(0) <= percentage <= Decimal(100)
    if level == Level.L2:
        assert percentage >= cycle.level2_threshold
    if level == Level.L1:
        assert cycle.level1_threshold <= percentage < cycle.level2_threshold
    if level == Level.NONE:
        assert percentage < cycle.level1_threshold


def test_full_marks_give_level_2_and_nothing_gives_none(cycle):
    assert recommendation(cycle, {"K1": [4], "K2": [4], "K3": [10]}) == Level.L2
    assert recommendation(cycle, {"K1": [0], "K2": [0], "K3": [0]}) == Level.NONE
    assert recommendation(cycle, {}) == Level.NONE


def test_weights_count(cycle):
    # K3 weighs twice as much: 100 % on K3 alone, 0 % elsewhere → (0 + 0 + 2·100) / 4 = 50 %.
    assert weighted_percentage(cycle, {"K1": [0], "K2": [0], "K3": [10]}) == 50
    assert recommendation(cycle, {"K1": [0], "K2": [0], "K3": [10]}) == Level.L1
