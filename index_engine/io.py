"""File reading and writing: the only module (with the CLI) that touches the disk.

Tables are CSV (comma, semicolon or tab separated, UTF-8 with or without BOM) or XLSX
(first worksheet); row 1 is the header and row numbers in messages are spreadsheet
rows.  Pipelines and uncertainty specs are YAML or JSON.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from io import StringIO
from pathlib import Path
from typing import IO, Any

import yaml

from .dataset import Dataset
from .errors import EngineInputError, Problem, raise_if
from .framework import Framework
from .pipeline import Pipeline

__all__ = [
    "load_dataset",
    "load_framework",
    "load_inputs",
    "load_pipeline",
    "read_mapping",
    "read_table",
    "write_csv",
]


def read_table(path: str | Path) -> list[dict[str, object]]:
    """Records of a CSV/XLSX table, keyed by header.  Blank rows are kept (as blank
    records) so that record ``k`` is spreadsheet row ``k + 2``."""
    p = Path(path)
    if not p.is_file():
        raise EngineInputError([Problem(p.name, None, None, f"file not found: {p}")])
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        header, body = _read_xlsx(p)
    elif suffix in (".csv", ".txt", ".tsv"):
        header, body = _read_csv(p)
    else:
        raise EngineInputError(
            [Problem(p.name, None, None, f"unsupported file type '{suffix}' (use .csv or .xlsx)")]
        )
    names = [("" if h is None else str(h)).strip() for h in header]
    if not any(names):
        raise EngineInputError([Problem(p.name, 1, None, "no header row")])
    records = []
    for cells in body:
        rec: dict[str, object] = {}
        for i, name in enumerate(names):
            if name and name not in rec:
                rec[name] = cells[i] if i < len(cells) else None
        records.append(rec)
    return records


def _read_csv(p: Path) -> tuple[list[object], list[Sequence[object]]]:
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EngineInputError(
            [Problem(p.name, None, None, f"not UTF-8 text ({exc.reason}); save the CSV as UTF-8")]
        ) from None
    first = text.split("\n", 1)[0]
    if not first.strip():
        raise EngineInputError([Problem(p.name, None, None, "the file is empty")])
    delimiter = max(",;\t", key=first.count) if any(c in first for c in ",;\t") else ","
    # StringIO keeps quoted cells with line breaks intact (splitlines would cut them).
    rows = list(csv.reader(StringIO(text, newline=""), delimiter=delimiter))
    return list(rows[0]), list(rows[1:])


def _read_xlsx(p: Path) -> tuple[list[object], list[Sequence[object]]]:
    import openpyxl  # local import: only needed for spreadsheets

    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for corrupt files
        raise EngineInputError(
            [Problem(p.name, None, None, f"cannot read workbook: {exc}")]
        ) from None
    try:
        rows: list[Sequence[object]] = [
            tuple(r) for r in wb.worksheets[0].iter_rows(values_only=True)
        ]
    finally:
        wb.close()
    if not rows:
        raise EngineInputError([Problem(p.name, None, None, "the first worksheet is empty")])
    return list(rows[0]), rows[1:]


def read_mapping(path: str | Path) -> Mapping[str, object]:
    """A YAML (``.yaml``/``.yml``) or JSON mapping."""
    p = Path(path)
    if not p.is_file():
        raise EngineInputError([Problem(p.name, None, None, f"file not found: {p}")])
    text = p.read_text(encoding="utf-8-sig")
    data: Any
    if p.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise EngineInputError(
                [Problem(p.name, exc.lineno, None, f"invalid JSON: {exc.msg}")]
            ) from None
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = None if mark is None else int(mark.line) + 1
            problem = getattr(exc, "problem", None) or str(exc)
            raise EngineInputError(
                [Problem(p.name, line, None, f"invalid YAML: {problem}")]
            ) from None
    if not isinstance(data, Mapping):
        raise EngineInputError([Problem(p.name, None, None, "expected a mapping at the top level")])
    return {str(k): v for k, v in data.items()}


def load_framework(path: str | Path) -> Framework:
    return Framework.from_rows(read_table(path), source=Path(path).name)


def load_dataset(path: str | Path) -> Dataset:
    return Dataset.from_long(read_table(path), source=Path(path).name)


def load_pipeline(path: str | Path) -> Pipeline:
    return Pipeline.from_mapping(read_mapping(path), source=Path(path).name)


def load_inputs(
    framework: str | Path, data: str | Path, pipeline: str | Path
) -> tuple[Framework, Dataset, Pipeline]:
    """Load all three inputs, reporting the problems of every file together."""
    problems: list[Problem] = []
    fw = ds = pl = None
    try:
        fw = load_framework(framework)
    except EngineInputError as exc:
        problems += exc.problems
    try:
        ds = load_dataset(data)
    except EngineInputError as exc:
        problems += exc.problems
    try:
        pl = load_pipeline(pipeline)
    except EngineInputError as exc:
        problems += exc.problems
    raise_if(problems)
    assert fw is not None and ds is not None and pl is not None
    return fw, ds, pl


def format_cell(v: object) -> str:
    """CSV text for a value: empty for None/NaN, shortest round-trip repr for floats."""
    if v is None:
        return ""
    if isinstance(v, float):
        return "" if math.isnan(v) else repr(v)
    return str(v)


def write_csv(
    target: str | Path | IO[str], header: Sequence[str], rows: Iterable[Sequence[object]]
) -> int:
    """Write a CSV (``"-"`` = stdout); returns the number of data rows."""
    if isinstance(target, str | Path):
        if str(target) == "-":
            import sys

            return _write(sys.stdout, header, rows)
        with open(target, "w", newline="", encoding="utf-8") as fh:
            return _write(fh, header, rows)
    return _write(target, header, rows)


def _write(fh: IO[str], header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(header)
    n = 0
    for n, row in enumerate(_formatted(rows), start=1):  # noqa: B007 - n is the count
        writer.writerow(row)
    return n


def _formatted(rows: Iterable[Sequence[object]]) -> Iterator[list[str]]:
    for row in rows:
        yield [format_cell(v) for v in row]
