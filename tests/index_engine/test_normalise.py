"""Golden cases: normalisation against COINr's n_* definitions (R/normalise.R)."""

from __future__ import annotations

import math

import pytest

from . import coinr_ref as R
from .helpers import assert_close, col, dataset, flat_framework, run

X = [2.0, 4.0, 7.0, 10.0, None]
XF = [2.0, 4.0, 7.0, 10.0, math.nan]


def test_minmax_default_0_100_by_hand() -> None:
    # n_minmax: (x - min) / (max - min) * (u - l) + l, min 2, max 10
    res = run(flat_framework(["A"]), dataset({"A": X}), normalise="minmax")
    assert_close(col(res.normalised), [0.0, 25.0, 62.5, 100.0, math.nan])
    assert_close(col(res.normalised), R.n_minmax(XF))


def test_minmax_bounds_and_direction() -> None:
    fw = flat_framework(["A"], direction=[-1])
    res = run(fw, dataset({"A": X}), normalise={"method": "minmax", "lower": 1, "upper": 10})
    # direction -1: COINr multiplies by -1 first -> (max - x) / (max - min) * 9 + 1
    assert_close(col(res.normalised), [10.0, 1 + 9 * 6 / 8, 1 + 9 * 3 / 8, 1.0, math.nan])
    assert_close(col(res.normalised), R.normalise_numeric(XF, "minmax", -1, l_u=(1, 10)))


def test_zscore_uses_sd_with_n_minus_1() -> None:
    res = run(flat_framework(["A"]), dataset({"A": X}), normalise={"method": "zscore"})
    mean = (2 + 4 + 7 + 10) / 4
    sd = math.sqrt(sum((v - mean) ** 2 for v in (2, 4, 7, 10)) / 3)
    assert_close(col(res.normalised), [(v - mean) / sd for v in (2, 4, 7, 10)] + [math.nan])
    res2 = run(
        flat_framework(["A"], direction=[-1]),
        dataset({"A": X}),
        normalise={"method": "zscore", "mean": 50, "sd": 10},
    )
    assert_close(col(res2.normalised), R.normalise_numeric(XF, "zscore", -1, m_sd=(50, 10)))


@pytest.mark.parametrize("cap", [False, True])
@pytest.mark.parametrize("direction", [1, -1])
def test_dist2target(cap: bool, direction: int) -> None:
    target = 8.0 if direction == 1 else 3.0
    fw = flat_framework(["A"], direction=[direction], target=[target])
    res = run(fw, dataset({"A": X}), normalise={"method": "dist2target", "cap": cap})
    if direction == 1:  # (x - min) / (targ - min)
        by_hand = [(v - 2) / (8 - 2) for v in (2, 4, 7, 10)]
    else:  # (max - x) / (max - targ)
        by_hand = [(10 - v) / (10 - 3) for v in (2, 4, 7, 10)]
    if cap:
        by_hand = [min(v, 1.0) for v in by_hand]
    assert_close(col(res.normalised), [*by_hand, math.nan])
    # COINr's Normalise.coin path flips the target with the direction; its direct
    # n_dist2targ(direction = -1) form gives the same numbers.
    ref = R.normalise_numeric(XF, "dist2targ", direction, targ=target, cap_max=cap)
    assert_close(col(res.normalised), ref)
    assert_close(col(res.normalised), R.n_dist2targ(XF, target, direction, cap))


@pytest.mark.parametrize("direction", [1, -1])
def test_goalposts_fixed_across_years(direction: int) -> None:
    fw = flat_framework(["A"], direction=[direction], lower_post=[3], upper_post=[9])
    rows = [
        {"unit": f"U{u}", "indicator": "A", "year": y, "value": v}
        for y, vals in ((2020, [2, 4, 7, 10]), (2021, [5, 6, 8, 9.5]))
        for u, v in enumerate(vals)
    ]
    from index_engine import Dataset, Pipeline, compute

    res = compute(fw, Dataset.from_long(rows), Pipeline.from_mapping({"normalise": "goalposts"}))
    for y, vals in enumerate(([2, 4, 7, 10], [5, 6, 8, 9.5])):
        if direction == 1:
            by_hand = [min(max((v - 3) / 6, 0), 1) * 100 for v in vals]
        else:
            by_hand = [min(max((9 - v) / 6, 0), 1) * 100 for v in vals]
        assert_close(col(res.normalised, y=y), by_hand)
        ref = R.normalise_numeric(
            [float(v) for v in vals], "goalposts", direction, lower=3, upper=9, scale=100
        )
        assert_close(col(res.normalised, y=y), ref)


def test_goalposts_from_pipeline_override_and_no_trunc() -> None:
    fw = flat_framework(["A"], lower_post=[0], upper_post=[1])
    res = run(
        fw,
        dataset({"A": X}),
        normalise={"method": "goalposts", "posts": {"A": [4, 8]}, "scale": 1, "trunc": False},
    )
    assert_close(col(res.normalised), [-0.5, 0.0, 0.75, 1.5, math.nan])
    assert_close(col(res.normalised), R.n_goalposts(XF, [4, 8, 1], 1, False))


def test_rank_ties_min_and_missing_kept() -> None:
    x = [5.0, 3.0, 5.0, None, 1.0]
    res = run(flat_framework(["A"]), dataset({"A": x}), normalise="rank")
    assert_close(col(res.normalised), [3.0, 2.0, 3.0, math.nan, 1.0])
    xf = [5.0, 3.0, 5.0, math.nan, 1.0]
    assert_close(col(res.normalised), R.n_rank(xf))
    res2 = run(flat_framework(["A"], direction=[-1]), dataset({"A": x}), normalise="rank")
    assert_close(col(res2.normalised), R.normalise_numeric(xf, "rank", -1))


def test_zero_range_is_missing_with_reason() -> None:
    res = run(flat_framework(["A", "B"]), dataset({"A": [3, 3, 3], "B": [1, 2, 3]}))
    assert all(math.isnan(v) for v in col(res.normalised, 0))
    reasons = {r[2]: r[4] for r in res.missing_rows() if r[3] == "normalised"}
    assert reasons == {"A": "degenerate_distribution"}
