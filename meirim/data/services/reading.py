"""Reading an uploaded CSV or XLSX file into its header and its numbered, non-blank rows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Final

from django.utils.translation import gettext as _

from meirim.common.tabular import Problem, read_rows

# Data rows an observations file may have (a national file of a million rows fits).
OBSERVATIONS_MAX_ROWS: Final = 1_100_000


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
