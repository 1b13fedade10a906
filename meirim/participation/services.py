"""Writing the participation log: activities with their counts, and evidence statements."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from meirim.common import audit
from meirim.geography.models import Municipality
from meirim.participation.models import Activity, EvidenceStatement, ParticipantCount

ACTIVITY_FIELDS = (
    "topic",
    "held_on",
    "recurrence",
    "recurrence_note",
    "action",
    "rung",
    "kind",
    "quality",
    "hard_to_reach",
    "impact",
    "what_changed",
)


def activity_save(
    *,
    municipality: Municipality,
    values: Mapping[str, Any],
    participants: Mapping[tuple[str, str], int],
    actor: Any,
    activity: Activity | None = None,
    is_demo: bool = False,
) -> Activity:
    """Create (``activity`` None) or update an activity and replace its participant counts.

    ``values`` holds already validated fields (see ``ACTIVITY_FIELDS``); ``participants`` maps
    (age band, sex) to a count (zero counts are not stored).
    """
    with transaction.atomic():
        created = activity is None
        if activity is None:
            activity = Activity(municipality=municipality, is_demo=is_demo)
        before = {name: _plain(getattr(activity, name, None)) for name in ACTIVITY_FIELDS}
        for name in ACTIVITY_FIELDS:
            if name in values:
                setattr(activity, name, values[name])
        if activity.recurrence == Activity.Recurrence.ONE_OFF:
            activity.recurrence_note = ""
        activity.updated_by = audit.acting_user(actor)
        activity.full_clean(exclude=["municipality", "action", "updated_by"])
        activity.save()
        activity.participants.all().delete()
        ParticipantCount.objects.bulk_create(
            ParticipantCount(activity=activity, age_band=band, sex=sex, count=count)
            for (band, sex), count in sorted(participants.items())
            if count
        )
        after = {name: _plain(getattr(activity, name)) for name in ACTIVITY_FIELDS}
        changes: dict[str, Any] = {
            k: [before[k], after[k]] for k in ACTIVITY_FIELDS if before[k] != after[k]
        }
        changes["participants"] = sum(participants.values())
        audit.record(
            actor=actor,
            action="participation.activity_add" if created else "participation.activity_edit",
            obj=activity,
            changes=changes,
        )
    return activity


def activity_delete(*, activity: Activity, actor: Any) -> None:
    with transaction.atomic():
        audit.record(actor=actor, action="participation.activity_delete", obj=activity)
        activity.delete()


def evidence_statement_save(
    *,
    municipality: Municipality,
    code: str,
    text: str,
    actor: Any,
    file: UploadedFile[Any] | None = None,
) -> EvidenceStatement:
    """Write the city's statement for P5–P7, with an optional evidence file (the form checks
    its kind and size like the data's evidence files)."""
    with transaction.atomic():
        statement, created = EvidenceStatement.objects.get_or_create(
            municipality=municipality, code=code, defaults={"text": text}
        )
        before = "" if created else statement.text
        statement.text = text
        if file is not None:
            statement.evidence_file = file
        statement.save()
        audit.record(
            actor=actor,
            action="participation.evidence_save",
            obj=statement,
            changes={"text": [before, text], "file": file.name if file is not None else None},
        )
    return statement


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, bool, dict, list)):
        return value
    if hasattr(value, "pk"):
        return str(value)
    return str(value)
