"""Writes for geography: importing regions and municipalities from a CSV/XLSX table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from meirim.common import audit
from meirim.common.tabular import ImportRejected, Problem, from_spreadsheet_text, read_table
from meirim.geography.models import Municipality, MunicipalityKind, Region

COLUMNS = [
    "code",
    "kind",
    "parent",
    "country",
    "name_kk",
    "name_ru",
    "name_en",
    "name_ky",
    "latitude",
    "longitude",
    "child_population",
]
REGION_KIND = "region"
NAME_FIELDS = ("name_kk", "name_ru", "name_en", "name_ky")
_CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{0,63}$")
_COUNTRY_PATTERN = re.compile(r"^[A-Z]{2}$")


@dataclass
class _Row:
    number: int
    code: str
    kind: str
    parent: str
    values: dict[str, Any]


@dataclass(frozen=True)
class ImportSummary:
    regions_created: int
    regions_updated: int
    municipalities_created: int
    municipalities_updated: int


def municipalities_import(*, data: bytes, filename: str, actor: Any) -> ImportSummary:
    """Import (create or update by code) every row, or nothing if any row is wrong."""
    table = read_table(data, filename, required=["code", "kind", "country"])
    problems: list[Problem] = []
    rows = [_parse_row(number, record, problems) for number, record in table]
    valid_rows = [row for row in rows if row is not None]
    _check_codes_and_parents(valid_rows, problems)
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic():
        summary = _write(valid_rows)
        audit.record(
            actor=actor,
            action="geography.import",
            object_type="geography.municipality",
            object_label=filename,
            changes={
                "rows": len(valid_rows),
                "regions_created": summary.regions_created,
                "regions_updated": summary.regions_updated,
                "municipalities_created": summary.municipalities_created,
                "municipalities_updated": summary.municipalities_updated,
            },
        )
    return summary


def _parse_row(number: int, record: dict[str, str], problems: list[Problem]) -> _Row | None:
    start = len(problems)
    code = record.get("code", "")
    kind = record.get("kind", "")
    parent = record.get("parent", "")
    country = record.get("country", "")
    if not code:
        problems.append(Problem(number, "code", _("a code is required")))
    elif not _CODE_PATTERN.match(code):
        problems.append(
            Problem(number, "code", _("use capital Latin letters, digits, '-', '_' or '.'"))
        )
    kinds = [REGION_KIND, *MunicipalityKind.values]
    if kind not in kinds:
        problems.append(
            Problem(
                number,
                "kind",
                _("unknown kind '%(kind)s'; expected one of: %(kinds)s")
                % {"kind": kind, "kinds": ", ".join(kinds)},
            )
        )
    if not _COUNTRY_PATTERN.match(country):
        problems.append(Problem(number, "country", _("a two-letter ISO country code is required")))
    if not any(record.get(name) for name in NAME_FIELDS):
        problems.append(Problem(number, "name_en", _("at least one name is required")))
    if kind in (REGION_KIND, MunicipalityKind.CITY_REPUBLICAN) and parent:
        problems.append(Problem(number, "parent", _("a region or republican city has no parent")))
    if kind in MunicipalityKind.values and kind != MunicipalityKind.CITY_REPUBLICAN and not parent:
        problems.append(Problem(number, "parent", _("a parent is required for this kind")))
    values: dict[str, Any] = {"country": country}
    for name in NAME_FIELDS:
        values[name] = from_spreadsheet_text(record.get(name, ""))[:200]
    values["latitude"] = _decimal(record, "latitude", -90, 90, number, problems)
    values["longitude"] = _decimal(record, "longitude", -180, 180, number, problems)
    values["child_population"] = _count(record, "child_population", number, problems)
    if len(problems) > start:
        return None
    return _Row(number, code, kind, parent, values)


def _decimal(
    record: dict[str, str], name: str, low: int, high: int, number: int, problems: list[Problem]
) -> Decimal | None:
    raw = record.get(name, "")
    if not raw:
        return None
    try:
        value: Decimal | None = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or value.is_nan():  # Decimal reads "NaN", which compares with nothing
        problems.append(Problem(number, name, _("'%(value)s' is not a number") % {"value": raw}))
        return None
    if not low <= value <= high:
        problems.append(
            Problem(
                number,
                name,
                _("%(value)s is outside %(low)s…%(high)s")
                % {"value": raw, "low": low, "high": high},
            )
        )
        return None
    return value.quantize(Decimal("0.00001"))


def _count(record: dict[str, str], name: str, number: int, problems: list[Problem]) -> int | None:
    raw = record.get(name, "").replace(" ", "")
    if not raw:
        return None
    if not raw.isdigit():
        problems.append(
            Problem(number, name, _("'%(value)s' is not a whole number ≥ 0") % {"value": raw})
        )
        return None
    return int(raw)


def _check_codes_and_parents(rows: list[_Row], problems: list[Problem]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        if row.code in seen:
            problems.append(
                Problem(
                    row.number,
                    "code",
                    _("duplicate code '%(code)s' (first used on row %(first)s)")
                    % {"code": row.code, "first": seen[row.code]},
                )
            )
        else:
            seen[row.code] = row.number
    in_file = {row.code: row for row in rows}
    existing_regions = set(Region.objects.values_list("code", flat=True))
    existing_municipalities = set(Municipality.objects.values_list("code", flat=True))
    for row in rows:
        is_region = row.kind == REGION_KIND
        if is_region and row.code in existing_municipalities:
            problems.append(
                Problem(row.number, "kind", _("this code already belongs to a municipality"))
            )
        if not is_region and row.code in existing_regions:
            problems.append(Problem(row.number, "kind", _("this code already belongs to a region")))
        if not row.parent:
            continue
        known = row.parent in in_file or row.parent in existing_regions
        known = known or row.parent in existing_municipalities
        if not known:
            problems.append(
                Problem(
                    row.number,
                    "parent",
                    _("unknown parent '%(parent)s'") % {"parent": row.parent},
                )
            )
        elif row.parent == row.code or _has_cycle(row, in_file):
            problems.append(Problem(row.number, "parent", _("the parent chain loops back")))


def _has_cycle(row: _Row, in_file: dict[str, _Row]) -> bool:
    seen = {row.code}
    current = in_file.get(row.parent)
    while current is not None:
        if current.code in seen:
            return True
        seen.add(current.code)
        current = in_file.get(current.parent)
    return False


def _write(rows: list[_Row]) -> ImportSummary:
    counts = {"rc": 0, "ru": 0, "mc": 0, "mu": 0}
    for row in rows:
        if row.kind != REGION_KIND:
            continue
        region_values = {k: v for k, v in row.values.items() if k != "child_population"}
        _, created = Region.objects.update_or_create(code=row.code, defaults=region_values)
        counts["rc" if created else "ru"] += 1
    regions = {region.code: region for region in Region.objects.all()}
    municipalities = {m.code: m for m in Municipality.objects.all()}
    pending = [row for row in rows if row.kind != REGION_KIND]
    # Parents may come later in the file: write in passes until every row has its parent.
    while pending:
        postponed = []
        for row in pending:
            region, parent = _resolve(row, regions, municipalities)
            if row.parent and region is None and parent is None:
                postponed.append(row)
                continue
            defaults = {**row.values, "kind": row.kind, "region": region, "parent": parent}
            municipality, created = Municipality.objects.update_or_create(
                code=row.code, defaults=defaults
            )
            municipalities[row.code] = municipality
            counts["mc" if created else "mu"] += 1
        if len(postponed) == len(pending):  # cannot happen after validation
            raise ImportRejected(
                [Problem(r.number, "parent", _("unresolved parent")) for r in postponed]
            )
        pending = postponed
    return ImportSummary(counts["rc"], counts["ru"], counts["mc"], counts["mu"])


def _resolve(
    row: _Row, regions: dict[str, Region], municipalities: dict[str, Municipality]
) -> tuple[Region | None, Municipality | None]:
    if not row.parent:
        return None, None
    if row.parent in regions:
        return regions[row.parent], None
    parent = municipalities.get(row.parent)
    if parent is None:
        return None, None
    return parent.region, parent
