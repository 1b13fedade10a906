"""Users and the roles they hold, each bound to its scope."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meirim.geography.models import Municipality, Region


class User(AbstractUser):
    """A person who signs in. Children giving anonymous feedback never have an account."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Role(models.TextChoices):
    NATIONAL_COUNCIL = "national_council", _("National council member")
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    REVIEWER = "reviewer", _("Reviewer")
    REGION_OFFICER = "region_officer", _("Region officer")
    CITY_COORDINATOR = "city_coordinator", _("City coordinator")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    COMMUNITY_GROUP = "community_group", _("Community group member")
    # The municipality's designated child-protection officer: receives the safeguarding
    # concerns raised from children's messages, at once.
    PROTECTION_OFFICER = "protection_officer", _("Child-protection officer")


NATIONAL_ROLES = (Role.NATIONAL_COUNCIL, Role.NATIONAL_ADMIN, Role.REVIEWER)
REGION_ROLES = (Role.REGION_OFFICER,)
MUNICIPALITY_ROLES = (
    Role.CITY_COORDINATOR,
    Role.DEPARTMENT_HEAD,
    Role.COMMUNITY_GROUP,
    Role.PROTECTION_OFFICER,
)


class RoleAssignment(models.Model):
    """One role held by one user, bound to the region or municipality it applies to."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("region")
    )
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("municipality"),
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            # National roles: no scope. Region officer: a region. The others: a municipality.
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    Q(role__in=NATIONAL_ROLES, region__isnull=True, municipality__isnull=True)
                    | Q(role__in=REGION_ROLES, region__isnull=False, municipality__isnull=True)
                    | Q(
                        role__in=MUNICIPALITY_ROLES, region__isnull=True, municipality__isnull=False
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.municipality or self.region
        label = self.get_role_display()
        return f"{label} — {scope}" if scope else str(label)
