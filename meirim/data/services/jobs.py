"""Imports of large uploads by the task worker, with their state and progress in the database.

:func:`import_job_create` stores the file and an :class:`ImportJob` row and enqueues the task
on commit; the worker runs :func:`import_job_run`, which moves the row from queued to running
to done or failed and writes its progress to it. Every app server reads the same row.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from django.core.files.base import File
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from meirim.catalogue.models import CatalogueVersion
from meirim.common import audit
from meirim.common.tabular import ImportRejected
from meirim.common.workflow import NotAllowed
from meirim.data.models import ImportJob
from meirim.data.services.imports import observations_import
from meirim.geography.models import Municipality

logger = logging.getLogger(__name__)

# Uploads larger than this are imported by the task worker, which reports its progress.
BACKGROUND_IMPORT_BYTES = 1_000_000
IMPORT_JOB_PROBLEMS_KEPT = 1000
# Progress is written at most this often (and when a phase ends).
PROGRESS_SECONDS = 0.5
# A running job without progress for this long died with its worker: it may be marked failed
# (``manage.py recover_import_jobs``, or the next upload for the same municipality).
STALE_AFTER = timedelta(minutes=30)


class ImportAlreadyRunning(NotAllowed):
    """A municipality's file is being imported: one import at a time per municipality."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        super().__init__([msg_import_running(job)])

    @property
    def message(self) -> str:
        return self.reasons[0]


def msg_import_running(job: ImportJob) -> str:
    started = timezone.localtime(job.started_at or job.created_at)
    who = job.created_by.get_full_name() or job.created_by.username if job.created_by else "—"
    return _(
        "An import for %(municipality)s is already running (started %(started)s by "
        "%(user)s); wait for it to finish."
    ) % {
        "municipality": job.municipality.name,
        "started": formats.date_format(started, "DATETIME_FORMAT"),
        "user": who,
    }


def _active_job(municipality: Municipality) -> ImportJob | None:
    return (
        ImportJob.objects.filter(municipality=municipality, state__in=ImportJob.ACTIVE_STATES)
        .select_related("municipality", "created_by")
        .first()
    )


def import_job_refuse_if_running(*, municipality: Municipality) -> None:
    """Raise :class:`ImportAlreadyRunning` while a job of ``municipality`` is queued or running.

    A job that stopped reporting long ago (its worker died) is marked failed first.
    """
    import_jobs_recover_stale(municipality=municipality)
    job = _active_job(municipality)
    if job is not None:
        raise ImportAlreadyRunning(job)


def import_job_create(
    *,
    version: CatalogueVersion,
    municipality: Municipality,
    file: File[Any],
    filename: str,
    actor: Any,
) -> ImportJob:
    """Store ``file`` and a queued job, and have the worker import it once this commits.

    Refused with :class:`ImportAlreadyRunning` while another job of the municipality is
    queued or running: a partial unique constraint makes this hold across app servers.
    Messages of the job are written in the language active now.
    """
    import_job_refuse_if_running(municipality=municipality)
    user = audit.acting_user(actor)
    job = ImportJob(
        version=version,
        municipality=municipality,
        filename=filename[:255],
        size=file.size or 0,
        language=translation.get_language() or "",
        created_by=user,
    )
    job.file.save(filename, file, save=False)
    try:
        with transaction.atomic():
            job.save(force_insert=True)
            audit.record(
                actor=actor,
                action="data.import_job_create",
                obj=municipality,
                object_label=f"{municipality.code} {filename}",
                changes={"version": version.code, "filename": filename, "job": str(job.pk)},
            )
            transaction.on_commit(lambda: _enqueue(job.pk))
    except IntegrityError:
        job.file.delete(save=False)
        running = _active_job(municipality)
        if running is None:
            raise
        raise ImportAlreadyRunning(running) from None
    return job


def _enqueue(job_id: Any) -> None:
    from meirim.data.tasks import import_job_task  # the task module imports this one

    try:
        result = import_job_task.enqueue(str(job_id))
    except Exception:
        logger.exception("import job %s could not be queued", job_id)
        ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
            state=ImportJob.State.FAILED,
            failure_reason=_("The import could not be started. Nothing was imported."),
            finished_at=timezone.now(),
        )
        return
    ImportJob.objects.filter(pk=job_id).update(task_result_id=str(result.id))


class _ProgressWriter:
    """Writes a job's progress to its row, at most every PROGRESS_SECONDS.

    While the import's own transaction is open (the write phase), the row is updated through
    a second connection, so other processes see it before the import commits. SQLite allows
    one writer at a time: there the write phase reports only when it ends.
    """

    def __init__(self, job_id: Any) -> None:
        self.job_id = job_id
        self.last = 0.0
        self.alias = ImportJob.objects.db
        self.side: BaseDatabaseWrapper | None = None

    def checked(self, rows: int) -> None:
        self._write(rows_checked=rows)

    def written(self, done: int, total: int) -> None:
        self._write(force=done in (0, total), rows_written=done, rows_total=total)

    def _write(self, *, force: bool = False, **fields: Any) -> None:
        now = time.monotonic()
        if not force and now - self.last < PROGRESS_SECONDS:
            return
        self.last = now
        fields["progress_at"] = timezone.now()
        connection = connections[self.alias]
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=self.job_id).update(**fields)
        elif connection.vendor == "postgresql":
            self._write_aside(fields)

    def _write_aside(self, fields: dict[str, Any]) -> None:
        if self.side is None:
            self.side = connections.create_connection(self.alias)
        quote = self.side.ops.quote_name
        # The progress fields' names are their columns (no db_column on ImportJob).
        assignments = ", ".join(f"{quote(name)} = %s" for name in fields)
        table = quote(ImportJob._meta.db_table)
        try:
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET {assignments} WHERE {quote('id')} = %s",  # noqa: S608
                    [*fields.values(), self.job_id],
                )
        except DatabaseError:
            logger.warning("progress of import job %s not written", self.job_id, exc_info=True)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def import_job_run(*, job_id: str) -> str:
    """Import a queued job's file (run by the task worker); return the job's final state.

    A file with problems ends ``failed`` with its problems by row and field; an unexpected
    error ends ``failed`` with a general reason (and the traceback in the log). The file is
    removed when the job ends.
    """
    now = timezone.now()
    started = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.RUNNING, started_at=now, progress_at=now
    )
    if not started:  # already run, or marked failed meanwhile
        return str(ImportJob.objects.filter(pk=job_id).values_list("state", flat=True).first())
    job = ImportJob.objects.select_related("version", "municipality", "created_by").get(pk=job_id)
    progress = _ProgressWriter(job.pk)
    outcome: dict[str, Any]
    with translation.override(job.language or None):
        try:
            with job.file.open("rb") as handle:
                data = handle.read()
            summary = observations_import(
                version=job.version,
                municipality=job.municipality,
                data=data,
                filename=job.filename,
                actor=job.created_by,
                progress=progress.written,
                checked=progress.checked,
            )
            del data
            outcome = {
                "state": ImportJob.State.DONE,
                "summary": summary.as_dict(),
                "rows_checked": summary.rows,
                "rows_written": summary.imported,
                "rows_total": summary.imported,
            }
        except ImportRejected as rejected:
            outcome = {
                "state": ImportJob.State.FAILED,
                "failure_reason": _("The file has problems: nothing was imported."),
                "problem_count": len(rejected.problems),
                "problems": [
                    asdict(problem) for problem in rejected.problems[:IMPORT_JOB_PROBLEMS_KEPT]
                ],
            }
        except Exception:
            logger.exception("import job %s failed", job_id)
            outcome = {
                "state": ImportJob.State.FAILED,
                "failure_reason": _(
                    "The import failed because of an unexpected error. Nothing was imported."
                ),
            }
        finally:
            progress.close()
    ImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now(), **outcome)
    job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(file="")
    return str(outcome["state"])


def import_jobs_recover_stale(
    *, municipality: Municipality | None = None, older_than: timedelta = STALE_AFTER
) -> int:
    """Mark failed the running jobs without progress for ``older_than`` (their worker died).

    Nothing of such a job was imported: its write transaction ended with its connection.
    Returns how many jobs were marked.
    """
    cutoff = timezone.now() - older_than
    stale = ImportJob.objects.filter(state=ImportJob.State.RUNNING, progress_at__lt=cutoff)
    if municipality is not None:
        stale = stale.filter(municipality=municipality)
    marked = 0
    for job in stale.select_related("municipality"):
        with translation.override(job.language or None):
            reason = _(
                "The import stopped responding (its worker may have stopped). Nothing was "
                "imported: upload the file again."
            )
        with transaction.atomic():
            updated = ImportJob.objects.filter(
                pk=job.pk, state=ImportJob.State.RUNNING, progress_at__lt=cutoff
            ).update(
                state=ImportJob.State.FAILED, failure_reason=reason, finished_at=timezone.now()
            )
            if updated:
                audit.record(
                    actor=None,
                    action="data.import_job_recover",
                    obj=job.municipality,
                    object_label=f"{job.municipality.code} {job.filename}",
                    changes={"job": str(job.pk)},
                )
        if updated:
            marked += 1
            job.file.delete(save=False)
    return marked
