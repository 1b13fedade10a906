"""What each role lets a person do, as links on their personal page.

Each entry names an action of the access table: a role's menu lists exactly the entries whose
action the role holds, so the menu cannot promise what the pages refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meirim.accounts.access import roles_allowed, roles_of
from meirim.accounts.models import RoleAssignment


@dataclass(frozen=True)
class Capability:
    label: Any
    url: str


@dataclass(frozen=True)
class MenuEntry:
    action: str | None  # None: open to everyone
    label: Any
    # Builds the link for one role assignment; None when the entry needs a scope it lacks.
    link: Callable[[RoleAssignment], str | None]


def _municipal(name: str) -> Callable[[RoleAssignment], str | None]:
    def link(assignment: RoleAssignment) -> str | None:
        return (
            reverse(name, args=[assignment.municipality.code]) if assignment.municipality else None
        )

    return link


def _fixed(name: str) -> Callable[[RoleAssignment], str | None]:
    return lambda assignment: reverse(name)


def _region_list(assignment: RoleAssignment) -> str | None:
    if assignment.region is None:
        return None
    return reverse("geography:list") + f"?region={assignment.region.code}"


MENU: list[MenuEntry] = [
    MenuEntry(
        "catalogue.edit",
        _("Copy the catalogue to a new version, change targets, publish"),
        _fixed("catalogue:versions"),
    ),
    MenuEntry("audit.read", _("Browse the audit log"), _fixed("audit:list")),
    MenuEntry("admin.use", _("Administer users and roles"), _fixed("admin:index")),
    MenuEntry(
        "data.read_draft",
        _("See which municipality has approved which data year"),
        _fixed("data:overview"),
    ),
    MenuEntry("data.enter", _("Enter your municipality's data"), _municipal("data:years")),
    MenuEntry("data.upload", _("Upload a data file and approve a year"), _municipal("data:upload")),
    MenuEntry(
        "preparation.overview",
        _("Follow every city's Phase 1 preparation and give feedback on portfolios"),
        _fixed("portfolio:overview"),
    ),
    MenuEntry(
        "preparation.read",
        _("Your municipality's Phase 1: the eight steps and what is missing"),
        _municipal("portfolio:progress"),
    ),
    MenuEntry(
        "governance.answer",
        _("Answer the governance self-assessment"),
        _municipal("governance:rounds"),
    ),
    MenuEntry(
        "portfolio.submit",
        _("Submit the preparatory portfolio and answer the council's feedback"),
        _municipal("portfolio:portfolio"),
    ),
    MenuEntry(
        "recognition.manage",
        _("Prepare assessment cycles, their criteria and rubric, and open the calls"),
        _fixed("recognition:cycles"),
    ),
    MenuEntry(
        "recognition.manage",
        _("Keep the national council's roster"),
        _fixed("recognition:roster"),
    ),
    MenuEntry(
        "recognition.prepare",
        _("Phase 2: apply for recognition and prepare the recognition portfolio"),
        _municipal("recognition:city"),
    ),
    MenuEntry(
        "recognition.group_manage",
        _("Record your city's community group and its members"),
        _municipal("recognition:group"),
    ),
    MenuEntry(
        "recognition.group",
        _("Your community group: read the city's portfolio and send your report"),
        _municipal("recognition:group_work"),
    ),
    MenuEntry(
        "recognition.review",
        _("Review the applications given to you: conflicts of interest and scores"),
        _fixed("recognition:my_reviews"),
    ),
    MenuEntry(
        "voice.moderate",
        _("Read, answer and publish children's suggestions"),
        _municipal("voice:moderation"),
    ),
    MenuEntry(
        "voice.safeguarding",
        _("Safeguarding concerns raised in children's suggestions"),
        _municipal("voice:safeguarding"),
    ),
    MenuEntry(
        "surveys.manage",
        _("Children's surveys: upload, publish, import answers"),
        _municipal("surveys:manage"),
    ),
    MenuEntry(None, _("See your municipality's results"), _municipal("reports:dashboard")),
    MenuEntry(None, _("See your municipality's page"), _municipal("geography:detail")),
    MenuEntry(None, _("See the municipalities of your region"), _region_list),
    MenuEntry(None, _("See the registry of recognised cities"), _fixed("recognition:registry")),
    MenuEntry(None, _("Read the index results"), _fixed("reports:index")),
    MenuEntry(None, _("Browse the national index catalogue"), _fixed("catalogue:versions")),
    MenuEntry(None, _("Browse municipalities"), _fixed("geography:list")),
]


def capabilities_for(user: Any) -> list[tuple[RoleAssignment, list[Capability]]]:
    """For each role the user holds: the assignment (role and scope) and what it allows."""
    result = []
    for assignment in roles_of(user):
        caps = []
        for entry in MENU:
            if entry.action is not None and assignment.role not in roles_allowed(entry.action):
                continue
            url = entry.link(assignment)
            if url is not None:
                caps.append(Capability(entry.label, url))
        result.append((assignment, caps))
    return result
