"""The index's weakest indicators offered as priority areas (read from the stored results)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from meirim.planning import selectors
from meirim.planning.models import PriorityArea
from tests.reports.conftest import VALUES, _fresh_results_cache, cfci  # noqa: F401

pytestmark = pytest.mark.django_db


def test_weakest_scored_indicators_are_candidates(cfci, client, users):  # noqa: F811
    town = cfci["a"]
    weak = selectors.weak_indicator_candidates(town, cfci["version"])
    assert weak.has_results
    codes = [c.reference for c in weak.candidates]
    assert 0 < len(codes) <= selectors.WEAKEST_SHOWN
    assert set(codes) <= set(VALUES) - {"I50"}
    scores = [c.score for c in weak.candidates]
    assert scores == sorted(scores)

    client.force_login(users["city_coordinator"])
    with translation.override("en"):
        url = reverse("planning:strategy", args=[town.code])
    page = client.get(url).content.decode()
    assert f'name="source_reference" value="{codes[0]}"' in page
    client.post(
        url,
        {
            "form": "candidate",
            "title": weak.candidates[0].title,
            "source": "weak_indicator",
            "source_reference": codes[0],
        },
    )
    assert PriorityArea.objects.get().source_reference == codes[0]
    page = client.get(url).content.decode()
    assert f'name="source_reference" value="{codes[0]}"' not in page
