"""Progress states, explain contributions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from index_engine import (
    Dataset,
    EngineInputError,
    Framework,
    Pipeline,
    Tolerance,
    assess,
    compute,
    explain,
    progress,
)
from index_engine.progress import CHANGE_STATES, MISSING_SIDES, TARGET_STATES

from .helpers import flat_framework


def _assess(b: float, c: float, t: float, d: int, tol: Tolerance) -> tuple[str, str, float, str]:
    a = assess(np.array([b]), np.array([c]), np.array([t]), np.array([float(d)]), tol)
    return (
        CHANGE_STATES[int(a.change[0])],
        TARGET_STATES[int(a.target_state[0])],
        float(a.gap_closed[0]),
        MISSING_SIDES[int(a.missing[0])],
    )


@pytest.mark.parametrize(
    ("b", "c", "t", "d", "change", "target", "gap"),
    [
        (50, 60, 80, 1, "improved", "not_met", 10 / 30),
        (50, 40, 80, 1, "worse", "not_met", -10 / 30),
        (50, 50.4, 80, 1, "no_change", "not_met", 0.4 / 30),  # within absolute band 0.5
        (50, 85, 80, 1, "improved", "met", 35 / 30),
        (30, 20, 10, -1, "improved", "not_met", 0.5),  # lower is better
        (30, 35, 10, -1, "worse", "not_met", -0.25),
        (30, 9, 10, -1, "improved", "met", 21 / 20),
        (9, 8, 10, -1, "improved", "met", math.nan),  # baseline already at target
        (50, 60, math.nan, 1, "improved", "no_target", math.nan),
    ],
)
def test_assess_states(
    b: float, c: float, t: float, d: int, change: str, target: str, gap: float
) -> None:
    got = _assess(b, c, t, d, Tolerance(absolute=0.5))
    assert got[:2] == (change, target)
    np.testing.assert_allclose(got[2], gap, equal_nan=True)
    assert got[3] == ""


def test_relative_tolerance_and_no_data_sides() -> None:
    tol = Tolerance(relative=0.02)
    assert _assess(100, 101.5, 200, 1, tol)[0] == "no_change"
    assert _assess(100, 103, 200, 1, tol)[0] == "improved"
    assert _assess(math.nan, 5, 10, 1, tol)[::3] == ("no_data", "baseline")
    change, target, gap, side = _assess(5, math.nan, 10, 1, tol)
    assert (change, target, side) == ("no_data", "no_data", "current") and math.isnan(gap)
    assert _assess(math.nan, math.nan, 10, 1, tol)[3] == "both"


def _two_year_result() -> tuple[Framework, Dataset]:
    fw = flat_framework(["U5MR", "VACC"], direction=[-1, 1], target=[10, 95])
    rows = []
    data = {
        # unit: (U5MR 2018, 2019, 2020), (VACC 2018, 2019, 2020)
        "A": ((30, 25, 20), (80, 85, 90)),
        "B": ((12, None, None), (96, 97, 96.2)),
        "C": ((None, 15, 16), (70, 70, None)),
    }
    for unit, (u5, vac) in data.items():
        for k, year in enumerate((2018, 2019, 2020)):
            rows.append({"unit": unit, "indicator": "U5MR", "year": year, "value": u5[k]})
            rows.append({"unit": unit, "indicator": "VACC", "year": year, "value": vac[k]})
    return fw, Dataset.from_long(rows)


def test_progress_on_result_latest_and_fixed_year() -> None:
    fw, ds = _two_year_result()
    res = compute(fw, ds, Pipeline())
    p = progress(res, baseline_year=2018, current_year="latest", tolerance=Tolerance(absolute=0.5))
    a = p.row("A", "U5MR")
    assert (a.change, a.target_state, a.current_year) == ("improved", "not_met", 2020)
    assert a.gap_closed == pytest.approx((20 - 30) / (10 - 30))
    b = p.row("B", "U5MR")
    assert (b.change, b.missing, b.current_year) == ("no_data", "current", None)
    c = p.row("C", "U5MR")
    assert (c.change, c.missing) == ("no_data", "baseline")
    b_vacc = p.row("B", "VACC")
    assert (b_vacc.change, b_vacc.target_state, b_vacc.gap_closed) == ("no_change", "met", None)
    c_vacc = p.row("C", "VACC")  # latest non-missing after the baseline is 2019
    assert (c_vacc.current_year, c_vacc.change) == (2019, "no_change")
    agg = p.row("A", "IDX")
    assert agg.kind == "aggregate" and agg.target_state == "no_target"
    fixed = progress(res, baseline_year=2018, current_year=2019)
    assert fixed.row("A", "VACC").current == 85.0
    assert len(list(fixed.rows())) == 3 * 3
    with pytest.raises(EngineInputError, match="baseline_year"):
        progress(res, baseline_year=1990)


def _explain_case(method: str) -> tuple[float, float, list[float | None]]:
    fw = Framework.from_rows(
        [
            {"code": "R", "parent": ""},
            {"code": "A", "parent": "R", "weight": 1},
            {"code": "B", "parent": "R", "weight": 2},
            {"code": "C", "parent": "R", "weight": 3},
        ]
    )
    rows = [
        {"unit": "U1", "indicator": c, "year": 2020, "value": v}
        for c, v in (("A", 20.0), ("B", 50.0), ("C", None))
    ] + [
        {"unit": "U2", "indicator": c, "year": 2020, "value": v}
        for c, v in (("A", 90.0), ("B", 10.0), ("C", 40.0))
    ]
    pipe = Pipeline.from_mapping(
        {
            "normalise": {"method": "goalposts", "posts": {c: [0, 100] for c in "ABC"}},
            "aggregate": method,
        }
    )
    res = compute(fw, Dataset.from_long(rows), pipe)
    ex = explain(res, "U1", 2020, "R")
    assert ex.coverage == pytest.approx(3 / 6)
    assert [c.weight_share for c in ex.children] == [
        pytest.approx(1 / 3),
        pytest.approx(2 / 3),
        None,
    ]
    ex2 = explain(res, "U2", 2020, "R")
    return ex.total, ex.score or math.nan, [c.contribution for c in ex2.children] + [ex2.score]


@pytest.mark.parametrize("method", ["amean", "gmean", "hmean"])
def test_explain_contributions_sum_to_score(method: str) -> None:
    total, score, contributions = _explain_case(method)
    assert total == pytest.approx(score, rel=1e-12)
    *parts, score2 = contributions
    assert math.fsum(p for p in parts if p is not None) == pytest.approx(score2, rel=1e-12)
    if method == "amean":  # weight share x value
        assert parts == [
            pytest.approx(90 / 6),
            pytest.approx(2 * 10 / 6),
            pytest.approx(3 * 40 / 6),
        ]


def test_explain_errors() -> None:
    fw, ds = _two_year_result()
    res = compute(fw, ds, Pipeline())
    with pytest.raises(EngineInputError) as exc:
        explain(res, "Z", 1999, "U5MR")
    assert {p.column for p in exc.value.problems} == {"unit", "year", "node"}
