"""Abuse limiting for anonymous writes (suggestions, survey answers, public comments).

Nothing about the sender is stored with what they wrote. The counter lives only in the cache,
under a keyed hash of the client address whose key changes every day: yesterday's keys cannot
be linked to today's, and without the server's secret no key can be linked to an address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from meirim.accounts.client_ip import client_ip

#: Anonymous writes one address may make per day, per kind (a school's shared connection
#: sends many children's messages, so the figure is generous).
DAILY_LIMITS: dict[str, int] = {"suggestion": 60, "survey": 60, "comment": 30}


def _key(kind: str, address: str, day: dt.date) -> str:
    secret = f"{settings.SECRET_KEY}:{day.isoformat()}".encode()
    digest = hmac.new(secret, f"{kind}:{address}".encode(), hashlib.sha256).hexdigest()
    return f"voice-limit:{kind}:{digest[:32]}"


def _seconds_left_today(now: dt.datetime) -> int:
    tomorrow = (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(60, int((tomorrow - now).total_seconds()))


def allow(request: HttpRequest, kind: str) -> bool:
    """Count one anonymous write of ``kind`` from this client; False once over the day's limit."""
    limit = getattr(settings, "VOICE_DAILY_LIMITS", {}).get(kind, DAILY_LIMITS[kind])
    now = timezone.localtime()
    key = _key(kind, client_ip(request), now.date())
    # add() is a no-op when the key exists; incr() then counts this write.
    cache.add(key, 0, timeout=_seconds_left_today(now))
    try:
        count = int(cache.incr(key))
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=_seconds_left_today(now))
        count = 1
    return bool(count <= limit)
