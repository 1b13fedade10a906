"""Writing one dataset frame in each format, straight from its columns (polars)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import polars as pl

FORMATS = ("csv", "xlsx", "json", "parquet")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "parquet": "application/vnd.apache.parquet",
}
#: Rows of a worksheet (Excel's limit, 1,048,576, less the header row).
XLSX_SHEET_ROWS = 1_048_575


def columns(frame: pl.DataFrame) -> list[dict[str, str]]:
    """The columns and their types, for the JSON envelope."""
    kinds = {
        pl.String: "string",
        pl.Boolean: "boolean",
        pl.Float64: "number",
        pl.Float32: "number",
    }
    out = []
    for name, dtype in frame.schema.items():
        kind = kinds.get(type(dtype)) or kinds.get(dtype)  # type: ignore[call-overload]
        out.append({"name": name, "type": kind or ("integer" if dtype.is_integer() else "string")})
    return out


def write(
    frame: pl.DataFrame, fmt: str, path: Path, *, dataset: str, envelope: dict[str, Any]
) -> None:
    if fmt == "csv":
        frame.write_csv(path)
    elif fmt == "parquet":
        frame.write_parquet(path, compression="zstd", statistics=True)
    elif fmt == "json":
        _write_json(frame, path, dataset=dataset, envelope=envelope)
    elif fmt == "xlsx":
        _write_xlsx(frame, path, dataset=dataset)
    else:
        raise ValueError(fmt)


def _write_json(frame: pl.DataFrame, path: Path, *, dataset: str, envelope: dict[str, Any]) -> None:
    """``{"dataset", "licence", "revision", "built_at", "columns", "rows", "records": […]}``:
    the envelope, then the records polars writes (one object per row)."""
    head = {**envelope, "dataset": dataset, "columns": columns(frame), "rows": frame.height}
    opening = json.dumps(head, ensure_ascii=False)[:-1] + ', "records": '
    buffer = io.BytesIO()
    frame.write_json(buffer)
    with path.open("wb") as out:
        out.write(opening.encode())
        out.write(buffer.getvalue())
        out.write(b"}")


def _write_xlsx(frame: pl.DataFrame, path: Path, *, dataset: str) -> None:
    """One sheet per dataset (continued on further sheets past Excel's row limit)."""
    from xlsxwriter import Workbook

    with Workbook(str(path), {"constant_memory": False}) as workbook:
        if frame.height == 0:
            frame.write_excel(workbook=workbook, worksheet=dataset, autofit=False)
            return
        for n, start in enumerate(range(0, frame.height, XLSX_SHEET_ROWS)):
            name = dataset if n == 0 else f"{dataset}_{n + 1}"
            frame.slice(start, XLSX_SHEET_ROWS).write_excel(
                workbook=workbook,
                worksheet=name,
                autofit=False,
                float_precision=6,
                table_style=None,
            )
