"""Small builders shared by the engine tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from hypothesis import HealthCheck, settings

from index_engine import Dataset, Framework, Pipeline, Result, compute

# No example database: hypothesis must not write .hypothesis/ into the work tree.
quick = settings(
    database=None,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)


def flat_framework(
    codes: Sequence[str], weights: Sequence[float] | None = None, **extra: Sequence[object]
) -> Framework:
    """Root 'IDX' with the given indicator codes as direct children."""
    rows: list[dict[str, object]] = [{"code": "IDX", "parent": ""}]
    for k, code in enumerate(codes):
        row: dict[str, object] = {"code": code, "parent": "IDX"}
        if weights is not None:
            row["weight"] = weights[k]
        for col, values in extra.items():
            row[col] = values[k]
        rows.append(row)
    return Framework.from_rows(rows)


def dataset(values: Mapping[str, Sequence[float | None]], year: int = 2020) -> Dataset:
    """One year; values[code][u] for units U0, U1, ... (None = missing)."""
    rows = []
    for code, column in values.items():
        for u, v in enumerate(column):
            rows.append({"unit": f"U{u}", "indicator": code, "year": year, "value": v})
    return Dataset.from_long(rows)


def run(fw: Framework, ds: Dataset, **pipeline: object) -> Result:
    return compute(fw, ds, Pipeline.from_mapping(pipeline))


def col(a: np.ndarray, i: int = 0, y: int = 0) -> list[float]:
    """Column i of a (units, codes, years) array as a list."""
    return [float(v) for v in a[:, i, y]]


def assert_close(actual: Sequence[float], expected: Sequence[float], tol: float = 1e-9) -> None:
    a = np.asarray(actual, dtype=float)
    e = np.asarray(expected, dtype=float)
    assert a.shape == e.shape, (a, e)
    np.testing.assert_allclose(a, e, rtol=tol, atol=tol, equal_nan=True)
