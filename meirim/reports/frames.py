"""Tables in and out of the database as columns (polars), without a Python loop per row.

On PostgreSQL both directions go through ``COPY`` on Django's own connection, so they see
and join the current transaction. SQLite (the demo) has no COPY: rows are fetched and
inserted with the driver's own loops, which is fast enough at a demo's size.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl
from django.db import connection

#: Rows per ``executemany`` on SQLite.
SQLITE_BATCH = 5_000


def table_name(model: type) -> str:
    """The database table of a model (for the SQL these columnar reads and writes need)."""
    return str(model._meta.db_table)  # type: ignore[attr-defined]


def in_list(column: str, values: Sequence[object]) -> str:
    """``column IN (%s, …)`` with one placeholder per value."""
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def query_frame(sql: str, params: Sequence[Any], schema: Mapping[str, Any]) -> pl.DataFrame:
    """The rows of ``sql`` (placeholders ``%s``) as a frame with ``schema``'s columns."""
    columns = list(schema)
    with connection.cursor() as cursor:
        if is_postgresql():
            statement = cursor.mogrify(sql, params)  # client-side: COPY takes no parameters
            if isinstance(statement, bytes):
                statement = statement.decode()
            buffer = io.BytesIO()
            with cursor.copy(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)") as copy:
                for chunk in copy:
                    buffer.write(chunk)
            if buffer.tell() == 0:
                return pl.DataFrame(schema=dict(schema))
            buffer.seek(0)
            # Booleans travel as t/f: select them as integers (``flag::int``).
            return pl.read_csv(
                buffer, has_header=False, new_columns=columns, schema_overrides=dict(schema)
            )
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=dict(schema), orient="row")


def copy_in(table: str, frame: pl.DataFrame) -> int:
    """Insert every row of ``frame`` into ``table`` (columns named as the frame's)."""
    if frame.height == 0:
        return 0
    names = ", ".join(connection.ops.quote_name(c) for c in frame.columns)
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if is_postgresql():
            # Byte strings travel in bytea's hex text form (CSV has no binary type).
            frame = frame.with_columns(
                (pl.lit("\\x") + pl.col(name).bin.encode("hex")).alias(name)
                for name, dtype in frame.schema.items()
                if dtype == pl.Binary
            )
            buffer = io.BytesIO()
            frame.write_csv(buffer, include_header=False, null_value="")
            data = buffer.getbuffer()
            with cursor.copy(f"COPY {quoted} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
                step = 1 << 20
                for start in range(0, len(data), step):
                    copy.write(data[start : start + step])
            return frame.height
        # SQLite keeps times as naive UTC text, the way Django writes them.
        frame = frame.with_columns(
            pl.col(pl.Datetime).dt.convert_time_zone("UTC").dt.strftime("%Y-%m-%d %H:%M:%S.%6f")
        )
        marks = ", ".join(["%s"] * frame.width)
        statement = f"INSERT INTO {quoted} ({names}) VALUES ({marks})"  # noqa: S608 - names from the models, values as parameters
        for batch in frame.iter_slices(SQLITE_BATCH):
            cursor.executemany(statement, batch.rows())
    return frame.height
