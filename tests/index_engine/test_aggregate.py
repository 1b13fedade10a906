"""Golden cases: aggregation (a_amean / a_gmean / a_hmean), coverage, denomination, ranks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from index_engine import Dataset, Framework, Pipeline, compute

from . import coinr_ref as R
from .helpers import assert_close, dataset, flat_framework, run

# Three indicators already on a 1..100-like scale; use rank-free "goalposts" with
# posts (0, 100, scale 100) so normalised == raw and aggregation is tested alone.
W = [1.0, 2.0, 3.0]
VALUES = {"A": [10.0, 40.0, None, 5.0], "B": [20.0, None, None, 50.0], "C": [30.0, 60.0, 7.0, 80.0]}
IDENTITY = {"method": "goalposts", "posts": {c: [0, 100] for c in "ABC"}, "scale": 100}


def _scores(method: str, min_coverage: float = 0.0) -> list[float]:
    res = run(
        flat_framework(list("ABC"), W),
        dataset(VALUES),
        normalise=IDENTITY,
        aggregate={"method": method, "min_coverage": min_coverage},
    )
    return [float(v) for v in res.scores[:, 0, 0]]


def _rows() -> list[list[float]]:
    n = len(VALUES["A"])
    return [[math.nan if VALUES[c][u] is None else VALUES[c][u] for c in "ABC"] for u in range(n)]  # type: ignore[misc]


def test_amean_weighted_by_hand_with_renormalised_weights() -> None:
    got = _scores("amean")
    by_hand = [
        (1 * 10 + 2 * 20 + 3 * 30) / 6,
        (1 * 40 + 3 * 60) / 4,  # B missing: weights renormalised over A and C
        7.0,
        (1 * 5 + 2 * 50 + 3 * 80) / 6,
    ]
    assert_close(got, by_hand)
    assert_close(got, [R.a_amean(r, W) for r in _rows()])


def test_gmean_and_hmean_match_coinr() -> None:
    assert_close(_scores("gmean"), [R.a_gmean(r, W) for r in _rows()])
    assert_close(_scores("hmean"), [R.a_hmean(r, W) for r in _rows()])
    # by hand for unit 0: exp(sum w log x / sum w), sum w / sum(w / x)
    g0 = math.exp((math.log(10) + 2 * math.log(20) + 3 * math.log(30)) / 6)
    h0 = 6 / (1 / 10 + 2 / 20 + 3 / 30)
    assert_close([_scores("gmean")[0], _scores("hmean")[0]], [g0, h0])


def test_min_coverage_is_weight_share() -> None:
    # unit 1 has weight share 4/6, unit 2 only 3/6 present.
    got = _scores("amean", min_coverage=0.6)
    assert not math.isnan(got[1]) and math.isnan(got[2])
    got = _scores("amean", min_coverage=4 / 6)  # boundary is inclusive
    assert not math.isnan(got[1])
    res = run(
        flat_framework(list("ABC"), W),
        dataset(VALUES),
        normalise=IDENTITY,
        aggregate={"method": "amean", "min_coverage": 0.9},
    )
    reasons = {(r[0], r[2]): r[4] for r in res.missing_rows() if r[3] == "score"}
    assert reasons == {("U1", "IDX"): "low_coverage", ("U2", "IDX"): "low_coverage"}


def test_gmean_non_positive_child_gives_reasoned_missing() -> None:
    res = run(
        flat_framework(["A", "B"]),
        dataset({"A": [0.0, 4.0], "B": [5.0, 9.0]}),
        normalise={"method": "goalposts", "posts": {"A": [0, 100], "B": [0, 100]}},
        aggregate="gmean",
    )
    assert math.isnan(res.scores[0, 0, 0])
    assert_close([res.scores[1, 0, 0]], [math.sqrt(4 * 9)])
    assert [r[4] for r in res.missing_rows()] == ["non_positive_for_gmean"]


def test_three_level_tree_and_unbalanced_depth() -> None:
    fw = Framework.from_rows(
        [
            {"code": "ROOT", "parent": None},
            {"code": "D1", "parent": "ROOT", "weight": 3},
            {"code": "S1", "parent": "D1"},
            {"code": "I1", "parent": "S1"},
            {"code": "I2", "parent": "S1", "weight": 3},
            {"code": "I3", "parent": "D1"},  # leaf one level higher than its cousins
            {"code": "I4", "parent": "ROOT"},
        ]
    )
    assert fw.aggregates == ("S1", "D1", "ROOT")
    vals = {"I1": [10.0, 0.0], "I2": [30.0, 100.0], "I3": [50.0, 20.0], "I4": [90.0, 40.0]}
    posts = {c: [0, 100] for c in vals}
    res = run(fw, dataset(vals), normalise={"method": "goalposts", "posts": posts})
    for u in range(2):
        s1 = (vals["I1"][u] + 3 * vals["I2"][u]) / 4
        d1 = (s1 + vals["I3"][u]) / 2
        root = (3 * d1 + vals["I4"][u]) / 4
        assert_close([float(v) for v in res.scores[u, :, 0]], [s1, d1, root])


def test_denominate_by_series_with_factor() -> None:
    fw = flat_framework(["DEATHS", "VACC"], denominator=["BIRTHS", None], factor=[1000, None])
    rows = []
    for u, (d, b, v) in enumerate([(12, 4000, 90), (30, 5000, 80), (7, 0, 85), (5, None, 70)]):
        rows += [
            {"unit": f"U{u}", "indicator": "DEATHS", "year": 2020, "value": d},
            {"unit": f"U{u}", "indicator": "BIRTHS", "year": 2020, "value": b},
            {"unit": f"U{u}", "indicator": "VACC", "year": 2020, "value": v},
        ]
    ds = Dataset.from_long(rows)
    res = compute(fw, ds, Pipeline.from_mapping({"denominate": True}))
    den = [float(v) for v in res.denominated[:, 0, 0]]
    assert_close(den[:2], [R.denominate(12, 4000, 1000), R.denominate(30, 5000, 1000)])
    assert_close(den[:2], [3.0, 6.0])
    assert math.isnan(den[2]) and math.isnan(den[3])
    reasons = {r[0]: r[4] for r in res.missing_rows() if r[2] == "DEATHS"}
    assert reasons == {"U2": "zero_denominator", "U3": "no_denominator"}
    raw = compute(fw, ds, Pipeline.from_mapping({"denominate": False}))
    assert_close([float(v) for v in raw.denominated[:, 0, 0]], [12, 30, 7, 5])


def test_ranks_min_ties_and_missing() -> None:
    res = run(
        flat_framework(["A"]),
        dataset({"A": [50.0, 80.0, 50.0, None, 10.0]}),
        normalise={"method": "goalposts", "posts": {"A": [0, 100]}},
    )
    assert res.ranks[:, 0, 0].tolist() == [2, 1, 2, 0, 4]
    rows = {(r[0], r[2]): r for r in res.long_rows() if r[3] == "score"}
    assert rows["U3", "IDX"][4:] == (None, None)
    assert rows["U2", "IDX"][5] == 2


@pytest.mark.parametrize("method", ["amean", "gmean", "hmean"])
def test_non_contiguous_children_same_as_contiguous(method: str) -> None:
    rows = [
        {"code": "R", "parent": ""},
        {"code": "P", "parent": "R"},
        {"code": "Q", "parent": "R"},
    ]
    order = ["a", "b", "c", "d"]
    parents = {"a": "P", "b": "Q", "c": "P", "d": "Q"}
    inter = Framework.from_rows(rows + [{"code": c, "parent": parents[c]} for c in order])
    grouped = Framework.from_rows(
        rows + [{"code": c, "parent": parents[c]} for c in sorted(order, key=parents.get)]
    )
    rng = np.random.default_rng(3)
    vals = {c: list(rng.uniform(1, 100, 6)) for c in order}
    posts = {"method": "goalposts", "posts": {c: [0, 100] for c in order}}
    a = run(inter, dataset(vals), normalise=posts, aggregate=method)
    b = run(grouped, dataset(vals), normalise=posts, aggregate=method)
    np.testing.assert_allclose(a.scores, b.scores, rtol=1e-12)
