"""Reading an uploaded CSV or XLSX file into its header and its numbered, non-blank rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from typing import Any

from django.utils.translation import gettext as _

from meirim.common.tabular import ImportRejected, Problem, read_table


def _read(data: bytes, filename: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The normalised header and the non-blank rows (numbered as in the file, header = 1).

    XLSX goes through ``read_table``; CSV is streamed with the same conventions (UTF-8 with
    or without BOM, blank rows skipped) so a million rows do not become a million dicts.
    """
    if filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        table = read_table(data, filename)
        names = list(table.header)
        return (
            [name.strip().lower() for name in names],
            ((number, [record.get(name, "") for name in names]) for number, record in table),
        )
    try:
        data.decode("utf-8-sig")  # all of it, before any row: the shared message if not UTF-8
    except UnicodeDecodeError:
        read_table(data, filename)  # raises ImportRejected
        raise
    # Decoded chunk by chunk: a file of 100 MB does not become 400 MB of text in memory.
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRejected([Problem(None, "", _("The file is empty."))]) from None
    except csv.Error as error:
        raise ImportRejected([Problem(1, "", str(error))]) from error
    return [name.strip().lower() for name in header], _csv_rows(reader)


def _csv_rows(reader: Any) -> Iterator[tuple[int, list[str]]]:
    number = 1
    try:
        for number, cells in enumerate(reader, start=2):
            if cells and "".join(cells).strip():
                yield number, cells
    except csv.Error as error:
        raise ImportRejected([Problem(number + 1, "", str(error))]) from error


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
