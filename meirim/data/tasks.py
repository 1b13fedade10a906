"""Background work of the cities' data, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from meirim.data.services import jobs


@task()
def import_job_task(job_id: str) -> str:
    """Import the file of :class:`~meirim.data.models.ImportJob` ``job_id``; its final state."""
    return jobs.import_job_run(job_id=job_id)
