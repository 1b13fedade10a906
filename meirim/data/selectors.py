"""Reads for the cities' data: what the checks prefetch, what the data pages show."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db import connection
from django.db.models import Case, Count, FloatField, Prefetch, QuerySet, When
from django.db.models.functions import Cast
from django.utils import timezone

from meirim.catalogue.models import (
    BaselineFigure,
    CatalogueEntry,
    CatalogueVersion,
    Category,
    DenominatorSeries,
    Indicator,
    SubDomain,
    Unit,
)
from meirim.catalogue.selectors import published_version as published_version
from meirim.data.models import (
    DataType,
    DataYear,
    ImportJob,
    Observation,
    ObservationEvidence,
    ObservationStatus,
)
from meirim.data.validation import QUALITATIVE_UNITS, ItemKind, ItemSpec, SeriesKey
from meirim.data.validation.columnar import SERIES
from meirim.geography.models import Municipality

# Denominator series (D-codes) are population counts.
DENOMINATOR_UNIT = Unit.COUNT


def current_year() -> int:
    return timezone.localdate().year


def default_data_year() -> int:
    """Cities report a year once it is over: the default year is the last one."""
    return current_year() - 1


# --- The catalogue as the checks see it ---------------------------------------------------


def _spec_data_type(unit: str, declared: str = "") -> str:
    if unit in QUALITATIVE_UNITS:
        return DataType.QUALITATIVE
    return declared or DataType.QUANTITATIVE


def item_specs(version: CatalogueVersion) -> dict[str, ItemSpec]:
    """Every I-, B- and D-code of the version, with its unit, factor and denominator."""
    specs: dict[str, ItemSpec] = {}
    for code, unit, factor, denominator, data_type in Indicator.objects.filter(
        version=version
    ).values_list("code", "unit", "factor", "denominator", "data_type"):
        specs[code] = ItemSpec(
            code=code,
            kind=ItemKind.INDICATOR,
            unit=unit,
            factor=factor,
            denominator=denominator,
            data_type=_spec_data_type(unit, data_type),
        )
    for code, unit in BaselineFigure.objects.filter(version=version).values_list("code", "unit"):
        specs[code] = ItemSpec(
            code=code, kind=ItemKind.BASELINE, unit=unit, data_type=_spec_data_type(unit)
        )
    for code in DenominatorSeries.objects.filter(version=version).values_list("code", flat=True):
        specs[code] = ItemSpec(code=code, kind=ItemKind.DENOMINATOR, unit=DENOMINATOR_UNIT)
    return specs


def indicator_codes(version: CatalogueVersion) -> list[str]:
    return list(
        Indicator.objects.filter(version=version)
        .order_by("order", "code")
        .values_list("code", flat=True)
    )


def locked_years(
    version: CatalogueVersion, municipality_ids: Iterable[int] | None = None
) -> set[tuple[int, int]]:
    """(municipality id, year) of every approved year; all municipalities when None."""
    years = DataYear.objects.filter(version=version, state=DataYear.State.APPROVED)
    if municipality_ids is not None:
        years = years.filter(municipality_id__in=list(municipality_ids))
    return set(years.values_list("municipality_id", "year"))


def is_year_locked(version: CatalogueVersion, municipality: Municipality, year: int) -> bool:
    return DataYear.objects.filter(
        version=version, municipality=municipality, year=year, state=DataYear.State.APPROVED
    ).exists()


def stored_cells(
    version: CatalogueVersion, municipality_ids: Iterable[int]
) -> dict[SeriesKey, dict[int, float | None]]:
    """Every stored cell of these municipalities, in one query: series → year → value.

    The value is a float for a reported number, None for anything else (a state, a text).
    """
    value = Case(
        When(status=ObservationStatus.REPORTED, then=Cast("value", FloatField())),
        default=None,
        output_field=FloatField(),
    )
    rows = (
        Observation.objects.filter(version=version, municipality_id__in=list(municipality_ids))
        .order_by()
        .values_list(
            "municipality_id",
            "code",
            "sex",
            "age_band",
            "disability",
            "district",
            "year",
            value,
        )
    )
    stored: dict[SeriesKey, dict[int, float | None]] = {}
    for municipality_id, code, sex, age_band, disability, district, year, number in rows:
        key = (municipality_id, code, sex, age_band, disability, district)
        series = stored.get(key)
        if series is None:
            series = stored[key] = {}
        series[year] = number
    return stored


def cell_series(
    version: CatalogueVersion, municipality: Municipality, code: str, breakdown: dict[str, str]
) -> dict[int, float]:
    """The stored values of one cell, by year (for the year-on-year check of one save)."""
    rows = Observation.objects.filter(
        version=version,
        municipality=municipality,
        code=code,
        status=ObservationStatus.REPORTED,
        value__isnull=False,
        **breakdown,
    ).values_list("year", "value")
    return {year: float(value) for year, value in rows if value is not None}


# --- The data entry page -------------------------------------------------------------


@dataclass
class EntryItem:
    """One row of the entry page: a catalogue item and its stored total for the year."""

    entry: CatalogueEntry
    spec: ItemSpec
    observation: Observation | None = None
    breakdowns: int = 0

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def unit_label(self) -> str:
        return str(Unit(self.spec.unit).label)

    @property
    def shows_ratio(self) -> bool:
        """Numerator and denominator inputs for percentages and rates with a series."""
        return self.spec.takes_ratio and bool(self.spec.denominator)


@dataclass
class EntrySection:
    """A part of the entry page: a sub-domain, the baseline figures or the D-series."""

    key: str
    title: str
    group: str
    items: list[EntryItem] = field(default_factory=list)


BASELINE_SECTION = "B"
DENOMINATOR_SECTION = "D"


def entry_section_index(version: CatalogueVersion) -> list[tuple[str, str, str]]:
    """(key, title, group title) of every section, in page order: S01…S11, B, D."""
    from django.utils.translation import gettext as _

    index = []
    categories = (
        Category.objects.filter(version=version)
        .order_by("order")
        .prefetch_related(Prefetch("subdomains", queryset=SubDomain.objects.order_by("order")))
    )
    for category in categories:
        group = f"{category.code} · {category.name}"
        for subdomain in category.subdomains.all():
            index.append((subdomain.code, f"{subdomain.code} · {subdomain.name}", group))
    index.append((BASELINE_SECTION, _("Baseline figures"), _("City profile")))
    index.append((DENOMINATOR_SECTION, _("Denominator series"), _("City profile")))
    return index


def entry_section(
    version: CatalogueVersion, municipality: Municipality, year: int, key: str
) -> EntrySection | None:
    """The items of one section with their stored totals for the year (few queries)."""
    index = {entry_key: (title, group) for entry_key, title, group in entry_section_index(version)}
    if key not in index:
        return None
    title, group = index[key]
    specs = item_specs(version)
    entries: list[CatalogueEntry]
    if key == BASELINE_SECTION:
        entries = list(
            BaselineFigure.objects.filter(version=version).order_by("section__order", "order")
        )
    elif key == DENOMINATOR_SECTION:
        entries = list(DenominatorSeries.objects.filter(version=version).order_by("order"))
    else:
        entries = list(
            Indicator.objects.filter(version=version, subdomain__code=key).order_by("order")
        )
    section = EntrySection(key=key, title=title, group=group)
    codes = [entry.code for entry in entries]
    observations = year_observations(version, municipality, year, codes)
    totals = {obs.code: obs for obs in observations if obs.is_total}
    breakdowns: dict[str, int] = {}
    for obs in observations:
        if not obs.is_total:
            breakdowns[obs.code] = breakdowns.get(obs.code, 0) + 1
    for entry in entries:
        section.items.append(
            EntryItem(
                entry=entry,
                spec=specs[entry.code],
                observation=totals.get(entry.code),
                breakdowns=breakdowns.get(entry.code, 0),
            )
        )
    return section


def year_observations(
    version: CatalogueVersion, municipality: Municipality, year: int, codes: Iterable[str]
) -> list[Observation]:
    return list(
        Observation.objects.filter(
            version=version, municipality=municipality, year=year, code__in=list(codes)
        )
        .prefetch_related(
            Prefetch("evidence", queryset=ObservationEvidence.objects.order_by("uploaded_at"))
        )
        .order_by("code", "sex", "age_band", "disability", "district")
    )


def observation_total(
    version: CatalogueVersion, municipality: Municipality, year: int, code: str
) -> Observation | None:
    return Observation.objects.filter(
        version=version,
        municipality=municipality,
        year=year,
        code=code,
        sex="",
        age_band="",
        disability="",
        district="",
    ).first()


def observation_codes(
    version: CatalogueVersion, municipality: Municipality, year: int
) -> list[str]:
    """Codes with a stored total for the year (what evidence can be attached to)."""
    return list(
        Observation.objects.filter(
            version=version,
            municipality=municipality,
            year=year,
            sex="",
            age_band="",
            disability="",
            district="",
        )
        .order_by("code")
        .values_list("code", flat=True)
    )


def evidence_in_municipality(evidence_id: int, municipality: Municipality) -> ObservationEvidence:
    """An evidence file of this municipality (DoesNotExist otherwise)."""
    return ObservationEvidence.objects.select_related("observation").get(
        pk=evidence_id, observation__municipality=municipality
    )


# --- The years page ------------------------------------------------------------------


@dataclass
class YearState:
    year: int
    data_year: DataYear | None
    reported: int
    total: int
    missing: list[str]
    observations: int

    @property
    def is_approved(self) -> bool:
        return self.data_year is not None and self.data_year.state == DataYear.State.APPROVED

    @property
    def is_complete(self) -> bool:
        return not self.missing


def data_years(version: CatalogueVersion, municipality: Municipality) -> list[YearState]:
    """Each year with data or a state, plus the last and current year, newest first.

    Completeness (R-5.3.4): an indicator counts when it has a stored observation for the
    year — a value, or an explicit state such as no data or outside the city's competence.
    """
    indicators = indicator_codes(version)
    indicator_set = set(indicators)
    observations = Observation.objects.filter(version=version, municipality=municipality)
    per_year: dict[int, set[str]] = {}
    counts: dict[int, int] = {}
    for row in observations.values("year", "code").annotate(n=Count("id")):
        counts[row["year"]] = counts.get(row["year"], 0) + row["n"]
        if row["code"] in indicator_set:
            per_year.setdefault(row["year"], set()).add(row["code"])
    states = {
        data_year.year: data_year
        for data_year in DataYear.objects.filter(
            version=version, municipality=municipality
        ).select_related("approved_by")
    }
    years = set(counts) | set(states) | {default_data_year(), current_year()}
    result = []
    for year in sorted(years, reverse=True):
        covered = per_year.get(year, set())
        result.append(
            YearState(
                year=year,
                data_year=states.get(year),
                reported=len(covered),
                total=len(indicators),
                missing=[code for code in indicators if code not in covered],
                observations=counts.get(year, 0),
            )
        )
    return result


def missing_codes(version: CatalogueVersion, municipality: Municipality, year: int) -> list[str]:
    """The index indicators with no stored observation for the year, in catalogue order."""
    covered = set(
        Observation.objects.filter(
            version=version, municipality=municipality, year=year
        ).values_list("code", flat=True)
    )
    return [code for code in indicator_codes(version) if code not in covered]


# --- Templates ------------------------------------------------------------------------


@dataclass
class TemplateItem:
    entry: CatalogueEntry
    spec: ItemSpec


def template_items(version: CatalogueVersion) -> list[TemplateItem]:
    """Indicators, then baseline figures, then denominator series, in catalogue order."""
    specs = item_specs(version)
    entries: list[CatalogueEntry] = [
        *Indicator.objects.filter(version=version).order_by("order", "code"),
        *BaselineFigure.objects.filter(version=version).order_by("section__order", "order"),
        *DenominatorSeries.objects.filter(version=version).order_by("order", "code"),
    ]
    return [TemplateItem(entry=entry, spec=specs[entry.code]) for entry in entries]


def observations_of_year(
    version: CatalogueVersion, municipality: Municipality, year: int
) -> QuerySet[Observation]:
    return Observation.objects.filter(
        version=version, municipality=municipality, year=year
    ).order_by("code", "sex", "age_band", "disability", "district")


# --- Imports by the task worker -------------------------------------------------------


def import_job(job_id: str, municipality: Municipality) -> ImportJob | None:
    """The import job ``job_id`` of ``municipality`` (None for a malformed or unknown id)."""
    try:
        key = uuid.UUID(job_id)
    except ValueError:
        return None
    return (
        ImportJob.objects.filter(pk=key, municipality=municipality)
        .select_related("municipality", "created_by")
        .first()
    )


def active_import_job(municipality: Municipality) -> ImportJob | None:
    """The municipality's queued or running import job, if any."""
    return (
        ImportJob.objects.filter(municipality=municipality, state__in=ImportJob.ACTIVE_STATES)
        .select_related("created_by")
        .first()
    )


@dataclass(frozen=True)
class OverviewRow:
    """One municipality's data years, each approved (locked) or still open."""

    municipality: Municipality
    years: tuple[tuple[int, bool], ...]  # (year, approved)


def data_overview(
    version: CatalogueVersion, municipalities: QuerySet[Municipality]
) -> list[OverviewRow]:
    """Every municipality in ``municipalities`` that has data or a data year, in two queries."""
    approved = {
        (municipality_id, year)
        for municipality_id, year in DataYear.objects.filter(
            version=version, municipality__in=municipalities, state=DataYear.State.APPROVED
        ).values_list("municipality_id", "year")
    }
    with_data = set(
        Observation.objects.filter(version=version, municipality__in=municipalities)
        .values_list("municipality_id", "year")
        .distinct()
    )
    by_municipality: dict[int, set[int]] = {}
    for municipality_id, year in approved | with_data:
        by_municipality.setdefault(municipality_id, set()).add(year)
    places = Municipality.objects.filter(pk__in=by_municipality).select_related("region")
    return [
        OverviewRow(
            municipality=place,
            years=tuple(
                (year, (place.pk, year) in approved)
                for year in sorted(by_municipality[place.pk], reverse=True)
            ),
        )
        for place in places.order_by("country", "code")
    ]


# The stored cells as the import compares them: the cell, its content, and ``value`` (a float
# for a reported number, else null) for the year-on-year check.
STORED_CELL_COLUMNS = (*SERIES, "year")
STORED_CONTENT = {
    "value": pl.Decimal(20, 6),
    "numerator": pl.Decimal(20, 6),
    "denominator": pl.Decimal(20, 6),
    "text_value": pl.String,
    "status": pl.String,
    "data_type": pl.String,
    "collection_method": pl.String,
    "source": pl.String,
    "comment": pl.String,
    "is_outlier": pl.Boolean,
    "is_demo": pl.Boolean,
}
_STORED_SCHEMA = {
    "municipality_id": pl.Int64,
    "code": pl.String,
    "sex": pl.String,
    "age_band": pl.String,
    "disability": pl.String,
    "district": pl.String,
    "year": pl.Int64,
}


def stored_cells_frame(
    version: CatalogueVersion, municipality_ids: Iterable[int], *, using: Any = None
) -> pl.DataFrame:
    """The stored cells of these municipalities: the cell, ``value`` (a float for a reported
    number, else null) and the content as ``old_<field>`` (:data:`STORED_CONTENT`).

    On PostgreSQL one ``COPY … TO STDOUT``: the rows come as CSV straight into polars,
    never as Python objects. ``using``: the database connection (Django's wrapper) when
    not this thread's own (an import reads from another thread within its transaction).
    """
    municipality_ids = sorted(set(municipality_ids))
    names = [*STORED_CELL_COLUMNS, *STORED_CONTENT]
    if not municipality_ids:
        frame = pl.DataFrame(schema={**_STORED_SCHEMA, **_content_schema(pl.String)})
    elif (using or connection).vendor != "postgresql":
        rows = (
            Observation.objects.filter(version=version, municipality_id__in=municipality_ids)
            .order_by()
            .values_list(*names)
        )
        frame = pl.DataFrame(
            [tuple(_as_text(value) for value in row) for row in rows],
            schema={**_STORED_SCHEMA, **_content_schema(pl.String)},
            orient="row",
        )
    else:
        frame = _stored_cells_copy(version, municipality_ids, names, using or connection)
    return _typed_stored(frame)


def _as_text(value: object) -> object:
    """A value of the ORM as the text PostgreSQL's COPY writes (Decimal, bool)."""
    if isinstance(value, bool):
        return "t" if value else "f"
    return format(value, "f") if hasattr(value, "as_tuple") else value


def _content_schema(
    dtype: pl.DataType | type[pl.DataType],
) -> dict[str, pl.DataType | type[pl.DataType]]:
    return {f"old_{name}": dtype for name in STORED_CONTENT}


def _stored_cells_copy(
    version: CatalogueVersion, ids: list[int], names: list[str], db: Any
) -> pl.DataFrame:
    quote = db.ops.quote_name
    column = {
        field.name: quote(field.column or field.name) for field in Observation._meta.concrete_fields
    }
    select = ", ".join(column[name.removesuffix("_id")] for name in names)
    sql = (
        f"COPY (SELECT {select} FROM {quote(Observation._meta.db_table)} "  # noqa: S608 - quoted
        f"WHERE {column['version']} = %s AND {column['municipality']} = ANY(%s)) "
        "TO STDOUT (FORMAT csv)"
    )
    buffer = bytearray()
    with db.cursor() as cursor, cursor.cursor.copy(sql, [version.pk, ids]) as copy:
        for block in copy:
            buffer += block
    if not buffer:
        return pl.DataFrame(schema={**_STORED_SCHEMA, **_content_schema(pl.String)})
    # Texts are NOT NULL (an unquoted empty field is a null number); every field read as text.
    schema = {**_STORED_SCHEMA, **_content_schema(pl.String)}
    return pl.read_csv(bytes(buffer), has_header=False, schema=schema)


def _typed_stored(frame: pl.DataFrame) -> pl.DataFrame:
    """Figures as decimals, flags as booleans, texts never null, and ``value`` for the check
    (parsed from the text, as PostgreSQL's ``numeric::float8`` does)."""
    content = []
    for name, dtype in STORED_CONTENT.items():
        old = pl.col(f"old_{name}")
        if dtype == pl.Boolean:
            content.append(old == "t")
        elif isinstance(dtype, pl.Decimal):
            content.append(old.cast(dtype))
        else:
            content.append(old.fill_null(""))
    texts = [name for name, dtype in _STORED_SCHEMA.items() if dtype == pl.String]
    reported = pl.col("old_status") == ObservationStatus.REPORTED
    return frame.select(
        *(name for name in _STORED_SCHEMA if name not in texts),
        *(pl.col(name).fill_null("") for name in texts),
        pl.when(reported).then(pl.col("old_value").cast(pl.Float64)).alias("value"),
        *content,
    )
