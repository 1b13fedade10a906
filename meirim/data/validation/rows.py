"""Checking one row of a file or form against the catalogue and the approved years."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from django.utils.translation import gettext as _

from meirim.common.tabular import Problem, from_spreadsheet_text
from meirim.data.models import CollectionMethod, ObservationStatus
from meirim.data.validation.columns import _MAX_LENGTH, DESCRIPTION, FIRST_YEAR, MUNICIPALITY
from meirim.data.validation.enums import (
    COLLECTION_METHOD_VALUES,
    DATA_TYPE_VALUES,
    DISABILITY_VALUES,
    SEX_VALUES,
    STATUS_VALUES,
    _enum_lookup,
)
from meirim.data.validation.messages import msg_locked, msg_unknown_value
from meirim.data.validation.numbers import max_year, parse_year
from meirim.data.validation.units import ItemSpec
from meirim.data.validation.values import ValueChecks


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


class Skip:
    """Marker for a row that carries no data (an unfilled template line)."""


SKIP: Final = Skip()

#: The fields a checker reads from a row, in the order of ``RowChecker._index``.
ROW_FIELDS: Final = (
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


class RowChecker(ValueChecks):
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
        municipality_code: str = "",
        municipality_name: str = "",
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
        # A file of one municipality may carry a municipality column: it must name that one.
        self.municipality_code = municipality_code.strip().upper()
        self.municipality_name = municipality_name or municipality_code
        self._names_municipality = MUNICIPALITY in header and municipalities is None
        self.width = len(header)
        position: dict[str, int] = {}
        for index, name in enumerate(header):
            position.setdefault(name, index)
        # A missing column points at the padding cell appended to every row.
        self._index = tuple(position.get(name, self.width) for name in ROW_FIELDS)
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
        if description[:1] == "'":
            description = from_spreadsheet_text(description)
        if not (value_raw or numerator_raw or denominator_raw or status_raw or description):
            if number is not None:
                return SKIP
            problems.append(Problem(number, "value", _("Enter a value or choose a status.")))
            return None
        start = len(problems)

        if self.municipalities is None:
            municipality_id = self.municipality_id
            if self._names_municipality:
                self._same_municipality(number, cells[i_municipality].strip(), problems)
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
        if comment[:1] == "'":  # written by a template: "'=…" is the text "=…"
            comment = from_spreadsheet_text(comment)

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

    def _same_municipality(self, number: int | None, raw: str, problems: list[Problem]) -> None:
        if raw and raw.upper() != self.municipality_code:
            problems.append(
                Problem(
                    number,
                    MUNICIPALITY,
                    _("this file is for %(name)s (%(code)s); this row names %(other)s")
                    % {
                        "name": self.municipality_name,
                        "code": self.municipality_code,
                        "other": raw,
                    },
                )
            )

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
        if text[0] == "'":
            text = from_spreadsheet_text(text)
        limit = _MAX_LENGTH[name]
        if len(text) > limit:
            problems.append(
                Problem(number, name, _("at most %(max)s characters, please") % {"max": limit})
            )
        return self._texts.setdefault(text, text)
