"""File imports: every row of a CSV or XLSX file checked, then all of them written or none."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from decimal import Decimal
from queue import SimpleQueue
from typing import Any

import polars as pl
from django.db import connection, connections, transaction
from django.utils.translation import gettext as _

from meirim.catalogue.models import CatalogueVersion
from meirim.common import audit
from meirim.common.tabular import ImportRejected, Problem
from meirim.data import selectors as data_selectors
from meirim.data.services.common import (
    KEPT_WHEN_ABSENT,
    Progress,
    _bump_revision,
    _lock_municipalities,
)
from meirim.data.services.reading import NotPlain, _header_problems, _read, _read_frames
from meirim.data.services.writers import _write_frame, mark_changes
from meirim.data.validation import (
    MUNICIPALITY,
    REQUIRED_COLUMNS,
    CleanRow,
    RowChecker,
    Skip,
    format_number,
    msg_duplicate,
    msg_locked,
)
from meirim.data.validation.columnar import FrameChecker, clean_frame, empty_clean, expand
from meirim.data.validation.outliers import OutlierWarning, check_history_frame, series_ids
from meirim.geography.models import Municipality

# Characters Python's str.strip() removes that the column checks leave to RowChecker.
_ODD_SPACES = re.compile(rb"[\x1c-\x1f]")
# Rows between two reports to ``checked`` while a file is checked.
CHECK_REPORT_ROWS = 10_000
# Rows of the municipalities compared with their stored cells and written together.
GROUP_ROWS = 25_000


@dataclass(frozen=True)
class Outlier:
    """A value far from the city's own series: a warning, not an error."""

    row: int | None
    municipality: str
    code: str
    year: int
    value: Decimal
    z: float


@dataclass(frozen=True)
class ImportSummary:
    filename: str
    rows: int
    created: int
    updated: int
    unchanged: int
    skipped: int
    years: tuple[int, ...]
    municipalities: int
    outliers: tuple[Outlier, ...] = ()

    @property
    def imported(self) -> int:
        """Rows whose cell now holds the file's content (new, changed or already equal)."""
        return self.created + self.updated + self.unchanged

    def as_dict(self) -> dict[str, Any]:
        """Plain data (for the row of an import job and for templates)."""
        data = asdict(self)
        data["imported"] = self.imported
        data["outliers"] = [
            {**asdict(outlier), "value": format_number(outlier.value)} for outlier in self.outliers
        ]
        return data


def observations_import(
    *,
    version: CatalogueVersion,
    municipality: Municipality,
    data: bytes,
    filename: str,
    actor: Any,
    progress: Progress | None = None,
    checked: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import a CSV (UTF-8) or XLSX file of one municipality: every row or none.

    Columns: code, year, value, numerator, denominator, status, sex, age_band, disability,
    district, data_type, collection_method, source, comment (+ description for qualitative
    answers); ``name`` and unknown columns are ignored. Cells are upserted. ``progress``
    is called with (rows written, rows to write) after the check and after every batch;
    ``checked`` with the rows checked so far, every few thousand rows and after the check.
    """
    return _import(
        version=version,
        data=data,
        filename=filename,
        actor=actor,
        progress=progress,
        checked=checked,
        municipality=municipality,
    )


def observations_import_all(
    *,
    version: CatalogueVersion,
    data: bytes,
    filename: str,
    actor: Any,
    progress: Progress | None = None,
) -> ImportSummary:
    """Like :func:`observations_import`, for a file with a ``municipality`` column (codes).

    For national data loads from the command line (``import_observations``).
    """
    return _import(
        version=version,
        data=data,
        filename=filename,
        actor=actor,
        progress=progress,
        checked=None,
        municipality=None,
    )


def _import(
    *,
    version: CatalogueVersion,
    data: bytes,
    filename: str,
    actor: Any,
    progress: Progress | None,
    checked: Callable[[int], None] | None,
    municipality: Municipality | None,
) -> ImportSummary:
    header, rows = _read(data, filename)
    required = [*REQUIRED_COLUMNS, MUNICIPALITY] if municipality is None else REQUIRED_COLUMNS
    problems = _header_problems(header, required)
    if problems:
        raise ImportRejected(problems)

    codes: dict[str, int] | None = None
    if municipality is None:
        codes = dict(Municipality.objects.values_list("code", "pk"))
        locked = data_selectors.locked_years(version)
    else:
        locked = data_selectors.locked_years(version, [municipality.pk])
    checker = RowChecker(
        header=header,
        items=data_selectors.item_specs(version),
        version_code=version.code,
        current_year=data_selectors.current_year(),
        locked=locked,
        municipality_id=municipality.pk if municipality else None,
        municipalities=codes,
        municipality_code=municipality.code if municipality else "",
        municipality_name=municipality.name if municipality else "",
    )
    frames = _read_frames(data, filename, len(header))
    try:
        if frames is None:
            raise NotPlain
        odd_spaces = _ODD_SPACES.search(data) is not None
        clean, read, skipped = FrameChecker(checker, odd_spaces=odd_spaces).check(
            frames, problems, checked
        )
    except NotPlain:  # not the plain kind of CSV (seen before or while checking it)
        clean, read, skipped = _check_rows(checker, rows, problems, checked)
    if problems:
        raise ImportRejected(problems)
    if not clean.height:
        raise ImportRejected([Problem(None, "", _("The file has no rows with data."))])

    ids = (
        clean["municipality_id"].unique().sort().to_list()
        if municipality is None
        else [municipality.pk]
    )
    total = clean.height
    with transaction.atomic():
        _lock_municipalities(ids)
        # An approval may have happened while the file was being checked.
        newly_locked = data_selectors.locked_years(version, ids) - locked
        if newly_locked:
            keys = [municipality_id * 10_000 + year for municipality_id, year in newly_locked]
            hit = clean.filter(
                (pl.col("municipality_id") * 10_000 + pl.col("year")).is_in(keys)
            ).select("row", "year")
            raise ImportRejected(
                [Problem(row, "year", msg_locked(year)) for row, year in hit.iter_rows()]
            )
        if progress:
            progress(0, total)
        # A column the file does not have leaves that field of the stored cells unchanged.
        kept = tuple(name for name in KEPT_WHEN_ABSENT if name not in header)
        replaced, written, warnings = _write_groups(
            clean, version=version, actor=actor, progress=progress, kept=kept
        )
        created = total - replaced
        years = tuple(clean["year"].unique().sort().to_list())
        del clean
        names = dict(Municipality.objects.filter(pk__in=ids).values_list("pk", "code"))
        summary = ImportSummary(
            filename=filename,
            rows=read,
            created=created,
            updated=written - created,
            unchanged=total - written,
            skipped=skipped,
            years=years,
            municipalities=len(ids),
            outliers=tuple(
                Outlier(w.row, names[w.municipality_id], w.code, w.year, w.value, w.z)
                for w in warnings
            ),
        )
        audit.record(
            actor=actor,
            action="data.observations_import",
            obj=municipality,
            object_type="" if municipality else "indicators.observation",
            object_label=f"{municipality.code if municipality else '*'} {filename}",
            changes={
                "version": version.code,
                "filename": filename,
                "rows": read,
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "skipped": skipped,
                "outliers": len(summary.outliers),
                "years": list(years),
                "municipalities": len(ids),
            },
        )
        _bump_revision(version, ids, years)
    return summary


def _groups(clean: pl.DataFrame) -> list[list[int]]:
    """The municipalities of ``clean`` in groups of about :data:`GROUP_ROWS` rows."""
    sizes = clean.group_by("municipality_id").len().sort("municipality_id")
    group = ((pl.col("len").cum_sum() - pl.col("len")) // GROUP_ROWS).alias("group")
    groups = sizes.group_by(group, maintain_order=True).agg("municipality_id")
    return groups.get_column("municipality_id").to_list()


def _group_rows(clean: pl.DataFrame, groups: list[list[int]]) -> Iterator[pl.DataFrame]:
    """The rows of each group: slices of ``clean`` when its cities come one after the other
    in ascending order (a national file usually does), else the rows picked out."""
    if clean["municipality_id"].is_sorted():
        start = 0
        for ids in groups:
            last = clean["municipality_id"].search_sorted(ids[-1], side="right")
            yield clean.slice(start, int(last) - start)
            start = int(last)
    else:
        for ids in groups:
            yield clean.filter(pl.col("municipality_id").is_in(ids))


class _InThisThread:
    """Runs what it is given at once (the stand-in of a thread where there is no server)."""

    def submit(self, function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(function(*args, **kwargs))  # a failure is raised here and now
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Nothing runs later."""


def _write_groups(
    clean: pl.DataFrame,
    *,
    version: CatalogueVersion,
    actor: Any,
    progress: Progress | None,
    kept: tuple[str, ...],
) -> tuple[int, int, list[OutlierWarning]]:
    """Check each group of municipalities against what is stored and write it.

    A city's series and cells are its own, so a group needs only its own stored cells:
    the memory is that of a group, not of every stored cell of the file's cities.
    On PostgreSQL the server works while this process does: a second thread holds the
    connection (one statement at a time, within this transaction) to read the stored cells
    of the next group and write the previous one while a group is compared here. The
    progress is reported from this thread (a report may write to the database).
    Returns (rows whose cell was stored, rows written, outlier warnings in row order).
    """
    groups = _groups(clean)
    replaced = written = done = 0
    warnings: list[OutlierWarning] = []
    reports: SimpleQueue[tuple[int, int]] = SimpleQueue()

    def report(done: int, total: int) -> None:
        reports.put((done, total))

    def forward() -> None:
        while progress and not reports.empty():
            progress(*reports.get())

    alongside = connection.vendor == "postgresql"
    db = connections[connection.alias]  # this thread's connection, lent to the other thread
    server: ThreadPoolExecutor | _InThisThread = _InThisThread()
    if alongside:
        connection.ensure_connection()
        db.inc_thread_sharing()
        server = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-database")
    try:
        reading = server.submit(data_selectors.stored_cells_frame, version, groups[0], using=db)
        writing: Future[int] | None = None
        for index, rows in enumerate(_group_rows(clean, groups)):
            part = expand(rows)
            del rows
            stored = reading.result()
            if index + 1 < len(groups):  # read while this group is compared
                reading = server.submit(
                    data_selectors.stored_cells_frame, version, groups[index + 1], using=db
                )
            part, stored = series_ids(part, stored)
            part, history = check_history_frame(part, stored)
            part = mark_changes(part, stored, kept)
            del stored
            replaced += history.replaced
            warnings.extend(history.warnings)
            if writing is not None:  # one group written at a time: the memory of one
                written += writing.result()
                forward()
            writing = server.submit(
                _write_frame,
                part,
                version=version,
                actor=actor,
                progress=report if progress else None,
                kept=kept,
                done=done,
                total=clean.height,
                using=db,
            )
            done += part.height
            del part
        if writing is not None:
            written += writing.result()
            forward()
    finally:
        # After a failure nothing more is sent: the transaction is rolled back.
        server.shutdown(wait=True, cancel_futures=True)
        if alongside:
            db.dec_thread_sharing()
    warnings.sort(key=lambda warning: (warning.row or 0, warning.code))
    return replaced, written, warnings


def _check_rows(
    checker: RowChecker,
    rows: Iterator[tuple[int, list[str]]],
    problems: list[Problem],
    checked: Callable[[int], None] | None,
) -> tuple[pl.DataFrame, int, int]:
    """Check the rows one by one (a workbook, or a CSV file out of the ordinary)."""
    check = checker.check
    clean: list[CleanRow] = []
    append = clean.append
    seen: dict[tuple[int, str, int, str, str, str, str], int] = {}
    remember = seen.setdefault
    read = skipped = 0
    report_every = CHECK_REPORT_ROWS if checked else 0
    for number, cells in rows:
        read += 1
        if read == report_every:
            report_every += CHECK_REPORT_ROWS
            checked(read)  # type: ignore[misc]
        result = check(number, cells, problems)
        if result is None:
            continue
        if isinstance(result, Skip):
            skipped += 1
            continue
        first = remember(result.cell, number)
        if first != number:
            problems.append(Problem(number, "code", msg_duplicate(first)))
        else:
            append(result)
    del seen, remember
    if checked:
        checked(read)
    return clean_frame(clean) if clean else empty_clean(), read, skipped
