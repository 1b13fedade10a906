"""Reading and writing numbers and years as people type them, and yes/no answers."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Final

MAX_DIGITS_BEFORE_POINT: Final = 14  # DecimalField(max_digits=20, decimal_places=6)
_LIMIT = Decimal(10) ** MAX_DIGITS_BEFORE_POINT
_SIX_PLACES = Decimal("0.000001")
_HUNDRED = Decimal(100)
_ONE = Decimal(1)
_ZERO = Decimal(0)

# Answers accepted for a yes/no item, in the four interface languages.
YES_WORDS: Final = frozenset({"1", "yes", "y", "true", "иә", "ия", "да", "ооба"})
NO_WORDS: Final = frozenset({"0", "no", "n", "false", "жоқ", "нет", "жок"})

_LOOSE_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
# Thousands separators people type or spreadsheets export: spaces of every width.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009\u200a]+")


class NotANumber(ValueError):
    pass


def parse_number(raw: str) -> Decimal:
    """``"1 234,5"`` → ``Decimal("1234.5")``. Raises :class:`NotANumber`.

    Accepts a comma or a point as the decimal separator and spaces as thousands separators;
    refuses anything ambiguous (``1,234.5``), infinite or not a number.
    """
    try:
        number = Decimal(raw)
    except InvalidOperation:
        pass
    else:
        # Decimal() also reads "1_000", "NaN" and "Infinity": not numbers in a data file.
        if number.is_finite() and "_" not in raw:
            return number
        raise NotANumber(raw)
    text = _SPACES.sub("", raw)
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if not _LOOSE_NUMBER.fullmatch(text):
        raise NotANumber(raw)
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
        raise NotANumber(raw) from None
    if not number.is_finite():  # pragma: no cover - idem
        raise NotANumber(raw)
    return number


def parse_year(raw: str) -> int:
    """A four-digit year; ``"2024.0"`` (from a spreadsheet) is accepted. Raises ValueError."""
    if raw.isdigit() and len(raw) <= 6:
        return int(raw)
    number = parse_number(raw)
    if number.adjusted() > 5:  # "1e999999999" is not worth turning into an int
        raise ValueError(raw)
    if number != number.to_integral_value():
        raise ValueError(raw)
    return int(number)


def fits_six_places(number: Decimal) -> bool:
    """True when ``number`` rounded to six decimals is below the stored limit (10^14)."""
    if number.adjusted() >= MAX_DIGITS_BEFORE_POINT:  # exact, even for 1e999999999
        return False
    return abs(number.quantize(_SIX_PLACES)) < _LIMIT


def max_year(current_year: int) -> int:
    return current_year + 1


def format_number(value: Decimal | None) -> str:
    """A stored decimal as people write it: no exponent, no trailing zeros."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def yes_no(raw: str) -> Decimal | None:
    """1 for yes, 0 for no (in any interface language), None if neither."""
    word = raw.strip().lower()
    if word in YES_WORDS:
        return _ONE
    if word in NO_WORDS:
        return _ZERO
    try:
        number = parse_number(word)
    except NotANumber:
        return None
    if number == _ONE:
        return _ONE
    if number == _ZERO:
        return _ZERO
    return None
