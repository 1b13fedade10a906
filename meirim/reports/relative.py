"""The comparison between cities, for information only: computed in the background.

A city's own score never depends on the others (:mod:`meirim.reports.computing`). This
analysis does, by design: over the approved data of every city it rescales each indicator
min–max across the cities of the year, aggregates with the version's weights, ranks the
cities, and estimates how uncertain each rank is (Monte Carlo over weights, normalisation
and treatment, :data:`adapter.UNCERTAINTY`). Pages label its figures as relative.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl
from django.db import transaction
from django.utils import timezone

from index_engine import compute, uncertainty
from meirim.catalogue.models import CatalogueVersion
from meirim.reports import adapter
from meirim.reports.computing import city_years_frame, dense, observations_frame
from meirim.reports.frames import copy_in, table_name
from meirim.reports.models import RelativeResult, RelativeRun


def interval_nodes(framework_aggregates: tuple[str, ...], categories: set[str]) -> list[str]:
    """The nodes whose rank intervals are estimated: the index and the categories."""
    return [a for a in framework_aggregates if a == adapter.ROOT or a in categories]


def relative_compute(version: CatalogueVersion, draws: int | None = None) -> int:
    """Recompute the version's comparison across cities; returns the rows written.

    Skipped when no data changed since the last run began (a burst of writes queues several
    runs; the first one covers them all).
    """
    run, _created = RelativeRun.objects.get_or_create(version=version)
    if run.computed_at and run.requested_at and run.computed_at >= run.requested_at:
        return 0
    started = timezone.now()
    scoring = adapter.scoring(version)
    fw = scoring.framework
    rows = pl.DataFrame()
    ranked: dict[str, int] = {}
    n_draws = int(adapter.UNCERTAINTY["draws"] if draws is None else draws)
    observations = observations_frame(version, scoring.codes, None, approved_only=True)
    block = dense(scoring, observations, city_years_frame(version, None, approved_only=True))
    dataset = adapter.engine_dataset(block.data, fw) if fw is not None else None
    if fw is not None and dataset is not None:
        result = compute(fw, dataset, scoring.relative_pipeline())
        n_units, n_aggs, _n_years = result.scores.shape
        median = np.full(result.scores.shape, np.nan)
        low = np.full(result.scores.shape, np.nan)
        high = np.full(result.scores.shape, np.nan)
        categories = {m.category for m in scoring.meta}
        if n_units > 1:
            for node in interval_nodes(fw.aggregates, categories):
                a = fw.aggregates.index(node)
                mc = uncertainty(
                    fw,
                    dataset,
                    scoring.uncertainty_spec(node),
                    n_draws,
                    adapter.UNCERTAINTY["seed"],
                )
                median[:, a, :], low[:, a, :], high[:, a, :] = mc.median_rank, mc.q05, mc.q95
        root = fw.aggregates.index(adapter.ROOT)
        ranked = {
            str(year): int(n)
            for year, n in zip(
                result.years, (~np.isnan(result.scores[:, root, :])).sum(axis=0), strict=True
            )
        }
        u_ix, y_ix = np.nonzero(block.city_years)
        k = n_aggs

        def take(array: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
            return np.transpose(array, (0, 2, 1))[u_ix, y_ix, :].reshape(-1)

        ranks = take(np.asarray(result.ranks, dtype=np.float64))
        ranks[ranks == 0] = np.nan  # 0 = no rank
        rows = pl.DataFrame(
            {
                "version_id": np.full(u_ix.size * k, version.pk, dtype=np.int64),
                "municipality_id": np.repeat(block.municipality_ids[u_ix], k),
                "year": np.repeat(block.years[y_ix], k),
                "code": pl.Series(np.tile(np.array(fw.aggregates, dtype=object), u_ix.size)),
                "score": take(result.scores),
                "rank": ranks,
                "rank_median": take(median),
                "rank_low": take(low),
                "rank_high": take(high),
            },
            nan_to_null=True,
        ).with_columns(pl.col("rank").cast(pl.Int64))
    with transaction.atomic():
        stale = RelativeResult.objects.filter(version=version)
        stale._raw_delete(stale.db)
        written = copy_in(table_name(RelativeResult), rows)
        RelativeRun.objects.filter(pk=run.pk).update(
            computed_at=started, draws=n_draws, ranked=ranked
        )
    return written


def relative_request(version_id: int) -> None:
    """Note that the comparison is out of date (the worker's run clears it)."""
    updated = RelativeRun.objects.filter(version_id=version_id).update(requested_at=timezone.now())
    if not updated:
        RelativeRun.objects.get_or_create(
            version_id=version_id, defaults={"requested_at": timezone.now()}
        )
