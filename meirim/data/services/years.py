"""Approving (locking) a municipality's year of data, and reopening it for corrections."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meirim.catalogue.models import CatalogueVersion
from meirim.common import audit
from meirim.common.tabular import ImportRejected, Problem
from meirim.data import selectors as data_selectors
from meirim.data.models import DataYear
from meirim.data.services.common import _bump_revision, _lock_municipalities, _user
from meirim.data.validation import FIRST_YEAR, max_year
from meirim.geography.models import Municipality


def _check_year(year: int) -> None:
    last = max_year(data_selectors.current_year())
    if not FIRST_YEAR <= year <= last:
        raise ImportRejected(
            [
                Problem(
                    None,
                    "year",
                    _("the year must be between %(first)s and %(last)s")
                    % {"first": FIRST_YEAR, "last": last},
                )
            ]
        )


def data_year_approve(
    *, version: CatalogueVersion, municipality: Municipality, year: int, actor: Any
) -> DataYear:
    """Approve (lock) a year: no more edits, imports or evidence changes until reopened."""
    _check_year(year)
    with transaction.atomic():
        _lock_municipalities([municipality.pk])
        data_year, _created = DataYear.objects.get_or_create(
            version=version, municipality=municipality, year=year
        )
        if data_year.state == DataYear.State.APPROVED:
            raise ImportRejected(
                [
                    Problem(
                        None,
                        "year",
                        _("The data for %(year)s are already approved.") % {"year": year},
                    )
                ]
            )
        missing = [state.missing for state in data_selectors.data_years(version, municipality)
                   if state.year == year]  # fmt: skip
        data_year.state = DataYear.State.APPROVED
        data_year.approved_at = timezone.now()
        data_year.approved_by = _user(actor)
        data_year.save()
        audit.record(
            actor=actor,
            action="data.year_approve",
            obj=data_year,
            changes={
                "state": [DataYear.State.OPEN, DataYear.State.APPROVED],
                "version": version.code,
                "missing": missing[0] if missing else [],
            },
        )
        _bump_revision(version, [municipality.pk])
    return data_year


def data_year_reopen(
    *, version: CatalogueVersion, municipality: Municipality, year: int, actor: Any, reason: str
) -> DataYear:
    """Reopen an approved year for corrections (national council), with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ImportRejected(
            [Problem(None, "reason", _("Give the reason for reopening the year."))]
        )
    with transaction.atomic():
        _lock_municipalities([municipality.pk])
        data_year = DataYear.objects.filter(
            version=version, municipality=municipality, year=year
        ).first()
        if data_year is None or data_year.state != DataYear.State.APPROVED:
            raise ImportRejected(
                [
                    Problem(
                        None,
                        "year",
                        _("The data for %(year)s are not approved; there is nothing to reopen.")
                        % {"year": year},
                    )
                ]
            )
        previous = {
            "approved_at": data_year.approved_at.isoformat() if data_year.approved_at else None,
            "approved_by": data_year.approved_by.get_username() if data_year.approved_by else None,
        }
        data_year.state = DataYear.State.OPEN
        data_year.approved_at = None
        data_year.approved_by = None
        data_year.save()
        audit.record(
            actor=actor,
            action="data.year_reopen",
            obj=data_year,
            changes={
                "state": [DataYear.State.APPROVED, DataYear.State.OPEN],
                "version": version.code,
                "reason": reason,
                **previous,
            },
        )
        _bump_revision(version, [municipality.pk])
    return data_year
