"""Reading an uploaded CSV or XLSX file into its header and its numbered, non-blank rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from typing import Final

import numpy as np
import polars as pl
from django.utils.translation import gettext as _

from meirim.common.tabular import Problem, _delimiter, is_xlsx, read_rows

# Data rows an observations file may have (a national file of a million rows fits).
OBSERVATIONS_MAX_ROWS: Final = 1_100_000
# Rows read (and checked) at a time by :func:`_read_frames`.
FRAME_ROWS: Final = 25_000


def _read(data: bytes, filename: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The normalised header and the non-blank rows (numbered as in the file, header = 1).

    Both formats are streamed by :func:`meirim.common.tabular.read_rows` (UTF-8 with or
    without BOM, any of the usual separators, blank rows skipped), so a million rows do
    not become a million dicts.
    """
    header, rows = read_rows(data, filename, max_rows=OBSERVATIONS_MAX_ROWS)
    return [name.strip().lower() for name in header], rows


def _header_problems(header: Sequence[str], required: Sequence[str]) -> list[Problem]:
    problems = [
        Problem(1, name, _("required column is missing from the header"))
        for name in required
        if name not in header
    ]
    named = [name for name in header if name]
    for name in sorted({name for name in named if named.count(name) > 1}):
        problems.append(Problem(1, name, _("this column appears more than once")))
    return problems


class NotPlain(Exception):
    """A piece of the file is not of the plain kind :func:`_read_frames` reads fast."""


def _read_frames(data: bytes, filename: str, width: int) -> Iterator[pl.DataFrame] | None:
    """The rows of a CSV file as frames of columns ``c0``… of text (and ``row``), a piece
    of about :data:`FRAME_ROWS` rows at a time, or None.

    Reads the plain case fast: every record on its own line, no more cells than the header
    has, quotation marks as the strict reader of :func:`read_rows` wants them (the lines
    that have one are checked by it). Anything else is None, or :class:`NotPlain` from the
    iterator when a piece shows it: the caller then reads the rows one by one, with the
    reader's own refusals and messages. Call after :func:`_read`, which has checked the
    size, the encoding, NUL characters and the header. A piece at a time: the text cells
    of a million rows at once would be hundreds of MB.
    """
    if width == 0 or is_xlsx(data, filename):
        return None
    if data.count(b"\r") != data.count(b"\r\n"):  # lines ended by a lone CR (old Macs)
        return None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines - 1 > OBSERVATIONS_MAX_ROWS:
        return None
    delimiter = _delimiter(data)
    if b'"' in data and not _quotes_are_plain(data, delimiter):
        return None
    return _frames(data, delimiter, width)


def _frames(data: bytes, delimiter: str, width: int) -> Iterator[pl.DataFrame]:
    schema = {f"c{index}": pl.String for index in range(width)}
    start = data.find(b"\n") + 1 if b"\n" in data else len(data)  # after the header
    first_row = 2
    while start < len(data):
        end = _after_lines(data, start, FRAME_ROWS)
        piece = data[start:end]
        lines = piece.count(b"\n") + (0 if piece.endswith(b"\n") else 1)
        try:
            frame = pl.read_csv(
                piece,
                has_header=False,
                separator=delimiter,
                quote_char='"',
                schema=schema,
                raise_if_empty=False,
            )
        except (pl.exceptions.PolarsError, ValueError):
            raise NotPlain from None
        del piece
        if frame.height != lines:  # a record over several lines: read by the csv module
            raise NotPlain
        yield frame.select(
            pl.int_range(first_row, first_row + lines, dtype=pl.Int64).alias("row"),
            pl.all().fill_null(""),
        )
        first_row += lines
        start = end


def _quoted_lines(data: bytes) -> Iterator[bytes]:
    """The lines with a quotation mark, found 16 MB at a time (not a flag per byte of all)."""
    start = 0
    while start < len(data):
        limit = start + (1 << 24)
        if limit >= len(data):
            end = len(data)
        else:  # after the piece's last line end (or the next one, for a line of 16 MB)
            end = data.rfind(b"\n", start, limit) + 1 or data.find(b"\n", limit) + 1 or len(data)
        octets = np.frombuffer(data, dtype=np.uint8, count=end - start, offset=start)
        ends = np.flatnonzero(octets == ord("\n"))
        lines = np.unique(np.searchsorted(ends, np.flatnonzero(octets == ord('"'))))
        starts = np.concatenate(([0], ends + 1))
        ends = np.concatenate((ends, [len(octets)]))
        for line in lines.tolist():
            yield data[start + starts[line] : start + ends[line]]
        start = end


def _after_lines(data: bytes, start: int, count: int) -> int:
    """The offset just after ``count`` more lines from ``start`` (or the end of ``data``)."""
    position = start
    while count and position < len(data):
        piece = np.frombuffer(
            data, dtype=np.uint8, count=min(1 << 24, len(data) - position), offset=position
        )
        ends = np.flatnonzero(piece == ord("\n"))
        if len(ends) >= count:
            return position + int(ends[count - 1]) + 1
        count -= len(ends)
        position += len(piece)
    return len(data)


def _quotes_are_plain(data: bytes, delimiter: str) -> bool:
    """True when each line with a quotation mark is one record the strict reader accepts."""
    lines = list(_quoted_lines(data))
    text = b"\n".join(lines)
    reader = csv.reader(
        io.StringIO(text.decode("utf-8-sig"), newline=""), delimiter=delimiter, strict=True
    )
    try:
        records = sum(1 for _cells in reader)
    except csv.Error:
        return False
    return records == len(lines)
