"""Background work of the open data, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from meirim.catalogue.models import CatalogueVersion
from meirim.opendata import services
from meirim.reports.models import ResultState

#: Below the results' task (priority 0): a worker takes the build after the results it reads.
BUILD_PRIORITY = -10
#: How long a build waits when the results of newer data are not stored yet.
RESULTS_WAIT = timedelta(seconds=30)
REQUESTED_KEY = "opendata-build-requested"


@task(priority=BUILD_PRIORITY)
def opendata_build(version_id: int | None = None) -> str:
    """Build the open data release of the current data revision; its label, or why not."""
    version = None
    if version_id is not None:
        version = CatalogueVersion.objects.filter(pk=version_id).first()
        if version is None:
            return "no version"
        waiting = ResultState.objects.filter(version=version, stale_since__isnull=False)
        if waiting.exists() and default_task_backend.supports_defer:
            # The results of the newest data are still being computed: come back later.
            opendata_build.using(run_after=timezone.now() + RESULTS_WAIT).enqueue(version_id)
            return "waiting for results"
    release = services.release_build(version=version)
    return release.label if release else "no published version"


def build_request() -> None:
    """Queue a build when there is no release to serve (at most once a minute)."""
    if cache.add(REQUESTED_KEY, 1, timeout=60):
        transaction.on_commit(lambda: opendata_build.enqueue(None), robust=True)


def on_data_revised(*, version_id: int, **_: Any) -> None:
    """Receiver of ``meirim.data.signals.data_revised`` (sent on commit)."""
    version = CatalogueVersion.objects.filter(pk=version_id).first()
    if version is not None and version.is_published:
        opendata_build.enqueue(version_id)
