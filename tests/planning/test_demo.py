"""The demonstration content: Pavlodar's complete plan and Kokshetau's start, idempotent."""

from __future__ import annotations

import datetime

import pytest

from meirim.geography.models import Municipality
from meirim.planning import selectors
from meirim.planning.demo import demo_populate
from meirim.planning.models import Action, Goal

pytestmark = pytest.mark.django_db


def test_pavlodar_complete_and_kokshetau_started(geography, catalogue):
    pavlodar = Municipality.objects.get(code="KZ-PAV-PAVLODAR")
    kokshetau = Municipality.objects.get(code="KZ-AKM-KOKSHETAU")
    for _ in range(2):
        demo_populate(pavlodar, complete=True)
        demo_populate(kokshetau, complete=False)
    strategy = selectors.strategy_of(pavlodar)
    assert strategy is not None and strategy.vision
    assert Goal.objects.filter(strategy=strategy).count() == 3
    codes = selectors.indicator_codes(selectors.catalogue_version())
    for goal in strategy.goals.all():
        assert goal.rights and set(goal.indicators) <= codes
    actions = list(selectors.actions_for(pavlodar))
    assert len(actions) == 8 and all(a.is_demo for a in actions)
    evaluated = [a for a in actions if a.status == Action.Status.EVALUATED]
    assert evaluated and not selectors.missing_impact_evidence(evaluated[0])
    assert selectors.overdue_actions(pavlodar, datetime.date.today()).count() == 1
    assert all(a.participation_rung in ("", *selectors.TARGET_RUNGS) for a in actions)
    assert not Action.objects.filter(municipality=kokshetau).exists()
    assert selectors.strategy_of(kokshetau).title
