"""Single rows and single values read without building an ORM query each time.

A results page or API answer reads a few single rows (the version, the city, its freshness)
before its real work. Building each of those queries costs the ORM several times the round
trip itself; here the SELECT is worked out once per model and the values go through the
fields' own converters, so callers get exactly what the ORM would give them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)

Converter = Callable[[Any, Any, Any], Any]


@functools.cache
def _converters(model: type[Model], field_name: str, vendor: str) -> tuple[Any, list[Converter]]:
    """(the column expression, the converters the ORM applies to its values)."""
    field = model._meta.get_field(field_name)
    assert isinstance(field, Field)  # a column of the model, not a relation's other side
    column = field.get_col(model._meta.db_table)
    found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
    return column, found


def converted(model: type[Model], field_name: str, value: Any) -> Any:
    """``value`` as read from ``model.field_name``'s column, as the ORM returns it."""
    column, converters = _converters(model, field_name, connection.vendor)
    for convert in converters:
        value = convert(value, column, connection)
    return value


@functools.cache
def _select(model: type[Model], vendor: str) -> tuple[str, tuple[str, ...]]:
    fields = model._meta.concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    table = quote(model._meta.db_table)
    return f"SELECT {columns} FROM {table}", tuple(f.attname for f in fields)  # noqa: S608


def first(model: type[M], where: str, params: Sequence[Any], order_by: str = "") -> M | None:
    """The first ``model`` row matching the SQL condition ``where`` (column names, ``%s``
    placeholders), in ``order_by`` order; None when there is none."""
    select, names = _select(model, connection.vendor)
    sql = f"{select} WHERE {where}"
    if order_by:
        sql += f" ORDER BY {order_by}"
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT 1", list(params))
        row = cursor.fetchone()
    if row is None:
        return None
    values = [converted(model, name, value) for name, value in zip(names, row, strict=True)]
    return model.from_db(connection.alias, list(names), values)
