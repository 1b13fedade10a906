"""Framework, data and pipeline validation: every problem names source, row and column."""

from __future__ import annotations

import pytest

from index_engine import Dataset, EngineInputError, Framework, Pipeline, Problem, compute

from .helpers import dataset, flat_framework


def problems(exc: pytest.ExceptionInfo[EngineInputError]) -> set[tuple[int | None, str | None]]:
    return {(p.row, p.column) for p in exc.value.problems}


def fw_rows(*extra: dict[str, object]) -> list[dict[str, object]]:
    return [
        {"code": "ROOT", "parent": ""},
        {"code": "S1", "parent": "ROOT"},
        {"code": "I1", "parent": "S1"},
        *extra,
    ]


def test_problem_message_format() -> None:
    p = Problem("framework.csv", 5, "parent", "unknown code 'S99'")
    assert str(p) == "framework.csv row 5, column parent: unknown code 'S99'"
    assert str(Problem("pipeline.yaml", None, "normalise.method", "x")) == (
        "pipeline.yaml, normalise.method: x"
    )


def test_unknown_parent_reports_row_and_column() -> None:
    with pytest.raises(EngineInputError) as exc:
        Framework.from_rows(fw_rows({"code": "I2", "parent": "S99"}), source="framework.csv")
    assert "framework.csv row 5, column parent: unknown code 'S99'" in str(exc.value)


@pytest.mark.parametrize(
    ("extra", "where", "words"),
    [
        ({"code": "I1", "parent": "S1"}, (5, "code"), "duplicate code 'I1'"),
        ({"code": "R2", "parent": ""}, (5, "parent"), "several roots"),
        ({"code": "I2", "parent": "S1", "weight": "heavy"}, (5, "weight"), "not a number"),
        ({"code": "I2", "parent": "S1", "weight": -1}, (5, "weight"), "negative weight"),
        ({"code": "I2", "parent": "S1", "direction": 0}, (5, "direction"), "1 or -1"),
        ({"code": "I2", "parent": "S1", "direction": "up"}, (5, "direction"), "1 or -1"),
        ({"code": "I2", "parent": "S1", "target": "high"}, (5, "target"), "not a number"),
        ({"code": "I2", "parent": "S1", "denominator": "S1"}, (5, "denominator"), "framework node"),
        ({"code": "I2", "parent": "S1", "factor": 10}, (5, "factor"), "without a denominator"),
        ({"code": "", "parent": "S1"}, (5, "code"), "empty code"),
        (
            {"code": "I2", "parent": "S1", "lower_post": 5, "upper_post": 1},
            (5, "upper_post"),
            "greater",
        ),
    ],
)
def test_framework_problems(extra: dict[str, object], where: tuple[int, str], words: str) -> None:
    with pytest.raises(EngineInputError) as exc:
        Framework.from_rows(fw_rows(extra))
    assert where in problems(exc)
    assert words in str(exc.value)


def test_cycle_detected() -> None:
    rows = [
        {"code": "ROOT", "parent": ""},
        {"code": "A", "parent": "B"},
        {"code": "B", "parent": "A"},
        {"code": "I", "parent": "ROOT"},
    ]
    with pytest.raises(EngineInputError) as exc:
        Framework.from_rows(rows)
    assert "cycle: A -> B -> A" in str(exc.value)
    assert (3, "parent") in problems(exc)


def test_no_root_and_missing_column_and_all_zero_weights() -> None:
    with pytest.raises(EngineInputError, match="no root"):
        Framework.from_rows([{"code": "A", "parent": "A"}])
    with pytest.raises(EngineInputError) as exc:
        Framework.from_rows([{"code": "A"}])
    assert (1, "parent") in problems(exc)
    Framework.from_rows(fw_rows({"code": "I0", "parent": "ROOT", "weight": 0}))  # allowed
    with pytest.raises(EngineInputError, match="all children of 'S1' have weight 0"):
        Framework.from_rows(
            [
                {"code": "ROOT", "parent": ""},
                {"code": "S1", "parent": "ROOT"},
                {"code": "I1", "parent": "S1", "weight": 0},
            ]
        )


def test_all_problems_reported_together_and_blank_rows_counted() -> None:
    rows = fw_rows(
        {"code": "", "parent": ""},  # fully blank row 5: skipped but counted
        {"code": "I2", "parent": "S9"},
        {"code": "I3", "parent": "S1", "weight": "x"},
    )
    rows[3] = {"code": None, "parent": None}
    with pytest.raises(EngineInputError) as exc:
        Framework.from_rows(rows)
    assert problems(exc) == {(6, "parent"), (7, "weight")}


def test_extra_columns_ignored_and_case_insensitive_headers() -> None:
    fw = Framework.from_rows(
        [
            {"Code": "R", "Parent": "", "Label": "Index"},
            {"Code": "A", "Parent": "R", "Weight": "2", "Direction": "-1"},
        ]
    )
    assert fw.node("A").weight == 2.0 and fw.node("A").direction == -1


def test_data_problems() -> None:
    rows = [
        {"unit": "U1", "indicator": "I1", "year": 2020, "value": 1},
        {"unit": "U1", "indicator": "I1", "year": 2020, "value": 2},
        {"unit": "U2", "indicator": "I1", "year": "20x", "value": 2},
        {"unit": "U3", "indicator": "I1", "year": 2020, "value": "n/a"},
        {"unit": "", "indicator": "I1", "year": 2020, "value": 1},
        {"unit": "U4", "indicator": "I1", "year": 2020, "value": "inf"},
    ]
    with pytest.raises(EngineInputError) as exc:
        Dataset.from_long(rows, source="data.csv")
    assert problems(exc) == {(3, "indicator"), (4, "year"), (5, "value"), (6, "unit"), (7, "value")}
    assert "duplicate row for unit 'U1', indicator 'I1', year 2020 (first in row 2)" in str(
        exc.value
    )


def test_data_missing_column() -> None:
    with pytest.raises(EngineInputError) as exc:
        Dataset.from_long([{"unit": "U", "indicator": "I", "year": 2020}])
    assert problems(exc) == {(1, "value")}


def test_from_arrays_duplicates_and_ranges() -> None:
    with pytest.raises(EngineInputError, match="duplicate row"):
        Dataset.from_arrays(["u"], ["i"], [2020], [0, 0], [0, 0], [0, 0], [1.0, 2.0])
    with pytest.raises(EngineInputError, match="index out of range"):
        Dataset.from_arrays(["u"], ["i"], [2020], [1], [0], [0], [1.0])
    ds = Dataset.from_arrays(["u", "v"], ["i"], [2020, 2021], [1, 0], [0, 0], [1, 0], [3.0, 4.0])
    assert ds.values[1, 0, 1] == 3.0 and ds.values[0, 0, 0] == 4.0
    assert ds.series_rows == {"i": 2}


def test_data_against_framework() -> None:
    fw = flat_framework(["I1", "I2"], denominator=["POP", None])
    ds = dataset({"I1": [1.0], "X9": [2.0], "IDX": [3.0]})
    with pytest.raises(EngineInputError) as exc:
        compute(fw, ds, Pipeline())
    text = str(exc.value)
    assert "data row 3, column indicator: unknown indicator 'X9'" in text
    assert "'IDX' is an aggregate" in text
    assert "denominator series 'POP' has no rows" in text
    # without denomination the missing denominator series is not needed
    ok = compute(fw, dataset({"I1": [1.0, 2.0], "I2": [3.0, 4.0]}), Pipeline(denominate=False))
    assert ok.scores.shape == (2, 1, 1)


def test_pipeline_problems() -> None:
    with pytest.raises(EngineInputError) as exc:
        Pipeline.from_mapping(
            {
                "denominate": "yes",
                "treat": {"method": "trim"},
                "normalise": {"method": "zscore", "sd": 0, "lower": 3},
                "aggregate": {"method": "amean", "min_coverage": 2},
                "extra": 1,
            },
            source="pipeline.yaml",
        )
    keys = {p.column for p in exc.value.problems}
    assert keys == {
        "denominate",
        "treat.method",
        "normalise.sd",
        "normalise.lower",
        "aggregate.min_coverage",
        "extra",
    }
    assert "pipeline.yaml, treat.method: unknown method 'trim'" in str(exc.value)


def test_normalisation_needs_targets_and_posts() -> None:
    fw = flat_framework(["A", "B"], target=[5, None])
    ds = dataset({"A": [1.0, 2.0], "B": [3.0, 4.0]})
    with pytest.raises(EngineInputError) as exc:
        compute(fw, ds, Pipeline.from_mapping({"normalise": "dist2target"}))
    assert problems(exc) == {(4, "target")}
    with pytest.raises(EngineInputError) as exc:
        compute(
            fw,
            ds,
            Pipeline.from_mapping({"normalise": {"method": "goalposts", "posts": {"Z": [0, 1]}}}),
        )
    assert {p.column for p in exc.value.problems} == {"normalise.posts.Z", "lower_post"}


def test_decimal_and_numpy_cells_accepted() -> None:
    from decimal import Decimal

    import numpy as np

    fw = Framework.from_rows(
        [{"code": "R", "parent": None}, {"code": "A", "parent": "R", "weight": Decimal("2.5")}]
    )
    assert fw.node("A").weight == 2.5
    ds = Dataset.from_long(
        [
            {"unit": "U", "indicator": "A", "year": np.int64(2020), "value": Decimal("1.25")},
            {"unit": "V", "indicator": "A", "year": 2020, "value": np.float64(3.0)},
        ]
    )
    assert ds.values[:, 0, 0].tolist() == [1.25, 3.0]


def test_from_arrays_any_record_order() -> None:
    import numpy as np

    rng = np.random.default_rng(5)
    shape = (300, 7, 100)  # 210,000 cells: more than one scanning chunk
    u, s, y = (a.ravel() for a in np.indices(shape))
    vals = rng.random(u.size)
    names = ([f"u{k}" for k in range(300)], [f"s{k}" for k in range(7)], list(range(100)))
    ordered = Dataset.from_arrays(*names, u, s, y, vals)
    perm = rng.permutation(u.size)
    shuffled = Dataset.from_arrays(*names, u[perm], s[perm], y[perm], vals[perm])
    np.testing.assert_array_equal(ordered.values, shuffled.values)
    assert ordered.series_rows == {f"s{k}": 2 + k * 100 for k in range(7)}
    for code, row in shuffled.series_rows.items():
        k = int(code[1:])
        assert row - 2 == int(np.flatnonzero(s[perm] == k)[0])
    # a series first seen in the very last record (beyond the first scanning chunk)
    n = 100_000
    series_idx = np.zeros(n, dtype=np.int64)
    series_idx[-1] = 1
    late = Dataset.from_arrays(
        [f"u{k}" for k in range(n)],
        ["x", "z"],
        [2020],
        np.arange(n),
        series_idx,
        np.zeros(n, dtype=np.int64),
        np.ones(n),
    )
    assert late.series_rows == {"x": 2, "z": n + 1}
