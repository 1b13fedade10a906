"""Reading an open data file back, whatever its format, as a polars frame."""

from __future__ import annotations

import io
import json

import openpyxl
import polars as pl
from python_calamine import CalamineWorkbook


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def parsed(fmt: str, content: bytes, schema: dict | None = None) -> pl.DataFrame:
    """The file's rows; ``schema`` (from the Parquet file) types the text formats."""
    if fmt == "parquet":
        return pl.read_parquet(io.BytesIO(content))
    if fmt == "csv":
        return pl.read_csv(io.BytesIO(content), schema=schema)
    if fmt == "json":
        document = json.loads(content)
        names = [c["name"] for c in document["columns"]]
        assert schema is None or names == list(schema)
        assert document["rows"] == len(document["records"])
        if not document["records"]:
            return pl.DataFrame(schema=schema or names)
        return pl.DataFrame(document["records"], schema=schema, orient="row")
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        rows = []
        header = None
        for sheet in book.worksheets:
            values = list(sheet.iter_rows(values_only=True))
            header = header or list(values[0])
            assert list(values[0]) == header
            rows += values[1:]
        assert header is not None
        types = schema or {}
        # Excel keeps no empty text: an empty cell is "" in a text column.
        fixed = [
            tuple(
                ("" if value is None and types.get(name) == pl.String else value)
                for name, value in zip(
                    header, (*row, *[None] * len(header))[: len(header)], strict=True
                )
            )
            for row in rows
        ]
        # The other common reader (Rust's calamine) sees the same sheets and rows.
        calamine = CalamineWorkbook.from_filelike(io.BytesIO(content))
        assert len(calamine.sheet_names) == len(book.worksheets)
        seen = sum(len(calamine.get_sheet_by_name(n).to_python()) - 1 for n in calamine.sheet_names)
        assert seen == len(rows)
        return pl.DataFrame(fixed, schema=schema or header, orient="row")
    raise ValueError(fmt)


def same(left: pl.DataFrame, right: pl.DataFrame) -> bool:
    """Equal frames, floats compared to 1e-9 (XLSX and JSON print decimals)."""
    from polars.testing import assert_frame_equal

    assert_frame_equal(left, right, check_exact=False, rel_tol=1e-9, abs_tol=1e-9)
    return True
