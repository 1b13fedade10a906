"""Saving cells one by one: a single observation, or the cells of one year's entry form."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from meirim.catalogue.models import CatalogueVersion
from meirim.common import audit
from meirim.common.tabular import ImportRejected, Problem
from meirim.data import selectors as data_selectors
from meirim.data.models import Observation
from meirim.data.services.common import (
    CELL_CONTENT,
    _bump_revision,
    _lock_municipalities,
)
from meirim.data.services.evidence import _check_evidence_file, _evidence_add
from meirim.data.validation import (
    DESCRIPTION,
    KNOWN_COLUMNS,
    CleanRow,
    RowChecker,
    check_history,
    format_number,
)
from meirim.geography.models import Municipality

# The fields of a cell that ``observation_save`` accepts in ``values``.
SAVE_FIELDS = tuple(name for name in KNOWN_COLUMNS if name not in ("code", "year"))
_AUDITED = CELL_CONTENT


class EntryRejected(ImportRejected):
    """Problems of a data entry form, grouped by the code of the item they concern."""

    def __init__(self, problems_by_code: Mapping[str, Sequence[Problem]]):
        self.problems_by_code = {code: list(found) for code, found in problems_by_code.items()}
        super().__init__([problem for found in self.problems_by_code.values() for problem in found])


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format_number(value)
    return str(value)


def _snapshot(observation: Observation) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name in _AUDITED:
        value = getattr(observation, name)
        result[name] = format_number(value) if isinstance(value, Decimal) else value
    return result


def observation_save(
    *,
    version: CatalogueVersion,
    municipality: Municipality,
    code: str,
    year: int,
    values: Mapping[str, Any],
    actor: Any,
    evidence_files: Sequence[UploadedFile[Any]] = (),
) -> Observation:
    """Create or update one cell (``values`` describes the whole cell; missing keys are empty).

    ``values`` keys: value, numerator, denominator, status, sex, age_band, disability,
    district, data_type, collection_method, source, comment, description (the text of a
    qualitative answer). With numerator and denominator of a percentage or rate, the value
    is computed here. Raises :class:`ImportRejected` (``row=None``) on bad input or when the
    year is approved.
    """
    with transaction.atomic():
        observation = _observation_save(
            version=version,
            municipality=municipality,
            code=code,
            year=year,
            values=values,
            actor=actor,
            evidence_files=evidence_files,
        )
        _bump_revision(version, [municipality.pk], [year])
    return observation


def observations_save_many(
    *,
    version: CatalogueVersion,
    municipality: Municipality,
    year: int,
    rows: Mapping[str, Mapping[str, Any]],
    actor: Any,
) -> list[Observation]:
    """Save several cells of one year at once (the entry form): all of them or none.

    Raises :class:`EntryRejected` with the problems of every refused cell, by code.
    """
    problems: dict[str, list[Problem]] = {}
    saved: list[Observation] = []
    with transaction.atomic():
        for code, values in rows.items():
            try:
                with transaction.atomic():
                    saved.append(
                        _observation_save(
                            version=version,
                            municipality=municipality,
                            code=code,
                            year=year,
                            values=values,
                            actor=actor,
                        )
                    )
            except ImportRejected as rejected:
                problems[code] = rejected.problems
        if problems:
            raise EntryRejected(problems)
        if saved:
            _bump_revision(version, [municipality.pk], [year])
    return saved


def _observation_save(
    *,
    version: CatalogueVersion,
    municipality: Municipality,
    code: str,
    year: int,
    values: Mapping[str, Any],
    actor: Any,
    evidence_files: Sequence[UploadedFile[Any]] = (),
) -> Observation:
    unknown = set(values) - {*SAVE_FIELDS, "text_value"}
    if unknown:
        raise ValueError(f"unknown observation fields: {', '.join(sorted(unknown))}")
    for file in evidence_files:
        _check_evidence_file(file)
    record = {name: _as_text(values.get(name)) for name in SAVE_FIELDS}
    if not record[DESCRIPTION] and values.get("text_value"):
        record[DESCRIPTION] = _as_text(values.get("text_value"))
    header = ["code", "year", *SAVE_FIELDS]
    cells = [code, _as_text(year), *(record[name] for name in SAVE_FIELDS)]

    _lock_municipalities([municipality.pk])
    checker = RowChecker(
        header=header,
        items=data_selectors.item_specs(version),
        version_code=version.code,
        current_year=data_selectors.current_year(),
        locked=data_selectors.locked_years(version, [municipality.pk]),
        municipality_id=municipality.pk,
    )
    problems: list[Problem] = []
    row = checker.check(None, cells, problems)
    if problems or not isinstance(row, CleanRow):
        raise ImportRejected(problems)

    breakdown = {
        "sex": row.sex,
        "age_band": row.age_band,
        "disability": row.disability,
        "district": row.district,
    }
    history: dict[int, float | None] = dict(
        data_selectors.cell_series(version, municipality, row.code, breakdown)
    )
    history.pop(row.year, None)
    check_history([row], {row.series: history})

    observation = Observation.objects.filter(
        version=version, municipality=municipality, code=row.code, year=row.year, **breakdown
    ).first()
    created = observation is None
    if observation is None:
        observation = Observation(
            version=version, municipality=municipality, code=row.code, year=row.year, **breakdown
        )
        before: dict[str, Any] = {}
    else:
        before = _snapshot(observation)
    observation.value = row.value
    observation.numerator = row.numerator
    observation.denominator = row.denominator
    observation.text_value = row.text_value
    observation.status = row.status
    observation.data_type = row.data_type
    observation.collection_method = row.collection_method
    observation.source = row.source
    observation.comment = row.comment
    observation.is_outlier = row.is_outlier
    observation.is_demo = False
    observation.updated_by = audit.acting_user(actor)
    observation.save()
    changes = audit.diff(before, _snapshot(observation))
    if created:
        changes["created"] = True
    audit.record(actor=actor, action="data.observation_save", obj=observation, changes=changes)
    for file in evidence_files:
        _evidence_add(observation=observation, file=file, actor=actor)
    return observation
