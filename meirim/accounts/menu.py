"""What each role lets a person do, as links on their personal page.

Only features that exist are listed; each entry names the URL it leads to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meirim.accounts.access import roles_of
from meirim.accounts.models import NATIONAL_ROLES, Role


@dataclass(frozen=True)
class Capability:
    label: Any
    url: str


def _common() -> list[Capability]:
    return [
        Capability(_("Read the index results"), reverse("reports:index")),
        Capability(_("Browse the national index catalogue"), reverse("catalogue:versions")),
        Capability(_("Browse municipalities"), reverse("geography:list")),
    ]


def capabilities_for(user: Any) -> list[tuple[Any, list[Capability]]]:
    """For each role the user holds: the role's label (with scope) and what it allows."""
    result = []
    for assignment in roles_of(user):
        caps = []
        if assignment.role in (Role.NATIONAL_COUNCIL, Role.NATIONAL_ADMIN):
            caps.append(
                Capability(
                    _("Copy the catalogue to a new version, change targets, publish"),
                    reverse("catalogue:versions"),
                )
            )
        if assignment.role == Role.NATIONAL_ADMIN:
            caps.append(Capability(_("Browse the audit log"), reverse("audit:list")))
            caps.append(Capability(_("Administer users and roles"), reverse("admin:index")))
        if assignment.role in (*NATIONAL_ROLES, Role.REGION_OFFICER):
            caps.append(
                Capability(
                    _("See which municipality has approved which data year"),
                    reverse("data:overview"),
                )
            )
        if assignment.municipality is not None:
            code = assignment.municipality.code
            if assignment.role in (Role.DEPARTMENT_HEAD, Role.CITY_COORDINATOR):
                caps.append(
                    Capability(
                        _("Enter your municipality's data"), reverse("data:years", args=[code])
                    )
                )
            if assignment.role == Role.CITY_COORDINATOR:
                caps.append(
                    Capability(
                        _("Upload a data file and approve a year"),
                        reverse("data:upload", args=[code]),
                    )
                )
            caps.append(
                Capability(
                    _("See your municipality's results"), reverse("reports:dashboard", args=[code])
                )
            )
            caps.append(
                Capability(
                    _("See your municipality's page"), reverse("geography:detail", args=[code])
                )
            )
        if assignment.region is not None:
            caps.append(
                Capability(
                    _("See the municipalities of your region"),
                    reverse("geography:list") + f"?region={assignment.region.code}",
                )
            )
        result.append((assignment, caps + _common()))
    return result
