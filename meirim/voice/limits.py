"""Abuse limiting for anonymous writes (suggestions, survey answers, public comments).

Nothing about the sender is stored with what they wrote. The counter lives only in the cache,
under a keyed hash of the client address whose key changes every day: yesterday's keys cannot
be linked to today's, and without the server's secret no key can be linked to an address.

The count is one atomic step. Django's database cache has no atomic increment (its ``incr``
is a read then a write, and every write first counts the whole table), so with that backend
the counter is one ``INSERT … ON CONFLICT DO UPDATE`` on the cache's own table, stored in the
format the cache reads back (``cache.get`` returns the count); other backends (locmem,
memcached, redis) use their own ``add`` + ``incr``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.http import HttpRequest
from django.utils import timezone

from meirim.accounts.client_ip import client_ip

#: Anonymous writes one address may make per day, per kind (a school's shared connection
#: sends many children's messages, so the figure is generous).
DAILY_LIMITS: dict[str, int] = {"suggestion": 60, "survey": 60, "comment": 30}

#: The stored count stops here (its pickled form holds two bytes); far over any limit.
_CEILING = 65535


def _key(kind: str, address: str, day: dt.date) -> str:
    secret = f"{settings.SECRET_KEY}:{day.isoformat()}".encode()
    digest = hmac.new(secret, f"{kind}:{address}".encode(), hashlib.sha256).hexdigest()
    return f"voice-limit:{kind}:{digest[:32]}"


def _end_of_day(now: dt.datetime) -> dt.datetime:
    tomorrow = (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(tomorrow, now + dt.timedelta(seconds=60))


# The pickle of an int below 65536 (protocol 2+: PROTO, BININT2, two bytes little-endian,
# STOP), base64-encoded as the database cache stores values, built and read in SQL.
_ENCODE = (
    "encode(decode('8005', 'hex') || 'M'::bytea"
    " || set_byte(set_byte('\\x0000'::bytea, 0, mod({n}, 256)), 1, ({n}) / 256)"
    " || '.'::bytea, 'base64')"
)
_DECODE = (
    "(CASE WHEN length(decode({v}, 'base64')) = 6"
    " AND get_byte(decode({v}, 'base64'), 2) = 77"
    " THEN get_byte(decode({v}, 'base64'), 3) + 256 * get_byte(decode({v}, 'base64'), 4)"
    " ELSE 0 END)"
)


def _count_in_database(backend: DatabaseCache, key: str, expires: dt.datetime) -> int:
    db = router.db_for_write(backend.cache_model_class)
    connection = connections[db]
    if connection.vendor != "postgresql":
        return _count_with_incr(backend, key, expires)
    table = connection.ops.quote_name(backend._table)  # type: ignore[attr-defined]
    stored = f"{table}.value"
    statement = (
        f"INSERT INTO {table} (cache_key, value, expires) "  # noqa: S608 - the cache's table
        f"VALUES (%s, {_ENCODE.format(n='1')}, %s) "
        "ON CONFLICT (cache_key) DO UPDATE SET "
        f"value = CASE WHEN {table}.expires < %s THEN EXCLUDED.value ELSE "
        + _ENCODE.format(n=f"LEAST({_DECODE.format(v=stored)} + 1, {_CEILING})")
        + " END, "
        f"expires = CASE WHEN {table}.expires < %s THEN EXCLUDED.expires "
        f"ELSE {table}.expires END "
        f"RETURNING {_DECODE.format(v=stored)}"
    )
    now = timezone.now().replace(microsecond=0)
    with connection.cursor() as cursor:
        cursor.execute(
            statement,
            [backend.make_and_validate_key(key), expires.replace(microsecond=0), now, now],
        )
        row = cursor.fetchone()
    return int(row[0])


def _count_with_incr(backend: object, key: str, expires: dt.datetime) -> int:
    timeout = max(60, int((expires - timezone.now()).total_seconds()))
    # add() is a no-op when the key exists; incr() then counts this write.
    backend.add(key, 0, timeout=timeout)  # type: ignore[attr-defined]
    try:
        return int(backend.incr(key))  # type: ignore[attr-defined]
    except ValueError:  # expired between add() and incr()
        backend.set(key, 1, timeout=timeout)  # type: ignore[attr-defined]
        return 1


def allow(request: HttpRequest, kind: str) -> bool:
    """Count one anonymous write of ``kind`` from this client; False once over the day's limit."""
    limit = getattr(settings, "VOICE_DAILY_LIMITS", {}).get(kind, DAILY_LIMITS[kind])
    now = timezone.localtime()
    key = _key(kind, client_ip(request), now.date())
    expires = _end_of_day(now)
    backend = caches["default"]
    if isinstance(backend, DatabaseCache):
        count = _count_in_database(backend, key, expires)
    else:
        count = _count_with_incr(backend, key, expires)
    return bool(count <= limit)
