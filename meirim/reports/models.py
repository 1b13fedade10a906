"""Computed results, stored per catalogue version × municipality × year, every node's
figures in the row.

A worker task writes them after each data revision (:mod:`meirim.reports.tasks`); pages and
the API only read them. A city's own results (``YearResult``) depend on its
own data and the version's scoring method only, so they are stored for every data year,
approved or not, and the readers decide what each person may see: approved years for the
public, a city's open years too for its own people (:mod:`meirim.reports.store`).

Comparisons across cities (``RelativeResult``) use the approved data of all of them and are
recomputed in the background; they are labelled relative wherever they are shown.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from meirim.catalogue.models import CatalogueVersion
from meirim.geography.models import Municipality

# The rows are derived (computed again from the data at any time) and written by the
# thousand with COPY, so the keys carry no database constraint: PostgreSQL's deferred foreign
# key checks would run one trigger per row at commit (most of a national recompute's time).
# Django still deletes them with their version or municipality (``on_delete``).


def _version() -> models.ForeignKey:  # type: ignore[type-arg]
    # No index of its own: every key below starts with the version.
    return models.ForeignKey(
        CatalogueVersion,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )


def _municipality() -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )


class ResultLayout(models.Model):
    """Where each node sits in the packed columns of :class:`YearResult`.

    ``indicators`` are the version's index indicator codes, ``aggregates`` the aggregate
    nodes (the index, categories, sub-domains) the scoring method scores. ``key`` is a hash
    of both lists, so rows written before the version's tree changed are still read right.
    """

    pk = models.CompositePrimaryKey("version_id", "key")
    version = _version()
    key = models.CharField(max_length=16)
    indicators = models.JSONField(default=list)
    aggregates = models.JSONField(default=list)

    class Meta:
        verbose_name = _("result layout")
        verbose_name_plural = _("result layouts")

    def __str__(self) -> str:
        return f"{self.version_id} {self.key}"


class YearResult(models.Model):
    """A city's results in one year: every node's figures, completeness, demonstration data.

    The nodes' figures are packed, one column per kind, in the order of the row's
    :class:`ResultLayout` (little-endian; NaN where there is none). With ``i`` indicators
    and ``a`` aggregates: ``indicator_values`` and ``indicator_status`` hold the indicators'
    figures (float64) and observation status codes (uint8); ``scores`` and ``reasons`` hold
    the ``i`` indicator scores then the ``a`` aggregate scores (float64, 0–100) and why a
    score is missing (uint8, an :data:`index_engine.arrays.REASONS` index). One row per city
    and year keeps a national recompute to 100,000 short rows instead of ten million, and a
    dashboard's read to one row a year; one node of every city is one ``substr`` away in SQL.
    """

    pk = models.CompositePrimaryKey("version_id", "municipality_id", "year")
    version = _version()
    municipality = _municipality()
    year = models.PositiveSmallIntegerField(_("year"))
    reported = models.PositiveSmallIntegerField(default=0)
    no_data = models.PositiveSmallIntegerField(default=0)
    outside_competence = models.PositiveSmallIntegerField(default=0)
    not_applicable = models.PositiveSmallIntegerField(default=0)
    missing = models.PositiveSmallIntegerField(default=0)
    is_demo = models.BooleanField(default=False)
    computed_at = models.DateTimeField()
    layout = models.CharField(max_length=16, default="")
    indicator_values = models.BinaryField(default=b"")
    indicator_status = models.BinaryField(default=b"")
    scores = models.BinaryField(default=b"")
    reasons = models.BinaryField(default=b"")

    class Meta:
        verbose_name = _("year result")
        verbose_name_plural = _("year results")

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.year}"


class ResultState(models.Model):
    """When a city's results were computed, and whether newer data wait for the worker."""

    pk = models.CompositePrimaryKey("version_id", "municipality_id")
    version = _version()
    municipality = _municipality()
    computed_at = models.DateTimeField(null=True)
    stale_since = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("result state")
        verbose_name_plural = _("result states")

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.computed_at}"


class RelativeResult(models.Model):
    """An aggregate's place among all cities with approved data (information only): the
    score rescaled min–max across cities in the year, and the rank's uncertainty interval."""

    pk = models.CompositePrimaryKey("version_id", "municipality_id", "year", "code")
    version = _version()
    municipality = _municipality()
    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("code"), max_length=16)
    score = models.FloatField(null=True)
    rank = models.PositiveIntegerField(null=True)
    rank_median = models.FloatField(null=True)
    rank_low = models.FloatField(null=True)
    rank_high = models.FloatField(null=True)

    class Meta:
        verbose_name = _("relative result")
        verbose_name_plural = _("relative results")

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.year} {self.code}"


class RelativeRun(models.Model):
    """The latest comparison across cities of a version: when, over how many, how."""

    version = models.OneToOneField(
        CatalogueVersion, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    requested_at = models.DateTimeField(null=True)
    computed_at = models.DateTimeField(null=True)
    draws = models.PositiveIntegerField(default=0)
    ranked = models.JSONField(default=dict)  # {year: number of cities with a score}

    class Meta:
        verbose_name = _("comparison run")
        verbose_name_plural = _("comparison runs")

    def __str__(self) -> str:
        return f"{self.version_id}: {self.computed_at}"
