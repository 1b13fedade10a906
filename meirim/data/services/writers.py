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
from meirim.data.models import Observation
from meirim.data.services.common import CELL_CONTENT, Progress, _user
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


def _write_frame(
    rows: pl.DataFrame,
    *,
    version: CatalogueVersion,
    actor: Any,
    progress: Progress | None,
    kept: Sequence[str] = (),
) -> int:
    """Write checked rows (a frame with a ``stored`` column); return how many were written.

    PostgreSQL: new cells are copied straight into the table; stored cells are copied to a
    temporary table and updated where their content differs. Elsewhere: the ORM.
    """
    if connection.vendor != "postgresql":
        return _write_orm(
            _clean_rows(rows), version=version, actor=actor, progress=progress, kept=kept
        )
    quote = connection.ops.quote_name
    column = {name: _column(name) for name in (*_CELL, *_UPDATED, *_WRITTEN[7:])}
    column["municipality_id"] = _column("municipality")
    column["version_id"] = _column("version")
    column["updated_by_id"] = _column("updated_by")
    table = quote(Observation._meta.db_table)
    user = _user(actor)
    now = timezone.now()
    total = rows.height
    done = written = 0
    # Batch by batch, so that no second copy of all the rows is made.
    constants = (
        pl.lit(version.pk, dtype=pl.Int64).alias("version_id"),
        pl.lit(False).alias("is_demo"),
        pl.lit(now.isoformat()).alias("updated_at"),
        pl.lit(user.pk if user else None, dtype=pl.Int64).alias("updated_by_id"),
    )
    stored = int(rows["stored"].sum())
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        raw = cursor.cursor  # the psycopg cursor, for COPY
        names = ", ".join(
            quote(column[name])
            for name in (*_WRITTEN, "version_id", "is_demo", "updated_at", "updated_by_id")
        )
        for start in range(0, total if stored < total else 0, POSTGRES_BATCH):
            batch = rows.slice(start, POSTGRES_BATCH)
            if stored:
                batch = batch.filter(~pl.col("stored"))
            batch = batch.select(*_WRITTEN, *constants)
            _copy(raw, f"COPY {table} ({names}) FROM STDIN", batch)
            done += batch.height
            written += batch.height
            del batch
            if progress:
                progress(done, total)
        if stored:
            staging = quote(f"observation_import_{uuid.uuid4().hex[:12]}")
            definitions = ", ".join(
                f"{quote(column[name])} {_STAGING_TYPES.get(name, 'text')}" for name in _WRITTEN
            )
            cursor.execute(f"CREATE TEMPORARY TABLE {staging} ({definitions}) ON COMMIT DROP")
            staged = ", ".join(quote(column[name]) for name in _WRITTEN)
            for start in range(0, total, POSTGRES_BATCH):
                batch = rows.slice(start, POSTGRES_BATCH).filter(pl.col("stored"))
                _copy(raw, f"COPY {staging} ({staged}) FROM STDIN", batch.select(_WRITTEN))
                del batch
            cursor.execute(f"ANALYZE {staging}")
            content = [name for name in _CONTENT if name not in kept and name != "is_demo"]
            sets = ", ".join(
                [f"{quote(column[name])} = new.{quote(column[name])}" for name in content]
                + [
                    f"{quote(column['is_demo'])} = false",
                    f"{quote(column['updated_at'])} = %s",
                    f"{quote(column['updated_by'])} = %s",
                ]
            )
            same_cell = " AND ".join(
                f"stored.{quote(column[name])} = new.{quote(column[name])}" for name in _WRITTEN[:7]
            )
            differs = (
                "("
                + ", ".join(f"stored.{quote(column[name])}" for name in content)
                + f", stored.{quote(column['is_demo'])}) IS DISTINCT FROM ("
                + ", ".join(f"new.{quote(column[name])}" for name in content)
                + ", false)"
            )
            cursor.execute(
                f"UPDATE {table} AS stored SET {sets} FROM {staging} AS new "  # noqa: S608 - quoted
                f"WHERE stored.{quote(column['version_id'])} = %s AND {same_cell} AND {differs}",
                [now, user.pk if user else None, version.pk],
            )
            written += cursor.rowcount
            if progress:
                progress(total, total)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return written


def _copy(raw: Any, statement: str, frame: pl.DataFrame) -> None:
    """COPY a frame (CSV: a null is \\N, every text quoted so that no text reads as null)."""
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False, null_value="\\N", quote_style="non_numeric")
    with raw.copy(f"{statement} WITH (FORMAT csv, NULL '\\N')") as copy:
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
