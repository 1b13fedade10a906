"""The adapter: catalogue → framework, observations → dataset, goalposts."""

from __future__ import annotations

import pytest

from meirim.catalogue.models import Indicator
from meirim.reports import adapter
from meirim.reports.adapter import Scope

from .conftest import A, B

pytestmark = pytest.mark.django_db


def test_framework_from_the_catalogue(cfci):
    results = adapter.compute_results(cfci["version"], 1, Scope.public())
    fw = results.framework
    assert fw is not None and fw.root == "CFCI"
    categories = fw.children["CFCI"]
    assert categories == ("C1", "C2", "C3", "C4", "C5", "C6")
    assert sum(len(fw.children[c]) for c in categories) == 11
    # 74 indicators: 4 contextual (direction 0), 1 with no spread in this data set.
    assert len(fw.indicators) == 74 - 4 - 1
    assert results.not_scored == {
        "I50": "contextual",
        "I51": "contextual",
        "I52": "contextual",
        "I58": "contextual",
        "I28": "no_spread",
    }
    assert all(fw.node(code).weight == 1 for code in fw.codes if code != "CFCI")
    assert fw.node("I01").direction == -1 and fw.node("I16").direction == 1
    assert fw.node("I16").parent == "S02" and fw.node("S02").parent == "C1"
    # A description (unit text) would not be scored either.
    text = adapter.IndicatorMeta("I99", "S01", "C1", "text", 1, None)
    assert adapter.not_scored_by_catalogue(text) == "text"


def test_dataset_takes_approved_totals_only(cfci):
    results = adapter.compute_results(cfci["version"], 1, Scope.public())
    data = results.data
    assert data.units == (A, B)
    assert data.years == (2023, 2024)  # the open 2025 is not public
    a, c16 = data.units.index(A), data.codes.index("I16")
    assert data.values[a, c16, 0] == 40  # not the breakdown by sex (99)
    assert "B01" not in data.codes
    assert data.status[a, data.codes.index("I01"), 1] == adapter.NO_DATA
    assert data.status[a, data.codes.index("I02"), 1] == adapter.OUTSIDE_COMPETENCE


def test_preview_adds_the_citys_open_years(cfci):
    results = adapter.compute_results(cfci["version"], 1, Scope.preview(cfci["a"]))
    assert results.data.years == (2023, 2024, 2025)
    assert results.posts["I16"] == (40.0, 100.0)


def test_goalposts_fixed_across_years_and_target(cfci):
    version = cfci["version"]
    results = adapter.compute_results(version, 1, Scope.public())
    assert results.posts["I16"] == (40.0, 80.0)  # min and max over both cities and years
    assert results.posts["I60"] == (6.0, 12.0)
    assert results.posts["I26"] == (0.0, 1.0)  # yes/no
    assert results.posts["I73"] == (0.0, 100.0)  # equal percentages
    assert results.posts["I01"] == (0.0, 1.0)  # no value anywhere: unused placeholder
    # A target beyond the best value becomes the post on the good side.
    Indicator.objects.filter(version=version, code="I16").update(target=95)
    Indicator.objects.filter(version=version, code="I60").update(target=2)
    Indicator.objects.filter(version=version, code="I17").update(target=75)  # inside: no change
    results = adapter.compute_results(version, 2, Scope.public())
    assert results.posts["I16"] == (40.0, 95.0)
    assert results.posts["I60"] == (2.0, 12.0)
    assert results.posts["I17"] == (70.0, 90.0)


def test_pipeline_is_declared_data():
    pipe = adapter.pipeline()
    assert pipe.denominate is False
    assert pipe.treat.method == "none"
    assert pipe.normalise.method == "goalposts" and pipe.normalise.effective_scale == 100
    assert pipe.aggregate.method == "amean" and pipe.aggregate.min_coverage == 0.5


def test_no_data_at_all(catalogue):
    results = adapter.compute_results(catalogue, 0, Scope.public())
    assert results.result is None and results.data.units == ()
