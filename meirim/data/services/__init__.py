"""Writes for the cities' data: observations, file imports, approval of a year, evidence.

Every service runs in one transaction, writes an audit row and bumps the version's
:class:`DataRevision` in that same transaction (last, so the shared counter row stays locked
only for a moment). Writers of one municipality are serialised by a ``FOR NO KEY UPDATE``
lock on its row, so an approval cannot slip between the check and the write of an import.

A file import checks every row before writing anything: any problem rejects the whole file
with every problem by row and field, and the database stays exactly as it was.

The parts: :mod:`.cells` (one cell, the entry form), :mod:`.imports` (files, read by
:mod:`.reading` and written by :mod:`.writers`), :mod:`.jobs` (large uploads imported
by the task worker), :mod:`.years` (approval), :mod:`.evidence` (files attached to cells) and
:mod:`.common` (what they share).
"""

from __future__ import annotations

from meirim.data.services.cells import (
    SAVE_FIELDS,
    EntryRejected,
    observation_save,
    observations_save_many,
)
from meirim.data.services.common import Progress
from meirim.data.services.evidence import (
    evidence_add,
    evidence_remove,
)
from meirim.data.services.imports import (
    ImportSummary,
    Outlier,
    observations_import,
    observations_import_all,
)
from meirim.data.services.jobs import (
    BACKGROUND_IMPORT_BYTES,
    IMPORT_JOB_PROBLEMS_KEPT,
    ImportAlreadyRunning,
    import_job_create,
    import_job_refuse_if_running,
    import_job_run,
    import_jobs_recover_stale,
)
from meirim.data.services.writers import OTHER_BATCH, POSTGRES_BATCH
from meirim.data.services.writers import _write_orm as _write_orm
from meirim.data.services.writers import _write_postgres as _write_postgres
from meirim.data.services.years import data_year_approve, data_year_reopen
from meirim.data.validation import msg_duplicate as msg_duplicate

# The aliased private names (and msg_duplicate) are reached through the package by tests,
# as they were on the single module this package replaced.
__all__ = [
    "BACKGROUND_IMPORT_BYTES",
    "IMPORT_JOB_PROBLEMS_KEPT",
    "OTHER_BATCH",
    "POSTGRES_BATCH",
    "SAVE_FIELDS",
    "EntryRejected",
    "ImportAlreadyRunning",
    "ImportSummary",
    "Outlier",
    "Progress",
    "data_year_approve",
    "data_year_reopen",
    "evidence_add",
    "evidence_remove",
    "import_job_create",
    "import_job_refuse_if_running",
    "import_job_run",
    "import_jobs_recover_stale",
    "observation_save",
    "observations_import",
    "observations_import_all",
    "observations_save_many",
]
