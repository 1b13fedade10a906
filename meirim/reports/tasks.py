"""Background work of the results, run by the task worker (``manage.py db_worker``).

After a data write the changed cities' results are marked as waiting, then computed again
and stored; the comparison across cities follows in its own, slower task, on its own queue
(:data:`RELATIVE_QUEUE`), so a national comparison that runs for a minute never holds back
the next city's own results: run one worker for each queue. Pages never compute: they show
the last stored results and, while newer data wait, say so.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from meirim.catalogue.models import CatalogueVersion
from meirim.reports import computing, relative

#: The queue of the comparison across cities (``manage.py db_worker --queue-name relative``).
RELATIVE_QUEUE = "relative"


@task()
def results_recompute(
    version_id: int, municipality_ids: list[int] | None = None, years: list[int] | None = None
) -> int:
    """Compute and store the results of these cities (all when None) and years (all when
    None or empty). Returns the node rows written, or -1 when the version is gone."""
    version = CatalogueVersion.objects.filter(pk=version_id).first()
    if version is None:
        return -1
    written = computing.results_compute(version, municipality_ids or None, years or None)
    relative.relative_request(version_id)
    relative_recompute.enqueue(version_id)
    return written


@task(queue_name=RELATIVE_QUEUE)
def relative_recompute(version_id: int) -> int:
    """Recompute the relative comparison across cities (skipped when already current)."""
    version = CatalogueVersion.objects.filter(pk=version_id).first()
    if version is None:
        return -1
    return relative.relative_compute(version)


def on_data_revised(
    *, version_id: int, municipality_ids: list[int], years: list[int] | None = None, **_: Any
) -> None:
    """Receiver of ``meirim.data.signals.data_revised`` (sent on commit)."""
    if municipality_ids:
        computing.results_mark_stale(version_id, municipality_ids)
    results_recompute.enqueue(version_id, municipality_ids or None, years or None)
