"""Synthetic demonstration observations: several years for a handful of municipalities.

The figures are invented (seeded, so every demo looks the same), plausible for each
indicator's unit and direction, and drift towards improvement with noise. They go in through
the same import service a city coordinator uses, and are flagged ``is_demo`` so every page
that shows them says they are demonstration data.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from typing import Any

from django.db import transaction

from meirim.catalogue.models import BaselineFigure, CatalogueVersion, Indicator
from meirim.data.models import DataYear, Observation
from meirim.data.services import data_year_approve, observations_import
from meirim.geography.models import Municipality

DEMO_MUNICIPALITIES = [
    "KZ-AKM-KOKSHETAU",
    "KZ-AST",
    "KZ-ALA",
    "KZ-SHY",
    "KZ-AKT-AKTOBE",
    "KZ-PAV-PAVLODAR",
    "KG-B",
    "KG-O",
]
DEMO_YEARS = list(range(2021, 2026))
# The newest year stays open (a draft) in the first municipality, so its coordinator has
# something to approve and the preview of unapproved data can be seen.
OPEN_YEAR_MUNICIPALITY = "KZ-AKM-KOKSHETAU"
# Pavlodar's newest year is open too, with three indicators not reported yet: its recognition
# portfolio cannot be submitted until it states them, as the demo's walk shows.
UNREPORTED_LATEST = {"KZ-PAV-PAVLODAR": ("I12", "I47", "I63")}
OPEN_YEAR_MUNICIPALITIES = (OPEN_YEAR_MUNICIPALITY, *UNREPORTED_LATEST)
COLUMNS = ["code", "year", "value", "status", "collection_method", "source", "comment"]
SOURCE = "Demonstration data (synthetic)"


def _start_and_trend(indicator: Indicator, rng: random.Random) -> tuple[float, float]:
    """A plausible first-year value and yearly drift in the good direction."""
    unit = indicator.unit
    better = indicator.direction or 1
    if unit == "percent":
        start = rng.uniform(55, 90) if better > 0 else rng.uniform(3, 25)
        return start, better * rng.uniform(0.3, 2.0)
    if unit == "rate":
        factor = float(indicator.factor or 1000)
        scale = {1000: 12.0, 10000: 25.0, 100000: 40.0}.get(int(factor), 10.0)
        start = rng.uniform(0.3, 1.0) * scale
        return start, better * start * rng.uniform(0.01, 0.06)
    if unit == "count":
        start = float(rng.randint(2, 60))
        return start, better * rng.uniform(0.2, 2.0)
    if unit == "ratio":
        return rng.uniform(12, 22), better * rng.uniform(0.05, 0.4)
    return rng.uniform(10, 100), better * rng.uniform(0.1, 1.5)


def _value(indicator: Indicator, start: float, trend: float, step: int, rng: random.Random) -> str:
    if indicator.unit == "yesno":
        return "1" if rng.random() < 0.35 + 0.12 * step else "0"
    value = start + trend * step + rng.gauss(0, abs(trend) * 0.8 + 0.01 * start)
    if indicator.unit == "percent":
        value = min(max(value, 0.0), 100.0)
    value = max(value, 0.0)
    if indicator.unit == "count":
        return str(round(value))
    return f"{value:.2f}"


def _rows(
    municipality: Municipality, version: CatalogueVersion, seed: int
) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    indicators = Indicator.objects.filter(version=version).order_by("order")
    unreported = UNREPORTED_LATEST.get(municipality.code, ())
    for indicator in indicators:
        if indicator.unit == "text":
            continue
        start, trend = _start_and_trend(indicator, rng)
        # A few indicators a city cannot report: an explicit state, never a blank.
        state = rng.random()
        for step, year in enumerate(DEMO_YEARS):
            if year == DEMO_YEARS[-1] and indicator.code in unreported:
                continue
            row = {"code": indicator.code, "year": year, "source": SOURCE, "comment": ""}
            if state < 0.05:
                row.update(status="outside_competence", value="")
            elif state < 0.10 and step < 2:
                row.update(status="no_data", value="")
            else:
                row.update(status="reported", value=_value(indicator, start, trend, step, rng))
            row["collection_method"] = "official_statistics"
            yield row
    population = rng.randint(90_000, 2_000_000)
    for figure in BaselineFigure.objects.filter(version=version, code__in=["B01", "B04"]):
        share = 1.0 if figure.code == "B01" else rng.uniform(0.28, 0.36)
        for step, year in enumerate(DEMO_YEARS):
            value = round(population * share * (1 + 0.012 * step))
            yield {
                "code": figure.code,
                "year": year,
                "value": str(value),
                "status": "reported",
                "collection_method": "official_statistics",
                "source": SOURCE,
                "comment": "",
            }


def _csv(rows: Iterator[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


@transaction.atomic
def demo_observations_load(*, version: CatalogueVersion, actor: Any = None) -> int:
    """Load the demonstration data once (idempotent); returns how many rows were loaded."""
    if Observation.objects.filter(version=version, is_demo=True).exists():
        return 0
    loaded = 0
    for seed, code in enumerate(DEMO_MUNICIPALITIES):
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            continue
        data = _csv(_rows(municipality, version, seed))
        summary = observations_import(
            version=version,
            municipality=municipality,
            data=data,
            filename=f"demo-{code}.csv",
            actor=actor,
        )
        loaded += summary.rows
        Observation.objects.filter(version=version, municipality=municipality).update(is_demo=True)
        for year in DEMO_YEARS:
            if code in OPEN_YEAR_MUNICIPALITIES and year == DEMO_YEARS[-1]:
                continue
            already = DataYear.objects.filter(
                version=version, municipality=municipality, year=year, state="approved"
            ).exists()
            if not already:
                data_year_approve(
                    version=version, municipality=municipality, year=year, actor=actor
                )
    return loaded
