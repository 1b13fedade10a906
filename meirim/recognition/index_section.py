"""The index section of the recognition portfolio (§7.2, R-5.3.x): for each indicator
I01–I74 of the published catalogue, the city's baseline, its latest value, the trend and the
state of the latest year.

- The **baseline year** is the city's earliest year with a reported value (the Phase 1
  baseline); the **latest year** is its latest year with any observation.
- **State** (of the latest year, the total cell): ``reported``; ``no_data`` (stated "no
  data", or "not applicable"); ``outside_competence``; ``missing`` (no observation at all).
  R-5.3.4: the portfolio cannot be submitted while any indicator is ``missing``.
- **Trend** compares the latest value with the baseline using the indicator's direction in
  the catalogue (1 higher is better, -1 lower is better): ``improved`` / ``worse``; equal
  values are ``no_change``; anything else (no two numbers, one year only, a contextual
  indicator that changed) is ``unknown``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from meirim.catalogue.models import CatalogueVersion, Indicator
from meirim.catalogue.selectors import published_version
from meirim.data.models import Observation, ObservationStatus
from meirim.geography.models import Municipality

LANGUAGES = ("kk", "ru", "en", "ky")
STATES = ("reported", "no_data", "outside_competence", "missing")
TRENDS = ("improved", "no_change", "worse", "unknown")


@dataclass
class IndexRow:
    code: str
    name: dict[str, str]
    unit: str
    direction: int
    baseline: str | None
    latest: str | None
    state: str
    trend: str

    @property
    def stated(self) -> bool:
        return self.state != "missing"


@dataclass
class IndexSection:
    baseline_year: int | None
    latest_year: int | None
    rows: list[IndexRow] = field(default_factory=list)

    @property
    def missing_codes(self) -> list[str]:
        return [row.code for row in self.rows if not row.stated]

    @property
    def stated_count(self) -> int:
        return sum(1 for row in self.rows if row.stated)

    @property
    def reported_count(self) -> int:
        return sum(1 for row in self.rows if row.state == "reported")


def catalogue_indicators(version: CatalogueVersion | None = None) -> list[Indicator]:
    """The published catalogue's indicators I01–I74, in order."""
    version = version or published_version()
    if version is None:
        return []
    return list(Indicator.objects.filter(version=version).order_by("order", "code"))


def _shown(observation: Observation | None) -> str | None:
    if observation is None or observation.status != ObservationStatus.REPORTED:
        return None
    if observation.value is not None:
        value = observation.value.normalize()
        return f"{value:f}"
    return observation.text_value or None


def _state(observation: Observation | None) -> str:
    if observation is None:
        return "missing"
    if observation.status == ObservationStatus.REPORTED:
        return "reported"
    if observation.status == ObservationStatus.OUTSIDE_COMPETENCE:
        return "outside_competence"
    return "no_data"


def trend(direction: int, baseline: Decimal | None, latest: Decimal | None) -> str:
    """improved / no_change / worse / unknown (see the module's docstring)."""
    if baseline is None or latest is None:
        return "unknown"
    if latest == baseline:
        return "no_change"
    if direction == 0:
        return "unknown"
    better = (latest > baseline) if direction > 0 else (latest < baseline)
    return "improved" if better else "worse"


def index_section(municipality: Municipality) -> IndexSection:
    """The index section of ``municipality`` from its total cells (no disaggregation)."""
    version = published_version()
    indicators = catalogue_indicators(version)
    if version is None:
        return IndexSection(None, None, [])
    cells = Observation.objects.filter(
        municipality=municipality,
        version=version,
        code__in=[i.code for i in indicators],
        sex="",
        age_band="",
        disability="",
        district="",
    )
    by_key: dict[tuple[str, int], Observation] = {(o.code, o.year): o for o in cells}
    years = sorted({year for _code, year in by_key})
    reported_years = sorted(
        {year for (_c, year), o in by_key.items() if o.status == ObservationStatus.REPORTED}
    )
    baseline_year = reported_years[0] if reported_years else None
    latest_year = years[-1] if years else None
    rows = []
    for indicator in indicators:
        first = by_key.get((indicator.code, baseline_year)) if baseline_year else None
        last = by_key.get((indicator.code, latest_year)) if latest_year else None
        first_value = first.value if first and first.status == ObservationStatus.REPORTED else None
        last_value = last.value if last and last.status == ObservationStatus.REPORTED else None
        rows.append(
            IndexRow(
                code=indicator.code,
                name={lang: getattr(indicator, f"name_{lang}", "") or "" for lang in LANGUAGES},
                unit=indicator.unit,
                direction=int(indicator.direction),
                baseline=_shown(first),
                latest=_shown(last),
                state=_state(last),
                trend=trend(
                    int(indicator.direction),
                    first_value if baseline_year != latest_year else None,
                    last_value,
                ),
            )
        )
    return IndexSection(baseline_year, latest_year, rows)
