"""Parquet and XLSX inputs, Parquet and wide outputs, and messages for bad cells in every
input format (command line runs in a subprocess, plus the public readers)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from index_engine import Dataset
from index_engine.io import load_dataset, read_frame, read_table

from .test_cli import (
    FRAMEWORK,
    _data_rows,
    _read,
    _run,
    _write_csv,
    _write_xlsx,
    python_snippet_run,
)

PIPE = "normalise: {method: minmax, lower: 0, upper: 100}\naggregate: {method: amean}\n"


def _frame(rows: list[list[object]]) -> pl.DataFrame:
    header, body = rows[0], rows[1:]
    cols = {str(h): [r[i] for r in body] for i, h in enumerate(header)}
    return pl.DataFrame(cols, strict=False, infer_schema_length=None)


def _framework_parquet(path: Path) -> Path:
    cols = {h: [r[i] for r in FRAMEWORK[1:]] for i, h in enumerate(FRAMEWORK[0])}
    pl.DataFrame(cols).write_parquet(path)
    return path


def _data_parquet(path: Path) -> Path:
    rows = _data_rows()
    pl.DataFrame(
        {
            "Unit": [r[0] for r in rows[1:]],
            "indicator": [r[1] for r in rows[1:]],
            "year": [r[2] for r in rows[1:]],
            "value": [None if r[3] == "" else float(r[3]) for r in rows[1:]],  # type: ignore[arg-type]
        }
    ).write_parquet(path)
    return path


def _pipeline(tmp_path: Path) -> Path:
    pipe = tmp_path / "pipeline.yaml"
    pipe.write_text("denominate: true\ntreat: none\n" + PIPE, encoding="utf-8")
    return pipe


def _compute(*args: str | Path) -> None:
    proc = _run("compute", *args)
    assert proc.returncode == 0, proc.stderr


def _long_csv(tmp_path: Path) -> list[dict[str, str]]:
    fw = _write_csv(tmp_path / "fw.csv", FRAMEWORK)  # type: ignore[arg-type]
    data = _write_csv(tmp_path / "d.csv", _data_rows())
    out = tmp_path / "long.csv"
    _compute("--framework", fw, "--data", data, "--pipeline", _pipeline(tmp_path), "--out", out)
    return _read(out)


def _num(text: str) -> float:
    return math.nan if text == "" else float(text)


def test_parquet_in_and_out_equals_csv(tmp_path: Path) -> None:
    fw = _framework_parquet(tmp_path / "framework.parquet")
    data = _data_parquet(tmp_path / "data.parquet")
    out, reasons = tmp_path / "out.parquet", tmp_path / "reasons.parquet"
    pipe = _pipeline(tmp_path)
    args = ("--framework", fw, "--data", data, "--pipeline", pipe)
    _compute(*args, "--out", out, "--reasons", reasons)
    got = pl.read_parquet(out)
    assert got.columns == ["unit", "year", "code", "stage", "value", "rank"]
    assert got.schema["year"] == pl.Int64 and got.schema["value"] == pl.Float64
    expected = _long_csv(tmp_path)
    assert got.height == len(expected)
    for row, exp in zip(got.iter_rows(named=True), expected, strict=True):
        assert (row["unit"], str(row["year"]), row["code"], row["stage"]) == (
            exp["unit"],
            exp["year"],
            exp["code"],
            exp["stage"],
        )
        value = math.nan if row["value"] is None else row["value"]
        assert value == _num(exp["value"]) or (math.isnan(value) and exp["value"] == "")
        assert ("" if row["rank"] is None else str(row["rank"])) == exp["rank"]
    assert pl.read_parquet(reasons).rows() == [("Akko", 2020, "SCHOOL", "normalised", "no_data")]


def test_csv_floats_round_trip_and_missing_is_empty(tmp_path: Path) -> None:
    rows = _long_csv(tmp_path)
    fw = _write_csv(tmp_path / "fw2.csv", FRAMEWORK)  # type: ignore[arg-type]
    data = _data_parquet(tmp_path / "d.parquet")
    out = tmp_path / "o.parquet"
    _compute("--framework", fw, "--data", data, "--pipeline", _pipeline(tmp_path), "--out", out)
    exact = pl.read_parquet(out)["value"].to_list()
    for row, v in zip(rows, exact, strict=True):
        assert (row["value"] == "") if v is None else (float(row["value"]) == v)


def test_wide_has_one_row_per_unit_year_and_equals_long(tmp_path: Path) -> None:
    long = _long_csv(tmp_path)
    fw = _write_csv(tmp_path / "fw.csv", FRAMEWORK)  # type: ignore[arg-type]
    data = _write_csv(tmp_path / "d.csv", _data_rows())
    pipe = _pipeline(tmp_path)
    for out in (tmp_path / "wide.csv", tmp_path / "wide.parquet"):
        _compute("--framework", fw, "--data", data, "--pipeline", pipe, "--out", out, "--wide")
        wide = (
            pl.read_parquet(out)
            if out.suffix == ".parquet"
            else pl.read_csv(out, infer_schema=False)
        )
        stages = ("denominated", "treated", "normalised")
        assert wide.columns == [
            "unit",
            "year",
            *(f"{c}.{s}" for c in ("U5MR", "VACC", "SCHOOL") for s in stages),
            "HEALTH.score",
            "HEALTH.rank",
            "CFCI.score",
            "CFCI.rank",
        ]
        assert wide.height == 3 * 2
        cells = {(str(r["unit"]), str(r["year"])): r for r in wide.iter_rows(named=True)}
        assert list(cells) == [
            (u, y) for u in ("Kokshetau", "Akko", "Eilat") for y in ("2019", "2020")
        ]
        for exp in long:
            row = cells[exp["unit"], exp["year"]]
            value = row[f"{exp['code']}.{exp['stage']}"]
            got = math.nan if value in (None, "") else float(value)
            want = _num(exp["value"])
            assert got == want or (math.isnan(got) and math.isnan(want))
            if exp["stage"] == "score":
                rank = row[f"{exp['code']}.rank"]
                assert ("" if rank is None else str(rank)) == exp["rank"]


def test_xlsx_number_years_read_by_calamine_into_parquet(tmp_path: Path) -> None:
    rows = _data_rows()
    rows = [rows[0]] + [[u, c, float(y), v] for u, c, y, v in rows[1:]]  # type: ignore[arg-type]
    data = _write_xlsx(tmp_path / "data.xlsx", rows)
    fw = _write_xlsx(tmp_path / "framework.xlsx", FRAMEWORK)  # type: ignore[arg-type]
    out = tmp_path / "out.parquet"
    _compute("--framework", fw, "--data", data, "--pipeline", _pipeline(tmp_path), "--out", out)
    got = pl.read_parquet(out)
    assert sorted(set(got["year"].to_list())) == [2019, 2020]
    assert got.height == len(_long_csv(tmp_path))


def test_corrupt_xlsx_and_unsupported_suffix(tmp_path: Path) -> None:
    fw = _framework_parquet(tmp_path / "framework.parquet")
    bad = tmp_path / "data.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not a workbook")
    pipe = _pipeline(tmp_path)
    proc = _run("compute", "--framework", fw, "--data", bad, "--pipeline", pipe, "--out", "-")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: data.xlsx: cannot read workbook: ")
    other = tmp_path / "data.json"
    other.write_text("[]", encoding="utf-8")
    proc = _run("compute", "--framework", fw, "--data", other, "--pipeline", pipe, "--out", "-")
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "error: data.json: unsupported file type '.json' (use .csv, .xlsx or .parquet)"
    )


BAD = [
    ["unit", "indicator", "year", "value"],
    ["Akko", "VACC", 2019, "70"],  # row 2
    ["Akko", "SCHOOL", 2019, "abc"],  # row 3: text value
    ["Eilat", "VACC", 2019.5, "80"],  # row 4: year not whole
    [None, None, None, None],  # row 5: blank, skipped but counted
    ["Akko", "VACC", 2019, "71"],  # row 6: duplicate of row 2
]


def _bad_file(tmp_path: Path, fmt: str, rows: list[list[object]]) -> Path:
    path = tmp_path / f"data.{fmt}"
    if fmt == "csv":
        return _write_csv(path, [["" if v is None else v for v in r] for r in rows])
    if fmt == "xlsx":
        return _write_xlsx(path, [["" if v is None else v for v in r] for r in rows])
    _frame(rows).write_parquet(path)
    return path


@pytest.mark.parametrize(
    ("fmt", "year"), [("csv", "'2019.5'"), ("xlsx", "2019.5"), ("parquet", "2019.5")]
)
def test_bad_cells_reported_by_row_and_column(tmp_path: Path, fmt: str, year: str) -> None:
    fw = _framework_parquet(tmp_path / "framework.parquet")
    data = _bad_file(tmp_path, fmt, BAD)
    pipe = _pipeline(tmp_path)
    proc = _run("compute", "--framework", fw, "--data", data, "--pipeline", pipe, "--out", "-")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    name = f"data.{fmt}"
    assert proc.stderr.strip().splitlines() == [
        f"error: {name} row 3, column value: not a number: 'abc'",
        f"error: {name} row 4, column year: expected a whole number, got {year}",
        f"error: {name} row 6, column indicator: duplicate row for unit 'Akko', "
        "indicator 'VACC', year 2019 (first in row 2)",
    ]
    missing = _bad_file(tmp_path, fmt, [r[:3] for r in BAD])
    proc = _run("compute", "--framework", fw, "--data", missing, "--pipeline", pipe, "--out", "-")
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"error: {name} row 1, column value: missing required column"


def test_columnar_reader_equals_row_reader_on_awkward_cells(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text(
        "\ufeff Unit ;INDICATOR;Year;Value;note\n"
        " Akko ; VACC ; 2019 ; 1.5 ;x\n"
        ";;;;\n"
        "Akko;SCHOOL;2019.0;;\n"
        "Eilat;VACC;\u0662\u0660\u0661\u0669;1e-7;\n"
        "Eilat;SCHOOL;+2019;  0.1 ;\n"
        "Kokshetau;VACC;2020;-0;\n",
        encoding="utf-8",
    )
    frame, _ = read_frame(path)
    fast = Dataset.from_frame(frame, source="d.csv")
    assert np.array_equal(load_dataset(path).values, fast.values, equal_nan=True)
    slow = Dataset.from_long(read_table(path), source="d.csv")
    assert (fast.units, fast.series, fast.years) == (slow.units, slow.series, slow.years)
    assert fast.units == ("Akko", "Eilat", "Kokshetau") and fast.years == (2019, 2020)
    assert np.array_equal(fast.values, slow.values, equal_nan=True)
    assert fast.series_rows == slow.series_rows == {"VACC": 2, "SCHOOL": 4}


def test_cli_imports_no_table_libraries_until_needed() -> None:
    proc = python_snippet_run(
        "import sys, index_engine.cli; "
        "bad = {'polars', 'yaml', 'python_calamine', 'openpyxl'} & set(sys.modules); "
        "assert not bad, bad"
    )
    assert proc.returncode == 0, proc.stderr
