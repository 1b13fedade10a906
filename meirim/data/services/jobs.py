"""Background imports of large uploads, with their state and progress kept in a cache."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone, translation

from meirim.catalogue.models import CatalogueVersion
from meirim.common.tabular import ImportRejected
from meirim.data import selectors as data_selectors
from meirim.data.services.common import _user
from meirim.data.services.imports import observations_import
from meirim.geography.models import Municipality

logger = logging.getLogger(__name__)

# Uploads larger than this run in a background thread and report their progress.
BACKGROUND_IMPORT_BYTES = 1_000_000
IMPORT_JOB_SECONDS = 24 * 60 * 60
IMPORT_JOB_PROBLEMS_KEPT = 1000


def _job_key(job_id: str) -> str:
    return data_selectors.IMPORT_JOB_PREFIX + job_id


def _job_update(job_id: str, **changes: Any) -> None:
    job = data_selectors.import_job(job_id) or {}
    job.update(changes, heartbeat=timezone.now().timestamp())
    data_selectors.import_jobs_cache().set(_job_key(job_id), job, IMPORT_JOB_SECONDS)


def _run_in_background(target: Callable[[], None]) -> None:
    def run() -> None:
        try:
            target()
        finally:
            connections.close_all()  # this thread's own connections

    threading.Thread(target=run, name="meirim-data-import", daemon=True).start()


def observations_import_start(
    *,
    version: CatalogueVersion,
    municipality: Municipality,
    data: bytes,
    filename: str,
    actor: Any,
) -> str:
    """Run :func:`observations_import` in a background thread; return the job id.

    The job's state (checking, writing with rows done/total, done, rejected, failed) is kept
    under the id in ``data_selectors.import_jobs_cache()``, for the upload status page.
    Messages are written in the language active now.
    """
    job_id = uuid.uuid4().hex
    language = translation.get_language() or settings.LANGUAGE_CODE
    user = _user(actor)
    _job_update(
        job_id,
        state="checking",
        owner=user.pk if user else None,
        municipality=municipality.code,
        filename=filename,
        size=len(data),
        done=0,
        total=0,
        started=timezone.now().timestamp(),
    )

    def run() -> None:
        try:
            with translation.override(language):
                summary = observations_import(
                    version=version,
                    municipality=municipality,
                    data=data,
                    filename=filename,
                    actor=user,
                    progress=lambda done, total: _job_update(
                        job_id, state="writing", done=done, total=total
                    ),
                )
            _job_update(job_id, state="done", summary=summary.as_dict())
        except ImportRejected as rejected:
            _job_update(
                job_id,
                state="rejected",
                problem_count=len(rejected.problems),
                problems=[
                    asdict(problem) for problem in rejected.problems[:IMPORT_JOB_PROBLEMS_KEPT]
                ],
            )
        except Exception:
            logger.exception("background import %s failed", job_id)
            _job_update(job_id, state="failed")

    _run_in_background(run)
    return job_id
