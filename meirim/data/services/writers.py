"""Bulk upserts of checked rows: COPY and INSERT … ON CONFLICT on PostgreSQL, the ORM elsewhere."""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import connection
from django.db.models import Field
from django.utils import timezone

from meirim.catalogue.models import CatalogueVersion
from meirim.common import audit
from meirim.data.models import Observation
from meirim.data.services.common import CELL_CONTENT, Progress
from meirim.data.validation import CleanRow

# Rows per COPY + INSERT round on PostgreSQL, and per bulk_create on other databases.
POSTGRES_BATCH = 100_000
OTHER_BATCH = 500

# The columns of a checked row, in the order they are copied to the staging table.
_WRITTEN = (
    "municipality_id",
    "code",
    "year",
    "sex",
    "age_band",
    "disability",
    "district",
    *CELL_CONTENT,
)
_CELL = ("version", "municipality", "code", "year", "sex", "age_band", "disability", "district")
# A row equal on all of these is not rewritten.
_CONTENT = (*CELL_CONTENT, "is_demo")
_UPDATED = (*_CONTENT, "updated_at", "updated_by")

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
    rows: Sequence[CleanRow],
    *,
    version: CatalogueVersion,
    actor: Any,
    progress: Progress | None,
    kept: Sequence[str] = (),
) -> int:
    """Upsert the rows; return how many were inserted or changed.

    ``kept`` names content fields (of ``KEPT_WHEN_ABSENT``) that a stored cell keeps: the
    file had no column for them. New cells get the rows' values (the defaults).
    """
    if connection.vendor == "postgresql":
        return _write_postgres(rows, version=version, actor=actor, progress=progress, kept=kept)
    return _write_orm(rows, version=version, actor=actor, progress=progress, kept=kept)


def _write_orm(
    rows: Sequence[CleanRow],
    *,
    version: CatalogueVersion,
    actor: Any,
    progress: Progress | None,
    kept: Sequence[str] = (),
) -> int:
    """bulk_create in batches (SQLite, the demo): every matched row counts as changed."""
    now = timezone.now()
    user = audit.acting_user(actor)
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
            update_fields=[name for name in _UPDATED if name not in kept],
        )
        if progress:
            progress(min(start + OTHER_BATCH, total), total)
    return total


def _column(name: str) -> str:
    field = Observation._meta.get_field(name)
    assert isinstance(field, Field) and field.column
    return field.column


def _write_postgres(
    rows: Sequence[CleanRow],
    *,
    version: CatalogueVersion,
    actor: Any,
    progress: Progress | None,
    kept: Sequence[str] = (),
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
        f"{quote(column[name])} = EXCLUDED.{quote(column[name])}"
        for name in _UPDATED
        if name not in kept
    )
    content = [quote(column[name]) for name in _CONTENT if name not in kept]
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
    user = audit.acting_user(actor)
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


def mark_changes(
    clean: pl.DataFrame, stored: pl.DataFrame, kept: Sequence[str] = ()
) -> pl.DataFrame:
    """``clean`` with ``changed``: False for a stored cell whose content is already the row's.

    The comparison the database would make (``IS DISTINCT FROM`` on the typed columns), done
    here so that an unchanged cell is neither sent to the server nor rewritten. ``stored``
    is :func:`meirim.data.selectors.stored_cells_frame`; ``clean`` has ``is_outlier`` set.
    """
    if not stored.height:
        return clean.with_columns(pl.lit(True).alias("changed"))
    figures = ("value", "numerator", "denominator")
    content = [name for name in CELL_CONTENT if name not in kept]
    if "_sid" in clean.columns and "_sid" in stored.columns:  # numbers of series_ids
        key = pl.col("_sid").cast(pl.Int64) * 10_000 + pl.col("year").cast(pl.Int64)
        cell: list[Any] = [key.alias("_cell")]
        on: list[str] = ["_cell"]
    else:
        cell = on = list(_WRITTEN[:7])
    new = (
        clean.lazy()
        .select(
            "row",
            *cell,
            *(
                pl.col(name).cast(pl.Decimal(20, 6), strict=False) if name in figures else name
                for name in content
            ),
            *(["stored"] if "stored" in clean.columns else []),
        )
        # Only a row whose cell is stored can be unchanged.
        .filter(pl.col("stored") if "stored" in clean.columns else pl.lit(True))
    )
    same = (
        new.join(
            stored.lazy().select(*cell, *(f"old_{name}" for name in (*content, "is_demo"))),
            on=on,
        )
        .filter(
            pl.all_horizontal(pl.col(name).eq_missing(pl.col(f"old_{name}")) for name in content)
            & ~pl.col("old_is_demo")
        )
        .select("row")
        .collect()
        .get_column("row")
    )
    return clean.with_columns((~pl.col("row").is_in(same.implode())).alias("changed"))


def _write_frame(
    rows: pl.DataFrame,
    *,
    version: CatalogueVersion,
    actor: Any,
    progress: Progress | None,
    kept: Sequence[str] = (),
    done: int = 0,
    total: int | None = None,
    using: Any = None,
) -> int:
    """Write checked rows (a frame with ``stored`` and ``changed``); return how many were.

    PostgreSQL: new cells are copied straight into the table; changed stored cells are
    copied to a temporary table and updated from it; unchanged ones are not sent. ``done``
    and ``total``: the rows of the whole import before this frame and in all (progress).
    ``using``: the connection (Django's wrapper) when not this thread's own. Elsewhere: the
    ORM.
    """
    total = rows.height if total is None else total
    db = using or connection
    if db.vendor != "postgresql":
        changed = rows.filter(pl.col("changed"))
        return _write_orm(
            _clean_rows(changed), version=version, actor=actor, progress=progress, kept=kept
        )
    user = audit.acting_user(actor)
    now = timezone.now()
    with db.cursor() as cursor:
        # The references are checked statement by statement, not queued to the commit.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        written = _copy_new(cursor, rows, version, user, progress, done, total)
        updates = rows.filter(pl.col("stored") & pl.col("changed"))
        if updates.height:
            written += _update_stored(cursor, updates, version, user, now, kept, db)
        if progress:
            progress(done + rows.height, total)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return written


def _names() -> dict[str, str]:
    """Quoted column names of the observation table, by field name (``…_id`` for references)."""
    quote = connection.ops.quote_name
    column = {name: quote(_column(name)) for name in (*_CELL, *_UPDATED, *_WRITTEN[7:])}
    column["municipality_id"] = column["municipality"]
    column["version_id"] = column["version"]
    column["updated_by_id"] = column["updated_by"]
    return column


def _copy_new(
    cursor: Any,
    rows: pl.DataFrame,
    version: CatalogueVersion,
    user: Any,
    progress: Progress | None,
    done: int,
    total: int,
) -> int:
    """COPY the rows of cells not stored yet into the table, a batch at a time."""
    column = _names()
    table = connection.ops.quote_name(Observation._meta.db_table)
    # No updated_at: the column's default (migration 0006) is the time the transaction
    # began, which the server does not have to parse from text a million times.
    extra = ("version_id", "is_demo", "updated_by_id")
    names = ", ".join(column[name] for name in (*_WRITTEN, *extra))
    constants = (
        pl.lit(version.pk, dtype=pl.Int64).alias("version_id"),
        pl.lit(False).alias("is_demo"),
        pl.lit(user.pk if user else None, dtype=pl.Int64).alias("updated_by_id"),
    )
    new = rows.filter(~pl.col("stored")).select(*_WRITTEN, *constants)
    for start in range(0, new.height, POSTGRES_BATCH):
        # Batch by batch: the CSV text of one batch at a time, never of all the rows.
        _copy(cursor.cursor, f"COPY {table} ({names}) FROM STDIN", new.slice(start, POSTGRES_BATCH))
        if progress and start + POSTGRES_BATCH < new.height:
            progress(done + start + POSTGRES_BATCH, total)
    return new.height


def _update_stored(
    cursor: Any,
    rows: pl.DataFrame,
    version: CatalogueVersion,
    user: Any,
    now: Any,
    kept: Sequence[str],
    db: Any = None,
) -> int:
    """Copy the changed stored cells to a temporary table and update the table from it."""
    quote = (db or connection).ops.quote_name
    column = _names()
    table = quote(Observation._meta.db_table)
    staging = quote(f"observation_import_{uuid.uuid4().hex[:12]}")
    definitions = ", ".join(
        f"{column[name]} {_STAGING_TYPES.get(name, 'text')}" for name in _WRITTEN
    )
    # Temporary: no WAL, no index; dropped with the transaction.
    cursor.execute(f"CREATE TEMPORARY TABLE {staging} ({definitions}) ON COMMIT DROP")
    staged = ", ".join(column[name] for name in _WRITTEN)
    for start in range(0, rows.height, POSTGRES_BATCH):
        batch = rows.slice(start, POSTGRES_BATCH).select(_WRITTEN)
        _copy(cursor.cursor, f"COPY {staging} ({staged}) FROM STDIN", batch)
    cursor.execute(f"ANALYZE {staging}")
    content = [name for name in _CONTENT if name not in kept and name != "is_demo"]
    sets = ", ".join(
        [f"{column[name]} = new.{column[name]}" for name in content]
        + [
            f"{column['is_demo']} = false",
            f"{column['updated_at']} = %s",
            f"{column['updated_by']} = %s",
        ]
    )
    same_cell = " AND ".join(f"stored.{column[name]} = new.{column[name]}" for name in _WRITTEN[:7])
    cursor.execute(
        f"UPDATE {table} AS stored SET {sets} FROM {staging} AS new "  # noqa: S608 - quoted
        f"WHERE stored.{column['version_id']} = %s AND {same_cell}",
        [now, user.pk if user else None, version.pk],
    )
    return int(cursor.rowcount)


# What the text format of COPY escapes in a text (the backslash first).
_ESCAPES = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"))


def _copy(raw: Any, statement: str, frame: pl.DataFrame) -> None:
    """COPY a frame in the text format (tab separated, a null is \\N, texts escaped).

    Cheaper for the server to read than CSV: no quotes to parse.
    """
    texts = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    special = r"[\\\t\n\r]"
    if texts and frame.select(pl.any_horizontal(pl.col(texts).str.contains(special).any())).item():
        escaped = pl.col(texts)
        for old, new in _ESCAPES:
            escaped = escaped.str.replace_all(old, new, literal=True)
        frame = frame.with_columns(escaped)
    buffer = io.BytesIO()
    frame.write_csv(
        buffer, include_header=False, separator="\t", quote_style="never", null_value="\\N"
    )
    with raw.copy(statement) as copy:
        copy.write(buffer.getbuffer())


def _clean_rows(rows: pl.DataFrame) -> list[CleanRow]:
    """The frame's rows as :class:`CleanRow` (the ORM path of the demo database)."""

    def number(text: str | None) -> Decimal | None:
        return None if text is None else Decimal(text)

    names = list(CleanRow.__slots__)
    result = []
    for values in rows.select(names).iter_rows(named=True):
        for name in ("value", "numerator", "denominator"):
            values[name] = number(values[name])
        result.append(CleanRow(**values))
    return result
