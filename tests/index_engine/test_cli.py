"""End-to-end command line runs (subprocess) on small CSV/XLSX/YAML/JSON files."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

FRAMEWORK = [
    ["code", "parent", "weight", "direction", "target", "denominator", "factor", "label"],
    ["CFCI", "", "", "", "", "", "", "Index"],
    ["HEALTH", "CFCI", "2", "", "", "", "", "Health"],
    ["U5MR", "HEALTH", "1", "-1", "10", "BIRTHS", "1000", "Under-5 deaths"],
    ["VACC", "HEALTH", "1", "1", "95", "", "", "Vaccination"],
    ["SCHOOL", "CFCI", "1", "1", "", "", "", "Enrolment"],
]
# unit: U5 deaths, births, vaccination %, school %  (2019, 2020)
DATA = {
    "Kokshetau": ((40, 4000, 90, 80), (30, 4000, 92, 85)),
    "Akko": (
        (10, 2000, 70, 60),
        (12, 2000, 75, ""),
    ),
    "Eilat": ((8, 1000, 80, 95), (5, 1000, 85, 96)),
}
PIPELINE = (
    "denominate: true\n"
    "treat: none\n"
    "normalise: {method: minmax, lower: 0, upper: 100}\n"
    "aggregate: {method: amean, min_coverage: 0.5}\n"
)


def _data_rows() -> list[list[object]]:
    rows: list[list[object]] = [["unit", "indicator", "year", "value"]]
    for unit, years in DATA.items():
        for year, vals in zip((2019, 2020), years, strict=True):
            for code, v in zip(("U5MR", "BIRTHS", "VACC", "SCHOOL"), vals, strict=True):
                rows.append([unit, code, year, v])
    return rows


def _write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append([None if v == "" else v for v in row])
    wb.save(path)
    return path


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "index_engine", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
        check=False,
    )


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    fw = _write_csv(tmp_path / "framework.csv", FRAMEWORK)  # type: ignore[arg-type]
    data = _write_csv(tmp_path / "data.csv", _data_rows())
    pipe = tmp_path / "pipeline.yaml"
    pipe.write_text(PIPELINE, encoding="utf-8")
    return fw, data, pipe


def _expected_2019() -> dict[str, float]:
    # U5MR per 1,000 births: Kokshetau 10, Akko 5, Eilat 8 -> direction -1 minmax
    u5 = {"Kokshetau": (10 - 10) / 5 * 100, "Akko": (10 - 5) / 5 * 100, "Eilat": (10 - 8) / 5 * 100}
    vacc = {"Kokshetau": 100.0, "Akko": 0.0, "Eilat": 50.0}
    school = {"Kokshetau": (80 - 60) / 35 * 100, "Akko": 0.0, "Eilat": 100.0}
    out = {}
    for unit in DATA:
        health = (u5[unit] + vacc[unit]) / 2
        out[unit] = (2 * health + school[unit]) / 3
    return out


def _check_compute_output(out: Path) -> None:
    rows = _read(out)
    assert rows[0].keys() == {"unit", "year", "code", "stage", "value", "rank"}
    got = {(r["unit"], r["year"], r["code"], r["stage"]): r for r in rows}
    den = got["Kokshetau", "2019", "U5MR", "denominated"]
    assert float(den["value"]) == pytest.approx(10.0) and den["rank"] == ""
    expected = _expected_2019()
    for unit, value in expected.items():
        assert float(got[unit, "2019", "CFCI", "score"]["value"]) == pytest.approx(value, abs=1e-9)
    ranking = sorted(expected, key=lambda u: -expected[u])
    assert [int(got[u, "2019", "CFCI", "score"]["rank"]) for u in ranking] == [1, 2, 3]
    # Akko has no SCHOOL value in 2020: normalised cell is empty, CFCI still scored
    assert got["Akko", "2020", "SCHOOL", "normalised"]["value"] == ""
    assert got["Akko", "2020", "CFCI", "score"]["value"] != ""
    n_codes = 3 * 3 + 2  # indicators x stages + aggregates
    assert len(rows) == len(DATA) * 2 * n_codes


def test_compute_csv(inputs: tuple[Path, Path, Path], tmp_path: Path) -> None:
    fw, data, pipe = inputs
    out = tmp_path / "out.csv"
    reasons = tmp_path / "reasons.csv"
    proc = _run(
        "compute",
        "--framework",
        fw,
        "--data",
        data,
        "--pipeline",
        pipe,
        "--out",
        out,
        "--reasons",
        reasons,
    )
    assert proc.returncode == 0, proc.stderr
    _check_compute_output(out)
    assert _read(reasons) == [
        {
            "unit": "Akko",
            "year": "2020",
            "code": "SCHOOL",
            "stage": "normalised",
            "reason": "no_data",
        }
    ]


def test_compute_xlsx_and_json_pipeline(tmp_path: Path) -> None:
    fw = _write_xlsx(tmp_path / "framework.xlsx", FRAMEWORK)  # type: ignore[arg-type]
    data = _write_xlsx(tmp_path / "data.xlsx", _data_rows())
    pipe = tmp_path / "pipeline.json"
    pipe.write_text(
        json.dumps(
            {
                "denominate": True,
                "treat": "none",
                "normalise": {"method": "minmax"},
                "aggregate": {"method": "amean", "min_coverage": 0.5},
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    proc = _run("compute", "--framework", fw, "--data", data, "--pipeline", pipe, "--out", out)
    assert proc.returncode == 0, proc.stderr
    _check_compute_output(out)


def test_invalid_input_exit_2_with_row_and_column(tmp_path: Path) -> None:
    bad = [row[:] for row in FRAMEWORK]
    bad[4][1] = "S99"  # VACC's parent (spreadsheet row 5)
    fw = _write_csv(tmp_path / "framework.csv", bad)  # type: ignore[arg-type]
    data_rows = [*_data_rows(), ["Kokshetau", "U5MR", 2019, "7"]]  # duplicate
    data = _write_csv(tmp_path / "data.csv", data_rows)
    pipe = tmp_path / "pipeline.yaml"
    pipe.write_text("normalise: {method: magic}\n", encoding="utf-8")
    proc = _run(
        "compute",
        "--framework",
        fw,
        "--data",
        data,
        "--pipeline",
        pipe,
        "--out",
        tmp_path / "o.csv",
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "framework.csv row 5, column parent: unknown code 'S99'" in proc.stderr
    assert f"data.csv row {len(data_rows)}, column indicator: duplicate row" in proc.stderr
    assert "pipeline.yaml, normalise.method: unknown method 'magic'" in proc.stderr
    assert not (tmp_path / "o.csv").exists()


def test_broken_yaml_and_missing_file(tmp_path: Path, inputs: tuple[Path, Path, Path]) -> None:
    fw, data, _ = inputs
    pipe = tmp_path / "broken.yaml"
    pipe.write_text("normalise: [minmax\n", encoding="utf-8")
    proc = _run("compute", "--framework", fw, "--data", data, "--pipeline", pipe, "--out", "-")
    assert proc.returncode == 2 and "broken.yaml" in proc.stderr and "Traceback" not in proc.stderr
    proc = _run(
        "compute",
        "--framework",
        tmp_path / "nope.csv",
        "--data",
        data,
        "--pipeline",
        pipe,
        "--out",
        "-",
    )
    assert proc.returncode == 2 and "file not found" in proc.stderr


def test_progress_uncertainty_explain(inputs: tuple[Path, Path, Path], tmp_path: Path) -> None:
    fw, data, pipe = inputs
    common = ("--framework", fw, "--data", data, "--pipeline", pipe)
    out = tmp_path / "progress.csv"
    proc = _run(
        "progress",
        *common,
        "--baseline",
        "2019",
        "--current",
        "latest",
        "--abs-tol",
        "0.1",
        "--out",
        out,
    )
    assert proc.returncode == 0, proc.stderr
    rows = {(r["unit"], r["code"]): r for r in _read(out)}
    haifa = rows["Kokshetau", "U5MR"]  # 10 -> 7.5 per 1,000, target 10: already met at baseline
    assert (haifa["change"], haifa["target_state"], haifa["gap_closed"]) == ("improved", "met", "")
    akko = rows["Akko", "SCHOOL"]
    assert (akko["change"], akko["missing"]) == ("no_data", "current")
    vacc = rows["Eilat", "VACC"]
    assert float(vacc["gap_closed"]) == pytest.approx((85 - 80) / (95 - 80))

    out = tmp_path / "mc.csv"
    args = (
        "uncertainty",
        *common,
        "--draws",
        "200",
        "--seed",
        "3",
        "--aggregate",
        "amean,hmean",
        "--normalise",
        "minmax,rank",
        "--toggle-treat",
        "--out",
        out,
    )
    proc = _run(*args)
    assert proc.returncode == 0, proc.stderr
    first = out.read_text()
    assert len(_read(out)) == 6
    assert _run(*args).returncode == 0 and out.read_text() == first  # same seed, same output

    proc = _run("explain", *common, "--unit", "Kokshetau", "--year", "2019", "--node", "CFCI")
    assert proc.returncode == 0, proc.stderr
    lines = list(csv.DictReader(proc.stdout.splitlines()))
    parts = [float(r["contribution"]) for r in lines if r["child"] != "(score)"]
    score = next(r for r in lines if r["child"] == "(score)")
    assert sum(parts) == pytest.approx(float(score["value"]))
    proc = _run("explain", *common, "--unit", "Nowhere", "--year", "2019", "--node", "CFCI")
    assert proc.returncode == 2 and "unknown unit 'Nowhere'" in proc.stderr


def test_read_table_semicolons_quotes_and_blank_rows(tmp_path: Path) -> None:
    from index_engine.io import load_framework

    path = tmp_path / "fw.csv"
    path.write_text(
        'Code;Parent;Label\nR;;"Index, with\nline break"\n\nA;R;x\n;;\nB;Q;y\n', encoding="utf-8"
    )
    from index_engine import EngineInputError

    with pytest.raises(EngineInputError) as exc:
        load_framework(path)
    # header row 1, R row 2, blank row 3, A row 4, blank row 5, B row 6
    assert str(exc.value) == "fw.csv row 6, column parent: unknown code 'Q'"


def python_snippet_run(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter (what it imports is then its own doing)."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        cwd=REPO,
        timeout=60,
        check=False,
    )


def test_engine_does_not_import_django() -> None:
    proc = python_snippet_run(
        "import sys, index_engine, index_engine.cli, index_engine.io; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)"
    )
    assert proc.returncode == 0, proc.stderr
