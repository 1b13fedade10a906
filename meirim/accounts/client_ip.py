"""The client's address, as far as it can be trusted.

By default it is ``REMOTE_ADDR``: a client can write anything into X-Forwarded-For, and an
address taken from it would let an attacker dodge the login lockout or lock out someone else.
Behind reverse proxies, ``MEIRIM_PROXY_IP_HEADER`` names the header they set and
``MEIRIM_PROXY_COUNT`` how many there are; each proxy appends the address it saw, so the client
is that many entries from the right, and whatever the client itself sent stays to the left.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    header: str = settings.PROXY_IP_HEADER
    count: int = settings.PROXY_COUNT
    if header and count > 0:
        raw = str(request.META.get(header, ""))
        hops = [hop.strip() for hop in raw.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return str(request.META.get("REMOTE_ADDR", ""))
