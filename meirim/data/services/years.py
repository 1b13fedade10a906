"""Approving (locking) a municipality's year of data, and reopening it for corrections.

Both are transitions of :data:`meirim.data.workflows.YEAR_APPROVAL`; a refusal is
:class:`~meirim.common.workflow.NotAllowed` with its reasons.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from meirim.catalogue.models import CatalogueVersion
from meirim.common.workflow import transition_apply
from meirim.data import selectors as data_selectors
from meirim.data.models import DataYear
from meirim.data.services.common import _bump_revision, _lock_municipalities
from meirim.data.workflows import YEAR_APPROVAL, may_act
from meirim.geography.models import Municipality


def _data_year(version: CatalogueVersion, municipality: Municipality, year: int) -> DataYear:
    data_year, _created = DataYear.objects.get_or_create(
        version=version, municipality=municipality, year=year
    )
    return data_year


def data_year_approve(
    *, version: CatalogueVersion, municipality: Municipality, year: int, actor: Any
) -> DataYear:
    """Approve (lock) a year: no more edits, imports or evidence changes until reopened.

    The indicators still missing are recorded with the approval (the page warns of them
    before the coordinator confirms).
    """
    with transaction.atomic():
        _lock_municipalities([municipality.pk])
        missing = data_selectors.missing_codes(version, municipality, year)
        approved = transition_apply(
            workflow=YEAR_APPROVAL,
            obj=_data_year(version, municipality, year),
            action="approve",
            actor=actor,
            may=may_act,
            context={"missing": missing},
        )
        _bump_revision(version, [municipality.pk], [year])
    assert isinstance(approved, DataYear)
    return approved


def data_year_reopen(
    *, version: CatalogueVersion, municipality: Municipality, year: int, actor: Any, reason: str
) -> DataYear:
    """Reopen an approved year for corrections (national council), with the reason."""
    with transaction.atomic():
        _lock_municipalities([municipality.pk])
        reopened = transition_apply(
            workflow=YEAR_APPROVAL,
            obj=_data_year(version, municipality, year),
            action="reopen",
            actor=actor,
            may=may_act,
            context={"reason": reason},
        )
        _bump_revision(version, [municipality.pk], [year])
    assert isinstance(reopened, DataYear)
    return reopened
