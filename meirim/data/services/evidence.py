"""Evidence files attached to observations: checked, stored privately, removed after commit."""

from __future__ import annotations

import os
import uuid
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from meirim.catalogue.models import CatalogueVersion
from meirim.common import audit
from meirim.common.files import evidence_file_problem
from meirim.common.tabular import ImportRejected, Problem
from meirim.data import selectors as data_selectors
from meirim.data.models import Observation, ObservationEvidence
from meirim.data.services.common import _bump_revision, _lock_municipalities
from meirim.data.validation import msg_locked
from meirim.geography.models import Municipality


def _refuse_if_locked(version: CatalogueVersion, municipality: Municipality, year: int) -> None:
    if data_selectors.is_year_locked(version, municipality, year):
        raise ImportRejected([Problem(None, "year", msg_locked(year))])


def _check_evidence_file(file: UploadedFile[Any]) -> None:
    problem = evidence_file_problem(file)
    if problem is not None:
        raise ImportRejected([Problem(None, "file", problem)])


def evidence_add(
    *, observation: Observation, file: UploadedFile[Any], actor: Any
) -> ObservationEvidence:
    """Attach a file to an observation; the file is stored privately under MEDIA_ROOT."""
    _check_evidence_file(file)
    with transaction.atomic():
        _lock_municipalities([observation.municipality_id])
        evidence = _evidence_add(observation=observation, file=file, actor=actor)
        _bump_revision(observation.version, [observation.municipality_id], [observation.year])
    return evidence


def _evidence_add(
    *, observation: Observation, file: UploadedFile[Any], actor: Any
) -> ObservationEvidence:
    _refuse_if_locked(observation.version, observation.municipality, observation.year)
    original = os.path.basename(file.name or "file")[:255]
    extension = os.path.splitext(original)[1].lower()
    evidence = ObservationEvidence(
        observation=observation, original_name=original, uploaded_by=audit.acting_user(actor)
    )
    # A random stored name: nothing about the file can be guessed from its path.
    evidence.file.save(f"{uuid.uuid4().hex}{extension}", file, save=False)
    stored_name = evidence.file.name or ""
    try:
        evidence.save()
        audit.record(
            actor=actor,
            action="data.evidence_add",
            obj=evidence,
            changes={"observation": observation.pk, "file": original, "stored": stored_name},
        )
    except BaseException:
        evidence.file.storage.delete(stored_name)
        raise
    return evidence


def evidence_remove(*, evidence: ObservationEvidence, actor: Any) -> None:
    """Remove an evidence file (the database row now, the file on disk after commit)."""
    observation = evidence.observation
    with transaction.atomic():
        _lock_municipalities([observation.municipality_id])
        _refuse_if_locked(observation.version, observation.municipality, observation.year)
        stored_name = evidence.file.name or ""
        storage = evidence.file.storage
        audit.record(
            actor=actor,
            action="data.evidence_remove",
            obj=evidence,
            changes={"observation": observation.pk, "file": evidence.original_name},
        )
        evidence.delete()
        _bump_revision(observation.version, [observation.municipality_id], [observation.year])
        # Publishing a catalogue version carries evidence over with the same stored file:
        # the file goes only with the last row that names it.
        if not ObservationEvidence.objects.filter(file=stored_name).exists():
            transaction.on_commit(lambda: storage.delete(stored_name))
