"""File reading and writing: the only modules (with the CLI) that touch the disk are
this one and :mod:`index_engine.tables`, which reads the tables.

Tables are CSV (comma, semicolon or tab separated, UTF-8 with or without BOM), XLSX
(first worksheet) or Parquet; row 1 is the header and row numbers in messages are
spreadsheet rows (for Parquet: record ``k`` is row ``k + 2`` as if it had a header row).
Pipelines and uncertainty specs are YAML or JSON.  Outputs are CSV or Parquet (by the
suffix ``.parquet``), written column by column with polars.  polars, calamine and YAML
are imported only when a function needs them.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from .dataset import Dataset
from .errors import EngineInputError, Problem, raise_if
from .framework import Framework
from .pipeline import Pipeline
from .tables import read_frame, read_table

if TYPE_CHECKING:
    import polars as pl

    from .compute import Result

__all__ = [
    "load_dataset",
    "load_framework",
    "load_inputs",
    "load_pipeline",
    "long_frame",
    "missing_frame",
    "read_frame",
    "read_mapping",
    "read_table",
    "wide_frame",
    "write_csv",
    "write_frame",
    "write_table",
]


def read_mapping(path: str | Path) -> Mapping[str, object]:
    """A YAML (``.yaml``/``.yml``) or JSON mapping."""
    p = Path(path)
    if not p.is_file():
        raise EngineInputError([Problem(p.name, None, None, f"file not found: {p}")])
    text = p.read_text(encoding="utf-8-sig")
    data: Any
    if p.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise EngineInputError(
                [Problem(p.name, exc.lineno, None, f"invalid JSON: {exc.msg}")]
            ) from None
    else:
        import yaml  # local import: not needed for JSON

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = None if mark is None else int(mark.line) + 1
            problem = getattr(exc, "problem", None) or str(exc)
            raise EngineInputError(
                [Problem(p.name, line, None, f"invalid YAML: {problem}")]
            ) from None
    if not isinstance(data, Mapping):
        raise EngineInputError([Problem(p.name, None, None, "expected a mapping at the top level")])
    return {str(k): v for k, v in data.items()}


def load_framework(path: str | Path) -> Framework:
    return Framework.from_rows(read_table(path), source=Path(path).name)


def load_dataset(path: str | Path) -> Dataset:
    frame, cells = read_frame(path)
    return Dataset.from_frame(frame, source=Path(path).name, cells=cells)


def load_pipeline(path: str | Path) -> Pipeline:
    return Pipeline.from_mapping(read_mapping(path), source=Path(path).name)


def load_inputs(
    framework: str | Path, data: str | Path, pipeline: str | Path
) -> tuple[Framework, Dataset, Pipeline]:
    """Load all three inputs, reporting the problems of every file together."""
    problems: list[Problem] = []
    fw = ds = pl = None
    try:
        fw = load_framework(framework)
    except EngineInputError as exc:
        problems += exc.problems
    try:
        ds = load_dataset(data)
    except EngineInputError as exc:
        problems += exc.problems
    try:
        pl = load_pipeline(pipeline)
    except EngineInputError as exc:
        problems += exc.problems
    raise_if(problems)
    assert fw is not None and ds is not None and pl is not None
    return fw, ds, pl


def format_cell(v: object) -> str:
    """CSV text for a value: empty for None/NaN, shortest round-trip repr for floats."""
    if v is None:
        return ""
    if isinstance(v, float):
        return "" if math.isnan(v) else repr(v)
    return str(v)


def write_csv(
    target: str | Path | IO[str], header: Sequence[str], rows: Iterable[Sequence[object]]
) -> int:
    """Write a CSV (``"-"`` = stdout); returns the number of data rows."""
    if isinstance(target, str | Path):
        if str(target) == "-":
            import sys

            return _write(sys.stdout, header, rows)
        with open(target, "w", newline="", encoding="utf-8") as fh:
            return _write(fh, header, rows)
    return _write(target, header, rows)


def _write(fh: IO[str], header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(header)
    n = 0
    for n, row in enumerate(_formatted(rows), start=1):  # noqa: B007 - n is the count
        writer.writerow(row)
    return n


def _formatted(rows: Iterable[Sequence[object]]) -> Iterator[list[str]]:
    for row in rows:
        yield [format_cell(v) for v in row]


def _strings(labels: Sequence[str], index: npt.NDArray[np.integer[Any]]) -> pl.Series:
    """``labels[index]`` as an Enum column: integer codes plus the distinct labels, so
    Parquet gets its dictionary and CSV its text without hashing every cell."""
    import polars as pl

    distinct = list(dict.fromkeys(labels))
    # polars gathers with uint32 positions: other integer types are converted first.
    positions = pl.Series(index.astype(np.uint32, copy=False))
    return pl.Series(list(labels), dtype=pl.Enum(distinct)).gather(positions)


def _floats(values: npt.NDArray[np.float64]) -> pl.Series:
    """A Float64 column, NaN -> null (written as an empty cell)."""
    import polars as pl

    return pl.Series(values, dtype=pl.Float64, nan_to_null=True)


def _ranks(ranks: npt.NDArray[np.int64]) -> pl.Series:
    """An Int64 column, 0 ("no rank") -> null."""
    import polars as pl

    return pl.Series(ranks, dtype=pl.Int64).replace(0, None)


def long_frame(result: Result) -> pl.DataFrame:
    """``unit, year, code, stage, value, rank`` in the order of ``Result.long_rows()``:
    per unit, per year, each indicator's stages then each aggregate's score."""
    import polars as pl

    from .compute import INDICATOR_STAGES

    n_u, n_y = len(result.units), len(result.years)
    n_i, n_a = len(result.indicators), len(result.aggregates)
    width = n_i * len(INDICATOR_STAGES) + n_a
    # (units, years, indicators * 3 + aggregates), each stage written into place once.
    block = np.empty((n_u, n_y, width))
    by_stage = block[:, :, : n_i * 3].reshape(n_u, n_y, n_i, 3)
    for k, arr in enumerate((result.denominated, result.treated, result.normalised)):
        by_stage[:, :, :, k] = arr.transpose(0, 2, 1)
    block[:, :, n_i * 3 :] = result.scores.transpose(0, 2, 1)
    ranks = np.zeros((n_u, n_y, width), dtype=np.int64)
    ranks[:, :, n_i * 3 :] = result.ranks.transpose(0, 2, 1)
    n_cells = n_u * n_y
    codes = list(result.indicators) + list(result.aggregates)
    code_ix = np.concatenate(
        [np.repeat(np.arange(n_i), len(INDICATOR_STAGES)), np.arange(n_i, n_i + n_a)]
    )
    stage_names = [*INDICATOR_STAGES, "score"]
    stage_ix = np.concatenate([np.tile(np.arange(len(INDICATOR_STAGES)), n_i), np.full(n_a, 3)])
    return pl.DataFrame(
        [
            _strings(result.units, np.repeat(np.arange(n_u, dtype=np.uint32), n_y * width)).alias(
                "unit"
            ),
            pl.Series(
                "year", np.tile(np.repeat(np.asarray(result.years, dtype=np.int64), width), n_u)
            ),
            _strings(codes, np.tile(code_ix.astype(np.uint32), n_cells)).alias("code"),
            _strings(stage_names, np.tile(stage_ix.astype(np.uint32), n_cells)).alias("stage"),
            _floats(block.reshape(-1)).alias("value"),
            _ranks(ranks.reshape(-1)).alias("rank"),
        ]
    )


def wide_frame(result: Result) -> pl.DataFrame:
    """One row per unit and year: ``unit, year``, then ``{code}.{stage}`` for every
    indicator stage (denominated, treated, normalised) and ``{code}.score``,
    ``{code}.rank`` for every aggregate; empty where missing or unranked."""
    import polars as pl

    from .compute import INDICATOR_STAGES

    n_u, n_y = len(result.units), len(result.years)
    columns = [
        _strings(result.units, np.repeat(np.arange(n_u), n_y)).alias("unit"),
        pl.Series("year", np.tile(np.asarray(result.years, dtype=np.int64), n_u)),
    ]
    stages = [result.denominated, result.treated, result.normalised]
    for i, code in enumerate(result.indicators):
        for name, arr in zip(INDICATOR_STAGES, stages, strict=True):
            columns.append(_floats(arr[:, i, :].reshape(-1)).alias(f"{code}.{name}"))
    for a, code in enumerate(result.aggregates):
        columns.append(_floats(result.scores[:, a, :].reshape(-1)).alias(f"{code}.score"))
        columns.append(_ranks(result.ranks[:, a, :].reshape(-1)).alias(f"{code}.rank"))
    return pl.DataFrame(columns)


def missing_frame(result: Result) -> pl.DataFrame:
    """``unit, year, code, stage, reason`` as ``Result.missing_rows()``: missing
    normalised indicator values, then missing scores."""
    import polars as pl

    from .arrays import REASONS

    n_ind = len(result.indicators)
    parts: list[tuple[npt.NDArray[np.int64], ...]] = []
    for reasons, offset, stage_ix in (
        (result.indicator_reasons, 0, 0),
        (result.score_reasons, n_ind, 1),
    ):
        u_ix, c_ix, y_ix = np.nonzero(reasons)
        why_ix = reasons[u_ix, c_ix, y_ix].astype(np.int64)
        parts.append((u_ix, c_ix + offset, y_ix, np.full(u_ix.size, stage_ix), why_ix))
    u, c, y, stage, why = (np.concatenate(cols) for cols in zip(*parts, strict=True))
    return pl.DataFrame(
        [
            _strings(result.units, u).alias("unit"),
            pl.Series("year", np.asarray(result.years, dtype=np.int64)[y]),
            _strings(result.codes, c).alias("code"),
            _strings(("normalised", "score"), stage).alias("stage"),
            _strings(REASONS, why).alias("reason"),
        ]
    )


def is_parquet(target: str | Path) -> bool:
    return str(target) != "-" and Path(target).suffix.lower() == ".parquet"


def write_frame(frame: pl.DataFrame, target: str | Path, plain: Sequence[str] = ()) -> int:
    """Write ``frame`` as Parquet (``.parquet``) or CSV (anything else; ``"-"`` =
    stdout).  Floats are written in their shortest round-trip form, missing values as
    empty cells.  ``plain`` may list every distinct text the frame holds (e.g. unit
    and code names): when none needs CSV quotes the writer skips its per-cell check.
    Returns the number of data rows."""
    if is_parquet(target):
        # Column statistics cost a third of the write and the output is read whole.
        frame.write_parquet(target, compression="lz4", statistics=False)
        return frame.height
    quote: Literal["never", "necessary"]
    quote = "never" if plain and not _any_needs_quotes(plain) else "necessary"
    if str(target) == "-":
        import sys

        sys.stdout.write(frame.write_csv(quote_style=quote))
        sys.stdout.flush()
    else:
        frame.write_csv(target, quote_style=quote)
    return frame.height


def _any_needs_quotes(texts: Sequence[str]) -> bool:
    """Whether a CSV cell holding one of ``texts`` needs quotes: empty, or with a comma,
    quote or line break.  One scan of the joined texts (there are ~10,000 unit names)
    instead of a scan per text (NUL, the separator, is none of those characters)."""
    joined = "\0".join(texts)
    return not all(texts) or any(c in joined for c in ',"\r\n')


def result_texts(result: Result) -> list[str]:
    """Every text in the long, wide and reasons frames of ``result``."""
    from .arrays import REASONS
    from .compute import INDICATOR_STAGES

    return [
        *result.units,
        *result.codes,
        *INDICATOR_STAGES,
        "score",
        *(f"{c}.{s}" for c in result.codes for s in (*INDICATOR_STAGES, "score", "rank")),
        *REASONS[1:],
        "unit",
        "year",
        "code",
        "stage",
        "value",
        "rank",
        "reason",
    ]


def write_table(target: str | Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Rows of Python values to CSV (:func:`write_csv`) or Parquet (``.parquet``)."""
    if not is_parquet(target):
        return write_csv(target, header, rows)
    import polars as pl

    frame = pl.DataFrame(list(rows), schema=list(header), orient="row", infer_schema_length=None)
    return write_frame(frame, target)
