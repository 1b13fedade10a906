"""Writes for people and roles."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from meirim.accounts.access import roles_allowed
from meirim.accounts.models import RoleAssignment, User
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
    _sync_admin_rights(user)
    audit.record(
        actor=actor,
        action="accounts.role_assign",
        obj=user,
        changes={"role": role, "scope": str(municipality or region or _("national"))},
    )
    return assignment


def _sync_admin_rights(user: User) -> None:
    """The Django admin belongs to the roles that hold ``admin.use`` in the access table."""
    entitled = RoleAssignment.objects.filter(
        user=user, role__in=roles_allowed("admin.use")
    ).exists()
    if user.is_staff != entitled or user.is_superuser != entitled:
        user.is_staff = entitled
        user.is_superuser = entitled
        user.save(update_fields=["is_staff", "is_superuser"])
    user.__dict__.pop("_meirim_roles", None)  # the request's cached roles are stale now


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, actor: Any) -> None:
    """Take a role away; losing the national administrator's role ends the admin rights."""
    user = assignment.user
    scope = str(assignment.municipality or assignment.region or _("national"))
    role = assignment.role
    assignment.delete()
    _sync_admin_rights(user)
    audit.record(
        actor=actor,
        action="accounts.role_revoke",
        obj=user,
        changes={"role": role, "scope": scope},
    )
