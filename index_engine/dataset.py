"""Long data (unit, indicator, year, value) turned into one dense array.

Denominator series (child population, live births...) are ordinary series here; which
series are indicators and which are denominators is only known against a framework,
so that cross-check lives in :mod:`index_engine.compute`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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

        names: dict[str, str] = {}
        for name in frame.columns:
            names.setdefault(name.strip().lower(), name)
        if frame.height == 0:
            raise_if([Problem(source, None, None, "the data has no rows")])
        missing = [c for c in REQUIRED_COLUMNS if c not in names]
        raise_if([Problem(source, first_row - 1, c, "missing required column") for c in missing])
        n = frame.height
        # unit, indicator, year: few distinct cells, each parsed once by the per-row
        # rules (as_text / as_int); -1 marks a cell those rules reject.
        unit_code, unit_labels = _labels(frame.get_column(names["unit"]))
        series_code, series_labels = _labels(frame.get_column(names["indicator"]))
        year_raw, year_cells = _factorise(frame.get_column(names["year"]))
        year_of = np.array([_year_or_none(v) for v in year_cells] + [None], dtype=object)
        year_ok = np.array([y is not None for y in year_of[:-1]], dtype=bool)
        year_int = np.array([0 if y is None else y for y in year_of[:-1]], dtype=np.int64)
        value, value_ok = _values(frame.get_column(names["value"]))
        ok = (unit_code >= 0) & (series_code >= 0) & value_ok
        if not year_ok.all():  # rare: skip the per-row gather when every year cell parses
            ok &= year_ok[year_raw]
        problems: list[Problem] = []
        slow = np.flatnonzero(~ok)
        if slow.size:
            year = year_int[year_raw]
            unit_ix = {u: i for i, u in enumerate(unit_labels)}
            series_ix = {u: i for i, u in enumerate(series_labels)}
            for k in slow.tolist():
                raw = cells(k) if cells is not None else frame.row(k, named=True)
                row: dict[str, object] = {}
                for key, cell in raw.items():
                    if key is not None:
                        row.setdefault(str(key).strip().lower(), cell)  # first one wins
                if row_is_blank(row):
                    continue
                rec = _checked_record(row, first_row + k, source, problems)
                if rec is None:
                    continue
                unit_code[k] = unit_ix.setdefault(rec[0], len(unit_ix))
                series_code[k] = series_ix.setdefault(rec[1], len(series_ix))
                year[k] = rec[2]
                value[k] = rec[3]
                ok[k] = True
            unit_labels, unit_code = _first_appearance(tuple(unit_ix), unit_code, ok)
            series_labels, series_code = _first_appearance(tuple(series_ix), series_code, ok)
        # Row number of every kept record; every row is kept in the usual case.
        keep = np.flatnonzero(ok) if slow.size else np.arange(n)
        if keep.size < n:
            unit_code, series_code = unit_code[keep], series_code[keep]
            year, value = year[keep], value[keep]
        rows = keep + first_row
        if not problems and keep.size == 0:
            problems.append(Problem(source, None, None, "the data has no rows"))
        y_idx: npt.NDArray[np.intp] | None
        if slow.size:
            years, y_idx = np.unique(year, return_inverse=True)
        else:  # every row kept: the distinct year cells give the years
            years, y_distinct = np.unique(year_int, return_inverse=True)
            y_idx = y_distinct.reshape(-1)[year_raw] if len(years) > 1 else None
        shape = (len(unit_labels), len(series_labels), len(years))
        # np.ravel_multi_index by plain arithmetic (the codes are in range by construction,
        # so its bounds checks are not needed); one year needs no year term.
        n_y = shape[2]
        flat = unit_code * (shape[1] * n_y)
        flat += series_code * n_y if n_y > 1 else series_code
        if n_y > 1 and y_idx is not None:
            flat += y_idx.reshape(-1)
        # Rows sorted by (unit, indicator, year) cannot repeat a cell: skip the search.
        increasing = flat.size < 2 or bool(np.all(flat[1:] > flat[:-1]))
        if not increasing:
            problems += _duplicate_problems(
                flat, rows, shape, source, unit_labels, series_labels, years.tolist()
            )
        problems.sort(key=lambda p: p.row or 0)
        raise_if(problems)
        if increasing and flat.size == shape[0] * shape[1] * shape[2]:
            values = value.reshape(shape)  # complete and sorted: already dense
        else:
            values = np.full(shape, np.nan)
            values.reshape(-1)[flat] = value
        series_rows = {
            series_labels[s]: int(rows[k])
            for s, k in _first_positions(series_code, len(series_labels)).items()
        }
        return cls(
            unit_labels,
            series_labels,
            tuple(int(y) for y in years),
            readonly(values),
            series_rows,
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


def _factorise(column: pl.Series) -> tuple[npt.NDArray[np.int64], list[object]]:
    """Codes ``0..k-1`` in order of first appearance and the k distinct cells (Python
    values, ``None`` for null)."""
    import polars as pl

    n = column.len()
    if n > 1:  # long data is usually grouped (by unit, year...): code the runs only
        starts = column.ne_missing(column.shift(1)).to_numpy()
        starts[0] = True
        run_start = np.flatnonzero(starts)
        if run_start.size * 2 < n:
            codes, cells = _factorise(column.gather(run_start))
            return np.repeat(codes, np.diff(np.append(run_start, n))), cells
        period = _period(column)
        if period:  # ... or cycles (indicator after indicator): code one cycle only
            codes, cells = _factorise(column.slice(0, period))
            return np.tile(codes, -(-n // period))[:n], cells  # np.resize, without its concatenate
    if column.dtype == pl.String:
        phys = column.cast(pl.Categorical).to_physical()
    elif column.dtype.is_integer() or column.dtype.is_float() or column.dtype == pl.Boolean:
        phys = column.rank("dense")
    else:  # dates, decimals...: rare in these columns
        phys = column.cast(pl.String).cast(pl.Categorical).to_physical()
    top = phys.max()
    size = 1 if top is None else int(top) + 2  # type: ignore[arg-type]
    raw = phys.fill_null(size - 1).to_numpy().astype(np.int64)
    pos = np.full(size, n, dtype=np.int64)
    pos[raw[::-1]] = np.arange(n - 1, -1, -1, dtype=np.int64)  # last write = first row
    used = np.flatnonzero(pos < n)
    used = used[np.argsort(pos[used], kind="stable")]
    remap = np.zeros(size, dtype=np.int64)
    remap[used] = np.arange(used.size, dtype=np.int64)
    return remap[raw], column.gather(pos[used]).to_list()


def _period(column: pl.Series) -> int:
    """The smallest ``p`` such that cell ``k`` equals cell ``k - p`` for every ``k >= p``
    (``p`` looked for among the first rows), else 0."""
    n = column.len()
    head = column.slice(1, min(n - 1, 1 << 14))
    hits = head.eq_missing(column.slice(0, 1)).arg_true()
    if hits.len() == 0:
        return 0
    p = int(hits[0]) + 1
    repeats = column.slice(p).eq_missing(column.slice(0, n - p)).all()
    return p if repeats else 0


def _labels(column: pl.Series) -> tuple[npt.NDArray[np.int64], tuple[str, ...]]:
    """Codes into the distinct texts (:func:`as_text`, so ``' A '`` and ``'A'`` are one
    label) in order of first appearance; -1 where the cell is blank."""
    codes, cells = _factorise(column)
    index: dict[str, int] = {}
    mapping = np.full(len(cells), -1, dtype=np.int64)
    for k, cell in enumerate(cells):
        text = (cell.strip() or None) if type(cell) is str else as_text(cell)
        if text is not None:
            mapping[k] = index.setdefault(text, len(index))
    return mapping[codes], tuple(index)


def _year_or_none(cell: object) -> int | None:
    try:
        year = as_int(cell)
    except CellError:
        return None
    return year if abs(year) < 2**62 else None


def _values(column: pl.Series) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Numbers (NaN for blank cells) and where they are what :func:`as_float` gives;
    other cells go to the per-row parser."""
    import polars as pl

    dtype = column.dtype
    if dtype == pl.String:
        number = column.cast(pl.Float64, strict=False)
        nulls = np.flatnonzero(number.is_null().to_numpy())  # blank or not parsed
        blank = np.zeros(column.len(), dtype=bool)
        if nulls.size:
            cells = column.gather(nulls)
            empty = (cells.is_null() | (cells == "")).to_numpy()
            blank[nulls[empty]] = True
            failed = nulls[~empty]
            if failed.size:  # padded cells such as " 3 "
                stripped = column.gather(failed).str.strip_chars()
                number = number.scatter(failed, stripped.cast(pl.Float64, strict=False))
    elif dtype.is_integer() or dtype in (pl.Float32, pl.Float64):
        number = column.cast(pl.Float64)
        blank = column.is_null().to_numpy()
    else:
        return np.full(column.len(), np.nan), column.is_null().to_numpy()
    values = number.to_numpy().astype(np.float64, copy=True)
    ok = np.isfinite(values)
    values[blank] = np.nan
    return values, ok | blank


def _first_appearance(
    labels: tuple[str, ...], codes: npt.NDArray[np.int64], ok: npt.NDArray[np.bool_]
) -> tuple[tuple[str, ...], npt.NDArray[np.int64]]:
    """Renumber labels in order of first appearance among the kept rows (rows fixed by
    the per-row parser may add labels or make an earlier row the first)."""
    kept = codes[ok]
    first = _first_positions(kept, len(labels))
    order = sorted(first, key=first.__getitem__)
    remap = np.full(len(labels), -1, dtype=np.int64)
    remap[order] = np.arange(len(order), dtype=np.int64)
    out = codes.copy()
    out[ok] = remap[kept]
    return tuple(labels[c] for c in order), out


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
