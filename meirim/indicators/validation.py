"""Checking the cities' data: pure functions over parsed rows and the catalogue.

Nothing here reads the database. The caller prefetches what the rules need (the catalogue
items of the version, the approved years, the history of each cell) and passes it in, so a
file of a million rows is checked without a single query per row.

Every message goes through gettext in the language active when the check runs, and names
the row and the column (``Problem.row``/``Problem.field``) so a person can fix the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from statistics import median
from typing import Final

from django.utils.translation import gettext as _

from meirim.common.tabular import Problem
from meirim.indicators.models import (
    CollectionMethod,
    DataType,
    Disability,
    ObservationStatus,
    Sex,
)
from meirim.indicators.models.catalogue import Unit

# --- Columns ---------------------------------------------------------------------------

COLUMNS: Final = (
    "code",
    "year",
    "value",
    "numerator",
    "denominator",
    "status",
    "sex",
    "age_band",
    "disability",
    "district",
    "data_type",
    "collection_method",
    "source",
    "comment",
)
# Optional: the text of a qualitative answer (unit "yes/no" or "description").
DESCRIPTION: Final = "description"
# Filled by the template for people; ignored on import.
NAME: Final = "name"
MUNICIPALITY: Final = "municipality"
KNOWN_COLUMNS: Final = (*COLUMNS, DESCRIPTION)
REQUIRED_COLUMNS: Final = ("code", "year")

FIRST_YEAR: Final = 1990
MAX_DIGITS_BEFORE_POINT: Final = 14  # DecimalField(max_digits=20, decimal_places=6)
_LIMIT = Decimal(10) ** MAX_DIGITS_BEFORE_POINT
_SIX_PLACES = Decimal("0.000001")
_HUNDRED = Decimal(100)
_ONE = Decimal(1)
_ZERO = Decimal(0)

# Limits of the text columns (the model's max_length).
_MAX_LENGTH: Final = {"age_band": 16, "district": 64, "source": 255}

QUANTITATIVE_UNITS: Final = frozenset(
    {Unit.PERCENT, Unit.RATE, Unit.COUNT, Unit.RATIO, Unit.CURRENCY, Unit.NUMBER}
)
QUALITATIVE_UNITS: Final = frozenset({Unit.YESNO, Unit.TEXT})
# Units whose value may be given as numerator / denominator × factor.
RATIO_UNITS: Final = frozenset({Unit.PERCENT, Unit.RATE})

# Answers accepted for a yes/no item, in the four interface languages.
YES_WORDS: Final = frozenset({"1", "yes", "y", "true", "иә", "ия", "да", "ооба"})
NO_WORDS: Final = frozenset({"0", "no", "n", "false", "жоқ", "нет", "жок"})

# Modified z-score (Iglewicz and Hoaglin): flag |z| above this, given enough history.
OUTLIER_THRESHOLD: Final = 3.5
OUTLIER_MIN_POINTS: Final = 4
_IGLEWICZ_HOAGLIN: Final = 0.6745


class ItemKind:
    INDICATOR: Final = "indicator"
    BASELINE: Final = "baseline"
    DENOMINATOR: Final = "denominator"


@dataclass(frozen=True, slots=True)
class ItemSpec:
    """What the rules need to know about one catalogue item (I-, B- or D-code)."""

    code: str
    kind: str
    unit: str
    factor: Decimal | None = None
    denominator: str = ""
    data_type: str = DataType.QUANTITATIVE

    @property
    def is_qualitative(self) -> bool:
        return self.unit in QUALITATIVE_UNITS

    @property
    def takes_ratio(self) -> bool:
        """Percentages and rates may be given as numerator and denominator."""
        return self.unit in RATIO_UNITS

    @property
    def multiplier(self) -> Decimal:
        if self.factor:
            return self.factor
        return _HUNDRED if self.unit == Unit.PERCENT else _ONE


@dataclass(slots=True)
class CleanRow:
    """One checked row, ready to be written."""

    row: int | None
    municipality_id: int
    code: str
    year: int
    sex: str
    age_band: str
    disability: str
    district: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    text_value: str
    status: str
    data_type: str
    collection_method: str
    source: str
    comment: str
    is_outlier: bool = False
    quantitative: bool = True

    @property
    def cell(self) -> tuple[int, str, int, str, str, str, str]:
        """The unique cell this row writes (without the version)."""
        return (
            self.municipality_id,
            self.code,
            self.year,
            self.sex,
            self.age_band,
            self.disability,
            self.district,
        )

    @property
    def series(self) -> tuple[int, str, str, str, str, str]:
        """The cell without its year: the series the year-on-year check compares with."""
        return (
            self.municipality_id,
            self.code,
            self.sex,
            self.age_band,
            self.disability,
            self.district,
        )


@dataclass(frozen=True, slots=True)
class OutlierWarning:
    row: int | None
    municipality_id: int
    code: str
    year: int
    value: Decimal
    z: float


class Skip:
    """Marker for a row that carries no data (an unfilled template line)."""


SKIP: Final = Skip()


# --- Numbers ---------------------------------------------------------------------------

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
    if raw.isdigit():
        return int(raw)
    number = parse_number(raw)
    if number != number.to_integral_value():
        raise ValueError(raw)
    return int(number)


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


# --- Allowed values --------------------------------------------------------------------


def _allowed(values: Iterable[str]) -> str:
    return ", ".join(value for value in values if value)


STATUS_VALUES: Final = tuple(ObservationStatus.values)
SEX_VALUES: Final = tuple(Sex.values)
DISABILITY_VALUES: Final = tuple(Disability.values)
DATA_TYPE_VALUES: Final = tuple(DataType.values)
COLLECTION_METHOD_VALUES: Final = tuple(CollectionMethod.values)
# Empty means "all"; "all"/"total" are accepted as synonyms for the total.
_TOTAL_WORDS: Final = ("all", "total")


def _enum_lookup(values: Sequence[str], total: bool = False) -> dict[str, str]:
    lookup = {value: value for value in values}
    if total:
        lookup.update(dict.fromkeys(_TOTAL_WORDS, ""))
    return lookup


# --- Messages --------------------------------------------------------------------------
# Kept as functions so that each message is translated in the language of the request.


def msg_unknown_value(value: str, allowed: Sequence[str], total: bool = False) -> str:
    if total:
        return _(
            "unknown value '%(value)s'; allowed values: %(allowed)s, or leave it empty for all"
        ) % {"value": value, "allowed": _allowed(allowed)}
    return _("unknown value '%(value)s'; allowed values: %(allowed)s") % {
        "value": value,
        "allowed": _allowed(allowed),
    }


def msg_not_a_number(value: str) -> str:
    return _("'%(value)s' is not a number") % {"value": value}


def msg_locked(year: int) -> str:
    return _(
        "The data for %(year)s are approved and locked. Ask the national council to reopen "
        "the year before changing them."
    ) % {"year": year}


def msg_duplicate(first: int | None) -> str:
    return _(
        "the same indicator, year and breakdown is already on row %(first)s; keep one row per value"
    ) % {"first": first}


# --- Checking one row ------------------------------------------------------------------


class RowChecker:
    """Checks rows of one file (or one form) against the catalogue and the locked years.

    ``header`` names the columns of ``cells``; missing optional columns read as empty.
    With ``municipalities`` (code → id), the ``municipality`` column chooses the city;
    otherwise every row belongs to ``municipality_id``. Written for speed: a million rows
    are checked in a few seconds.
    """

    def __init__(
        self,
        *,
        header: Sequence[str],
        items: Mapping[str, ItemSpec],
        version_code: str,
        current_year: int,
        locked: Iterable[tuple[int, int]] = (),
        municipality_id: int | None = None,
        municipalities: Mapping[str, int] | None = None,
    ) -> None:
        if municipality_id is None and municipalities is None:
            raise ValueError("give municipality_id or municipalities")
        self.items = items
        self.version_code = version_code
        self.current_year = current_year
        self.last_year = max_year(current_year)
        self.locked = set(locked)
        self.municipality_id = municipality_id
        self.municipalities = municipalities
        self.width = len(header)
        position: dict[str, int] = {}
        for index, name in enumerate(header):
            position.setdefault(name, index)
        # A missing column points at the padding cell appended to every row.
        self._index = tuple(
            position.get(name, self.width)
            for name in (
                MUNICIPALITY,
                "code",
                "year",
                "value",
                "numerator",
                "denominator",
                "status",
                DESCRIPTION,
                "sex",
                "age_band",
                "disability",
                "district",
                "data_type",
                "collection_method",
                "source",
                "comment",
            )
        )
        self._status = _enum_lookup(STATUS_VALUES)
        self._sex = _enum_lookup(SEX_VALUES, total=True)
        self._disability = _enum_lookup(DISABILITY_VALUES, total=True)
        self._data_type = _enum_lookup(DATA_TYPE_VALUES)
        self._method = _enum_lookup(COLLECTION_METHOD_VALUES)
        # Repeated texts (sources, districts) share one string object.
        self._texts: dict[str, str] = {}
        self._years: dict[str, int] = {}

    def check(
        self, number: int | None, cells: list[str], problems: list[Problem]
    ) -> CleanRow | Skip | None:
        """A clean row, :data:`SKIP` for a row without data, or None (problems appended).

        ``cells`` may be extended in place (one padding cell).
        """
        width = self.width
        if len(cells) == width:
            cells.append("")
        else:
            cells = [*cells[:width], *([""] * (width + 1 - min(len(cells), width)))]
        (
            i_municipality,
            i_code,
            i_year,
            i_value,
            i_numerator,
            i_denominator,
            i_status,
            i_description,
            i_sex,
            i_age_band,
            i_disability,
            i_district,
            i_data_type,
            i_method,
            i_source,
            i_comment,
        ) = self._index
        value_raw = cells[i_value].strip()
        numerator_raw = cells[i_numerator].strip()
        denominator_raw = cells[i_denominator].strip()
        status_raw = cells[i_status].strip().lower()
        description = cells[i_description].strip()
        if not (value_raw or numerator_raw or denominator_raw or status_raw or description):
            if number is not None:
                return SKIP
            problems.append(Problem(number, "value", _("Enter a value or choose a status.")))
            return None
        start = len(problems)

        if self.municipalities is None:
            municipality_id = self.municipality_id
        else:
            municipality_id = self._municipality(number, cells[i_municipality].strip(), problems)
        code = cells[i_code].strip()
        item = self.items.get(code)
        if item is None:
            code = code.upper()
            item = self.items.get(code)
            if item is None:
                self._unknown_code(number, code, problems)
        else:
            code = item.code  # one shared string per code
        year_raw = cells[i_year].strip()
        year = self._years.get(year_raw)
        if year is None:
            year = self._year(number, year_raw, problems)
        if year is not None and (municipality_id, year) in self.locked:
            problems.append(Problem(number, "year", msg_locked(year)))

        status = self._status.get(status_raw) if status_raw else ObservationStatus.REPORTED
        if status is None:
            problems.append(Problem(number, "status", msg_unknown_value(status_raw, STATUS_VALUES)))
        raw = cells[i_sex]
        sex = self._enum(number, "sex", raw, self._sex, SEX_VALUES, problems) if raw else ""
        raw = cells[i_disability]
        disability = (
            self._enum(number, "disability", raw, self._disability, DISABILITY_VALUES, problems)
            if raw
            else ""
        )
        raw = cells[i_data_type]
        data_type = (
            self._enum(number, "data_type", raw, self._data_type, DATA_TYPE_VALUES, problems)
            if raw
            else ""
        )
        raw = cells[i_method]
        method = (
            self._enum(
                number,
                "collection_method",
                raw,
                self._method,
                COLLECTION_METHOD_VALUES,
                problems,
                CollectionMethod.OFFICIAL_STATISTICS,
            )
            if raw
            else CollectionMethod.OFFICIAL_STATISTICS
        )
        raw = cells[i_age_band]
        age_band = self._text(number, "age_band", raw, problems) if raw else ""
        raw = cells[i_district]
        district = self._text(number, "district", raw, problems) if raw else ""
        raw = cells[i_source]
        source = self._text(number, "source", raw, problems) if raw else ""
        comment = cells[i_comment].strip()

        value: Decimal | None = None
        numerator: Decimal | None = None
        denominator: Decimal | None = None
        text_value = ""
        if status is not None and status != ObservationStatus.REPORTED:
            self._nothing_reported(
                number, status, value_raw, numerator_raw, denominator_raw, description, problems
            )
        elif status is not None and item is not None:
            if item.is_qualitative:
                value, text_value = self._qualitative(
                    number, item, value_raw, numerator_raw, denominator_raw, description, problems
                )
            else:
                text_value = description
                if numerator_raw or denominator_raw:
                    value, numerator, denominator = self._quantitative(
                        number, item, value_raw, numerator_raw, denominator_raw, problems
                    )
                else:
                    value = self._plain_value(number, item.unit, value_raw, problems)

        if (
            len(problems) > start
            or item is None
            or status is None
            or year is None
            or municipality_id is None
            or sex is None
            or disability is None
            or data_type is None
            or method is None
        ):
            return None
        return CleanRow(
            number,
            municipality_id,
            code,
            year,
            sex,
            age_band,
            disability,
            district,
            value,
            numerator,
            denominator,
            text_value,
            status,
            data_type or item.data_type,
            method,
            source,
            comment,
            False,
            not item.is_qualitative,
        )

    # -- parts ------------------------------------------------------------------------

    def _unknown_code(self, number: int | None, code: str, problems: list[Problem]) -> None:
        if not code:
            problems.append(Problem(number, "code", _("a code is required")))
            return
        problems.append(
            Problem(
                number,
                "code",
                _("unknown code '%(code)s' in catalogue version %(version)s")
                % {"code": code, "version": self.version_code},
            )
        )

    def _plain_value(
        self, number: int | None, unit: str, raw: str, problems: list[Problem]
    ) -> Decimal | None:
        """The value of a quantitative item given without numerator and denominator."""
        if not raw:
            problems.append(Problem(number, "value", _("a reported figure needs a value")))
            return None
        value = self._number(number, "value", raw, problems)
        if value is None:
            return None
        message = _range_problem(unit, value)
        if message:
            problems.append(Problem(number, "value", message))
            return None
        return value.quantize(_SIX_PLACES)

    def _municipality(self, number: int | None, raw: str, problems: list[Problem]) -> int | None:
        if self.municipalities is None:  # pragma: no cover - the caller checks
            return self.municipality_id
        if not raw:
            problems.append(Problem(number, MUNICIPALITY, _("a municipality code is required")))
            return None
        found = self.municipalities.get(raw) or self.municipalities.get(raw.upper())
        if found is None:
            problems.append(
                Problem(number, MUNICIPALITY, _("unknown municipality '%(code)s'") % {"code": raw})
            )
        return found

    def _year(self, number: int | None, raw: str, problems: list[Problem]) -> int | None:
        if not raw:
            problems.append(Problem(number, "year", _("a year is required")))
            return None
        try:
            year = parse_year(raw)
        except ValueError:
            problems.append(
                Problem(number, "year", _("'%(value)s' is not a year") % {"value": raw})
            )
            return None
        if not FIRST_YEAR <= year <= self.last_year:
            problems.append(
                Problem(
                    number,
                    "year",
                    _("the year must be between %(first)s and %(last)s")
                    % {"first": FIRST_YEAR, "last": self.last_year},
                )
            )
            return None
        self._years[raw] = year
        return year

    def _enum(
        self,
        number: int | None,
        name: str,
        raw: str,
        lookup: Mapping[str, str],
        allowed: Sequence[str],
        problems: list[Problem],
        default: str = "",
    ) -> str | None:
        word = raw.strip().lower()
        if not word:
            return default
        found = lookup.get(word)
        if found is None:
            # Sex and disability: empty means all; the other columns have a default.
            total = "" in lookup.values()
            problems.append(Problem(number, name, msg_unknown_value(word, allowed, total=total)))
        return found

    def _text(self, number: int | None, name: str, raw: str, problems: list[Problem]) -> str:
        text = raw.strip()
        if not text:
            return ""
        limit = _MAX_LENGTH[name]
        if len(text) > limit:
            problems.append(
                Problem(number, name, _("at most %(max)s characters, please") % {"max": limit})
            )
        return self._texts.setdefault(text, text)

    def _nothing_reported(
        self,
        number: int | None,
        status: str,
        value_raw: str,
        numerator_raw: str,
        denominator_raw: str,
        description: str,
        problems: list[Problem],
    ) -> None:
        label = ObservationStatus(status).label
        for name, raw in (
            ("value", value_raw),
            ("numerator", numerator_raw),
            ("denominator", denominator_raw),
            (DESCRIPTION, description),
        ):
            if raw:
                problems.append(
                    Problem(
                        number,
                        name,
                        _("leave this empty when the status is '%(status)s'") % {"status": label},
                    )
                )

    def _qualitative(
        self,
        number: int | None,
        item: ItemSpec,
        value_raw: str,
        numerator_raw: str,
        denominator_raw: str,
        description: str,
        problems: list[Problem],
    ) -> tuple[Decimal | None, str]:
        for name, raw in (("numerator", numerator_raw), ("denominator", denominator_raw)):
            if raw:
                problems.append(
                    Problem(
                        number,
                        name,
                        _("numerator and denominator apply only to percentages and rates"),
                    )
                )
        if item.unit == Unit.TEXT:
            text = description or value_raw
            if not text:
                problems.append(
                    Problem(number, DESCRIPTION, _("a reported answer needs a description"))
                )
            return None, text
        if not value_raw:
            problems.append(
                Problem(number, "value", _("a reported answer needs yes (1) or no (0)"))
            )
            return None, description
        answer = yes_no(value_raw)
        if answer is None:
            problems.append(
                Problem(
                    number,
                    "value",
                    _("'%(value)s' is not an answer; write yes (1) or no (0)")
                    % {"value": value_raw},
                )
            )
        return answer, description

    def _number(
        self, number: int | None, name: str, raw: str, problems: list[Problem]
    ) -> Decimal | None:
        try:
            parsed = parse_number(raw)
        except NotANumber:
            problems.append(Problem(number, name, msg_not_a_number(raw)))
            return None
        if abs(parsed) >= _LIMIT:
            problems.append(Problem(number, name, _("the number is too large")))
            return None
        return parsed

    def _quantitative(
        self,
        number: int | None,
        item: ItemSpec,
        value_raw: str,
        numerator_raw: str,
        denominator_raw: str,
        problems: list[Problem],
    ) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        """A value given as numerator and denominator (and perhaps the value as well)."""
        start = len(problems)
        value = self._number(number, "value", value_raw, problems) if value_raw else None
        numerator, denominator = self._ratio(number, item, numerator_raw, denominator_raw, problems)
        if numerator is None or denominator is None:
            return None, None, None
        computed = numerator / denominator * item.multiplier
        if value is not None and not _agrees(value, computed):
            problems.append(
                Problem(
                    number,
                    "value",
                    _(
                        "the value %(value)s does not match numerator / denominator "
                        "(%(computed)s); leave the value empty to have it computed"
                    )
                    % {"value": value_raw, "computed": format_number(_six(computed))},
                )
            )
        value = computed
        if len(problems) > start or value is None:
            return None, None, None
        message = _range_problem(item.unit, value)
        if message:
            problems.append(Problem(number, "value", message))
            return None, None, None
        if abs(value) >= _LIMIT:
            problems.append(Problem(number, "value", _("the number is too large")))
            return None, None, None
        return _six(value), numerator, denominator

    def _ratio(
        self,
        number: int | None,
        item: ItemSpec,
        numerator_raw: str,
        denominator_raw: str,
        problems: list[Problem],
    ) -> tuple[Decimal | None, Decimal | None]:
        if not item.takes_ratio:
            for name, raw in (("numerator", numerator_raw), ("denominator", denominator_raw)):
                if raw:
                    problems.append(
                        Problem(
                            number,
                            name,
                            _("numerator and denominator apply only to percentages and rates"),
                        )
                    )
            return None, None
        start = len(problems)
        if not numerator_raw:
            problems.append(
                Problem(number, "numerator", _("give both the numerator and the denominator"))
            )
        if not denominator_raw:
            problems.append(
                Problem(number, "denominator", _("give both the numerator and the denominator"))
            )
        numerator = (
            self._number(number, "numerator", numerator_raw, problems) if numerator_raw else None
        )
        denominator = (
            self._number(number, "denominator", denominator_raw, problems)
            if denominator_raw
            else None
        )
        if numerator is not None and numerator < 0:
            problems.append(Problem(number, "numerator", _("the numerator must be 0 or more")))
        if denominator is not None and denominator <= 0:
            problems.append(
                Problem(number, "denominator", _("the denominator must be more than 0"))
            )
        if (
            len(problems) == start
            and numerator is not None
            and denominator is not None
            and numerator > denominator
        ):
            problems.append(
                Problem(
                    number,
                    "numerator",
                    _(
                        "the numerator (%(numerator)s) is larger than the denominator "
                        "(%(denominator)s)"
                    )
                    % {"numerator": numerator_raw, "denominator": denominator_raw},
                )
            )
        if len(problems) > start or numerator is None or denominator is None:
            return None, None
        return _six(numerator), _six(denominator)


def _six(value: Decimal) -> Decimal:
    return value.quantize(_SIX_PLACES)


def _agrees(given: Decimal, computed: Decimal) -> bool:
    """True when ``given`` is ``computed`` rounded to the decimals the person wrote."""
    exponent = given.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    tolerance = Decimal(5) * Decimal(10) ** -(places + 1)
    return abs(given - computed) <= tolerance + _SIX_PLACES


def _range_problem(unit: str, value: Decimal) -> str:
    """The message for a value outside its unit's range, or ''."""
    if unit == Unit.PERCENT:
        if not _ZERO <= value <= _HUNDRED:
            return _("a percentage must be between 0 and 100")
    elif unit == Unit.COUNT:
        if value < 0 or value != value.to_integral_value():
            return _("a count must be a whole number, 0 or more")
    elif unit in (Unit.RATE, Unit.RATIO, Unit.CURRENCY) and value < 0:
        return _("the value must be 0 or more")
    return ""


# --- Year-on-year outliers ------------------------------------------------------------


def modified_z_scores(values: Sequence[float]) -> list[float] | None:
    """Iglewicz–Hoaglin modified z-scores, or None with too few points or no spread."""
    if len(values) < OUTLIER_MIN_POINTS:
        return None
    centre = median(values)
    mad = median([abs(value - centre) for value in values])
    if mad == 0:
        return None
    return [_IGLEWICZ_HOAGLIN * (value - centre) / mad for value in values]


SeriesKey = tuple[int, str, str, str, str, str]


@dataclass
class HistoryCheck:
    """The outcome of comparing new rows with what is stored."""

    warnings: list[OutlierWarning]
    replaced: int  # rows whose cell is already stored


def check_history(
    rows: Sequence[CleanRow], stored: Mapping[SeriesKey, Mapping[int, float | None]]
) -> HistoryCheck:
    """Flag year-on-year outliers and count the rows that replace a stored cell.

    ``stored`` holds, per series (the cell without its year), the stored value of each year:
    a float for a reported number, None otherwise. A new row replaces the stored value of its
    year. A row is flagged (``is_outlier``) when its modified z-score over the series,
    new values included, exceeds 3.5 — given at least four numbers that vary.
    """
    groups: dict[SeriesKey, dict[int, CleanRow]] = {}
    replaced = 0
    reported = ObservationStatus.REPORTED
    for row in rows:
        key = row.series
        years = stored.get(key)
        if years is not None and row.year in years:
            replaced += 1
        if row.value is not None and row.quantitative and row.status == reported:
            group = groups.get(key)
            if group is None:
                group = groups[key] = {}
            group[row.year] = row
    warnings: list[OutlierWarning] = []
    for key, new in groups.items():
        old = stored.get(key, {})
        if len(old) + len(new) < OUTLIER_MIN_POINTS:
            continue
        kept = [value for year, value in old.items() if value is not None and year not in new]
        fresh = list(new.values())
        scores = modified_z_scores(kept + [float(row.value or 0) for row in fresh])
        if scores is None:
            continue
        for row, score in zip(fresh, scores[len(kept) :], strict=True):
            if abs(score) > OUTLIER_THRESHOLD and row.value is not None:
                row.is_outlier = True
                warnings.append(
                    OutlierWarning(
                        row.row, row.municipality_id, row.code, row.year, row.value, round(score, 2)
                    )
                )
    warnings.sort(key=lambda warning: (warning.row or 0, warning.code))
    return HistoryCheck(warnings=warnings, replaced=replaced)
