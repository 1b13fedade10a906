"""The adapter: the version's scoring method → framework and pipeline; stored rows → arrays."""

from __future__ import annotations

import pytest

from meirim.catalogue.models import Category, Indicator, ScoringMethod
from meirim.reports import adapter, store
from meirim.reports.adapter import Scope

from .conftest import A, B

pytestmark = pytest.mark.django_db


def test_framework_from_the_versions_method(cfci):
    scoring = adapter.scoring(cfci["version"])
    fw = scoring.framework
    assert fw is not None and fw.root == "CFCI"
    assert fw.children["CFCI"] == ("C1", "C2", "C3", "C4", "C5", "C6")
    # Contextual indicators and those without goalposts are shown, not scored.
    assert scoring.not_scored["I50"] == "contextual"
    assert scoring.not_scored["I01"] == "no_posts"  # a rate: posts wait for the council
    assert "I60" not in scoring.not_scored  # the council set its posts
    assert scoring.posts["I60"] == (0.0, 20.0)
    assert scoring.posts["I16"] == (0.0, 100.0)  # a percentage: its own scale
    assert scoring.posts["I26"] == (0.0, 1.0)  # yes/no
    # S08 has no indicator with goalposts: the sub-domain is left out of the tree.
    assert "S08" not in fw.codes
    assert fw.node("I60").direction == -1 and fw.node("I16").direction == 1
    assert fw.node("I16").parent == "S02" and fw.node("S02").parent == "C1"
    text = adapter.IndicatorMeta("I99", "S01", "C1", "text", 1, None, posts=(0, 1))
    assert adapter.not_scored_by_catalogue(text) == "text"


def test_weights_aggregation_and_tolerances_are_the_versions(cfci):
    version = cfci["version"]
    ScoringMethod.objects.filter(version=version).update(
        aggregation="gmean", min_coverage="0.75", score_tolerance_absolute="2.5"
    )
    Category.objects.filter(version=version, code="C4").update(weight=3)
    Indicator.objects.filter(version=version, code="I17").update(weight=0.5)
    scoring = adapter.scoring(version)
    assert scoring.pipeline.aggregate.method == "gmean"
    assert scoring.pipeline.aggregate.min_coverage == 0.75
    assert scoring.pipeline.normalise.method == "goalposts"
    assert scoring.pipeline.denominate is False and scoring.pipeline.treat.method == "none"
    assert scoring.score_tolerance.absolute == 2.5
    assert scoring.framework is not None
    assert scoring.framework.node("C4").weight == 3
    assert scoring.framework.node("I17").weight == 0.5


def test_stored_rows_are_approved_totals_only(cfci):
    data = store.read(cfci["version"], Scope.public()).data
    assert data.units == (A, B)
    assert data.years == (2023, 2024)  # the open 2025 is not public
    a, c16 = data.units.index(A), data.codes.index("I16")
    assert data.values[a, c16, 0] == 40  # not the breakdown by sex (99)
    assert "B01" not in data.codes
    assert data.status[a, data.codes.index("I01"), 1] == adapter.NO_DATA
    assert data.status[a, data.codes.index("I02"), 1] == adapter.OUTSIDE_COMPETENCE


def test_preview_adds_the_citys_open_years(cfci):
    results = store.read(cfci["version"], Scope.preview(cfci["a"]))
    assert results.data.years == (2023, 2024, 2025)
    assert results.data.unit_years[results.unit_index(A)] == (2023, 2024, 2025)
    assert results.data.unit_years[results.unit_index(B)] == (2023, 2024)


def test_a_page_reads_only_the_cities_it_shows(cfci):
    results = store.read(cfci["version"], Scope.public(), municipality_ids=[cfci["b"].pk])
    assert results.data.units == (B,)


def test_no_data_at_all(catalogue):
    results = store.read(catalogue, Scope.public())
    assert results.result is None and results.data.units == ()
