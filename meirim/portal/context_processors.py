"""What every page needs to draw its header: the user's roles and capabilities."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from meirim.accounts import access


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "nav_can_read_audit": access.may(user, "audit.read"),
    }
