"""Writes for people and roles."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from meirim.accounts.models import Role, RoleAssignment, User
from meirim.common import audit
from meirim.geography.models import Municipality, Region


@transaction.atomic
def user_create(
    *, username: str, password: str, email: str = "", full_name: str = "", actor: Any
) -> User:
    first, _sep, last = full_name.partition(" ")
    user = User.objects.create_user(
        username=username, password=password, email=email, first_name=first, last_name=last
    )
    audit.record(actor=actor, action="accounts.user_create", obj=user)
    return user


@transaction.atomic
def role_assign(
    *,
    user: User,
    role: str,
    actor: Any,
    region: Region | None = None,
    municipality: Municipality | None = None,
) -> RoleAssignment:
    """Give ``user`` a role in its scope. A national administrator also gets the Django admin."""
    existing = RoleAssignment.objects.filter(
        user=user, role=role, region=region, municipality=municipality
    ).first()
    if existing:
        return existing
    assignment = RoleAssignment.objects.create(
        user=user, role=role, region=region, municipality=municipality
    )
    if role == Role.NATIONAL_ADMIN and not (user.is_staff and user.is_superuser):
        user.is_staff = True
        user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    audit.record(
        actor=actor,
        action="accounts.role_assign",
        obj=user,
        changes={"role": role, "scope": str(municipality or region or _("national"))},
    )
    return assignment
