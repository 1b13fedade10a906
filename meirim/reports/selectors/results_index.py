"""The municipalities with results, each with its latest overall score (the results home)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from meirim.catalogue.models import CatalogueVersion
from meirim.geography.models import Municipality
from meirim.reports import adapter, store
from meirim.reports.adapter import Scope
from meirim.reports.selectors.common import Catalogue, _opt, catalogue


@dataclass(frozen=True)
class PlaceSummary:
    municipality: Municipality
    years: tuple[int, ...]
    latest: float | None
    band: tuple[int, int] | None
    demo: bool


@dataclass(frozen=True)
class ResultsIndex:
    version: CatalogueVersion
    revision: int
    computed_at: datetime | None
    updating: bool
    places: tuple[PlaceSummary, ...]
    catalogue: Catalogue
    demo: bool


def results_index(*, version: CatalogueVersion) -> ResultsIndex:
    results = store.read(version, Scope.public(), codes=[adapter.ROOT])
    data, result, fw = results.data, results.result, results.framework
    municipalities = {
        m.code: m for m in Municipality.objects.filter(code__in=data.units).select_related("region")
    }
    places = []
    for u, unit in enumerate(data.units):
        years = data.unit_years[u]
        latest = None
        if result is not None and fw is not None and years:
            a = fw.aggregates.index(adapter.ROOT)
            latest = _opt(result.scores[u, a, data.years.index(years[-1])])
        places.append(
            PlaceSummary(
                municipality=municipalities[unit],
                years=years,
                latest=latest,
                band=adapter.score_band(latest),
                demo=bool(data.demo[u].any()),
            )
        )
    places.sort(key=lambda p: (p.municipality.country, p.municipality.code))
    return ResultsIndex(
        version=version,
        revision=results.revision,
        computed_at=results.computed_at,
        updating=results.updating,
        places=tuple(places),
        catalogue=catalogue(version),
        demo=data.any_demo,
    )
