"""What every page needs to draw its header: the user's roles and capabilities."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from meirim.accounts import access


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "nav_is_national_admin": access.is_national_admin(user),
        "nav_can_edit_catalogue": access.can_edit_catalogue(user),
    }
