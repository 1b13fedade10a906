"""Golden cases: outlier treatment against COINr's Treat() defaults (R/treat.R)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from index_engine import Dataset, Pipeline, TreatSpec, compute
from index_engine.treat import TREATMENTS, skew_kurt, treat

from . import coinr_ref as R
from .helpers import assert_close, col, dataset, flat_framework

WINSORISE = {"treat": {"method": "winsorise"}}


def test_skew_kurt_match_e1071_type2_by_hand() -> None:
    x = [1.0, 2.0, 3.0, 4.0, 10.0]
    n = 5
    m = sum(x) / n
    s2 = sum((v - m) ** 2 for v in x)
    s3 = sum((v - m) ** 3 for v in x)
    s4 = sum((v - m) ** 4 for v in x)
    skew = math.sqrt(n) * s3 / s2**1.5 * math.sqrt(n * (n - 1)) / (n - 2)
    kurt = ((n + 1) * (n * s4 / s2**2 - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    sk, kt = skew_kurt(np.array(x).reshape(-1, 1))
    assert_close([sk[0], kt[0]], [skew, kurt])
    assert_close([sk[0], kt[0]], [R.skew(x), R.kurt(x)])


def test_too_few_points_give_nan_moments() -> None:
    sk, kt = skew_kurt(np.array([[1.0], [2.0], [np.nan], [50.0]]))
    assert math.isnan(sk[0]) and math.isnan(kt[0])


def test_winsorisation_triggers_and_passes() -> None:
    # 1..20 plus one outlier: |skew| >= 2 and kurt >= 3.5, one winsorisation fixes it.
    x = [float(v) for v in range(1, 21)] + [200.0]
    assert not R.check_skew_kurt(x)
    expected, how = R.treat_numeric(x)
    assert how == "winsorised"
    assert expected[-1] == 20.0  # the outlier takes the next highest value
    res = compute(flat_framework(["A"]), dataset({"A": x}), Pipeline.from_mapping(WINSORISE))
    assert_close(col(res.treated), expected)
    assert TREATMENTS[int(res.treatment[0, 0])] == "winsorised"
    assert int(res.winsorised_points[0, 0]) == 1


def test_winsorisation_of_low_tail_and_ties() -> None:
    # Negative skew with a tied pair of low outliers: both move together.
    x = [-300.0, -300.0, *[float(v) for v in range(40, 70)]]
    expected, how = R.treat_numeric(x)
    assert how == "winsorised"
    assert expected[0] == expected[1] == 40.0
    res = compute(flat_framework(["A"]), dataset({"A": x}), Pipeline.from_mapping(WINSORISE))
    assert_close(col(res.treated), expected)
    assert int(res.winsorised_points[0, 0]) == 2


def test_log_transform_triggers_when_winsorising_five_points_fails() -> None:
    # A long geometric tail: five winsorised points are not enough, so COINr applies
    # log_CT to the ORIGINAL values (combine_treat = FALSE).
    x = [1.0] * 40 + [3.0**k for k in range(1, 11)]
    _, nwin = R.winsorise(x)
    assert nwin >= 5
    expected, how = R.treat_numeric(x)
    assert how == "log_ct"
    mn, mx = min(x), max(x)
    by_hand = [math.log(v - mn + 0.01 * (mx - mn)) for v in x]
    assert_close(expected, by_hand)
    res = compute(flat_framework(["A"]), dataset({"A": x}), Pipeline.from_mapping(WINSORISE))
    assert_close(col(res.treated), by_hand)
    assert TREATMENTS[int(res.treatment[0, 0])] == "log_ct"


def test_passing_column_is_untouched_and_treat_none_is_identity() -> None:
    x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    res = compute(flat_framework(["A"]), dataset({"A": x}), Pipeline.from_mapping(WINSORISE))
    assert_close(col(res.treated), x)
    assert int(res.treatment[0, 0]) == 0
    arr = np.array(x).reshape(-1, 1, 1)
    out, codes, _ = treat(arr, TreatSpec())
    assert out is arr and not codes.any()


def test_log_fallback_can_be_switched_off() -> None:
    x = np.array([1.0] * 40 + [3.0**k for k in range(1, 11)]).reshape(-1, 1, 1)
    out, codes, nwin = treat(x, TreatSpec(method="winsorise", log_fallback=False))
    assert codes[0, 0] == 1 and nwin[0, 0] >= 5
    expected, _ = R.winsorise(list(x[:, 0, 0]))
    assert_close(out[:, 0, 0], expected)


@pytest.mark.parametrize("seed", range(6))
def test_random_heavy_tails_match_reference(seed: int) -> None:
    """Many columns at once (vectorised path) against the line-by-line R port."""
    rng = np.random.default_rng(seed)
    n_units, n_cols = 40, 24
    cols = []
    for k in range(n_cols):
        kind = k % 4
        if kind == 0:
            v = rng.lognormal(0, 1.5, n_units)
        elif kind == 1:
            v = -rng.lognormal(0, 1.2, n_units)  # low tail
        elif kind == 2:
            v = np.round(rng.lognormal(1, 1.0, n_units))  # many ties
        else:
            v = rng.normal(10, 2, n_units)
            v[:3] = [60, 60, -40]  # tied outliers on both sides
        v[rng.random(n_units) < 0.1] = np.nan
        cols.append(v)
    rows = [
        {"unit": f"U{u}", "indicator": f"I{k}", "year": 2020, "value": None if np.isnan(v) else v}
        for k, c in enumerate(cols)
        for u, v in enumerate(c)
    ]
    fw = flat_framework([f"I{k}" for k in range(n_cols)])
    res = compute(fw, Dataset.from_long(rows), Pipeline.from_mapping(WINSORISE))
    seen = set()
    for k, c in enumerate(cols):
        expected, how = R.treat_numeric([float(v) for v in c])
        seen.add(how)
        assert TREATMENTS[int(res.treatment[k, 0])] == how, k
        assert_close(col(res.treated, k), expected)
    assert "winsorised" in seen
