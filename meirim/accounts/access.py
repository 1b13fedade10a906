"""The one place that decides who may read or write what.

Views call an ``access_*`` helper before touching an object: it returns the object (or the
queryset narrowed to the user's scope) or raises ``PermissionDenied`` / ``Http404``. Tests
in ``tests/test_access_matrix.py`` pin the resulting matrix of pages × roles.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from meirim.accounts.models import NATIONAL_ROLES, Role, RoleAssignment
from meirim.geography.models import Municipality, Region


def roles_of(user: Any) -> list[RoleAssignment]:
    """The user's role assignments, loaded once per request object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_meirim_roles", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user).select_related(
                "region", "municipality", "municipality__region"
            )
        )
        user._meirim_roles = cached
    return cached


def has_role(user: Any, *roles: str) -> bool:
    return any(assignment.role in roles for assignment in roles_of(user))


def is_national(user: Any) -> bool:
    return has_role(user, *NATIONAL_ROLES)


def is_national_admin(user: Any) -> bool:
    return has_role(user, Role.NATIONAL_ADMIN)


def can_edit_catalogue(user: Any) -> bool:
    """The national council and its administrators maintain the national index catalogue."""
    return has_role(user, Role.NATIONAL_COUNCIL, Role.NATIONAL_ADMIN)


def municipalities_in_scope(user: Any, roles: Iterable[str]) -> QuerySet[Municipality]:
    """Municipalities where the user holds one of ``roles`` (directly or through a region)."""
    wanted = set(roles)
    held = [a for a in roles_of(user) if a.role in wanted]
    if any(a.role in NATIONAL_ROLES for a in held):
        return Municipality.objects.all()
    municipality_ids = [a.municipality_id for a in held if a.municipality_id]
    region_ids = [a.region_id for a in held if a.region_id]
    return Municipality.objects.filter(Q(pk__in=municipality_ids) | Q(region_id__in=region_ids))


def regions_in_scope(user: Any) -> QuerySet[Region]:
    if is_national(user):
        return Region.objects.all()
    ids = [a.region_id for a in roles_of(user) if a.role == Role.REGION_OFFICER and a.region_id]
    return Region.objects.filter(pk__in=ids)


def access_audit_log(user: Any) -> None:
    if not is_national_admin(user):
        raise PermissionDenied


def access_catalogue_editing(user: Any) -> None:
    if not can_edit_catalogue(user):
        raise PermissionDenied


# --- The cities' data -------------------------------------------------------------------

DATA_ENTRY_ROLES = (Role.DEPARTMENT_HEAD, Role.CITY_COORDINATOR)
DATA_READ_ROLES = (
    *NATIONAL_ROLES,
    Role.REGION_OFFICER,
    Role.CITY_COORDINATOR,
    Role.DEPARTMENT_HEAD,
)


def _in_scope(user: Any, municipality: Municipality, roles: Iterable[str]) -> bool:
    return municipalities_in_scope(user, roles).filter(pk=municipality.pk).exists()


def can_enter_data(user: Any, municipality: Municipality) -> bool:
    """Department heads and the city coordinator enter data for their own municipality."""
    return any(
        a.role in DATA_ENTRY_ROLES and a.municipality_id == municipality.pk for a in roles_of(user)
    )


def can_upload_data(user: Any, municipality: Municipality) -> bool:
    """File uploads and approval of a year belong to the city coordinator."""
    return any(
        a.role == Role.CITY_COORDINATOR and a.municipality_id == municipality.pk
        for a in roles_of(user)
    )


def can_read_draft_data(user: Any, municipality: Municipality) -> bool:
    """Data not yet approved: the municipality itself, its region officer, the national level."""
    return _in_scope(user, municipality, DATA_READ_ROLES)


def can_read_any_draft_data(user: Any) -> bool:
    """Holds a role that reads unapproved data somewhere (the data overview page)."""
    return any(a.role in DATA_READ_ROLES for a in roles_of(user))


def can_reopen_data(user: Any) -> bool:
    return has_role(user, Role.NATIONAL_COUNCIL, Role.NATIONAL_ADMIN)


def access_data_entry(user: Any, municipality: Municipality) -> Municipality:
    if not can_enter_data(user, municipality):
        raise PermissionDenied
    return municipality


def access_data_upload(user: Any, municipality: Municipality) -> Municipality:
    if not can_upload_data(user, municipality):
        raise PermissionDenied
    return municipality


def access_data_reopen(user: Any) -> None:
    if not can_reopen_data(user):
        raise PermissionDenied
