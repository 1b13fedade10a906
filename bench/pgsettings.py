"""What the database figures of ``bench/`` depend on, printed with them."""

from __future__ import annotations


def server_settings() -> str:
    """The PostgreSQL server's version and the settings that size its writes."""
    from django.db import connection

    names = ("server_version", "shared_buffers", "max_wal_size", "fsync", "synchronous_commit")
    with connection.cursor() as cursor:
        shown = []
        for name in names:
            cursor.execute(f"SHOW {name}")
            shown.append(f"{name}={cursor.fetchone()[0]}")
    return "PostgreSQL: " + ", ".join(shown)
