"""Long data (unit, indicator, year, value) turned into one dense array.

Denominator series (child population, live births...) are ordinary series here; which
series are indicators and which are denominators is only known against a framework,
so that cross-check lives in :mod:`index_engine.compute`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from .arrays import FloatArray, readonly
from .errors import Problem, raise_if
from .parsing import CellError, as_float, as_int, as_text, is_blank, row_is_blank

if TYPE_CHECKING:
    import polars as pl

__all__ = ["Dataset"]

REQUIRED_COLUMNS = ("unit", "indicator", "year", "value")

_Record = tuple[str, str, int, float]


@dataclass(frozen=True)
class Dataset:
    """Dense data: ``values[u, s, y]`` for unit ``units[u]``, series ``series[s]``,
    year ``years[y]``; NaN marks a missing value.

    ``series_rows`` maps each series to the first row it appeared on, so later checks
    against the framework can point at a row of the data file.
    """

    units: tuple[str, ...]
    series: tuple[str, ...]
    years: tuple[int, ...]
    values: FloatArray
    series_rows: Mapping[str, int] = field(default_factory=dict)
    source: str = "data"

    def __post_init__(self) -> None:
        expected = (len(self.units), len(self.series), len(self.years))
        if self.values.shape != expected:
            raise ValueError(f"values has shape {self.values.shape}, expected {expected}")

    @classmethod
    def from_long(
        cls,
        rows: Iterable[Mapping[str, object]],
        source: str = "data",
        first_row: int = 2,
    ) -> Dataset:
        """Build from long records with keys ``unit, indicator, year, value``.

        An empty value is missing.  Units and series keep their order of first
        appearance, years are sorted.  Duplicate ``(unit, indicator, year)`` rows and
        unparsable cells are reported together in one :class:`EngineInputError`.
        """
        problems: list[Problem] = []
        unit_ix: dict[str, int] = {}
        series_ix: dict[str, int] = {}
        series_rows: dict[str, int] = {}
        u_list: list[int] = []
        s_list: list[int] = []
        y_list: list[int] = []
        v_list: list[float] = []
        r_list: list[int] = []
        keys: tuple[object, ...] | None = None
        for offset, raw in enumerate(rows):
            row_no = first_row + offset
            if keys is None:
                keys = _header_keys(raw, source, first_row)
            try:  # fast path: the row has the header's keys and plain cell types
                rec = _plain_record(*(raw[k] for k in keys))  # type: ignore[index]
            except (KeyError, TypeError):
                rec = None
            if rec is None:
                row = {str(k).strip().lower(): v for k, v in raw.items() if k is not None}
                if row_is_blank(row):
                    continue
                rec = _checked_record(row, row_no, source, problems)
                if rec is None:
                    continue
            unit, series, year, value = rec
            u_list.append(unit_ix.setdefault(unit, len(unit_ix)))
            if series not in series_ix:
                series_ix[series] = len(series_ix)
                series_rows[series] = row_no
            s_list.append(series_ix[series])
            y_list.append(year)
            v_list.append(value)
            r_list.append(row_no)
        if not problems and not u_list:
            problems.append(Problem(source, None, None, "the data has no rows"))
        years, y_idx = np.unique(np.asarray(y_list, dtype=np.int64), return_inverse=True)
        shape = (len(unit_ix), len(series_ix), len(years))
        flat = np.ravel_multi_index(
            (np.asarray(u_list, dtype=np.int64), np.asarray(s_list, dtype=np.int64), y_idx),
            shape,
        )
        problems += _duplicate_problems(
            flat,
            np.asarray(r_list, dtype=np.int64),
            shape,
            source,
            tuple(unit_ix),
            tuple(series_ix),
            years.tolist(),
        )
        problems.sort(key=lambda p: p.row or 0)
        raise_if(problems)
        values = np.full(shape, np.nan)
        values.reshape(-1)[flat] = np.asarray(v_list, dtype=np.float64)
        return cls(
            tuple(unit_ix),
            tuple(series_ix),
            tuple(int(y) for y in years),
            readonly(values),
            series_rows,
            source,
        )

    @classmethod
    def from_frame(
        cls,
        frame: pl.DataFrame,
        source: str = "data",
        first_row: int = 2,
        cells: Callable[[int], Mapping[str, object]] | None = None,
    ) -> Dataset:
        """Build from a polars table with columns ``unit, indicator, year, value``.

        Same rules and messages as :meth:`from_long` (record ``k`` is row
        ``first_row + k``; headers match case-insensitively after stripping, the first
        of repeated headers wins; blank rows are skipped but counted), parsed column by
        column.  Rows the vectorised parse does not accept go through the per-row
        parser of :meth:`from_long`, which either accepts them or writes the message.
        ``cells(k)`` optionally gives the original record ``k`` (e.g. spreadsheet cells before
        they were turned into text) that those messages quote.
        """
        import polars as pl

        names: dict[str, str] = {}
        for name in frame.columns:
            names.setdefault(name.strip().lower(), name)
        if frame.height == 0:
            raise_if([Problem(source, None, None, "the data has no rows")])
        missing = [c for c in REQUIRED_COLUMNS if c not in names]
        raise_if([Problem(source, first_row - 1, c, "missing required column") for c in missing])
        # Blank rows: every cell (not only the required ones) empty.
        blank = pl.all_horizontal([_blank_expr(name, frame.schema[name]) for name in frame.columns])
        unit = _text_expr(names["unit"], frame.schema[names["unit"]])
        series = _text_expr(names["indicator"], frame.schema[names["indicator"]])
        year_f = _number_expr(names["year"], frame.schema[names["year"]])
        value_col, value_type = names["value"], frame.schema[names["value"]]
        value_blank = _blank_expr(value_col, value_type)
        value_f = _number_expr(value_col, value_type)
        parsed = frame.select(
            blank.alias("blank"),
            unit.alias("unit"),
            series.alias("series"),
            year_f.alias("year_f"),
            value_blank.alias("value_blank"),
            value_f.alias("value_f"),
        ).with_columns(
            ok=(
                pl.col("unit").is_not_null()
                & (pl.col("unit") != "")
                & pl.col("series").is_not_null()
                & (pl.col("series") != "")
                & pl.col("year_f").is_finite().fill_null(False)
                & (pl.col("year_f").round(0) == pl.col("year_f")).fill_null(False)
                & (pl.col("year_f").abs() < 2.0**53).fill_null(False)
                & (pl.col("value_blank") | pl.col("value_f").is_finite().fill_null(False))
            ),
            value=pl.when(pl.col("value_blank")).then(float("nan")).otherwise(pl.col("value_f")),
        )
        ok = parsed["ok"].to_numpy()
        keep = ok.copy()
        unit_s = parsed["unit"]
        series_s = parsed["series"]
        year_s = parsed["year_f"].fill_null(0.0).fill_nan(0.0).clip(-(2.0**53), 2.0**53)
        year_s = year_s.cast(pl.Int64)
        value_s = parsed["value"].fill_null(float("nan"))
        problems: list[Problem] = []
        slow = np.flatnonzero(~(ok | parsed["blank"].to_numpy()))
        if slow.size:
            fixed: list[tuple[int, _Record]] = []
            for k in slow.tolist():
                raw = cells(k) if cells is not None else frame.row(k, named=True)
                row = {str(key).strip().lower(): v for key, v in raw.items() if key is not None}
                if row_is_blank(row):
                    continue
                rec = _checked_record(row, first_row + k, source, problems)
                if rec is not None:
                    fixed.append((k, rec))
            if fixed:
                at = pl.Series([k for k, _ in fixed], dtype=pl.Int64)
                f_unit, f_series, f_year, f_value = zip(*(rec for _, rec in fixed), strict=True)
                unit_s = unit_s.scatter(at, list(f_unit))
                series_s = series_s.scatter(at, list(f_series))
                year_s = year_s.scatter(at, list(f_year))
                value_s = value_s.scatter(at, list(f_value))
                keep[[k for k, _ in fixed]] = True
        mask = pl.Series(keep)
        rows = np.flatnonzero(keep).astype(np.int64) + first_row
        unit_s = unit_s.filter(mask)
        series_s = series_s.filter(mask)
        if not problems and unit_s.len() == 0:
            problems.append(Problem(source, None, None, "the data has no rows"))
        units, u_codes = _codes(unit_s)
        series, s_codes, s_first = _codes(series_s, with_first=True)
        years, y_idx = np.unique(year_s.filter(mask).to_numpy(), return_inverse=True)
        shape = (len(units), len(series), len(years))
        flat = np.ravel_multi_index((u_codes, s_codes, y_idx.reshape(-1)), shape)
        problems += _duplicate_problems(flat, rows, shape, source, units, series, years.tolist())
        problems.sort(key=lambda p: p.row or 0)
        raise_if(problems)
        values = np.full(shape, np.nan)
        values.reshape(-1)[flat] = value_s.filter(mask).to_numpy()
        return cls(
            units,
            series,
            tuple(int(y) for y in years),
            readonly(values),
            {s: int(rows[k]) for s, k in zip(series, s_first, strict=True)},
            source,
        )

    @classmethod
    def from_arrays(
        cls,
        units: Sequence[str],
        series: Sequence[str],
        years: Sequence[int],
        unit_index: npt.ArrayLike,
        series_index: npt.ArrayLike,
        year_index: npt.ArrayLike,
        values: npt.ArrayLike,
        source: str = "data",
        first_row: int = 2,
    ) -> Dataset:
        """Build from integer-coded long arrays (fast path for databases and benchmarks).

        ``unit_index[k]`` indexes ``units`` etc. for record ``k``; NaN values are missing.
        Duplicate records are reported with their record numbers (``first_row + k``).
        """
        ui = np.asarray(unit_index, dtype=np.int64)
        si = np.asarray(series_index, dtype=np.int64)
        yi = np.asarray(year_index, dtype=np.int64)
        vals = np.asarray(values, dtype=np.float64)
        problems: list[Problem] = []
        if not (ui.shape == si.shape == yi.shape == vals.shape) or ui.ndim != 1:
            raise_if(
                [Problem(source, None, None, "index and value arrays must be 1-D, same length")]
            )
        shape = (len(units), len(series), len(years))
        try:  # C-level index arithmetic with bounds checking
            flat = np.ravel_multi_index((ui, si, yi), shape)
        except ValueError:
            for name, idx, size in (
                ("unit", ui, shape[0]),
                ("indicator", si, shape[1]),
                ("year", yi, shape[2]),
            ):
                bad = np.flatnonzero((idx < 0) | (idx >= size))
                problems += [
                    Problem(source, first_row + int(k), name, "index out of range")
                    for k in bad[:50]
                ]
            raise_if(problems)
            raise
        if np.isinf(vals).any():
            for k in np.flatnonzero(np.isinf(vals))[:50]:
                problems.append(Problem(source, first_row + int(k), "value", "not a finite number"))
        raise_if(problems)
        n_cells = shape[0] * shape[1] * shape[2]
        # Records sorted by (unit, series, year) cannot repeat a cell: skip the count.
        increasing = flat.size < 2 or bool(np.all(flat[1:] > flat[:-1]))
        if not increasing:
            counts = np.bincount(flat, minlength=n_cells)
            if counts.max(initial=0) > 1:
                dup_rows = np.flatnonzero(np.isin(flat, np.flatnonzero(counts > 1)))
                for k in dup_rows[:50]:
                    u, s, y = np.unravel_index(flat[k], shape)
                    problems.append(
                        Problem(
                            source,
                            first_row + int(k),
                            "indicator",
                            f"duplicate row for unit '{units[u]}', indicator '{series[s]}', "
                            f"year {years[y]}",
                        )
                    )
                raise_if(problems)
        if increasing and flat.size == n_cells:  # complete and sorted: already dense
            dense = vals.reshape(shape).copy()
        else:
            dense = np.full(shape, np.nan)
            dense.reshape(-1)[flat] = vals
        series_rows = {
            series[s]: first_row + k for s, k in _first_positions(si, len(series)).items()
        }
        return cls(
            tuple(units),
            tuple(series),
            tuple(int(y) for y in years),
            readonly(dense),
            series_rows,
            source,
        )

    def index(self) -> tuple[dict[str, int], dict[str, int], dict[int, int]]:
        """Lookup dicts (unit -> u, series -> s, year -> y)."""
        return (
            {u: i for i, u in enumerate(self.units)},
            {s: i for i, s in enumerate(self.series)},
            {y: i for i, y in enumerate(self.years)},
        )


def _first_positions(codes: npt.NDArray[np.int64], n_codes: int) -> dict[int, int]:
    """Position of the first occurrence of each code, scanning growing chunks so that
    the usual case (every code appears early) reads only the start of the array."""
    first = np.full(n_codes, -1, dtype=np.int64)
    start, chunk = 0, 1 << 16
    while start < codes.size and (first < 0).any():
        seg = codes[start : start + chunk]
        local = np.full(n_codes, -1, dtype=np.int64)
        local[seg[::-1]] = np.arange(seg.size - 1, -1, -1)  # last write = first occurrence
        new = (first < 0) & (local >= 0)
        first[new] = local[new] + start
        start += seg.size
        chunk *= 2
    return {int(c): int(k) for c, k in enumerate(first) if k >= 0}


def _blank_expr(name: str, dtype: pl.DataType) -> pl.Expr:
    """Blank cells: null, or (text) empty after stripping - :func:`is_blank`."""
    import polars as pl

    col = pl.col(name)
    if dtype == pl.String:
        return col.is_null() | (col.str.strip_chars() == "")
    return col.is_null()


def _text_expr(name: str, dtype: pl.DataType) -> pl.Expr:
    """Stripped text where :func:`as_text` gives the same; null sends the row to the
    per-row parser (floats, dates... are rare in a text column)."""
    import polars as pl

    col = pl.col(name)
    if dtype == pl.String:
        return col.str.strip_chars()
    if dtype.is_integer():
        return col.cast(pl.String)
    return pl.lit(None, dtype=pl.String)


def _number_expr(name: str, dtype: pl.DataType) -> pl.Expr:
    """Float64 where :func:`as_float` gives the same number, else null (per-row parser)."""
    import polars as pl

    col = pl.col(name)
    if dtype == pl.String:
        return col.str.strip_chars().cast(pl.Float64, strict=False)
    if dtype.is_integer() or dtype in (pl.Float32, pl.Float64):
        return col.cast(pl.Float64)
    return pl.lit(None, dtype=pl.Float64)


def _codes(values: pl.Series, with_first: bool = False) -> Any:
    """Distinct values in order of first appearance and each row's code into them
    (and, with ``with_first``, the position of each value's first row).

    Works on runs of equal values (long data is usually grouped by unit), so the hash
    lookup only sees one value per run."""
    import polars as pl

    n = values.len()
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return ((), empty, empty) if with_first else ((), empty)
    starts = (values != values.shift(1)).fill_null(True).to_numpy()
    starts[0] = True
    run_start = np.flatnonzero(starts)
    runs = values.gather(pl.Series(run_start))
    first = runs.is_first_distinct()
    distinct = runs.filter(first)
    run_codes = runs.replace_strict(
        distinct, pl.Series(np.arange(distinct.len(), dtype=np.int64)), return_dtype=pl.Int64
    ).to_numpy()
    codes = run_codes[np.cumsum(starts) - 1] if run_start.size < n else run_codes
    labels = tuple(distinct.to_list())
    if with_first:
        return labels, codes, run_start[np.flatnonzero(first.to_numpy())]
    return labels, codes


def _header_keys(raw: Mapping[str, object], source: str, first_row: int) -> tuple[object, ...]:
    """Original keys of the required columns (matched case-insensitively)."""
    by_name = {str(k).strip().lower(): k for k in raw if k is not None}
    missing = [c for c in REQUIRED_COLUMNS if c not in by_name]
    raise_if([Problem(source, first_row - 1, c, "missing required column") for c in missing])
    return tuple(by_name[c] for c in REQUIRED_COLUMNS)


def _plain_record(unit: object, series: object, year: object, value: object) -> _Record | None:
    """Parse the common case quickly; None sends the row to the checked path."""
    if type(unit) is not str or type(series) is not str:
        return None
    unit, series = unit.strip(), series.strip()
    if not unit or not series:
        return None
    if type(year) is not int:
        if type(year) is str and year.strip().isdigit():
            year = int(year)
        else:
            return None
    if value is None or value == "":
        return unit, series, year, math.nan
    if type(value) is str:
        try:
            number = float(value)
        except ValueError:
            return None
    elif type(value) is float or type(value) is int:
        number = float(value)
    else:
        return None
    return (unit, series, year, number) if math.isfinite(number) else None


def _checked_record(
    row: Mapping[str, object], row_no: int, source: str, problems: list[Problem]
) -> _Record | None:
    """Full parsing with user-facing messages (slow path)."""
    before = len(problems)
    unit = as_text(row.get("unit"))
    series = as_text(row.get("indicator"))
    if unit is None:
        problems.append(Problem(source, row_no, "unit", "empty unit"))
    if series is None:
        problems.append(Problem(source, row_no, "indicator", "empty indicator"))
    year = 0
    try:
        year = as_int(row.get("year"))
    except CellError as exc:
        problems.append(Problem(source, row_no, "year", str(exc)))
    value = math.nan
    if not is_blank(row.get("value")):
        try:
            value = as_float(row.get("value"))
        except CellError as exc:
            problems.append(Problem(source, row_no, "value", str(exc)))
    if len(problems) > before or unit is None or series is None:
        return None
    return unit, series, year, value


def _duplicate_problems(
    flat: npt.NDArray[np.intp],
    row_numbers: npt.NDArray[np.int64],
    shape: tuple[int, int, int],
    source: str,
    units: Sequence[str],
    series: Sequence[str],
    years: Sequence[int],
) -> list[Problem]:
    """Problems for repeated (unit, indicator, year) cells, naming both rows."""
    if flat.size < 2:
        return []
    order = np.argsort(flat, kind="stable")
    ordered = flat[order]
    repeat = np.flatnonzero(ordered[1:] == ordered[:-1]) + 1
    problems = []
    for k in repeat[:50]:
        cell = int(ordered[k])
        first = int(row_numbers[order[np.searchsorted(ordered, cell)]])
        u, s, y = (int(i) for i in np.unravel_index(cell, shape))
        problems.append(
            Problem(
                source,
                int(row_numbers[order[k]]),
                "indicator",
                f"duplicate row for unit '{units[u]}', indicator '{series[s]}', "
                f"year {years[y]} (first in row {first})",
            )
        )
    return problems
