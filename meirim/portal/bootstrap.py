"""Set-up of a real deployment: reference data and the first national administrator.

No demo users and no demo data. Safe to run again: what exists is kept as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from meirim.accounts.models import Role, User
from meirim.accounts.services import role_assign, user_create
from meirim.catalogue.models import CatalogueVersion
from meirim.catalogue.services import catalogue_load_version
from meirim.geography.models import Municipality
from meirim.geography.services import municipalities_import

MUNICIPALITIES_FILE = (
    Path(__file__).resolve().parents[1] / "geography" / "data" / "municipalities.csv"
)
CATALOGUE_VERSION = "2026.1"


def reference_data_load() -> CatalogueVersion:
    """Load the shipped municipalities (if there are none yet) and publish the shipped catalogue."""
    with transaction.atomic():
        if not Municipality.objects.exists():
            municipalities_import(
                data=MUNICIPALITIES_FILE.read_bytes(), filename=MUNICIPALITIES_FILE.name, actor=None
            )
        return catalogue_load_version(code=CATALOGUE_VERSION, actor=None, publish=True)


@dataclass(frozen=True)
class BootstrapResult:
    catalogue: CatalogueVersion
    administrator: User
    administrator_created: bool


def platform_bootstrap(*, username: str, email: str, password: str | None) -> BootstrapResult:
    """Reference data plus a national administrator ``username``.

    An existing user keeps their password (``password`` may then be None) and gets the role if
    they lack it. A new user's password must pass the password validators.
    """
    with transaction.atomic():
        catalogue = reference_data_load()
        user = User.objects.filter(username=username).first()
        created = user is None
        if user is None:
            if not password:
                raise ValueError("A password is needed to create the administrator.")
            validate_password(password, User(username=username, email=email))
            user = user_create(username=username, password=password, email=email, actor=None)
        role_assign(user=user, role=Role.NATIONAL_ADMIN, actor=None)
    return BootstrapResult(catalogue=catalogue, administrator=user, administrator_created=created)
