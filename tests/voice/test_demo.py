"""The demonstration suggestions."""

from __future__ import annotations

import pytest
from django.test import Client

from meirim.geography.models import Municipality
from meirim.planning.demo import demo_populate as planning_demo
from meirim.voice import selectors
from meirim.voice.demo import demo_populate
from meirim.voice.models import Suggestion

TOWN = "KZ-AKM-KOKSHETAU"


@pytest.mark.django_db
def test_the_demo_fills_the_boxes_once(geography, catalogue):
    town = Municipality.objects.get(code=TOWN)
    # Kokshetau is preparing its plan; Pavlodar has one, to which a suggestion is linked.
    planning_demo(town, complete=False)
    planning_demo(Municipality.objects.get(code="KZ-PAV-PAVLODAR"), complete=True)
    for _ in range(2):
        demo_populate()
    rows = Suggestion.objects.filter(municipality=town)
    assert rows.count() == 25
    assert Suggestion.objects.filter(municipality__code="KZ-PAV-PAVLODAR").count() == 4
    held = rows.get(state=Suggestion.State.HELD)
    assert "701 555 12 34" in held.text
    concern = rows.get(safeguarding=True)
    assert concern.state == Suggestion.State.NOT_PUBLISHED
    published = selectors.published(town)
    assert published.count() >= 15
    assert not rows.filter(linked_action__isnull=False).exists()  # no plan yet: none linked
    assert Suggestion.objects.filter(
        municipality__code="KZ-PAV-PAVLODAR", linked_action__isnull=False, outcome="planned"
    ).exists()
    assert not published.filter(public_text="").exists()
    assert {s.topic for s in rows} >= {"play", "school", "safety", "streets", "transport"}
    summary = selectors.public_summary(town)
    assert summary["by_topic"].total == published.count()
    page = Client().get(f"/ru/voice/{TOWN}/you-said-we-did/").content.decode()
    assert "скейт-парк" in page and "Мне страшно" not in page
