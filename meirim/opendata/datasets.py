"""The four open datasets as polars frames, read in columns (no Python loop per row).

``observations``: every approved observation (a city's year approved by its coordinator);
``results``: every node's stored result of those years (the index, categories, sub-domains,
indicators); ``dictionary``: the catalogue's codes with their names in the four languages;
``municipalities``: the places with their names and coordinates.

Small groups: an item that counts people (catalogue unit ``count``, and the population
series) is never published between 1 and 4: the value is empty and ``suppressed`` is true.
Where such an item is broken down (by sex, age, disability or district), the breakdown is
suppressed as a table (:func:`meirim.common.suppression.suppress_table`), so that no hidden
figure can be worked out from the total and the other parts. An indicator's score is placed
between fixed goalposts, so it would give its value back: a suppressed indicator has no
score either.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import polars as pl
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _

from index_engine.arrays import REASONS
from meirim.catalogue.models import (
    BaselineFigure,
    CatalogueVersion,
    Category,
    DenominatorSeries,
    Indicator,
    SubDomain,
    Unit,
)
from meirim.common.programme import SMALL_GROUP_THRESHOLD
from meirim.common.suppression import shown, suppress_table
from meirim.data.models import Observation
from meirim.geography.models import Municipality
from meirim.reports import adapter
from meirim.reports.frames import query_frame, table_name
from meirim.reports.models import ResultLayout, YearResult
from meirim.reports.store import approved_year

DATASETS = ("observations", "results", "dictionary", "municipalities")
LANGUAGES = ("kk", "ru", "en", "ky")
DISAGGREGATION = ("sex", "age_band", "disability", "district")

KIND_INDEX = "index"
KIND_CATEGORY = "category"
KIND_SUBDOMAIN = "subdomain"
KIND_INDICATOR = "indicator"
KIND_BASELINE = "baseline_figure"
KIND_DENOMINATOR = "denominator_series"

DIRECTIONS = {1: "higher_is_better", -1: "lower_is_better", 0: "contextual"}
STATUS_NAMES = {
    adapter.MISSING: "missing",
    adapter.REPORTED: "reported",
    adapter.NO_DATA: "no_data",
    adapter.OUTSIDE_COMPETENCE: "outside_competence",
    adapter.NOT_APPLICABLE: "not_applicable",
}


def _index_names() -> dict[str, str]:
    names = {}
    for language in LANGUAGES:
        with translation.override(language):
            names[language] = _("Child-Friendly City Index")
    return names


# --- dictionary -------------------------------------------------------------------------


def dictionary_frame(version: CatalogueVersion) -> pl.DataFrame:
    """Every code of the version: the index, categories, sub-domains, indicators, baseline
    figures and population series, with names in four languages, units and directions."""
    rows: list[dict[str, Any]] = []

    def row(entry: Any, kind: str, **fields: Any) -> dict[str, Any]:
        base: dict[str, Any] = {
            "code": entry.code,
            "kind": kind,
            "parent": "",
            "category": "",
            "order": entry.order,
            **{f"name_{lang}": getattr(entry, f"name_{lang}", "") or "" for lang in LANGUAGES},
            "unit": "",
            "direction": None,
            "direction_label": "",
            "national_target": None,
            "type": "",
            "data_type": "",
            "denominator": "",
            "factor": None,
            "weight": None,
            "lower_post": None,
            "upper_post": None,
            "small_counts_suppressed": False,
        }
        base.update(fields)
        return base

    index_names = _index_names()
    root = SimpleNamespace(
        code=adapter.ROOT, order=0, **{f"name_{lang}": index_names[lang] for lang in LANGUAGES}
    )
    rows.append(row(root, KIND_INDEX))
    for category in Category.objects.filter(version=version).order_by("order", "code"):
        rows.append(
            row(category, KIND_CATEGORY, parent=adapter.ROOT, weight=float(category.weight))
        )
    subdomains = SubDomain.objects.filter(version=version).select_related("category")
    for sub in subdomains.order_by("order", "code"):
        rows.append(
            row(
                sub,
                KIND_SUBDOMAIN,
                parent=sub.category.code,
                category=sub.category.code,
                weight=float(sub.weight),
            )
        )
    indicators = Indicator.objects.filter(version=version).select_related("subdomain__category")
    for ind in indicators.order_by("order", "code"):
        rows.append(
            row(
                ind,
                KIND_INDICATOR,
                parent=ind.subdomain.code,
                category=ind.subdomain.category.code,
                unit=ind.unit,
                direction=ind.direction,
                direction_label=DIRECTIONS.get(ind.direction, ""),
                national_target=_float(ind.target),
                type=ind.type,
                data_type=ind.data_type,
                denominator=ind.denominator,
                factor=_float(ind.factor),
                weight=float(ind.weight),
                lower_post=_float(ind.lower_post),
                upper_post=_float(ind.upper_post),
                small_counts_suppressed=ind.unit == Unit.COUNT,
            )
        )
    figures = BaselineFigure.objects.filter(version=version).select_related("section")
    for fig in figures.order_by("order", "code"):
        rows.append(
            row(
                fig,
                KIND_BASELINE,
                parent=fig.section.code,
                unit=fig.unit,
                small_counts_suppressed=fig.unit == Unit.COUNT,
            )
        )
    for series in DenominatorSeries.objects.filter(version=version).order_by("order", "code"):
        rows.append(row(series, KIND_DENOMINATOR, unit=Unit.COUNT, small_counts_suppressed=True))
    return pl.DataFrame(rows, schema=DICTIONARY_SCHEMA, orient="row")


DICTIONARY_SCHEMA: dict[str, Any] = {
    "code": pl.String,
    "kind": pl.String,
    "parent": pl.String,
    "category": pl.String,
    "order": pl.Int32,
    **{f"name_{lang}": pl.String for lang in LANGUAGES},
    "unit": pl.String,
    "direction": pl.Int8,
    "direction_label": pl.String,
    "national_target": pl.Float64,
    "type": pl.String,
    "data_type": pl.String,
    "denominator": pl.String,
    "factor": pl.Float64,
    "weight": pl.Float64,
    "lower_post": pl.Float64,
    "upper_post": pl.Float64,
    "small_counts_suppressed": pl.Boolean,
}


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def counted_codes(dictionary: pl.DataFrame) -> set[str]:
    """The codes whose values count people (suppressed between 1 and 4)."""
    return set(dictionary.filter(pl.col("small_counts_suppressed"))["code"].to_list())


# --- municipalities ---------------------------------------------------------------------


MUNICIPALITY_SCHEMA: dict[str, Any] = {
    "code": pl.String,
    "country": pl.String,
    "kind": pl.String,
    "region": pl.String,
    "parent": pl.String,
    **{f"name_{lang}": pl.String for lang in LANGUAGES},
    "latitude": pl.Float64,
    "longitude": pl.Float64,
    "child_population": pl.Int64,
}


def municipalities_frame() -> pl.DataFrame:
    m = table_name(Municipality)
    region_table = table_name(Municipality._meta.get_field("region").related_model)
    names = ", ".join(f"m.name_{lang}" for lang in LANGUAGES)
    sql = (
        f"SELECT m.code, m.country, m.kind, COALESCE(r.code, ''), COALESCE(p.code, ''), "  # noqa: S608 - names from the models
        f"{names}, CAST(m.latitude AS double precision), "
        "CAST(m.longitude AS double precision), m.child_population "
        f"FROM {m} m LEFT JOIN {region_table} r ON r.id = m.region_id "
        f"LEFT JOIN {m} p ON p.id = m.parent_id"
    )
    frame = query_frame(sql, [], MUNICIPALITY_SCHEMA)
    return _strings_filled(frame).sort("country", "code")


def _strings_filled(frame: pl.DataFrame) -> pl.DataFrame:
    """Text columns without nulls ("" is "none"), as CSV round trips read them."""
    return frame.with_columns(pl.col(pl.String).fill_null(""))


# --- observations -----------------------------------------------------------------------


OBSERVATION_SCHEMA: dict[str, Any] = {
    "municipality": pl.String,
    "year": pl.Int32,
    "code": pl.String,
    "sex": pl.String,
    "age_band": pl.String,
    "disability": pl.String,
    "district": pl.String,
    "value": pl.Float64,
    "description": pl.String,
    "status": pl.String,
    "data_type": pl.String,
    "collection_method": pl.String,
    "source": pl.String,
    "is_outlier": pl.Int8,
    "is_demo": pl.Int8,
}

OBSERVATION_COLUMNS = (
    "municipality",
    "year",
    "code",
    "kind",
    "unit",
    "sex",
    "age_band",
    "disability",
    "district",
    "value",
    "suppressed",
    "description",
    "status",
    "data_type",
    "collection_method",
    "source",
    "is_outlier",
    "is_demo",
)


def observations_frame(version: CatalogueVersion, dictionary: pl.DataFrame) -> pl.DataFrame:
    """The approved observations of ``version``, small counts suppressed."""
    sql = (
        "SELECT m.code, o.year, o.code, o.sex, o.age_band, o.disability, o.district, "  # noqa: S608 - names from the models
        "CAST(o.value AS double precision), o.text_value, o.status, o.data_type, "
        "o.collection_method, o.source, CAST(o.is_outlier AS integer), "
        "CAST(o.is_demo AS integer) "
        f"FROM {table_name(Observation)} o "
        f"JOIN {table_name(Municipality)} m ON m.id = o.municipality_id "
        f"WHERE o.version_id = %s AND {approved_year('o')}"
    )
    frame = _strings_filled(query_frame(sql, [version.pk], OBSERVATION_SCHEMA))
    kinds = dictionary.select("code", "kind", "unit")
    frame = frame.join(kinds, on="code", how="left").with_columns(
        pl.col("kind").fill_null(""),
        pl.col("unit").fill_null(""),
        pl.col("is_outlier").cast(pl.Boolean),
        pl.col("is_demo").cast(pl.Boolean),
    )
    frame = frame.sort("municipality", "code", "year", *DISAGGREGATION)
    hidden = _suppressed(frame, counted_codes(dictionary))
    return frame.with_columns(
        pl.when(hidden).then(None).otherwise(pl.col("value")).alias("value"),
        hidden.alias("suppressed"),
    ).select(OBSERVATION_COLUMNS)


def _suppressed(frame: pl.DataFrame, counted: set[str]) -> pl.Series:
    """Which rows hide their value: small counts, and what would give one back."""
    value = frame["value"]
    is_counted = frame["code"].is_in(sorted(counted))
    small = is_counted & value.is_not_null() & (value > 0) & (value < SMALL_GROUP_THRESHOLD)
    hidden = small.fill_null(False).to_numpy().copy()
    # Breakdowns of counted items: suppressed as tables against their total. Only the groups
    # with a breakdown go through Python (a small share of the rows).
    parts = frame.with_row_index("row").filter(is_counted & pl.col("value").is_not_null())
    disaggregated = pl.any_horizontal(pl.col(c) != "" for c in DISAGGREGATION)
    groups = (
        parts.with_columns(disaggregated.alias("part"))
        .group_by("municipality", "year", "code")
        .agg(pl.col("part").any().alias("broken_down"))
        .filter(pl.col("broken_down"))
        .select("municipality", "year", "code")
    )
    if groups.height:
        chosen = parts.join(groups, on=["municipality", "year", "code"], how="semi")
        for _key, group in chosen.group_by("municipality", "year", "code"):
            for row in _group_hidden(group):
                hidden[row] = True
    return pl.Series("suppressed", hidden, dtype=pl.Boolean)


def _group_hidden(group: pl.DataFrame) -> list[int]:
    """Rows of one item × city × year (total and breakdowns) to hide."""
    rows: list[tuple[int, tuple[str, ...], int]] = [
        (int(r[0]), tuple(r[1:5]), round(r[5]))
        for r in group.select("row", *DISAGGREGATION, "value").iter_rows()
    ]
    out: list[int] = []
    total = next((count for row, key, count in rows if not any(key)), None)
    total_row = next((row for row, key, _count in rows if not any(key)), None)
    for d in range(len(DISAGGREGATION)):
        cells = {
            row: count
            for row, key, count in rows
            if key[d] and all(not k for i, k in enumerate(key) if i != d)
        }
        if not cells:
            continue
        table = suppress_table(cells, total=total)
        out += table.hidden
        if table.total is None and total_row is not None:
            out.append(total_row)
    # Cells crossing two breakdowns (e.g. girls with a disability): alone against none.
    out += [row for row, key, count in rows if sum(1 for k in key if k) > 1 and not shown(count)]
    return out


# --- results ----------------------------------------------------------------------------


RESULT_COLUMNS = (
    "municipality",
    "year",
    "code",
    "level",
    "value",
    "status",
    "score",
    "band",
    "change_since_previous",
    "change_since_baseline",
    "not_scored_reason",
    "suppressed",
    "reported",
    "no_data",
    "outside_competence",
    "not_applicable",
    "missing",
    "is_demo",
)


def results_frame(version: CatalogueVersion, dictionary: pl.DataFrame) -> pl.DataFrame:
    """Every node's stored result of the approved years, one row per city × year × node."""
    sql = (
        "SELECT m.code, yr.year, yr.layout, CAST(yr.is_demo AS integer), yr.reported, "  # noqa: S608 - names from the models
        "yr.no_data, yr.outside_competence, yr.not_applicable, yr.missing, "
        "yr.indicator_values, yr.indicator_status, yr.scores, yr.reasons "
        f"FROM {table_name(YearResult)} yr "
        f"JOIN {table_name(Municipality)} m ON m.id = yr.municipality_id "
        f"WHERE yr.version_id = %s AND {approved_year('yr')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [version.pk])
        found = cursor.fetchall()
    layouts = {row.key: row for row in ResultLayout.objects.filter(version=version)}
    pieces: list[pl.DataFrame] = []
    for key in sorted({row[2] for row in found}):
        layout = layouts.get(key)
        if layout is None:
            continue
        rows = [row for row in found if row[2] == key]
        pieces.append(_layout_piece(rows, list(layout.indicators), list(layout.aggregates)))
    if not pieces:
        return pl.DataFrame(schema=RESULT_SCHEMA).select(RESULT_COLUMNS)
    frame = pl.concat(pieces, how="vertical")
    levels = dictionary.select("code", pl.col("kind").alias("level"))
    frame = frame.join(levels, on="code", how="left").with_columns(
        pl.col("level").fill_null(""),
        pl.col("reason")
        .cast(pl.Int64)
        .replace_strict(
            list(range(len(REASONS))), list(REASONS), default="", return_dtype=pl.String
        )
        .alias("not_scored_reason"),
        pl.col("status_code")
        .replace_strict(
            list(STATUS_NAMES), list(STATUS_NAMES.values()), default=None, return_dtype=pl.String
        )
        .alias("status"),
    )
    counted = sorted(counted_codes(dictionary))
    small = (
        pl.col("code").is_in(counted)
        & pl.col("value").is_not_null()
        & (pl.col("value") > 0)
        & (pl.col("value") < SMALL_GROUP_THRESHOLD)
    ).fill_null(False)
    frame = frame.with_columns(small.alias("suppressed"))
    frame = frame.with_columns(
        pl.when(pl.col("suppressed")).then(None).otherwise(pl.col(c)).alias(c)
        for c in ("value", "score")
    )
    frame = frame.sort("municipality", "code", "year")
    series = ["municipality", "code"]
    previous = pl.col("score").shift(1).over(series)
    baseline = pl.col("score").drop_nulls().first().over(series)
    low = (pl.col("score") // 20 * 20).clip(0, 80).cast(pl.Int32)
    frame = frame.with_columns(
        pl.when(pl.col("score").is_null())
        .then(None)
        .otherwise(pl.format("{}-{}", low, low + 20))
        .alias("band"),
        (pl.col("score") - previous).alias("change_since_previous"),
        (pl.col("score") - baseline).alias("change_since_baseline"),
    )
    return _strings_filled(frame.select(RESULT_COLUMNS))


RESULT_SCHEMA: dict[str, Any] = {
    "municipality": pl.String,
    "year": pl.Int32,
    "code": pl.String,
    "level": pl.String,
    "value": pl.Float64,
    "status": pl.String,
    "score": pl.Float64,
    "band": pl.String,
    "change_since_previous": pl.Float64,
    "change_since_baseline": pl.Float64,
    "not_scored_reason": pl.String,
    "suppressed": pl.Boolean,
    "reported": pl.Int32,
    "no_data": pl.Int32,
    "outside_competence": pl.Int32,
    "not_applicable": pl.Int32,
    "missing": pl.Int32,
    "is_demo": pl.Boolean,
}


def _packed(chunks: Sequence[Any], dtype: str, width: int, fill: float) -> np.ndarray:
    size = np.dtype(dtype).itemsize
    missing = np.full(width, fill, dtype=dtype).tobytes()
    joined = b"".join(
        bytes(c) if c is not None and len(c) == width * size else missing for c in chunks
    )
    return np.frombuffer(joined, dtype=dtype).reshape(len(chunks), width)


def _layout_piece(
    rows: Sequence[tuple[Any, ...]], indicators: list[str], aggregates: list[str]
) -> pl.DataFrame:
    """The rows written under one layout, unpacked into one row per node."""
    n, i, a = len(rows), len(indicators), len(aggregates)
    k = i + a
    values = _packed([r[9] for r in rows], "<f8", i, np.nan)
    status = _packed([r[10] for r in rows], "u1", i, 0)
    scores = _packed([r[11] for r in rows], "<f8", k, np.nan)
    reasons = _packed([r[12] for r in rows], "u1", k, 0)
    all_values = np.hstack([values, np.full((n, a), np.nan)]).reshape(-1)
    all_status = np.hstack([status.astype(np.int16), np.full((n, a), -1, dtype=np.int16)])
    column = {
        "municipality": np.repeat(np.array([r[0] for r in rows], dtype=object), k),
        "year": np.repeat(np.array([r[1] for r in rows], dtype=np.int32), k),
        "code": np.tile(np.array(indicators + aggregates, dtype=object), n),
    }
    counts = {
        name: np.repeat(np.array([r[4 + j] for r in rows], dtype=np.int32), k)
        for j, name in enumerate(
            ("reported", "no_data", "outside_competence", "not_applicable", "missing")
        )
    }
    return pl.DataFrame(
        {
            "municipality": pl.Series(column["municipality"].tolist(), dtype=pl.String),
            "year": column["year"],
            "code": pl.Series(column["code"].tolist(), dtype=pl.String),
            "value": all_values,
            "status_code": all_status.reshape(-1),
            "score": scores.reshape(-1),
            "reason": reasons.reshape(-1).astype(np.int16),
            **counts,
            "is_demo": np.repeat(np.array([bool(r[3]) for r in rows]), k),
        }
    ).with_columns(pl.col("value").fill_nan(None), pl.col("score").fill_nan(None))
