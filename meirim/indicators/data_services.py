"""Writes for the cities' data: observations, file imports, approval of a year, evidence.

Every service runs in one transaction, writes an audit row and bumps the version's
:class:`DataRevision` in that same transaction (last, so the shared counter row stays locked
only for a moment). Writers of one municipality are serialised by a ``FOR NO KEY UPDATE``
lock on its row, so an approval cannot slip between the check and the write of an import.

A file import checks every row before writing anything: any problem rejects the whole file
with every problem by row and field, and the database stays exactly as it was.
"""

from __future__ import annotations

import csv
import gc
import io
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, connections, transaction
from django.db.models import F, Field
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meirim.common import audit
from meirim.common.tabular import ImportRejected, Problem, read_table
from meirim.geography.models import Municipality
from meirim.indicators import data_selectors
from meirim.indicators.models import (
    CatalogueVersion,
    DataRevision,
    DataYear,
    Observation,
    ObservationEvidence,
)
from meirim.indicators.validation import (
    DESCRIPTION,
    FIRST_YEAR,
    KNOWN_COLUMNS,
    MUNICIPALITY,
    REQUIRED_COLUMNS,
    CleanRow,
    RowChecker,
    Skip,
    check_history,
    format_number,
    max_year,
    msg_duplicate,
    msg_locked,
)

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

# Rows per COPY + INSERT round on PostgreSQL, and per bulk_create on other databases.
POSTGRES_BATCH = 100_000
OTHER_BATCH = 500

# Evidence files: documents, spreadsheets, images; kept private under MEDIA_ROOT.
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_EXTENSIONS = frozenset(
    {".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".csv", ".txt", ".jpg",
     ".jpeg", ".png", ".zip"}
)  # fmt: skip

# Uploads larger than this run in a background thread and report their progress.
BACKGROUND_IMPORT_BYTES = 1_000_000
IMPORT_JOB_SECONDS = 24 * 60 * 60
IMPORT_JOB_PROBLEMS_KEPT = 1000

# The fields of a cell that ``observation_save`` accepts in ``values``.
SAVE_FIELDS = tuple(name for name in KNOWN_COLUMNS if name not in ("code", "year"))
_AUDITED = (
    "value",
    "numerator",
    "denominator",
    "text_value",
    "status",
    "data_type",
    "collection_method",
    "source",
    "comment",
    "is_outlier",
)


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
        """Plain data (for the cache of a background import and for templates)."""
        data = asdict(self)
        data["imported"] = self.imported
        data["outliers"] = [
            {**asdict(outlier), "value": format_number(outlier.value)} for outlier in self.outliers
        ]
        return data


class EntryRejected(ImportRejected):
    """Problems of a data entry form, grouped by the code of the item they concern."""

    def __init__(self, problems_by_code: Mapping[str, Sequence[Problem]]):
        self.problems_by_code = {code: list(found) for code, found in problems_by_code.items()}
        super().__init__([problem for found in self.problems_by_code.values() for problem in found])


# --- Shared pieces ------------------------------------------------------------------------


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _lock_municipalities(ids: Sequence[int]) -> None:
    """Serialise data writers of these municipalities until the transaction ends."""
    list(
        Municipality.objects.select_for_update(no_key=True)
        .filter(pk__in=sorted(ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _bump_revision(version: CatalogueVersion) -> None:
    revision, _created = DataRevision.objects.get_or_create(version=version)
    DataRevision.objects.filter(pk=revision.pk).update(revision=F("revision") + 1)


def _check_year(year: int) -> None:
    last = max_year(data_selectors.current_year())
    if not FIRST_YEAR <= year <= last:
        raise ImportRejected(
            [
                Problem(
                    None,
                    "year",
                    _("the year must be between %(first)s and %(last)s")
                    % {"first": FIRST_YEAR, "last": last},
                )
            ]
        )


def _refuse_if_locked(version: CatalogueVersion, municipality: Municipality, year: int) -> None:
    if data_selectors.is_year_locked(version, municipality, year):
        raise ImportRejected([Problem(None, "year", msg_locked(year))])


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format_number(value)
    return str(value)


def _snapshot(observation: Observation) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name in _AUDITED:
        value = getattr(observation, name)
        result[name] = format_number(value) if isinstance(value, Decimal) else value
    return result


# --- One cell -------------------------------------------------------------------------


def observation_save(
    *,
    version: CatalogueVersion,
    municipality: Municipality,
    code: str,
    year: int,
    values: Mapping[str, Any],
    actor: Any,
    evidence_files: Sequence[UploadedFile[Any]] = (),
) -> Observation:
    """Create or update one cell (``values`` describes the whole cell; missing keys are empty).

    ``values`` keys: value, numerator, denominator, status, sex, age_band, disability,
    district, data_type, collection_method, source, comment, description (the text of a
    qualitative answer). With numerator and denominator of a percentage or rate, the value
    is computed here. Raises :class:`ImportRejected` (``row=None``) on bad input or when the
    year is approved.
    """
    with transaction.atomic():
        observation = _observation_save(
            version=version,
            municipality=municipality,
            code=code,
            year=year,
            values=values,
            actor=actor,
            evidence_files=evidence_files,
        )
        _bump_revision(version)
    return observation


def observations_save_many(
    *,
    version: CatalogueVersion,
    municipality: Municipality,
    year: int,
    rows: Mapping[str, Mapping[str, Any]],
    actor: Any,
) -> list[Observation]:
    """Save several cells of one year at once (the entry form): all of them or none.

    Raises :class:`EntryRejected` with the problems of every refused cell, by code.
    """
    problems: dict[str, list[Problem]] = {}
    saved: list[Observation] = []
    with transaction.atomic():
        for code, values in rows.items():
            try:
                with transaction.atomic():
                    saved.append(
                        _observation_save(
                            version=version,
                            municipality=municipality,
                            code=code,
                            year=year,
                            values=values,
                            actor=actor,
                        )
                    )
            except ImportRejected as rejected:
                problems[code] = rejected.problems
        if problems:
            raise EntryRejected(problems)
        if saved:
            _bump_revision(version)
    return saved


def _observation_save(
    *,
    version: CatalogueVersion,
    municipality: Municipality,
    code: str,
    year: int,
    values: Mapping[str, Any],
    actor: Any,
    evidence_files: Sequence[UploadedFile[Any]] = (),
) -> Observation:
    unknown = set(values) - {*SAVE_FIELDS, "text_value"}
    if unknown:
        raise ValueError(f"unknown observation fields: {', '.join(sorted(unknown))}")
    for file in evidence_files:
        _check_evidence_file(file)
    record = {name: _as_text(values.get(name)) for name in SAVE_FIELDS}
    if not record[DESCRIPTION] and values.get("text_value"):
        record[DESCRIPTION] = _as_text(values.get("text_value"))
    header = ["code", "year", *SAVE_FIELDS]
    cells = [code, _as_text(year), *(record[name] for name in SAVE_FIELDS)]

    _lock_municipalities([municipality.pk])
    checker = RowChecker(
        header=header,
        items=data_selectors.item_specs(version),
        version_code=version.code,
        current_year=data_selectors.current_year(),
        locked=data_selectors.locked_years(version, [municipality.pk]),
        municipality_id=municipality.pk,
    )
    problems: list[Problem] = []
    row = checker.check(None, cells, problems)
    if problems or not isinstance(row, CleanRow):
        raise ImportRejected(problems)

    breakdown = {
        "sex": row.sex,
        "age_band": row.age_band,
        "disability": row.disability,
        "district": row.district,
    }
    history: dict[int, float | None] = dict(
        data_selectors.cell_series(version, municipality, row.code, breakdown)
    )
    history.pop(row.year, None)
    check_history([row], {row.series: history})

    observation = Observation.objects.filter(
        version=version, municipality=municipality, code=row.code, year=row.year, **breakdown
    ).first()
    created = observation is None
    if observation is None:
        observation = Observation(
            version=version, municipality=municipality, code=row.code, year=row.year, **breakdown
        )
        before: dict[str, Any] = {}
    else:
        before = _snapshot(observation)
    observation.value = row.value
    observation.numerator = row.numerator
    observation.denominator = row.denominator
    observation.text_value = row.text_value
    observation.status = row.status
    observation.data_type = row.data_type
    observation.collection_method = row.collection_method
    observation.source = row.source
    observation.comment = row.comment
    observation.is_outlier = row.is_outlier
    observation.is_demo = False
    observation.updated_by = _user(actor)
    observation.save()
    changes = audit.diff(before, _snapshot(observation))
    if created:
        changes["created"] = True
    audit.record(actor=actor, action="data.observation_save", obj=observation, changes=changes)
    for file in evidence_files:
        _evidence_add(observation=observation, file=file, actor=actor)
    return observation


# --- Files ----------------------------------------------------------------------------


def observations_import(
    *,
    version: CatalogueVersion,
    municipality: Municipality,
    data: bytes,
    filename: str,
    actor: Any,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import a CSV (UTF-8) or XLSX file of one municipality: every row or none.

    Columns: code, year, value, numerator, denominator, status, sex, age_band, disability,
    district, data_type, collection_method, source, comment (+ description for qualitative
    answers); ``name`` and unknown columns are ignored. Cells are upserted. ``progress``
    is called with (rows written, rows to write) after the check and after every batch.
    """
    return _import(
        version=version,
        data=data,
        filename=filename,
        actor=actor,
        progress=progress,
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
        municipality=None,
    )


def _read(data: bytes, filename: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The normalised header and the non-blank rows (numbered as in the file, header = 1).

    XLSX goes through ``read_table``; CSV is streamed with the same conventions (UTF-8 with
    or without BOM, blank rows skipped) so a million rows do not become a million dicts.
    """
    if filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        table = read_table(data, filename)
        names = list(table.header)
        return (
            [name.strip().lower() for name in names],
            ((number, [record.get(name, "") for name in names]) for number, record in table),
        )
    try:
        data.decode("utf-8-sig")  # all of it, before any row: the shared message if not UTF-8
    except UnicodeDecodeError:
        read_table(data, filename)  # raises ImportRejected
        raise
    # Decoded chunk by chunk: a file of 100 MB does not become 400 MB of text in memory.
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRejected([Problem(None, "", _("The file is empty."))]) from None
    except csv.Error as error:
        raise ImportRejected([Problem(1, "", str(error))]) from error
    return [name.strip().lower() for name in header], _csv_rows(reader)


def _csv_rows(reader: Any) -> Iterator[tuple[int, list[str]]]:
    number = 1
    try:
        for number, cells in enumerate(reader, start=2):
            if cells and "".join(cells).strip():
                yield number, cells
    except csv.Error as error:
        raise ImportRejected([Problem(number + 1, "", str(error))]) from error


def _header_problems(header: Sequence[str], required: Sequence[str]) -> list[Problem]:
    problems = [
        Problem(1, name, _("required column is missing from the header"))
        for name in required
        if name not in header
    ]
    named = [name for name in header if name]
    for name in sorted({name for name in named if named.count(name) > 1}):
        problems.append(Problem(1, name, _("this column appears more than once")))
    return problems


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a million row objects are built.

    Reference counting still frees memory; only the repeated scans of a growing heap are
    avoided (they would cost a third of the import time).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _import(
    *,
    version: CatalogueVersion,
    data: bytes,
    filename: str,
    actor: Any,
    progress: Progress | None,
    municipality: Municipality | None,
) -> ImportSummary:
    with _collector_paused():
        return _import_rows(
            version=version,
            data=data,
            filename=filename,
            actor=actor,
            progress=progress,
            municipality=municipality,
        )


def _import_rows(
    *,
    version: CatalogueVersion,
    data: bytes,
    filename: str,
    actor: Any,
    progress: Progress | None,
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
    )
    check = checker.check
    clean: list[CleanRow] = []
    append = clean.append
    seen: dict[tuple[int, str, int, str, str, str, str], int] = {}
    remember = seen.setdefault
    read = skipped = 0
    for number, cells in rows:
        read += 1
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
    if problems:
        raise ImportRejected(problems)
    if not clean:
        raise ImportRejected([Problem(None, "", _("The file has no rows with data."))])

    ids = (
        sorted({row.municipality_id for row in clean})
        if municipality is None
        else [municipality.pk]
    )
    total = len(clean)
    with transaction.atomic():
        _lock_municipalities(ids)
        # An approval may have happened while the file was being checked.
        newly_locked = data_selectors.locked_years(version, ids) - locked
        if newly_locked:
            raise ImportRejected(
                [
                    Problem(row.row, "year", msg_locked(row.year))
                    for row in clean
                    if (row.municipality_id, row.year) in newly_locked
                ]
            )
        history = check_history(clean, data_selectors.stored_cells(version, ids))
        if progress:
            progress(0, total)
        written = _write(clean, version=version, actor=actor, progress=progress)
        created = total - history.replaced
        years = tuple(sorted({row.year for row in clean}))
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
                for w in history.warnings
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
        _bump_revision(version)
    return summary


# --- Bulk writing ---------------------------------------------------------------------

_WRITTEN = (
    "municipality_id",
    "code",
    "year",
    "sex",
    "age_band",
    "disability",
    "district",
    "value",
    "numerator",
    "denominator",
    "text_value",
    "status",
    "data_type",
    "collection_method",
    "source",
    "comment",
    "is_outlier",
)
_CELL = ("version", "municipality", "code", "year", "sex", "age_band", "disability", "district")
# What a cell holds: a row equal on all of these is not rewritten.
_CONTENT = (
    "value",
    "numerator",
    "denominator",
    "text_value",
    "status",
    "data_type",
    "collection_method",
    "source",
    "comment",
    "is_outlier",
    "is_demo",
)
_UPDATED = (
    "value",
    "numerator",
    "denominator",
    "text_value",
    "status",
    "data_type",
    "collection_method",
    "source",
    "comment",
    "is_outlier",
    "is_demo",
    "updated_at",
    "updated_by",
)


# Column types of the staging table (text unless named here).
_STAGING_TYPES = {
    "municipality_id": "bigint",
    "year": "smallint",
    "value": "numeric(20, 6)",
    "numerator": "numeric(20, 6)",
    "denominator": "numeric(20, 6)",
    "is_outlier": "boolean",
}


def _write(
    rows: Sequence[CleanRow], *, version: CatalogueVersion, actor: Any, progress: Progress | None
) -> int:
    """Upsert the rows; return how many were inserted or changed."""
    if connection.vendor == "postgresql":
        return _write_postgres(rows, version=version, actor=actor, progress=progress)
    return _write_orm(rows, version=version, actor=actor, progress=progress)


def _write_orm(
    rows: Sequence[CleanRow], *, version: CatalogueVersion, actor: Any, progress: Progress | None
) -> int:
    """bulk_create in batches (SQLite, the demo): every matched row counts as changed."""
    now = timezone.now()
    user = _user(actor)
    total = len(rows)
    for start in range(0, total, OTHER_BATCH):
        batch = [
            Observation(
                version=version,
                municipality_id=row.municipality_id,
                code=row.code,
                year=row.year,
                sex=row.sex,
                age_band=row.age_band,
                disability=row.disability,
                district=row.district,
                value=row.value,
                numerator=row.numerator,
                denominator=row.denominator,
                text_value=row.text_value,
                status=row.status,
                data_type=row.data_type,
                collection_method=row.collection_method,
                source=row.source,
                comment=row.comment,
                is_outlier=row.is_outlier,
                is_demo=False,
                updated_at=now,
                updated_by=user,
            )
            for row in rows[start : start + OTHER_BATCH]
        ]
        Observation.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=list(_CELL),
            update_fields=list(_UPDATED),
        )
        if progress:
            progress(min(start + OTHER_BATCH, total), total)
    return total


def _column(name: str) -> str:
    field = Observation._meta.get_field(name)
    assert isinstance(field, Field) and field.column
    return field.column


def _write_postgres(
    rows: Sequence[CleanRow], *, version: CatalogueVersion, actor: Any, progress: Progress | None
) -> int:
    """COPY each batch into a temporary table, then one INSERT … ON CONFLICT per batch.

    A stored cell whose content is already equal is left alone (not rewritten).
    """
    quote = connection.ops.quote_name
    meta = Observation._meta
    column = {name: _column(name) for name in (*_CELL, *_UPDATED, *_WRITTEN[7:])}
    column["municipality_id"] = _column("municipality")
    table = quote(meta.db_table)
    staging = quote(f"observation_import_{uuid.uuid4().hex[:12]}")
    staged = ", ".join(quote(column[name]) for name in _WRITTEN)
    target = ", ".join(
        quote(column[name])
        for name in (*_WRITTEN, "version", "is_demo", "updated_at", "updated_by")
    )
    updates = ", ".join(
        f"{quote(column[name])} = EXCLUDED.{quote(column[name])}" for name in _UPDATED
    )
    content = [quote(column[name]) for name in _CONTENT]
    old = ", ".join(f"stored.{name}" for name in content)
    new = ", ".join(f"EXCLUDED.{name}" for name in content)
    insert = (
        f"WITH written AS (INSERT INTO {table} AS stored ({target}) "  # noqa: S608 - quoted
        f"SELECT {staged}, %s, false, %s, %s FROM {staging} "
        f"ON CONFLICT ON CONSTRAINT {quote('observation_unique_cell')} DO UPDATE SET {updates} "
        f"WHERE ({old}) IS DISTINCT FROM ({new}) RETURNING 1) SELECT count(*) FROM written"
    )
    written = 0
    definitions = ", ".join(
        f"{quote(column[name])} {_STAGING_TYPES.get(name, 'text')}" for name in _WRITTEN
    )
    user = _user(actor)
    now = timezone.now()
    total = len(rows)
    with connection.cursor() as cursor:
        # Check the foreign keys batch by batch rather than all at commit: the progress shown
        # is then the real work, and the server does not queue a million deferred checks.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} ({definitions}) ON COMMIT DROP")
        raw = cursor.cursor  # the psycopg cursor, for COPY
        for start in range(0, total, POSTGRES_BATCH):
            batch = rows[start : start + POSTGRES_BATCH]
            with raw.copy(f"COPY {staging} ({staged}) FROM STDIN") as copy:
                write = copy.write_row
                for row in batch:
                    write(
                        (
                            row.municipality_id,
                            row.code,
                            row.year,
                            row.sex,
                            row.age_band,
                            row.disability,
                            row.district,
                            row.value,
                            row.numerator,
                            row.denominator,
                            row.text_value,
                            row.status,
                            row.data_type,
                            row.collection_method,
                            row.source,
                            row.comment,
                            row.is_outlier,
                        )
                    )
            cursor.execute(insert, [version.pk, now, user.pk if user else None])
            written += cursor.fetchone()[0]
            cursor.execute(f"TRUNCATE {staging}")
            if progress:
                progress(min(start + POSTGRES_BATCH, total), total)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return written


# --- Background imports (large uploads) ---------------------------------------------


def _job_key(job_id: str) -> str:
    return data_selectors.IMPORT_JOB_PREFIX + job_id


def _job_update(job_id: str, **changes: Any) -> None:
    job = data_selectors.import_job(job_id) or {}
    job.update(changes, heartbeat=timezone.now().timestamp())
    data_selectors.import_jobs_cache().set(_job_key(job_id), job, IMPORT_JOB_SECONDS)


def _run_in_background(target: Callable[[], None]) -> None:
    def run() -> None:
        try:
            target()
        finally:
            connections.close_all()  # this thread's own connections

    threading.Thread(target=run, name="meirim-data-import", daemon=True).start()


def observations_import_start(
    *,
    version: CatalogueVersion,
    municipality: Municipality,
    data: bytes,
    filename: str,
    actor: Any,
) -> str:
    """Run :func:`observations_import` in a background thread; return the job id.

    The job's state (checking, writing with rows done/total, done, rejected, failed) is kept
    under the id in ``data_selectors.import_jobs_cache()``, for the upload status page.
    Messages are written in the language active now.
    """
    job_id = uuid.uuid4().hex
    language = translation.get_language() or settings.LANGUAGE_CODE
    user = _user(actor)
    _job_update(
        job_id,
        state="checking",
        owner=user.pk if user else None,
        municipality=municipality.code,
        filename=filename,
        size=len(data),
        done=0,
        total=0,
        started=timezone.now().timestamp(),
    )

    def run() -> None:
        try:
            with translation.override(language):
                summary = observations_import(
                    version=version,
                    municipality=municipality,
                    data=data,
                    filename=filename,
                    actor=user,
                    progress=lambda done, total: _job_update(
                        job_id, state="writing", done=done, total=total
                    ),
                )
            _job_update(job_id, state="done", summary=summary.as_dict())
        except ImportRejected as rejected:
            _job_update(
                job_id,
                state="rejected",
                problem_count=len(rejected.problems),
                problems=[
                    asdict(problem) for problem in rejected.problems[:IMPORT_JOB_PROBLEMS_KEPT]
                ],
            )
        except Exception:
            logger.exception("background import %s failed", job_id)
            _job_update(job_id, state="failed")

    _run_in_background(run)
    return job_id


# --- Approval of a year -------------------------------------------------------------


def data_year_approve(
    *, version: CatalogueVersion, municipality: Municipality, year: int, actor: Any
) -> DataYear:
    """Approve (lock) a year: no more edits, imports or evidence changes until reopened."""
    _check_year(year)
    with transaction.atomic():
        _lock_municipalities([municipality.pk])
        data_year, _created = DataYear.objects.get_or_create(
            version=version, municipality=municipality, year=year
        )
        if data_year.state == DataYear.State.APPROVED:
            raise ImportRejected(
                [
                    Problem(
                        None,
                        "year",
                        _("The data for %(year)s are already approved.") % {"year": year},
                    )
                ]
            )
        missing = [state.missing for state in data_selectors.data_years(version, municipality)
                   if state.year == year]  # fmt: skip
        data_year.state = DataYear.State.APPROVED
        data_year.approved_at = timezone.now()
        data_year.approved_by = _user(actor)
        data_year.save()
        audit.record(
            actor=actor,
            action="data.year_approve",
            obj=data_year,
            changes={
                "state": [DataYear.State.OPEN, DataYear.State.APPROVED],
                "version": version.code,
                "missing": missing[0] if missing else [],
            },
        )
        _bump_revision(version)
    return data_year


def data_year_reopen(
    *, version: CatalogueVersion, municipality: Municipality, year: int, actor: Any, reason: str
) -> DataYear:
    """Reopen an approved year for corrections (national council), with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ImportRejected(
            [Problem(None, "reason", _("Give the reason for reopening the year."))]
        )
    with transaction.atomic():
        _lock_municipalities([municipality.pk])
        data_year = DataYear.objects.filter(
            version=version, municipality=municipality, year=year
        ).first()
        if data_year is None or data_year.state != DataYear.State.APPROVED:
            raise ImportRejected(
                [
                    Problem(
                        None,
                        "year",
                        _("The data for %(year)s are not approved; there is nothing to reopen.")
                        % {"year": year},
                    )
                ]
            )
        previous = {
            "approved_at": data_year.approved_at.isoformat() if data_year.approved_at else None,
            "approved_by": data_year.approved_by.get_username() if data_year.approved_by else None,
        }
        data_year.state = DataYear.State.OPEN
        data_year.approved_at = None
        data_year.approved_by = None
        data_year.save()
        audit.record(
            actor=actor,
            action="data.year_reopen",
            obj=data_year,
            changes={
                "state": [DataYear.State.APPROVED, DataYear.State.OPEN],
                "version": version.code,
                "reason": reason,
                **previous,
            },
        )
        _bump_revision(version)
    return data_year


# --- Evidence -----------------------------------------------------------------------


def _check_evidence_file(file: UploadedFile[Any]) -> None:
    name = file.name or ""
    extension = os.path.splitext(name)[1].lower()
    if extension not in EVIDENCE_EXTENSIONS:
        raise ImportRejected(
            [
                Problem(
                    None,
                    "file",
                    _("This kind of file is not accepted; use one of: %(allowed)s")
                    % {"allowed": ", ".join(sorted(EVIDENCE_EXTENSIONS))},
                )
            ]
        )
    if file.size is not None and file.size > EVIDENCE_MAX_BYTES:
        raise ImportRejected(
            [
                Problem(
                    None,
                    "file",
                    _("The file is larger than %(size)s MB.")
                    % {"size": EVIDENCE_MAX_BYTES // (1024 * 1024)},
                )
            ]
        )
    if not file.size:
        raise ImportRejected([Problem(None, "file", _("The file is empty."))])


def evidence_add(
    *, observation: Observation, file: UploadedFile[Any], actor: Any
) -> ObservationEvidence:
    """Attach a file to an observation; the file is stored privately under MEDIA_ROOT."""
    _check_evidence_file(file)
    with transaction.atomic():
        _lock_municipalities([observation.municipality_id])
        evidence = _evidence_add(observation=observation, file=file, actor=actor)
        _bump_revision(observation.version)
    return evidence


def _evidence_add(
    *, observation: Observation, file: UploadedFile[Any], actor: Any
) -> ObservationEvidence:
    _refuse_if_locked(observation.version, observation.municipality, observation.year)
    original = os.path.basename(file.name or "file")[:255]
    extension = os.path.splitext(original)[1].lower()
    evidence = ObservationEvidence(
        observation=observation, original_name=original, uploaded_by=_user(actor)
    )
    # A random stored name: nothing about the file can be guessed from its path.
    evidence.file.save(f"{uuid.uuid4().hex}{extension}", file, save=False)
    stored_name = evidence.file.name or ""
    try:
        evidence.save()
        audit.record(
            actor=actor,
            action="data.evidence_add",
            obj=evidence,
            changes={"observation": observation.pk, "file": original, "stored": stored_name},
        )
    except BaseException:
        evidence.file.storage.delete(stored_name)
        raise
    return evidence


def evidence_remove(*, evidence: ObservationEvidence, actor: Any) -> None:
    """Remove an evidence file (the database row now, the file on disk after commit)."""
    observation = evidence.observation
    with transaction.atomic():
        _lock_municipalities([observation.municipality_id])
        _refuse_if_locked(observation.version, observation.municipality, observation.year)
        stored_name = evidence.file.name or ""
        storage = evidence.file.storage
        audit.record(
            actor=actor,
            action="data.evidence_remove",
            obj=evidence,
            changes={"observation": observation.pk, "file": evidence.original_name},
        )
        evidence.delete()
        _bump_revision(observation.version)
        transaction.on_commit(lambda: storage.delete(stored_name))
