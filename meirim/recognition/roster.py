"""The national council's roster (R-2.2): services and the public list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from meirim.common import audit
from meirim.recognition.models import CouncilMember

FIELDS = ("name", "constituency", "organisation", "position", "user", "joined_on", "left_on")


def members() -> QuerySet[CouncilMember]:
    return CouncilMember.objects.all()


def member_get(pk: int) -> CouncilMember | None:
    return CouncilMember.objects.filter(pk=pk).first()


def _plain(member: CouncilMember) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in FIELDS:
        value = getattr(member, f"{name}_id" if name == "user" else name)
        values[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return values


def member_save(
    *, values: Mapping[str, Any], actor: Any, member: CouncilMember | None = None
) -> CouncilMember:
    with transaction.atomic():
        target = member or CouncilMember()
        before = _plain(target) if member else {}
        for name in FIELDS:
            if name in values:
                setattr(target, name, values[name])
        target.save()
        audit.record(
            actor=actor,
            action=f"recognition.council_member.{'update' if member else 'add'}",
            obj=target,
            changes=audit.diff(before, _plain(target)),
        )
    return target


def member_remove(*, member: CouncilMember, actor: Any) -> None:
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="recognition.council_member.remove",
            obj=member,
            changes={"name": member.name, "constituency": member.constituency},
        )
        member.delete()
