"""Writing the audit of facilities: one item at a time, or a whole file at once.

Every write runs in one transaction and leaves an audit row. An import checks every row
first and writes nothing unless the whole file is clean.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from meirim.common import audit
from meirim.common.files import evidence_file_problem
from meirim.common.tabular import ImportRejected, Problem, from_spreadsheet_text, read_table
from meirim.facilities import fields
from meirim.facilities.models import Facility
from meirim.geography.models import Municipality

# A city's inventory is a few hundred items; a file is refused beyond this.
IMPORT_MAX_ROWS = 5000


def check_evidence_file(file: UploadedFile[Any]) -> None:
    """The evidence rule shared by every upload (``meirim.common.files``)."""
    problem = evidence_file_problem(file)
    if problem is not None:
        raise ImportRejected([Problem(None, "evidence_file", problem)])


def _changes(facility: Facility, values: dict[str, Any]) -> dict[str, Any]:
    changed = {}
    for name, value in values.items():
        old = getattr(facility, name)
        if old != value:
            changed[name] = [_json(old), _json(value)]
    return changed


def _json(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool | list):
        return value
    return str(value)


def _store_file(facility: Facility, file: UploadedFile[Any]) -> str:
    """Store an evidence file under a random name; return the old stored name."""
    old = facility.evidence_file.name or ""
    extension = os.path.splitext(file.name or "")[1].lower()
    facility.evidence_file.save(f"{uuid.uuid4().hex}{extension}", file, save=False)
    return old


def _delete_after_commit(storage: Any, name: str) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def facility_create(
    *,
    municipality: Municipality,
    values: dict[str, Any],
    actor: Any,
    evidence_file: UploadedFile[Any] | None = None,
    is_demo: bool = False,
) -> Facility:
    """Add an item to the city's inventory."""
    if evidence_file is not None:
        check_evidence_file(evidence_file)
    facility = Facility(
        municipality=municipality, is_demo=is_demo, updated_by=audit.acting_user(actor)
    )
    for name, value in values.items():
        setattr(facility, name, value)
    with transaction.atomic():
        stored = ""
        if evidence_file is not None:
            _store_file(facility, evidence_file)
            stored = facility.evidence_file.name or ""
        try:
            facility.full_clean(exclude=["municipality", "updated_by", "evidence_file"])
            facility.save()
            audit.record(
                actor=actor,
                action="facilities.create",
                obj=facility,
                changes={k: _json(v) for k, v in values.items()},
            )
        except BaseException:
            if stored:
                facility.evidence_file.storage.delete(stored)
            raise
    return facility


def facility_update(
    *,
    facility: Facility,
    values: dict[str, Any],
    actor: Any,
    evidence_file: UploadedFile[Any] | None = None,
    remove_file: bool = False,
) -> Facility:
    """Change an item; a new evidence file replaces the old one (removed after commit)."""
    if evidence_file is not None:
        check_evidence_file(evidence_file)
    with transaction.atomic():
        changes = _changes(facility, values)
        for name, value in values.items():
            setattr(facility, name, value)
        storage = facility.evidence_file.storage
        old = ""
        if evidence_file is not None:
            old = _store_file(facility, evidence_file)
            changes["evidence_file"] = "replaced" if old else "added"
        elif remove_file and facility.evidence_file:
            old = facility.evidence_file.name or ""
            facility.evidence_file = ""
            changes["evidence_file"] = "removed"
        if not changes:
            return facility
        facility.updated_by = audit.acting_user(actor)
        facility.full_clean(exclude=["municipality", "updated_by", "evidence_file"])
        facility.save()
        audit.record(actor=actor, action="facilities.update", obj=facility, changes=changes)
        _delete_after_commit(storage, old)
    return facility


def facility_delete(*, facility: Facility, actor: Any) -> None:
    """Remove an item and, after commit, its evidence file."""
    with transaction.atomic():
        stored = facility.evidence_file.name or ""
        storage = facility.evidence_file.storage
        audit.record(
            actor=actor,
            action="facilities.delete",
            obj=facility,
            changes={"name": facility.name, "address": facility.address},
        )
        facility.delete()
        _delete_after_commit(storage, stored)


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated}


def _key(name: str, address: str) -> tuple[str, str]:
    return (" ".join(name.split()).casefold(), " ".join(address.split()).casefold())


def facilities_import(
    *, municipality: Municipality, data: bytes, filename: str, actor: Any
) -> ImportSummary:
    """Import a CSV or XLSX inventory: every row is checked, then all are written or none.

    A row whose name and address match an item of the city (ignoring case and repeated
    spaces) updates it; the columns the file lacks keep their stored values. Other rows
    add items.
    """
    table = read_table(data, filename, required=fields.REQUIRED, max_rows=IMPORT_MAX_ROWS)
    unknown = [name for name in table.header if name and name not in fields.COLUMN_FIELDS]
    problems: list[Problem] = [
        Problem(1, name, _("unknown column; the columns are: %(columns)s")
                % {"columns": ", ".join(fields.COLUMNS)})
        for name in unknown
    ]  # fmt: skip
    parsed: list[tuple[int, dict[str, Any]]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, raw in table:
        record = {
            key: from_spreadsheet_text(value) if key in fields.TEXT_COLUMNS else value
            for key, value in raw.items()
            if key in fields.COLUMN_FIELDS
        }
        values, row_problems = fields.parse(record)
        problems.extend(Problem(number, column, message) for column, message in row_problems)
        if not row_problems:
            key = _key(values["name"], values.get("address", ""))
            if key in seen:
                problems.append(
                    Problem(
                        number,
                        "name",
                        _("the same name and address are on row %(row)s") % {"row": seen[key]},
                    )
                )
            seen[key] = number
            parsed.append((number, values))
    if not table.rows and not problems:
        problems.append(Problem(None, "", _("The file has no rows under its header.")))
    if problems:
        raise ImportRejected(problems)
    created = updated = 0
    with transaction.atomic():
        existing = {
            _key(f.name, f.address): f
            for f in Facility.objects.select_for_update().filter(municipality=municipality)
        }
        for _number, values in parsed:
            found = existing.get(_key(values["name"], values.get("address", "")))
            if found is None:
                facility_create(municipality=municipality, values=values, actor=actor)
                created += 1
            else:
                facility_update(facility=found, values=values, actor=actor)
                updated += 1
        audit.record(
            actor=actor,
            action="facilities.import",
            obj=municipality,
            changes={"file": filename[:200], "created": created, "updated": updated},
        )
    return ImportSummary(created=created, updated=updated)
