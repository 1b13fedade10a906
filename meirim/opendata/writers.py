"""Writing one dataset frame in each format, straight from its columns (polars)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

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
        _formula_safe(frame).write_csv(path)
    elif fmt == "parquet":
        frame.write_parquet(path, compression="zstd", statistics=True)
    elif fmt == "json":
        _write_json(frame, path, dataset=dataset, envelope=envelope)
    elif fmt == "xlsx":
        _write_xlsx(frame, path, dataset=dataset)
    else:
        raise ValueError(fmt)


def _formula_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """Texts a spreadsheet program would run as a formula get a leading apostrophe.

    What a city typed (a source, a text answer) reaches the CSV as it is; a text starting
    with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed (OWASP, CSV
    injection), as :func:`meirim.common.tabular.spreadsheet_text` does. Number columns stay
    numbers. The XLSX file needs none of it: its texts are inline strings, never formulas.
    """
    texts = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(r"^[=+\-@\t\r]"))
        .then(pl.concat_str([pl.lit("'"), pl.col(name)]))
        .otherwise(pl.col(name))
        .alias(name)
        for name in texts
    )


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
    """One sheet per dataset (continued on further sheets past Excel's row limit).

    The sheets' XML is made by polars, a column expression per cell kind (inline strings,
    numbers, booleans): a library writing cell by cell in Python takes ~30 s for a few
    hundred thousand rows, this well under one."""
    slices = [
        frame.slice(start, XLSX_SHEET_ROWS) for start in range(0, frame.height, XLSX_SHEET_ROWS)
    ]
    names = [dataset if n == 0 else f"{dataset}_{n + 1}" for n in range(max(len(slices), 1))]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", _content_types(len(names)))
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _workbook(names))
        book.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(names)))
        book.writestr("xl/styles.xml", _STYLES)
        for n, piece in enumerate(slices or [frame]):
            with book.open(f"xl/worksheets/sheet{n + 1}.xml", "w") as sheet:
                _write_sheet(piece, sheet)


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
    f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11"/>'
    '<name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill '
    'patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
    'xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
    'builtinId="0"/></cellStyles></styleSheet>'
)
_SHEET_OPEN = f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
_SHEET_CLOSE = b"</sheetData></worksheet>"
#: Rows turned into XML at a time.
_XML_BATCH = 100_000
_EXCEL_TEXT = 32_767  # characters a cell holds


def _content_types(sheets: int) -> str:
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{ct}.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>'
        f"{overrides}</Types>"
    )


def _workbook(names: list[str]) -> str:
    sheets = "".join(
        f'<sheet name="{escape(name[:31])}" sheetId="{n}" r:id="rId{n}"/>'
        for n, name in enumerate(names, start=1)
    )
    return f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{sheets}</sheets></workbook>'


def _workbook_rels(sheets: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    styles = f'<Relationship Id="rId{sheets + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    return f'{_XML}<Relationships xmlns="{_PKG}">{rels}{styles}</Relationships>'


def _letters(j: int) -> str:
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def _text(expr: pl.Expr) -> pl.Expr:
    """Text as XML character data: no control characters, escaped, within Excel's limit."""
    return (
        expr.str.replace_all(r"[\x00-\x08\x0B\x0C\x0E-\x1F]", "")
        .str.slice(0, _EXCEL_TEXT)
        .str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
    )


def _cell(name: str, dtype: pl.DataType, ref: str) -> pl.Expr:
    """The XML of one column's cells (an empty string where the cell is empty)."""
    column = pl.col(name)
    at = pl.concat_str([pl.lit(f'<c r="{ref}'), pl.col("_row")])
    if dtype == pl.Boolean:
        value = column.cast(pl.Int8).cast(pl.String)
        xml = pl.concat_str([at, pl.lit('" t="b"><v>'), value, pl.lit("</v></c>")])
        empty = column.is_null()
    elif dtype.is_numeric():
        xml = pl.concat_str([at, pl.lit('"><v>'), column.cast(pl.String), pl.lit("</v></c>")])
        empty = column.is_null()
        if dtype.is_float():
            empty = empty | column.is_nan() | column.is_infinite()
    else:
        text = column if dtype == pl.String else column.cast(pl.String)
        inline = pl.lit('" t="inlineStr"><is><t xml:space="preserve">')
        xml = pl.concat_str([at, inline, _text(text), pl.lit("</t></is></c>")])
        empty = text.is_null() | (text == "")
    return pl.when(empty).then(pl.lit("")).otherwise(xml)


def _write_sheet(frame: pl.DataFrame, out: Any) -> None:
    last = f"{_letters(max(frame.width - 1, 0))}{frame.height + 1}"
    out.write(f'{_SHEET_OPEN}<dimension ref="A1:{last}"/><sheetData>'.encode())
    header = "".join(
        f'<c r="{_letters(j)}1" t="inlineStr"><is><t>{escape(name)}</t></is></c>'
        for j, name in enumerate(frame.columns)
    )
    out.write(f'<row r="1">{header}</row>'.encode())
    cells = [
        _cell(name, dtype, _letters(j)) for j, (name, dtype) in enumerate(frame.schema.items())
    ]
    for start in range(0, frame.height, _XML_BATCH):
        piece = frame.slice(start, _XML_BATCH).with_columns(
            pl.int_range(start + 2, start + 2 + min(_XML_BATCH, frame.height - start))
            .cast(pl.String)
            .alias("_row")
        )
        rows = piece.select(
            pl.concat_str(
                [pl.lit('<row r="'), pl.col("_row"), pl.lit('">'), *cells, pl.lit("</row>")]
            ).alias("xml")
        )
        out.write(rows["xml"].str.join("").item().encode())
    out.write(_SHEET_CLOSE)
