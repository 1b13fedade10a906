"""Background work of the results, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from meirim.catalogue.models import CatalogueVersion
from meirim.reports import cache


@task()
def results_recompute(version_id: int, municipality_ids: list[int] | None = None) -> int:
    """Compute the results of the version's current data revision ahead of the pages.

    Pages still compute them themselves when no worker runs (or it is behind). Returns the
    revision warmed, or -1 when the version no longer exists.
    """
    version = CatalogueVersion.objects.filter(pk=version_id).first()
    if version is None:
        return -1
    return cache.results_warm(version, municipality_ids or [])


def on_data_revised(*, version_id: int, municipality_ids: list[int], **_: Any) -> None:
    """Receiver of ``meirim.data.signals.data_revised`` (sent on commit)."""
    results_recompute.enqueue(version_id, municipality_ids)
