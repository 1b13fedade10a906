"""Reading tables: CSV (comma, semicolon or tab separated, UTF-8 with or without BOM),
XLSX (first worksheet) or Parquet, as records or as a polars frame.

Row 1 is the header and row numbers in messages are spreadsheet rows (for Parquet:
record ``k`` is row ``k + 2`` as if it had a header row).  No numpy here, and polars
and calamine are imported only when a function needs them: the command line starts
reading the data (:func:`prefetch_frame`) before it imports numpy and the engine.
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Callable, Mapping, Sequence
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import EngineInputError, Problem

if TYPE_CHECKING:
    import polars as pl

__all__ = ["TABLE_SUFFIXES", "prefetch_frame", "read_frame", "read_table"]

_Frame = tuple["pl.DataFrame", Callable[[int], Mapping[str, object]] | None]


TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".parquet")


def _checked_path(path: str | Path) -> tuple[Path, str]:
    p = Path(path)
    if not p.is_file():
        raise EngineInputError([Problem(p.name, None, None, f"file not found: {p}")])
    suffix = p.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise EngineInputError(
            [
                Problem(
                    p.name,
                    None,
                    None,
                    f"unsupported file type '{suffix}' (use .csv, .xlsx or .parquet)",
                )
            ]
        )
    return p, suffix


def _header_names(p: Path, header: Sequence[object]) -> list[str]:
    names = [("" if h is None else str(h)).strip() for h in header]
    if not any(names):
        raise EngineInputError([Problem(p.name, 1, None, "no header row")])
    return names


def _kept_columns(names: Sequence[str]) -> list[tuple[int, str]]:
    """(position, name) of the named columns; the first of repeated names wins."""
    seen: set[str] = set()
    kept = []
    for i, name in enumerate(names):
        if name and name not in seen:
            seen.add(name)
            kept.append((i, name))
    return kept


def read_table(path: str | Path) -> list[dict[str, object]]:
    """Records of a CSV/XLSX/Parquet table, keyed by header.  Blank rows are kept (as
    blank records) so that record ``k`` is spreadsheet row ``k + 2``."""
    p, suffix = _checked_path(path)
    if suffix in (".xlsx", ".xlsm"):
        header, body = _read_xlsx(p)
    elif suffix == ".parquet":
        frame = _read_parquet(p)
        header, body = list(frame.columns), list(frame.iter_rows())
    else:
        header, body = _read_csv(p)
    kept = _kept_columns(_header_names(p, header))
    return [{name: cells[i] if i < len(cells) else None for i, name in kept} for cells in body]


def read_frame(path: str | Path) -> _Frame:
    """A CSV/XLSX/Parquet table as a polars frame named by its (stripped) headers.

    CSV cells stay text; XLSX cells are turned into text (numbers as their shortest
    repr, whole numbers without ``.0``) and the second item returns the original cells
    of record ``k`` for messages; Parquet keeps its column types.  A read started by
    :func:`prefetch_frame` is waited for instead of read again.
    """
    task = _prefetched.pop(str(path), None)
    return _read_frame(path) if task is None else task.result()


def _read_frame(path: str | Path) -> _Frame:
    """:func:`read_frame` itself (no prefetched result)."""
    import polars as pl

    p, suffix = _checked_path(path)
    if suffix in (".xlsx", ".xlsm"):
        header, body = _read_xlsx(p)
        kept = _kept_columns(_header_names(p, header))
        columns = {
            name: pl.Series(
                name, [_cell_text(c[i]) if i < len(c) else None for c in body], dtype=pl.String
            )
            for i, name in kept
        }

        def cells(k: int) -> Mapping[str, object]:
            row = body[k]
            return {name: row[i] if i < len(row) else None for i, name in kept}

        return pl.DataFrame(columns, height=len(body)), cells
    if suffix == ".parquet":
        frame = _read_parquet(p)
        kept = _kept_columns(_header_names(p, frame.columns))
        return frame.select([pl.col(frame.columns[i]).alias(name) for i, name in kept]), None
    return _read_csv_frame(p), None


def _cell_text(v: object) -> str | None:
    if v is None or type(v) is str:
        return v
    if type(v) is float:
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def _csv_text(p: Path) -> tuple[bytes, str]:
    """The file's bytes (without BOM) and its delimiter; UTF-8 is checked."""
    data = p.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EngineInputError(
            [Problem(p.name, None, None, f"not UTF-8 text ({exc.reason}); save the CSV as UTF-8")]
        ) from None
    end = data.find(b"\n")  # the header line, without copying the rest as split() would
    first = (data if end < 0 else data[:end]).decode("utf-8")
    if not first.strip():
        raise EngineInputError([Problem(p.name, None, None, "the file is empty")])
    delimiter = max(",;\t", key=first.count) if any(c in first for c in ",;\t") else ","
    return data, delimiter


def _read_csv(p: Path) -> tuple[list[object], list[Sequence[object]]]:
    data, delimiter = _csv_text(p)
    # StringIO keeps quoted cells with line breaks intact (splitlines would cut them).
    rows = list(csv.reader(StringIO(data.decode("utf-8"), newline=""), delimiter=delimiter))
    return list(rows[0]), list(rows[1:])


def _read_csv_frame(p: Path) -> pl.DataFrame:
    import polars as pl

    data, delimiter = _csv_text(p)
    try:
        raw = pl.read_csv(
            data,
            has_header=False,
            separator=delimiter,
            infer_schema=False,
            empty_string_is_null=False,
            truncate_ragged_lines=True,
        )
    except pl.exceptions.PolarsError as exc:
        raise EngineInputError([Problem(p.name, None, None, f"cannot read CSV: {exc}")]) from None
    header = raw.row(0)
    kept = _kept_columns(_header_names(p, header))
    return raw.slice(1).select([pl.col(raw.columns[i]).alias(name) for i, name in kept])


def _read_parquet(p: Path) -> pl.DataFrame:
    import polars as pl

    try:
        return pl.read_parquet(p)
    except Exception as exc:  # polars raises several types for corrupt files
        raise EngineInputError(
            [Problem(p.name, None, None, f"cannot read Parquet file: {exc}")]
        ) from None


def _read_xlsx(p: Path) -> tuple[list[object], list[Sequence[object]]]:
    from python_calamine import CalamineWorkbook  # local import: only for spreadsheets

    try:
        wb = CalamineWorkbook.from_path(str(p))
        rows: list[Sequence[object]] = [
            [None if c == "" else c for c in r]
            for r in wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
        ]
    except Exception as exc:  # calamine raises many types for corrupt files
        raise EngineInputError(
            [Problem(p.name, None, None, f"cannot read workbook: {exc}")]
        ) from None
    if not rows:
        raise EngineInputError([Problem(p.name, None, None, "the first worksheet is empty")])
    return list(rows[0]), rows[1:]


class _Prefetch(threading.Thread):
    """:func:`read_frame` of one path on a worker thread; :meth:`result` waits for it
    and returns its frame or raises its exception."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(name="table-prefetch", daemon=True)
        self.path = path
        self.frame: _Frame | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.frame = _read_frame(self.path)
        except BaseException as exc:  # handed to the thread that asks for the frame
            self.error = exc

    def result(self) -> _Frame:
        self.join()
        if self.error is not None:
            raise self.error
        assert self.frame is not None
        return self.frame


_prefetched: dict[str, _Prefetch] = {}


def prefetch_frame(path: str | Path) -> None:
    """Start :func:`read_frame` of ``path`` on a worker thread; the next
    :func:`read_frame` of the same path takes its result (or its error).

    polars parses with the GIL released, so the read overlaps with whatever the
    calling thread does meanwhile (the command line imports numpy and the engine)."""
    task = _Prefetch(path)
    _prefetched[str(path)] = task
    task.start()
