"""Reading uploaded tables (CSV or XLSX) and reporting problems by row and field.

Imports validate every row first and write nothing unless the whole file is clean, so a
failed import leaves the database exactly as it was.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file. ``row`` counts the header as row 1."""

    row: int | None
    field: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.field}: {self.message}" if self.field else self.message
        return _("row %(row)s, %(field)s: %(message)s") % {
            "row": self.row,
            "field": self.field or "-",
            "message": self.message,
        }


class ImportRejected(Exception):
    """The file had problems; nothing was written."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems[:20]))


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        return iter(self.rows)


def read_table(data: bytes, filename: str = "", required: Sequence[str] = ()) -> Table:
    """Parse CSV (UTF-8, with or without BOM) or XLSX bytes into rows of trimmed strings."""
    if filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        table = _read_xlsx(data)
    else:
        table = _read_csv(data)
    missing = [name for name in required if name not in table.header]
    if missing:
        raise ImportRejected(
            [Problem(1, name, _("required column is missing from the header")) for name in missing]
        )
    return table


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRejected(
            [
                Problem(
                    None,
                    "",
                    _(
                        "The file is not UTF-8 text (invalid byte at position %(pos)s). "
                        "Save it as 'CSV UTF-8' and try again."
                    )
                    % {"pos": error.start},
                )
            ]
        ) from error
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise ImportRejected([Problem(None, "", _("The file is empty."))]) from None
    except csv.Error as error:
        raise ImportRejected([Problem(1, "", str(error))]) from error
    table = Table(header=header)
    try:
        for row_number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            table.rows.append((row_number, _as_record(header, cells)))
    except csv.Error as error:
        raise ImportRejected([Problem(reader.line_num, "", str(error))]) from error
    return table


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise ImportRejected(
            [Problem(None, "", _("The file is not a readable XLSX workbook."))]
        ) from error
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = [_cell_text(cell) for cell in next(rows)]
    except StopIteration:
        raise ImportRejected([Problem(None, "", _("The file is empty."))]) from None
    table = Table(header=header)
    for row_number, cells in enumerate(rows, start=2):
        texts = [_cell_text(cell) for cell in cells]
        if not any(texts):
            continue
        table.rows.append((row_number, _as_record(header, texts)))
    workbook.close()
    return table


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _as_record(header: list[str], cells: Sequence[str]) -> dict[str, str]:
    padded = list(cells) + [""] * (len(header) - len(cells))
    return {name: padded[index].strip() for index, name in enumerate(header) if name}
