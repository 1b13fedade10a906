"""File imports: every row of a CSV or XLSX file checked, then all of them written or none."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
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
from meirim.data.models import DataYear
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
    # A file of all municipalities is written while it is checked (see _Stream).
    streaming = frames is not None and municipality is None and connection.vendor == "postgresql"
    # A column the file does not have leaves that field of the stored cells unchanged.
    kept = tuple(name for name in KEPT_WHEN_ABSENT if name not in header)
    results: tuple[int, int, list[OutlierWarning]] | None = None
    with transaction.atomic() if streaming else nullcontext():
        stream = (
            _Stream(version=version, actor=actor, progress=progress, kept=kept, locked=locked)
            if streaming
            else None
        )
        try:
            try:
                if frames is None:
                    raise NotPlain
                odd_spaces = _ODD_SPACES.search(data) is not None
                clean, read, skipped = FrameChecker(checker, odd_spaces=odd_spaces).check(
                    frames, problems, checked, stream.take if stream else None
                )
            except NotPlain:  # not the plain kind of CSV (seen before or while checking it)
                if stream:
                    stream.abandoned = True
                clean, read, skipped = _check_rows(checker, rows, problems, checked)
            if problems:
                raise ImportRejected(problems)
            if not clean.height:
                raise ImportRejected([Problem(None, "", _("The file has no rows with data."))])
            if stream:
                results = stream.complete(clean.height)
        finally:
            if stream:
                stream.close()
        ids = (
            clean["municipality_id"].unique().sort().to_list()
            if municipality is None
            else [municipality.pk]
        )
        total = clean.height
        with transaction.atomic():
            if results is None:  # not written while checked
                _lock_municipalities(ids)
                # An approval may have happened while the file was being checked.
                newly_locked = data_selectors.locked_years(version, ids) - locked
                if newly_locked:
                    keys = [
                        municipality_id * 10_000 + year for municipality_id, year in newly_locked
                    ]
                    hit = clean.filter(
                        (pl.col("municipality_id") * 10_000 + pl.col("year")).is_in(keys)
                    ).select("row", "year")
                    raise ImportRejected(
                        [Problem(row, "year", msg_locked(year)) for row, year in hit.iter_rows()]
                    )
                if progress:
                    progress(0, total)
                results = _write_groups(
                    clean, version=version, actor=actor, progress=progress, kept=kept
                )
            replaced, written, warnings = results
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


class _GroupWriter:
    """Checks each group of municipalities against what is stored and writes it.

    A city's series and cells are its own, so a group needs only its own stored cells:
    the memory is that of a group, not of every stored cell of the file's cities.
    On PostgreSQL the server works while this process does: a second thread holds the
    connection (one statement at a time, within this transaction) to read the stored cells
    of the next group and write the previous one while a group is compared here. The
    progress is reported from this thread (a report may write to the database), once the
    rows to write in all (``total``) are known.
    """

    def __init__(
        self,
        *,
        version: CatalogueVersion,
        actor: Any,
        progress: Progress | None,
        kept: tuple[str, ...],
        total: int | None,
    ) -> None:
        self.version = version
        self.actor = actor
        self.progress = progress
        self.kept = kept
        self.total = total
        self.replaced = self.written = self.done = 0
        self.warnings: list[OutlierWarning] = []
        self.reports: SimpleQueue[int] = SimpleQueue()
        self.pending: tuple[pl.DataFrame, Future[Any], Future[Any] | None] | None = None
        self.writing: Future[int] | None = None
        self.refused = False  # a group's lock found a year approved since the check began
        self.alongside = connection.vendor == "postgresql"
        self.db = connections[connection.alias]  # this thread's connection, lent to the other
        self.server: ThreadPoolExecutor | _InThisThread = _InThisThread()
        if self.alongside:
            connection.ensure_connection()
            self.db.inc_thread_sharing()
            self.server = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-database")

    def add(
        self, ids: list[int], rows: pl.DataFrame, lock: Callable[..., Any] | None = None
    ) -> None:
        """Take the rows of the municipalities ``ids`` (all of their rows); compare and write
        those of the group before (the stored cells of this one are read meanwhile).

        ``lock`` is run first by the database thread (with the connection and ``ids``);
        when it returns True, ``refused`` is set (the group is written all the same)."""
        locking = self.server.submit(lock, self.db, ids) if lock else None
        reading = self.server.submit(
            data_selectors.stored_cells_frame, self.version, ids, using=self.db
        )
        before, self.pending = self.pending, (rows, reading, locking)
        if before:
            self._write(before)

    def finish(self) -> tuple[int, int, list[OutlierWarning]]:
        """Write the last group; (rows whose cell was stored, rows written, outlier warnings
        in row order)."""
        if self.pending:
            self._write(self.pending)
            self.pending = None
        if self.writing is not None:
            self.written += self.writing.result()
            self.writing = None
        self.forward()
        self.warnings.sort(key=lambda warning: (warning.row or 0, warning.code))
        return self.replaced, self.written, self.warnings

    def close(self) -> None:
        """Stop the other thread (after a failure nothing more is sent)."""
        self.server.shutdown(wait=True, cancel_futures=True)
        if self.alongside:
            self.alongside = False
            self.db.dec_thread_sharing()

    def forward(self) -> None:
        while self.progress and self.total is not None and not self.reports.empty():
            self.progress(self.reports.get(), self.total)

    def _report(self, done: int, _total: int) -> None:
        self.reports.put(done)

    def _write(self, group: tuple[pl.DataFrame, Future[Any], Future[Any] | None]) -> None:
        rows, reading, locking = group
        if locking is not None and locking.result():
            self.refused = True
        part = expand(rows)
        del rows
        stored = reading.result()
        part, stored = series_ids(part, stored)
        part, history = check_history_frame(part, stored)
        part = mark_changes(part, stored, self.kept)
        del stored
        self.replaced += history.replaced
        self.warnings.extend(history.warnings)
        if self.writing is not None:  # one group written at a time: the memory of one
            self.written += self.writing.result()
            self.forward()
        self.writing = self.server.submit(
            _write_frame,
            part,
            version=self.version,
            actor=self.actor,
            progress=self._report if self.progress else None,
            kept=self.kept,
            done=self.done,
            total=self.total or 0,
            using=self.db,
        )
        self.done += part.height


def _lock_group(version_id: int, locked: set[tuple[int, int]]) -> Callable[[Any, list[int]], bool]:
    """What the database thread runs before reading a group's stored cells: lock its
    municipalities (as :func:`_lock_municipalities` does) and say whether one of their years
    was approved since ``locked`` was read (the rows' check then has to be made again)."""

    def lock(db: Any, ids: list[int]) -> bool:
        quote = db.ops.quote_name
        municipalities = quote(Municipality._meta.db_table)
        years = quote(DataYear._meta.db_table)
        with db.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('id')} FROM {municipalities} "  # noqa: S608 - quoted
                f"WHERE {quote('id')} = ANY(%s) ORDER BY {quote('id')} FOR NO KEY UPDATE",
                [ids],
            )
            cursor.execute(
                f"SELECT {quote('municipality_id')}, {quote('year')} FROM {years} "  # noqa: S608
                f"WHERE {quote('version_id')} = %s AND {quote('state')} = %s "
                f"AND {quote('municipality_id')} = ANY(%s)",
                [version_id, DataYear.State.APPROVED, ids],
            )
            return bool(set(cursor.fetchall()) - locked)

    return lock


class _Stream:
    """Writes the rows of a file of all municipalities while the rest of it is checked.

    A national file usually comes city after city in ascending order: once a piece shows a
    city after them, the cities before it have all their rows, and their groups are locked,
    compared with what is stored and written while the next pieces are checked (the server
    works during the check). Within a savepoint of the import's transaction: when anything
    is out of the ordinary (a refused row, the cities out of order, a year approved since,
    a failure), what was written is rolled back to it and the import goes the usual way
    after the check, with the same outcome and messages.
    """

    def __init__(
        self,
        *,
        version: CatalogueVersion,
        actor: Any,
        progress: Progress | None,
        kept: tuple[str, ...],
        locked: set[tuple[int, int]],
    ) -> None:
        self.progress = progress
        self.writer: _GroupWriter | None = None
        self.arguments = {"version": version, "actor": actor, "progress": progress, "kept": kept}
        self.lock = _lock_group(version.pk, locked)
        self.savepoint = transaction.savepoint()
        self.buffer: list[pl.DataFrame] = []
        self.buffered = self.streamed = 0
        self.last: int | None = None
        self.abandoned = False

    def take(self, part: pl.DataFrame, refused: bool) -> None:
        """The clean rows of the next piece of the file (``refused``: a row was refused)."""
        if self.abandoned:
            return
        if refused:  # the file is refused: nothing more is written
            self.abandoned = True
            return
        if not part.height:
            return
        ids = part.get_column("municipality_id")
        if not ids.is_sorted() or (self.last is not None and ids[0] < self.last):
            self.abandoned = True
            return
        self.last = int(ids[-1])
        self.buffer.append(part)
        self.buffered += part.height
        if self.buffered >= GROUP_ROWS:
            self._send(everything=False)

    def complete(self, total: int) -> tuple[int, int, list[OutlierWarning]] | None:
        """After the check (no row refused): write the last cities and return what
        :func:`_write_groups` returns, or None when the rows have to be written the usual
        way (what was written is then rolled back)."""
        if not self.abandoned:
            self._send(everything=True)
        writer = self.writer
        if self.abandoned or writer is None or self.streamed != total:
            self._undo()
            return None
        writer.total = total
        if self.progress:
            self.progress(0, total)
        writer.forward()
        try:
            results = writer.finish()
        except Exception:  # written again the usual way, which reports the failure
            self._undo()
            return None
        if writer.refused:
            self._undo()
            return None
        return results

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()

    def _undo(self) -> None:
        self.abandoned = True
        self.close()
        transaction.savepoint_rollback(self.savepoint)

    def _send(self, *, everything: bool) -> None:
        rows = pl.concat(self.buffer, how="vertical") if len(self.buffer) > 1 else self.buffer[0]
        cut = rows.height
        if not everything:  # the last city may have more rows in the next pieces
            cut = int(rows.get_column("municipality_id").search_sorted(self.last, side="left"))
        complete, rest = rows.slice(0, cut), rows.slice(cut)
        del rows
        self.buffer = [rest] if rest.height else []
        self.buffered = rest.height
        if not complete.height:
            return
        if self.writer is None:
            self.writer = _GroupWriter(**self.arguments, total=None)
        groups = _groups(complete)
        for ids, group in zip(groups, _group_rows(complete, groups), strict=True):
            try:
                self.writer.add(ids, group, self.lock)
            except Exception:  # the usual way after the check reports it
                self.abandoned = True
                return
            if self.writer.refused:
                self.abandoned = True
                return
            self.streamed += group.height


def _write_groups(
    clean: pl.DataFrame,
    *,
    version: CatalogueVersion,
    actor: Any,
    progress: Progress | None,
    kept: tuple[str, ...],
) -> tuple[int, int, list[OutlierWarning]]:
    """Check each group of municipalities against what is stored and write it (see
    :class:`_GroupWriter`). Returns (rows whose cell was stored, rows written, outlier
    warnings in row order)."""
    groups = _groups(clean)
    writer = _GroupWriter(
        version=version, actor=actor, progress=progress, kept=kept, total=clean.height
    )
    try:
        for ids, rows in zip(groups, _group_rows(clean, groups), strict=True):
            writer.add(ids, rows)
            del rows
        return writer.finish()
    finally:
        writer.close()


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
