"""Reading uploaded tables (CSV or XLSX) and reporting problems by row and field.

Imports validate every row first and write nothing unless the whole file is clean, so a
failed import leaves the database exactly as it was.

The reader refuses, with the row and the column, what would otherwise hang the server or
slip into the database: files over the size limit, sheets wider than :data:`MAX_COLUMNS`
or longer than the caller's row limit (a workbook may declare a million rows it does not
have: only the cells present are read), NUL characters, and quotation marks that never
close. CSV files may be separated by commas, semicolons (what spreadsheet programs write in
Russian and Kazakh settings) or tabs; the header line tells which.

Writing a table for spreadsheet programs, :func:`spreadsheet_text` keeps a text that
starts like a formula (``=``, ``+``, ``-``, ``@``) from being run as one;
:func:`from_spreadsheet_text` undoes it when the file comes back.
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from django.conf import settings
from django.utils.translation import gettext as _

# At most this many columns in a file (the observations template has 16).
MAX_COLUMNS: Final = 100
# Data rows read by default (the header not counted); callers may allow more or fewer.
MAX_ROWS: Final = 100_000
# A workbook whose parts unpack to more than this is refused before a cell is read.
MAX_XLSX_UNPACKED_BYTES: Final = 4 * 1024**3
DELIMITERS: Final = (",", ";", "\t")
# Texts a spreadsheet program would read as a formula (OWASP: CSV injection).
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")

Rows = Iterator[tuple[int, list[str]]]


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


def upload_max_bytes() -> int:
    """The size limit of an uploaded data file (``settings.MEIRIM_UPLOAD_MAX_BYTES``)."""
    return int(settings.MEIRIM_UPLOAD_MAX_BYTES)


def msg_file_too_large(limit: int) -> str:
    return _("The file is larger than %(size)s MB.") % {"size": limit // 2**20}


def is_xlsx(data: bytes, filename: str = "") -> bool:
    return filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04"


def read_table(
    data: bytes, filename: str = "", required: Sequence[str] = (), max_rows: int = MAX_ROWS
) -> Table:
    """Parse CSV (UTF-8, with or without BOM) or XLSX bytes into rows of trimmed strings."""
    header, rows = read_rows(data, filename, max_rows=max_rows)
    header = [name.strip() for name in header]
    problems = [
        Problem(1, name, _("required column is missing from the header"))
        for name in required
        if name not in header
    ]
    # A column given twice would silently lose one of its two values on every row.
    named = [name for name in header if name]
    problems += [
        Problem(1, name, _("this column appears more than once"))
        for name in sorted({name for name in named if named.count(name) > 1})
    ]
    if problems:
        raise ImportRejected(problems)
    table = Table(header=header)
    for number, cells in rows:
        table.rows.append((number, _as_record(header, cells)))
    return table


def read_rows(
    data: bytes, filename: str = "", *, max_rows: int = MAX_ROWS
) -> tuple[list[str], Rows]:
    """The header and the non-blank rows (numbered as in the file, header = 1), streamed.

    Rows are lists of the cells as read (CSV: untrimmed strings; XLSX: text of each value).
    Every refusal is an :class:`ImportRejected`, raised here or while the rows are read.
    """
    limit = upload_max_bytes()
    if len(data) > limit:
        raise ImportRejected([Problem(None, "", msg_file_too_large(limit))])
    if is_xlsx(data, filename):
        return _xlsx_rows(data, max_rows)
    return _csv_rows(data, max_rows)


# --- CSV ------------------------------------------------------------------------------


# Bytes decoded at a time when a file's encoding is checked.
_UTF8_CHUNK: Final = 1 << 22


def _utf8_error(data: bytes) -> int | None:
    """The position of the first byte that is not UTF-8 (as ``decode("utf-8-sig")`` counts
    it: after a BOM), or None. Decoded a few MB at a time: a file of 100 MB with a
    Cyrillic letter in it would be 200 MB of text at once."""
    view = memoryview(data)
    base = start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while start < len(data):
        end = min(start + _UTF8_CHUNK, len(data))
        for _step in range(3):  # end the piece between two characters
            if end < len(data) and 0x80 <= data[end] < 0xC0:
                end -= 1
        try:
            str(view[start:end], "utf-8")
        except UnicodeDecodeError as error:
            return start - base + error.start
        start = end
    return None


def _csv_rows(data: bytes, max_rows: int) -> tuple[list[str], Rows]:
    position = _utf8_error(data)  # all of it, before any row
    if position is not None:
        raise ImportRejected(
            [
                Problem(
                    None,
                    "",
                    _(
                        "The file is not UTF-8 text (invalid byte at position %(pos)s). "
                        "Save it as 'CSV UTF-8' and try again."
                    )
                    % {"pos": position},
                )
            ]
        )
    delimiter = _delimiter(data)
    if b"\x00" in data:
        raise ImportRejected(_nul_problems(data, delimiter))
    # Decoded chunk by chunk: a file of 100 MB does not become 400 MB of text in memory.
    reader = csv.reader(
        io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=""),
        delimiter=delimiter,
        strict=True,
    )
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRejected([Problem(None, "", _("The file is empty."))]) from None
    except csv.Error as error:
        raise ImportRejected([_quote_problem(data, delimiter, reader, 1, 0, [], error)]) from None
    if len(header) > MAX_COLUMNS:
        raise ImportRejected([_too_wide(1, len(header))])
    if reader.line_num > 1:
        column = _swallowing_column(header, delimiter, len(header))
        if column is not None:
            raise ImportRejected([_unclosed(1, column, [])])
    return header, _csv_records(data, delimiter, reader, header, max_rows)


def _csv_records(
    data: bytes, delimiter: str, reader: Any, header: list[str], max_rows: int
) -> Rows:
    width = len(header)
    last_row = max_rows + 1
    number = 1
    line = reader.line_num  # physical lines read so far
    try:
        for cells in reader:
            number += 1
            if reader.line_num - line > 1:  # a quoted field ran over several lines
                column = _swallowing_column(cells, delimiter, width)
                if column is not None:
                    raise ImportRejected([_unclosed(number, column, header)])
            line = reader.line_num
            if number > last_row:
                raise ImportRejected([_too_long(number, max_rows)])
            if cells and "".join(cells).strip():
                yield number, cells
    except csv.Error as error:
        raise ImportRejected(
            [_quote_problem(data, delimiter, reader, number + 1, line, header, error)]
        ) from None


def _delimiter(data: bytes) -> str:
    """The separator the header line uses most: comma, semicolon or tab (comma if none)."""
    end = len(data)
    for newline in (b"\n", b"\r"):
        found = data.find(newline, 0, end)
        if found >= 0:
            end = found
    first = data[:end].decode("utf-8-sig", errors="replace")
    counts = [(first.count(sign), -index, sign) for index, sign in enumerate(DELIMITERS)]
    count, _order, sign = max(counts)
    return sign if count else ","


def _column_name(header: Sequence[str], index: int) -> str:
    """The header's name of a column, or its spreadsheet letter when it has none."""
    name = header[index].strip() if index < len(header) else ""
    return name or column_letter(index + 1)


def column_letter(number: int) -> str:
    """1 → A, 27 → AA (the spreadsheet name of a column)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _swallowing_column(cells: Sequence[str], delimiter: str, width: int) -> int | None:
    """The column whose quoted text runs over lines that look like rows of their own.

    A comment may hold line breaks; a line inside it with as many separators as the
    header has is, however, a row that an unclosed quotation mark has swallowed.
    """
    needed = 1 if width < 3 else width - 1
    for index, cell in enumerate(cells):
        if "\n" not in cell and "\r" not in cell:
            continue
        for inner in cell.splitlines()[1:]:
            if inner.count(delimiter) >= needed:
                return index
    return None


def _unclosed(number: int, column: int | str, header: Sequence[str]) -> Problem:
    name = column if isinstance(column, str) else _column_name(header, column)
    return Problem(number, name, _("a quotation mark opened here is never closed"))


def _quote_problem(
    data: bytes,
    delimiter: str,
    reader: Any,
    number: int,
    line: int,
    header: Sequence[str],
    error: csv.Error,
) -> Problem:
    """The message for a record the strict reader refused, on the row where it began."""
    if "field larger" in str(error):
        message = _("a cell is longer than %(count)s characters")
        return Problem(number, "", message % {"count": csv.field_size_limit()})
    first = _physical_line(data, line + 1)
    cells = next(csv.reader([first], delimiter=delimiter), [])
    column = max(len(cells) - 1, 0)
    if reader.line_num > line + 1 or "end of data" in str(error):
        return _unclosed(number, column, header)
    return Problem(
        number,
        "",
        _(
            "a quoted text must end with a quotation mark followed by the separator; "
            'write a quotation mark inside a text as two ("")'
        ),
    )


def _physical_line(data: bytes, number: int) -> str:
    text = io.StringIO(data.decode("utf-8-sig"), newline="")
    for index, line in enumerate(text, start=1):
        if index == number:
            return line.rstrip("\r\n")
    return ""


def _nul_problems(data: bytes, delimiter: str) -> list[Problem]:
    """Every cell with a NUL character (PostgreSQL refuses them), at most 100."""
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    message = _(
        "the text contains a NUL character; the file may be saved as UTF-16: "
        "save it as 'CSV UTF-8' and try again"
    )
    problems: list[Problem] = []
    header: list[str] = []
    try:
        for number, cells in enumerate(reader, start=1):
            if number == 1:
                header = cells
            for index, cell in enumerate(cells):
                if "\x00" in cell:
                    problems.append(Problem(number, _column_name(header, index), message))
            if len(problems) >= 100:
                break
    except csv.Error:
        pass
    return problems or [Problem(None, "", message)]


# --- XLSX -----------------------------------------------------------------------------


def _xlsx_rows(data: bytes, max_rows: int) -> tuple[list[str], Rows]:
    from openpyxl import load_workbook

    unreadable = [Problem(None, "", _("The file is not a readable XLSX workbook."))]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ImportRejected(unreadable) from error
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportRejected(
            [
                Problem(
                    None,
                    "",
                    _("The workbook unpacks to more than %(size)s MB; save a smaller file.")
                    % {"size": MAX_XLSX_UNPACKED_BYTES // 2**20},
                )
            ]
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # The declared size (<dimension ref="A1:XFD1048576"/>) is not trusted.
        sheet.reset_dimensions()
        rows = _sheet_rows(sheet)
        first = next(rows, None)
    except ImportRejected:
        raise
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise ImportRejected(unreadable) from error
    if first is None:
        workbook.close()
        raise ImportRejected([Problem(None, "", _("The file is empty."))])
    if first[0] != 1:  # the first row is blank: no header
        rows = itertools.chain([first], rows)
        first = (1, [])
    cells = [cell for cell in first[1] if cell["column"] <= MAX_COLUMNS]
    _check_width(1, first[1])
    header = [""] * max((cell["column"] for cell in cells), default=0)
    for cell in cells:
        header[cell["column"] - 1] = _cell_text(cell["value"])
    while header and not header[-1]:
        header.pop()
    return header, _xlsx_records(workbook, rows, len(header), max_rows)


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """(row number, the cells present) of a read-only sheet, without the missing ones.

    openpyxl's ``iter_rows`` makes up every missing row and cell up to the farthest one;
    a cell at XFD1048576 would mean 17 billion of them. The sheet's own parser yields only
    the cells the file holds (openpyxl is pinned in requirements.txt).
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        yield from parser.parse()


def _check_width(number: int, cells: list[dict[str, Any]]) -> None:
    for cell in cells:
        if cell["column"] > MAX_COLUMNS and _cell_text(cell["value"]):
            raise ImportRejected(
                [
                    Problem(
                        number,
                        column_letter(cell["column"]),
                        _(
                            "this cell is beyond column %(last)s; a file may have at most "
                            "%(max)s columns"
                        )
                        % {"last": column_letter(MAX_COLUMNS), "max": MAX_COLUMNS},
                    )
                ]
            )


def _xlsx_records(
    workbook: Any, rows: Iterator[tuple[int, list[dict[str, Any]]]], width: int, max_rows: int
) -> Rows:
    last_row = max_rows + 1
    try:
        for number, cells in rows:
            if not cells:
                continue
            _check_width(number, cells)
            texts = [""] * width
            filled = False
            for cell in cells:
                column = cell["column"]
                if column <= width:
                    text = _cell_text(cell["value"])
                    if text:
                        texts[column - 1] = text
                        filled = True
            if not filled:
                continue
            if number > last_row:
                raise ImportRejected([_too_long(number, max_rows)])
            yield number, texts
    finally:
        workbook.close()


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _too_wide(number: int, columns: int) -> Problem:
    return Problem(
        number,
        "",
        _("the file has %(count)s columns; a file may have at most %(max)s")
        % {"count": columns, "max": MAX_COLUMNS},
    )


def _too_long(number: int, max_rows: int) -> Problem:
    return Problem(
        number,
        "",
        _("the file has more than %(max)s rows; split it into smaller files")
        % {"max": f"{max_rows:,}".replace(",", "\u00a0")},
    )


def _as_record(header: list[str], cells: Sequence[str]) -> dict[str, str]:
    padded = list(cells) + [""] * (len(header) - len(cells))
    return {name: padded[index].strip() for index, name in enumerate(header) if name}


# --- Writing for spreadsheet programs --------------------------------------------------


def spreadsheet_text(text: str) -> str:
    """A text for a CSV cell that a spreadsheet program will not run as a formula.

    A text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading apostrophe (OWASP, CSV injection). Only for texts: numbers such as ``-5``
    must stay numbers, so the caller applies it to text columns only.
    """
    if text and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def from_spreadsheet_text(text: str) -> str:
    """Undo :func:`spreadsheet_text` for a text read back from a file."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def xlsx_text_cells(sheet: Any, columns: Sequence[int] | None = None) -> None:
    """Make every formula-looking text of ``sheet`` a plain text (data type "s").

    openpyxl writes a string starting with ``=`` as a live formula; none of ours is one.
    ``columns`` (1-based) limits the change to those columns.
    """
    for row in sheet.iter_rows():
        for cell in row:
            if columns is not None and cell.column not in columns:
                continue
            if cell.data_type == "f" or (
                isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)
            ):
                cell.data_type = "s"
