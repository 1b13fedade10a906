"""Reads for geography."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.db.models import QuerySet

from meirim.common import rows
from meirim.common.tabular import spreadsheet_text
from meirim.geography.models import Municipality, Region
from meirim.geography.services import COLUMNS, REGION_KIND


def municipality_list(
    *, country: str = "", region: str = "", kind: str = "", query: str = ""
) -> QuerySet[Municipality]:
    qs = Municipality.objects.select_related("region", "parent")
    if country:
        qs = qs.filter(country=country)
    if region:
        qs = qs.filter(region__code=region)
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        from django.db.models import Q

        qs = qs.filter(
            Q(name_kk__icontains=query)
            | Q(name_ru__icontains=query)
            | Q(name_en__icontains=query)
            | Q(name_ky__icontains=query)
            | Q(code__icontains=query)
        )
    return qs.order_by("country", "region__code", "code")


def municipality_get(*, code: str) -> Municipality:
    return Municipality.objects.select_related("region", "parent").get(code=code)


def municipality_find(code: str) -> Municipality | None:
    """The municipality ``code``, or None; its region and parent are read when asked for.
    A plain SELECT: every results page and answer starts with it."""
    return rows.first(Municipality, "code = %s", [code])


def region_list(*, country: str = "") -> QuerySet[Region]:
    qs = Region.objects.all()
    return qs.filter(country=country) if country else qs


def countries() -> list[str]:
    codes = set(Region.objects.values_list("country", flat=True))
    codes |= set(Municipality.objects.values_list("country", flat=True))
    return sorted(codes)


def _export_rows() -> Iterable[list[str]]:
    def fmt(value: object) -> str:
        # Names are free text: never a live formula once opened in a spreadsheet program.
        return (
            ""
            if value is None
            else spreadsheet_text(value)
            if isinstance(value, str)
            else str(value)
        )

    for region in Region.objects.order_by("country", "code"):
        yield (
            [region.code, REGION_KIND, "", region.country]
            + [fmt(getattr(region, name)) for name in COLUMNS[4:10]]
            + [""]
        )
    # Parents before children: order by depth, computed from the in-memory tree.
    municipalities = list(Municipality.objects.select_related("region", "parent"))
    depth: dict[int, int] = {}

    def depth_of(m: Municipality) -> int:
        if m.pk not in depth:
            depth[m.pk] = 0 if m.parent is None else depth_of(m.parent) + 1
        return depth[m.pk]

    for m in sorted(municipalities, key=lambda m: (depth_of(m), m.country, m.code)):
        parent = m.parent.code if m.parent else (m.region.code if m.region else "")
        yield [m.code, m.kind, parent, m.country] + [fmt(getattr(m, name)) for name in COLUMNS[4:]]


def municipalities_export_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_export_rows())
    return buffer.getvalue()
