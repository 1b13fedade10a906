"""Benchmark of index_engine: prints figures, never fails (exit 0 either way).

    .venv/bin/python bench/engine.py [--quick]

(a) full pipeline (denominate, treat, normalise, aggregate, rank, progress) on
    10,000 units x 80 indicators x 10 years, 3-level tree (6 categories,
    11 subdomains, 80 leaves); timed without and with the long -> dense conversion
    (integer-coded long arrays, as a database adapter would pass them);
(b) 1,000-draw uncertainty on 100 units x 80 indicators x 10 years.
Times are the best of 3 runs (time.perf_counter) after one untimed warm-up run.
Data generation is excluded.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index_engine import (
    Dataset,
    Framework,
    NormaliseSpec,
    Pipeline,
    Tolerance,
    UncertaintySpec,
    compute,
    progress,
    uncertainty,
)

SEED = 20240601
N_IND = 80
N_SUB = 11
N_CAT = 6
DENOMINATORS = ("CHILD_POP", "LIVE_BIRTHS")


def make_framework() -> Framework:
    return Framework.from_rows(_framework_rows())


def _framework_rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [{"code": "CFCI", "parent": ""}]
    rows += [{"code": f"C{c}", "parent": "CFCI"} for c in range(N_CAT)]
    rows += [{"code": f"S{s:02d}", "parent": f"C{s % N_CAT}"} for s in range(N_SUB)]
    for i in range(N_IND):
        row: dict[str, object] = {
            "code": f"I{i:02d}",
            "parent": f"S{i * N_SUB // N_IND:02d}",  # listed subdomain by subdomain
            "weight": 1 + (i % 3),
            "direction": -1 if i % 4 == 0 else 1,
            "target": 50.0,
        }
        if i % 5 == 0:  # 16 indicators are counts to be divided by a population
            row["denominator"] = DENOMINATORS[i % 2]
            row["factor"] = 1000
        rows.append(row)
    return rows


def make_long(n_units: int, n_years: int, seed: int = SEED) -> dict[str, object]:
    """Integer-coded long arrays: every (unit, series, year), ~3 % values missing."""
    rng = np.random.default_rng(seed)
    series = [f"I{i:02d}" for i in range(N_IND)] + list(DENOMINATORS)
    n_s = len(series)
    values = rng.normal(50, 15, size=(n_units, n_s, n_years))
    skewed = np.arange(N_IND) % 7 == 3  # some heavy-tailed indicators trigger Treat
    values[:, :N_IND][:, skewed] = rng.lognormal(2.0, 1.2, size=(n_units, skewed.sum(), n_years))
    values[:, N_IND:] = rng.uniform(500, 50_000, size=(n_units, len(DENOMINATORS), n_years))
    values[:, :N_IND][rng.random((n_units, N_IND, n_years)) < 0.03] = np.nan
    u, s, y = np.meshgrid(np.arange(n_units), np.arange(n_s), np.arange(n_years), indexing="ij")
    return {
        "units": [f"M{k:05d}" for k in range(n_units)],
        "series": series,
        "years": list(range(2015, 2015 + n_years)),
        "unit_index": u.ravel(),
        "series_index": s.ravel(),
        "year_index": y.ravel(),
        "values": values.ravel(),
    }


PIPELINE = Pipeline.from_mapping(
    {
        "denominate": True,
        "treat": {"method": "winsorise"},
        "normalise": {"method": "minmax", "lower": 1, "upper": 100},
        "aggregate": {"method": "amean", "min_coverage": 0.5},
    }
)


CLI_PIPELINE = (
    "denominate: false\n"
    "treat: none\n"
    "normalise: {method: minmax, lower: 0, upper: 100}\n"
    "aggregate: {method: amean}\n"
)


def make_cli_inputs(folder: Path, n_units: int = 10_000, seed: int = SEED) -> dict[str, Path]:
    """Files for the command-line figures: the 3-level framework without denominators
    (CSV), 80 indicators x 1 year of long data (CSV and Parquet, ~3 % empty values) and
    the pipeline (min-max 0-100, arithmetic mean, no treatment)."""
    import polars as pl

    fw_rows = [
        {k: v for k, v in row.items() if k not in ("denominator", "factor")}
        for row in _framework_rows()
    ]
    fw = pl.DataFrame(fw_rows, infer_schema_length=None)
    fw.write_csv(folder / "framework.csv")
    fw.write_parquet(folder / "framework.parquet")
    rng = np.random.default_rng(seed)
    values = rng.normal(50, 15, size=(n_units, N_IND)).round(6)
    values[rng.random(values.shape) < 0.03] = np.nan
    data = pl.DataFrame(
        {
            "unit": np.repeat([f"M{k:05d}" for k in range(n_units)], N_IND),
            "indicator": np.tile([f"I{i:02d}" for i in range(N_IND)], n_units),
            "year": np.full(n_units * N_IND, 2023, dtype=np.int64),
            "value": pl.Series(values.ravel(), nan_to_null=True),
        }
    )
    data.write_csv(folder / "data.csv")
    data.write_parquet(folder / "data.parquet")
    (folder / "pipeline.yaml").write_text(CLI_PIPELINE, encoding="utf-8")
    return {
        "framework.csv": folder / "framework.csv",
        "framework.parquet": folder / "framework.parquet",
        "data.csv": folder / "data.csv",
        "data.parquet": folder / "data.parquet",
        "pipeline": folder / "pipeline.yaml",
    }


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    fn()  # warm-up (imports, first-touch of memory pages), not timed
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="smaller sizes (smoke run)")
    args = ap.parse_args()
    n_units, n_years, draws = (1_000, 10, 200) if args.quick else (10_000, 10, 1_000)
    fw = make_framework()
    long = make_long(n_units, n_years)
    ds = Dataset.from_arrays(**long)  # type: ignore[arg-type]
    print(
        f"data: {n_units} units x {N_IND} indicators x {n_years} years "
        f"({len(long['values']):,} long records incl. {len(DENOMINATORS)} denominators)"  # type: ignore[arg-type]
    )

    def pipeline_only() -> None:
        res = compute(fw, ds, PIPELINE)
        progress(res, baseline_year=2015, current_year="latest", tolerance=Tolerance(0.5, 0.01))

    def with_conversion() -> None:
        d = Dataset.from_arrays(**long)  # type: ignore[arg-type]
        res = compute(fw, d, PIPELINE)
        progress(res, baseline_year=2015, current_year="latest", tolerance=Tolerance(0.5, 0.01))

    small = Dataset.from_arrays(**make_long(100, n_years, SEED + 1))  # type: ignore[arg-type]
    spec = UncertaintySpec(
        pipeline=PIPELINE,
        weight_noise=0.25,
        normalise=(NormaliseSpec("minmax", lower=1, upper=100), NormaliseSpec("rank")),
        aggregate=("amean", "gmean", "hmean"),
        treat=(True, False),
    )

    def mc() -> None:
        uncertainty(fw, small, spec, draws=draws, seed=1)

    scale = 1.0 if not args.quick else n_units / 10_000
    figures = [
        (f"(a) pipeline {n_units}x{N_IND}x{n_years} + progress", pipeline_only, 1.0 * scale),
        ("(a') same incl. long->dense conversion", with_conversion, 1.0 * scale),
        (f"(b) uncertainty {draws} draws, 100x{N_IND}x{n_years}", mc, 10.0),
    ]
    print(f"{'figure':<48} {'seconds':>8} {'budget':>8} {'ratio':>7}  verdict")
    for name, fn, budget in figures:
        secs = best_of(fn)
        verdict = "PASS" if secs <= budget else "OVER"
        print(f"{name:<48} {secs:8.3f} {budget:8.2f} {budget / secs:7.1f}  {verdict}")
    if args.quick:
        print("(--quick: budgets of (a) scaled by unit count; not the real figures)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
