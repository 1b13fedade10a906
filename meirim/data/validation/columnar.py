"""Checking a whole file at once: the rules of :class:`RowChecker` as column expressions.

The columns of a file (``c0``, ``c1``, … as read, with ``row`` the spreadsheet row) are
checked together. A row whose every cell is of the plain kind the expressions decide exactly
(a known code, a year of four digits, a number such as ``12``, ``45,5`` or ``12 000``, …)
is cleaned here; every other row — a mistake, or anything unusual such as a numerator and
denominator, an apostrophe before a text, an exponent — is handed to
:meth:`RowChecker.check` itself, which writes today's messages. So the rows accepted and
their cleaned values are exactly the ones the per-row check would give.

The clean rows come back as one frame (:data:`CLEAN_COLUMNS`): figures as decimal texts
(six places at most), ``value_float`` for the year-on-year check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Final

import polars as pl

from meirim.catalogue.models import Unit
from meirim.common.tabular import Problem
from meirim.data.models import CollectionMethod, ObservationStatus
from meirim.data.validation.columns import _MAX_LENGTH, FIRST_YEAR
from meirim.data.validation.enums import (
    COLLECTION_METHOD_VALUES,
    DATA_TYPE_VALUES,
    DISABILITY_VALUES,
    SEX_VALUES,
    STATUS_VALUES,
    _enum_lookup,
)
from meirim.data.validation.messages import msg_duplicate
from meirim.data.validation.numbers import NO_WORDS, YES_WORDS, fits_six_places
from meirim.data.validation.rows import ROW_FIELDS, CleanRow, RowChecker, Skip
from meirim.data.validation.units import RATIO_UNITS, _range_problem
from meirim.data.validation.values import _six

CELL: Final = ("municipality_id", "code", "year", "sex", "age_band", "disability", "district")
SERIES: Final = ("municipality_id", "code", "sex", "age_band", "disability", "district")
CLEAN_COLUMNS: Final = {
    "row": pl.Int64,
    "municipality_id": pl.Int64,
    "code": pl.String,
    "year": pl.Int64,
    "sex": pl.String,
    "age_band": pl.String,
    "disability": pl.String,
    "district": pl.String,
    "value": pl.String,
    "numerator": pl.String,
    "denominator": pl.String,
    "text_value": pl.String,
    "status": pl.String,
    "data_type": pl.String,
    "collection_method": pl.String,
    "source": pl.String,
    "comment": pl.String,
    "is_outlier": pl.Boolean,
    "quantitative": pl.Boolean,
    "value_float": pl.Float64,
}
# Texts held as categories while the whole file is in memory (4 bytes a cell instead of a
# view of 16, even an empty or null one): those of few distinct values, and those mostly
# empty or null (a comment, a qualitative answer, a numerator and denominator). Not the
# value: a category per distinct value would cost more than its view. See :func:`compact`.
FEW_VALUES: Final = (
    "code",
    "sex",
    "age_band",
    "disability",
    "district",
    "numerator",
    "denominator",
    "text_value",
    "status",
    "data_type",
    "collection_method",
    "source",
    "comment",
)

# Python's str.strip() also removes these; the expressions leave such rows to RowChecker.
_ODD_SPACES: Final = r"[\x1c-\x1f]"
_BLANK: Final = r"^[\s\x1c-\x1f]*$"
# What parse_number removes between digits (regex \s is Unicode white space in both).
_SPACES: Final = r"[\s\u00a0\u202f\u2007\u2009\u200a]+"
_PLAIN: Final = r"^[+-]?[0-9]{1,14}(\.[0-9]{1,6})?$"
_WHOLE: Final = r"^\+?[0-9]{1,14}(\.0{1,6})?$"
_NOT_NEGATIVE: Final = r"^\+?[0-9]"
_DIGITS: Final = r"^[0-9]{1,14}$"


def empty_clean() -> pl.DataFrame:
    return pl.DataFrame(schema=CLEAN_COLUMNS)


def clean_frame(rows: list[CleanRow]) -> pl.DataFrame:
    """Rows checked one by one, as a frame of :data:`CLEAN_COLUMNS`."""

    def number(value: object) -> str | None:
        return None if value is None else format(value, "f")

    return pl.DataFrame(
        {
            "row": [row.row for row in rows],
            "municipality_id": [row.municipality_id for row in rows],
            "code": [row.code for row in rows],
            "year": [row.year for row in rows],
            "sex": [row.sex for row in rows],
            "age_band": [row.age_band for row in rows],
            "disability": [row.disability for row in rows],
            "district": [row.district for row in rows],
            "value": [number(row.value) for row in rows],
            "numerator": [number(row.numerator) for row in rows],
            "denominator": [number(row.denominator) for row in rows],
            "text_value": [row.text_value for row in rows],
            "status": [row.status for row in rows],
            "data_type": [row.data_type for row in rows],
            "collection_method": [row.collection_method for row in rows],
            "source": [row.source for row in rows],
            "comment": [row.comment for row in rows],
            "is_outlier": [row.is_outlier for row in rows],
            "quantitative": [row.quantitative for row in rows],
            "value_float": [None if row.value is None else float(row.value) for row in rows],
        },
        schema=CLEAN_COLUMNS,
    )


# Narrower numbers while the whole file is in memory (a year fits 16 bits, a row 32).
_NARROW: Final = {"row": pl.Int32, "year": pl.Int16}


def compact(clean: pl.DataFrame) -> pl.DataFrame:
    """The clean rows as held while the whole file is in memory: the texts of
    :data:`FEW_VALUES` as categories, narrower numbers, and no ``value_float`` (computed
    again by :func:`expand` from the value)."""
    return clean.select(
        *(
            pl.col(name).cast(pl.Categorical)
            if name in FEW_VALUES
            else pl.col(name).cast(_NARROW[name])
            if name in _NARROW
            else pl.col(name)
            for name in CLEAN_COLUMNS
            if name != "value_float"
        )
    )


def expand(clean: pl.DataFrame) -> pl.DataFrame:
    """The clean rows (compacted or not) with the types of :data:`CLEAN_COLUMNS`.

    ``value_float`` is the value of a quantitative row as a float (a qualitative row's is
    null): the same float whether computed from the text here or while checking it.
    """
    if "value_float" not in clean.columns:
        clean = clean.with_columns(
            pl.when(pl.col("quantitative"))
            .then(pl.col("value").cast(pl.Float64))
            .otherwise(pl.lit(None, dtype=pl.Float64))
            .alias("value_float")
        )
    return clean.select(pl.col(name).cast(dtype) for name, dtype in CLEAN_COLUMNS.items())


def _lookup(expr: pl.Expr, mapping: dict[str, str]) -> pl.Expr:
    return expr.replace_strict(mapping, default=None, return_dtype=pl.String)


class FrameChecker:
    """Checks frames of raw cells with the rules (and the prefetched data) of ``checker``."""

    def __init__(self, checker: RowChecker, *, odd_spaces: bool = True) -> None:
        """``odd_spaces``: False when the file has none of the characters ``\\x1c``–``\\x1f``
        (a search of its bytes), which spares a look into every cell."""
        self.checker = checker
        self.odd_spaces = odd_spaces
        # Columns computed before the expressions of _expressions, stage after stage.
        self.stages: list[list[pl.Expr]] = []
        self.width = checker.width
        items = checker.items
        self.codes = list(items)
        self.units = {code: item.unit for code, item in items.items()}
        self.item_types = {code: item.data_type for code, item in items.items()}
        self.locked = [municipality * 10_000 + year for municipality, year in checker.locked]

    def _keep(self, stage: int, name: str, expr: pl.Expr) -> pl.Expr:
        """``expr`` computed once, in a column of ``stage`` (0 first): the column."""
        while len(self.stages) <= stage:
            self.stages.append([])
        self.stages[stage].append(expr.alias(f"__{name}"))
        return pl.col(f"__{name}")

    def _raw(self, name: str) -> pl.Expr:
        index = self.checker._index[ROW_FIELDS.index(name)]
        return pl.col(f"c{index}") if index < self.width else pl.lit("")

    def _strip(self, name: str) -> pl.Expr:
        return self._raw(name).str.strip_chars()

    def blank(self) -> pl.Expr:
        """A row the reader would not yield (every cell empty or white space)."""
        if self.width == 0:
            return pl.lit(True)
        return pl.all_horizontal(
            pl.col(f"c{index}").str.contains(_BLANK) for index in range(self.width)
        )

    def _expressions(self) -> tuple[pl.Expr, pl.Expr, list[pl.Expr]]:
        """(skipped, decided here, the clean columns)."""
        checker = self.checker
        self.stages = []
        keep = self._keep
        value_raw = keep(0, "value", self._strip("value"))
        numerator_raw = keep(0, "numerator", self._strip("numerator"))
        denominator_raw = keep(0, "denominator", self._strip("denominator"))
        status_raw = keep(0, "status", self._strip("status").str.to_lowercase())
        description = keep(0, "description", self._strip("description"))
        skip = (
            (value_raw == "")
            & (numerator_raw == "")
            & (denominator_raw == "")
            & (status_raw == "")
            & (description == "")
        )
        fields = [f"c{index}" for index in range(self.width)]
        ok = (
            ~pl.any_horizontal(pl.col(name).str.contains(_ODD_SPACES) for name in fields)
            if fields and self.odd_spaces
            else pl.lit(True)
        )

        # The municipality.
        municipality_raw = keep(0, "municipality", self._strip("municipality"))
        if checker.municipalities is None:
            municipality = pl.lit(checker.municipality_id, dtype=pl.Int64)
            if checker._names_municipality:
                ok &= (municipality_raw == "") | (
                    municipality_raw.str.to_uppercase() == checker.municipality_code
                )
        else:
            codes = dict(checker.municipalities)
            municipality = keep(
                1,
                "municipality_id",
                municipality_raw.replace_strict(
                    codes, default=None, return_dtype=pl.Int64
                ).fill_null(
                    municipality_raw.str.to_uppercase().replace_strict(
                        codes, default=None, return_dtype=pl.Int64
                    )
                ),
            )
            ok &= municipality.is_not_null()

        # The code and what the catalogue says of it.
        code_raw = keep(0, "code", self._strip("code"))
        code = keep(
            1,
            "code_upper",
            pl.when(code_raw.is_in(self.codes))
            .then(code_raw)
            .otherwise(code_raw.str.to_uppercase()),
        )
        ok &= code.is_in(self.codes)
        unit = keep(2, "unit", _lookup(code, self.units))
        item_type = _lookup(code, self.item_types)

        # The year, and whether it is approved.
        year_raw = keep(0, "year", self._strip("year"))
        year = keep(1, "year_number", year_raw.cast(pl.Int64, strict=False))
        ok &= year_raw.str.contains(r"^[0-9]{1,6}$") & year.is_between(
            FIRST_YEAR, checker.last_year
        )
        if self.locked:
            ok &= ~(municipality * 10_000 + year).is_in(self.locked)

        # Enumerations.
        status = keep(
            1,
            "status_value",
            pl.when(status_raw == "")
            .then(pl.lit(ObservationStatus.REPORTED))
            .otherwise(status_raw),
        )
        ok &= status.is_in(list(STATUS_VALUES))

        def enum(name: str, values: tuple[str, ...], total: bool, default: str) -> pl.Expr:
            lookup = {**_enum_lookup(values, total=total), "": default}
            return keep(1, name, _lookup(self._strip(name).str.to_lowercase(), lookup))

        sex = enum("sex", SEX_VALUES, True, "")
        disability = enum("disability", DISABILITY_VALUES, True, "")
        data_type = enum("data_type", DATA_TYPE_VALUES, False, "")
        method = enum(
            "collection_method",
            COLLECTION_METHOD_VALUES,
            False,
            CollectionMethod.OFFICIAL_STATISTICS,
        )
        for expr in (sex, disability, data_type, method):
            ok &= expr.is_not_null()

        # Texts: an apostrophe before one is left to RowChecker (from_spreadsheet_text).
        texts = {}
        for name in ("age_band", "district", "source"):
            text = keep(0, name, self._strip(name))
            ok &= (text.str.len_chars() <= _MAX_LENGTH[name]) & ~text.str.starts_with("'")
            texts[name] = text
        comment = keep(0, "comment", self._strip("comment"))
        ok &= ~comment.str.starts_with("'") & ~description.str.starts_with("'")

        # The figures.
        reported = status == ObservationStatus.REPORTED
        no_ratio = (numerator_raw == "") & (denominator_raw == "")
        qualitative = unit.is_in([Unit.YESNO, Unit.TEXT])
        # Whole numbers as numerator and denominator, no value: computed by _ratio_values
        # (which hands the row to RowChecker when the division does not pass its checks).
        ratio = (
            unit.is_in(list(RATIO_UNITS))
            & (value_raw == "")
            & numerator_raw.str.contains(_DIGITS)
            & denominator_raw.str.contains(_DIGITS)
        )
        ok &= (
            reported | ((value_raw == "") & (description == ""))  # the state of a missing value
        )
        word = value_raw.str.to_lowercase()
        answer = keep(
            1,
            "answer",
            pl.when(word.is_in(list(YES_WORDS)))
            .then(pl.lit("1"))
            .when(word.is_in(list(NO_WORDS)))
            .then(pl.lit("0"))
            .otherwise(pl.lit(None, dtype=pl.String)),
        )
        squeezed = value_raw.str.replace_all(_SPACES, "")
        number = keep(
            1,
            "number",
            pl.when(
                (squeezed.str.count_matches(",", literal=True) == 1)
                & ~squeezed.str.contains(".", literal=True)
            )
            .then(squeezed.str.replace(",", ".", literal=True))
            .otherwise(squeezed),
        )
        fits = number.str.contains(_PLAIN)
        number_float = number.cast(pl.Float64, strict=False)
        not_negative = number.str.contains(_NOT_NEGATIVE)
        in_range = (
            pl.when(unit == Unit.PERCENT)
            .then(not_negative & (number_float <= 100))
            .when(unit == Unit.COUNT)
            .then(number.str.contains(_WHOLE))
            .when(unit.is_in([Unit.RATE, Unit.RATIO, Unit.CURRENCY]))
            .then(not_negative)
            .otherwise(pl.lit(True))
        )
        text_answer = pl.when(description != "").then(description).otherwise(value_raw)
        value_ok = (
            (unit == Unit.TEXT) & (text_answer != "")
            | (unit == Unit.YESNO) & answer.is_not_null()
            | ~qualitative & fits & in_range
        )
        ok &= no_ratio & (~reported | value_ok) | reported & ratio
        plain = number.str.strip_prefix("+")
        value = (
            pl.when(~reported)
            .then(pl.lit(None, dtype=pl.String))
            .when(unit == Unit.TEXT)
            .then(pl.lit(None, dtype=pl.String))
            .when(unit == Unit.YESNO)
            .then(answer)
            .otherwise(plain)
        )
        text_value = (
            pl.when(~reported)
            .then(pl.lit(""))
            .when(unit == Unit.TEXT)
            .then(text_answer)
            .otherwise(description)
        )
        none = pl.lit(None, dtype=pl.String)
        columns = [
            pl.col("row").cast(pl.Int64),
            municipality.alias("municipality_id"),
            code.alias("code"),
            year.alias("year"),
            sex.alias("sex"),
            texts["age_band"].alias("age_band"),
            disability.alias("disability"),
            texts["district"].alias("district"),
            value.alias("value"),
            none.alias("numerator"),
            none.alias("denominator"),
            text_value.alias("text_value"),
            status.alias("status"),
            pl.when(data_type == "").then(item_type).otherwise(data_type).alias("data_type"),
            method.alias("collection_method"),
            texts["source"].alias("source"),
            comment.alias("comment"),
            pl.lit(False).alias("is_outlier"),
            (~qualitative).alias("quantitative"),
            pl.when(reported & ~qualitative)
            .then(plain.cast(pl.Float64, strict=False))
            .otherwise(pl.lit(None, dtype=pl.Float64))
            .alias("value_float"),
            (~no_ratio).alias("_ratio"),
            numerator_raw.alias("_numerator"),
            denominator_raw.alias("_denominator"),
        ]
        return skip, ok.fill_null(False), columns

    def check(
        self,
        chunks: Iterable[pl.DataFrame],
        problems: list[Problem],
        checked: Callable[[int], None] | None = None,
        checked_part: Callable[[pl.DataFrame, bool], None] | None = None,
    ) -> tuple[pl.DataFrame, int, int]:
        """(the clean rows, rows read, rows skipped); problems appended in row order.

        ``chunks``: frames of ``row`` and the raw cells ``c0``…, in row order (read a piece
        of the file at a time, so that the raw cells of the whole file are never in memory).
        ``checked_part`` is given the clean rows of each piece as soon as it is checked (in
        row order, with the types of :data:`CLEAN_COLUMNS`) and whether any row so far was
        refused; a cell given twice is only found once every piece is checked.
        """
        skip, ok, columns = self._expressions()
        read = skipped = 0
        parts: list[pl.DataFrame] = []
        found: list[Problem] = []
        fields = ["row", *(f"c{index}" for index in range(self.width))]
        for chunk in chunks:
            if self.odd_spaces:  # a cell of them alone is blank, though not stripped here
                chunk = chunk.filter(~self.blank())
            # One pass: the clean columns of every row, and whether each is skipped or clean.
            marked = chunk
            for stage in self.stages:
                marked = marked.with_columns(stage)
            marked = marked.select(*columns, skip.alias("_skip"), ok.alias("_ok"))
            # A blank row (every cell empty or white space) is one the reader would not
            # yield: neither read nor skipped. Only a skipped row can be blank.
            if self.odd_spaces:
                blank = 0  # dropped above
            elif self.width:
                blank = int(chunk.filter(marked["_skip"]).select(self.blank().sum()).item())
            else:
                blank = chunk.height
            read += chunk.height - blank
            skipped += int(marked["_skip"].sum()) - blank
            fast = marked.filter(~pl.col("_skip") & pl.col("_ok")).drop("_skip", "_ok")
            slow_rows = marked.filter(~pl.col("_skip") & ~pl.col("_ok"))["row"]
            del marked
            fast, refused = self._ratio_values(fast)
            chunk_parts = [fast]
            del fast
            if refused.len():
                slow_rows = pl.concat([slow_rows, refused]).sort()
            slow = chunk.filter(pl.col("row").is_in(slow_rows.implode())).select(fields)
            del chunk
            rows: list[CleanRow] = []
            for number, *cells in slow.iter_rows():
                result = self.checker.check(number, cells, found)
                if isinstance(result, Skip):
                    skipped += 1
                elif result is not None:
                    rows.append(result)
            if rows:
                chunk_parts.append(clean_frame(rows))
            # In row order chunk by chunk, so the whole is in row order without a sort.
            checked_rows = pl.concat(chunk_parts, how="vertical").sort("row")
            del chunk_parts
            parts.append(compact(checked_rows))
            if checked_part:  # as checked (not compacted): it is written next
                checked_part(checked_rows, bool(found))
            del checked_rows
            if checked:
                checked(read)
        clean = pl.concat(parts, how="vertical") if parts else empty_clean()
        del parts
        firsts = _repeated_cells(clean)
        repeated = firsts
        if repeated.height:
            found.extend(
                Problem(row, "code", msg_duplicate(first)) for row, first in repeated.iter_rows()
            )
            found.sort(key=lambda problem: problem.row or 0)
        problems.extend(found)
        return clean, read, skipped

    def _ratio_values(self, fast: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series]:
        """The rows of :data:`CLEAN_COLUMNS` with values computed from their numerator and
        denominator, and the rows (numbers) whose division RowChecker must judge.

        The same arithmetic as :meth:`RowChecker._quantitative`: Decimal, six places.
        """
        helpers = ["_ratio", "_numerator", "_denominator"]
        ratios = fast.filter(pl.col("_ratio"))
        if not ratios.height:
            return fast.drop(helpers), pl.Series("row", [], dtype=pl.Int64)
        items = self.checker.items
        values: list[str | None] = []
        numerators: list[str | None] = []
        denominators: list[str | None] = []
        for code, numerator_raw, denominator_raw in ratios.select(
            "code", "_numerator", "_denominator"
        ).iter_rows():
            numerator = Decimal(numerator_raw)
            denominator = Decimal(denominator_raw)
            item = items[code]
            if not denominator or numerator > denominator:
                values.append(None)
                numerators.append(None)
                denominators.append(None)
                continue
            computed = numerator / denominator * item.multiplier
            if not fits_six_places(computed) or _range_problem(item.unit, computed):
                values.append(None)
                numerators.append(None)
                denominators.append(None)
                continue
            values.append(format(_six(computed), "f"))
            # Whole numbers (digits only): the text of format(_six(number), "f").
            numerators.append(f"{int(numerator_raw)}.000000")
            denominators.append(f"{int(denominator_raw)}.000000")
        ratios = ratios.with_columns(
            pl.Series("value", values, dtype=pl.String),
            pl.Series("numerator", numerators, dtype=pl.String),
            pl.Series("denominator", denominators, dtype=pl.String),
        ).with_columns(value_float=pl.col("value").cast(pl.Float64))
        refused = ratios.filter(pl.col("value").is_null())["row"]
        computed_rows = ratios.filter(pl.col("value").is_not_null()).drop(helpers)
        plain = fast.filter(~pl.col("_ratio")).drop(helpers)
        return pl.concat([plain, computed_rows], how="vertical"), refused


def _repeated_cells(clean: pl.DataFrame) -> pl.DataFrame:
    """(row, first): each row whose cell an earlier row already has, with that first row.

    The rows are compared by a hash of their cell first (8 bytes a row), and only the few
    rows whose hash another row shares are compared cell by cell: a frame of whole cells
    for every row would cost more memory than the clean rows themselves.
    """
    none = pl.DataFrame(schema={"row": pl.Int64, "first": pl.Int64})
    if not clean.height:
        return none
    # Categories by their codes (equal texts, equal codes): no text is looked at. The hashes
    # shared are found by sorting them: a hash table of a million rows would cost more.
    cell = pl.struct(pl.col(name).to_physical() for name in CELL)
    hashes = clean.select(cell.hash()).to_series()
    ordered = hashes.sort()
    twice = ordered.filter(ordered == ordered.shift(1))
    del ordered
    if not twice.len():
        return none
    shared = hashes.is_in(twice.implode())
    del hashes, twice
    candidates = clean.filter(shared).select("row", *CELL)
    del shared
    return candidates.select("row", pl.col("row").min().over(CELL).alias("first")).filter(
        pl.col("row") != pl.col("first")
    )
