"""Computed results, stored per catalogue version × municipality × year × node.

A worker task writes them after each data revision (:mod:`meirim.reports.tasks`); pages and
the API only read them. A city's own results (``NodeResult``, ``YearResult``) depend on its
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
# million with COPY, so the keys carry no database constraint: PostgreSQL's deferred foreign
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


class NodeResult(models.Model):
    """One node (the index, a category, a sub-domain or an indicator) of one city and year.

    Indicators: ``value`` is the city's figure, ``score`` its place between the version's
    goalposts (0–100), ``status`` the observation's status code. Aggregates: ``score`` only.
    ``reason`` says why a score is missing (an :data:`index_engine.arrays.REASONS` index).
    """

    pk = models.CompositePrimaryKey("version_id", "municipality_id", "year", "code")
    version = _version()
    municipality = _municipality()
    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("code"), max_length=16)
    value = models.FloatField(_("value"), null=True)
    score = models.FloatField(_("score"), null=True)
    reason = models.PositiveSmallIntegerField(default=0)
    status = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("node result")
        verbose_name_plural = _("node results")
        indexes = [models.Index(fields=["version", "code", "year"], name="noderesult_by_node")]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.year} {self.code}"


class YearResult(models.Model):
    """A city's data year as its results saw it: completeness and demonstration data."""

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
