"""Reads for publishing a catalogue version: what happens to the cities' data.

The cities enter data under the latest published version. Publishing a new one makes it the
version every page reads, so the data of the items that did not change carry over to it
(:func:`meirim.data.services.publish.catalogue_version_publish`); this module says, before
anyone confirms, how many values, years and files that is and which items need new data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from meirim.catalogue.changes import VersionChanges, version_changes
from meirim.catalogue.models import CatalogueVersion
from meirim.data.models import DataYear, Observation
from meirim.geography.models import Municipality


def carry_source(version: CatalogueVersion) -> CatalogueVersion | None:
    """The version whose data ``version`` takes over: the latest published one before it."""
    return (
        CatalogueVersion.objects.filter(status=CatalogueVersion.Status.PUBLISHED)
        .exclude(pk=version.pk)
        .order_by("-published_at", "-id")
        .first()
    )


@dataclass(frozen=True)
class MunicipalityCarry:
    municipality: Municipality
    values: int  # observations that carry over
    years: int  # data years (open or approved) that carry over
    approved_years: int


@dataclass(frozen=True)
class PublishPlan:
    version: CatalogueVersion
    changes: VersionChanges | None  # None: there is no earlier published version
    municipalities: tuple[MunicipalityCarry, ...]
    values: int  # total observations that carry over
    values_left: int  # observations of changed or removed items, kept only under the source
    approved_years: int

    @property
    def source(self) -> CatalogueVersion | None:
        return self.changes.source if self.changes else None


def publish_plan(version: CatalogueVersion) -> PublishPlan:
    """What publishing ``version`` now would carry over, per municipality (a few queries)."""
    source = carry_source(version)
    if source is None:
        return PublishPlan(version, None, (), 0, 0, 0)
    changes = version_changes(source=source, target=version)
    observations = Observation.objects.filter(version=source).order_by()
    carried = observations.filter(code__in=sorted(changes.unchanged))
    values = dict(
        carried.values_list("municipality_id")
        .annotate(n=Count("id"))
        .values_list("municipality_id", "n")
    )
    years = {
        row["municipality_id"]: (row["n"], row["approved"])
        for row in DataYear.objects.filter(version=source)
        .order_by()
        .values("municipality_id")
        .annotate(n=Count("id"), approved=Count("id", filter=Q(state=DataYear.State.APPROVED)))
    }
    places = Municipality.objects.filter(pk__in=set(values) | set(years)).order_by(
        "country", "code"
    )
    rows = tuple(
        MunicipalityCarry(
            municipality=place,
            values=values.get(place.pk, 0),
            years=years.get(place.pk, (0, 0))[0],
            approved_years=years.get(place.pk, (0, 0))[1],
        )
        for place in places
    )
    total = sum(values.values())
    return PublishPlan(
        version=version,
        changes=changes,
        municipalities=rows,
        values=total,
        values_left=observations.count() - total,
        approved_years=sum(approved for _n, approved in years.values()),
    )
