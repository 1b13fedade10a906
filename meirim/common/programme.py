"""Small coded lists shared by the programme's workspaces (Phase 1 and after).

They are fixed by the model (not edited by the national council), so they are code, with
translated labels; the catalogue's own lists (R, H, T, Q, P, BQ…) stay in the catalogue.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetAge(models.TextChoices):
    """The Surrey example's target ages (its legend's Е, М, Ү), by their Latin letters."""

    EARLY = "E", _("Young children")
    MIDDLE = "M", _("Adolescents")
    YOUTH = "Y", _("Youth")


class AgeBand(models.TextChoices):
    """Children's age bands, as children's pages and participation counts use them."""

    UNDER_10 = "under_10", _("under 10")
    FROM_10 = "10_13", _("10–13")
    FROM_14 = "14_17", _("14–17")
    FROM_18 = "18_24", _("18–24")


class ChildSex(models.TextChoices):
    GIRLS = "girls", _("Girls")
    BOYS = "boys", _("Boys")
    NOT_STATED = "not_stated", _("Not stated")


class StaffRole(models.TextChoices):
    """Roles of designated staff in implementing the strategy (SR1–SR5)."""

    SR1 = "SR1", _("Coordinate discussions between city departments")
    SR2 = "SR2", _("Implement the programmes set out in the policy")
    SR3 = "SR3", _("Analyse and document implementation progress")
    SR4 = "SR4", _("Act as advocates for children's and young people's interests")
    SR5 = "SR5", _("Expand young people's opportunities to take part in implementing the policy")


#: Counts of children under this number are never shown publicly (small-group suppression).
SMALL_GROUP_THRESHOLD = 5
