"""Cell-level parsing shared by the framework, data and pipeline readers.

Cells arrive as whatever CSV/XLSX/JSON/YAML or a Django queryset produce (str, int,
float, None...). These helpers turn them into Python values or raise :class:`CellError`
with a short, user-facing message that the caller decorates with source/row/column.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from decimal import Decimal

__all__ = ["CellError", "as_float", "as_int", "as_text", "is_blank", "row_is_blank"]


class CellError(ValueError):
    """A single cell could not be parsed; the message is shown to the user."""


def is_blank(value: object) -> bool:
    """True for ``None`` and empty/whitespace-only strings."""
    return value is None or (isinstance(value, str) and not value.strip())


def row_is_blank(row: Mapping[str, object]) -> bool:
    """True when every cell of the row is blank (spreadsheets often end with such rows)."""
    return all(is_blank(v) for v in row.values())


def as_text(value: object) -> str | None:
    """Strip a cell to text; numbers such as ``101.0`` (Excel) become ``'101'``."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def as_float(value: object) -> float:
    """Parse a finite number; booleans and non-finite values are rejected."""
    if isinstance(value, bool):
        raise CellError(f"expected a number, got {value!r}")
    if isinstance(value, numbers.Real | Decimal):  # int, float, numpy scalars, Decimal
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise CellError(f"not a number: {value.strip()!r}") from None
    else:
        raise CellError(f"expected a number, got {value!r}")
    if not math.isfinite(number):
        raise CellError(f"not a finite number: {value!r} (leave the cell empty for missing)")
    return number


def as_int(value: object) -> int:
    """Parse an integer; ``2020.0`` is accepted (spreadsheets store numbers as floats)."""
    number = as_float(value)
    if not number.is_integer():
        raise CellError(f"expected a whole number, got {value!r}")
    return int(number)
