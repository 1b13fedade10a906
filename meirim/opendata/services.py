"""Building a release of the open data: read every dataset once, write every format.

The datasets are read in one transaction (on PostgreSQL a repeatable-read snapshot, so the
four agree with each other), turned into files in a temporary directory and stored with
``default_storage`` under ``opendata/<label>/``. The release row becomes complete only once
every file is stored: until then the previous release is served.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import polars as pl
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from meirim.catalogue.models import CatalogueVersion
from meirim.catalogue.selectors import published_version
from meirim.common import audit
from meirim.data.models import DataRevision
from meirim.opendata import datasets, writers
from meirim.opendata.licence import licence_payload
from meirim.opendata.models import OpenDataRelease
from meirim.opendata.selectors import STALE_BUILD

logger = logging.getLogger(__name__)

#: Complete releases kept (the served one and the ones before it); older ones are removed,
#: and their revision-pinned URLs then answer 404.
KEEP_RELEASES = 3


def current_revision(version: CatalogueVersion) -> int:
    found = DataRevision.objects.filter(version=version).values_list("revision", flat=True)
    return int(found.first() or 0)


def release_label(version: CatalogueVersion, revision: int) -> str:
    return f"{version.code}-{revision}"


def file_name(dataset: str, label: str, fmt: str) -> str:
    """A file's name as downloaded: the dataset and the release."""
    return f"meirim-{dataset}-{label}.{fmt}"


def read_datasets(version: CatalogueVersion) -> dict[str, pl.DataFrame]:
    """The four datasets of ``version``'s approved data, read together."""
    with transaction.atomic():
        if connection.vendor == "postgresql" and not _inside_outer_transaction():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        dictionary = datasets.dictionary_frame(version)
        return {
            "observations": datasets.observations_frame(version, dictionary),
            "results": datasets.results_frame(version, dictionary),
            "dictionary": dictionary,
            "municipalities": datasets.municipalities_frame(),
        }


def _inside_outer_transaction() -> bool:
    # atomic() just opened ours: a savepoint inside another means statements already ran.
    return len(connection.savepoint_ids) > 0 or connection.savepoint_state > 0


def release_build(
    *, version: CatalogueVersion | None = None, force: bool = False
) -> OpenDataRelease | None:
    """Build the release of the current data revision (None without a published version).

    Returns the release as it stands: complete (built now or before), or a build that
    another worker is running. ``force`` builds again a complete release of this revision.
    """
    version = version or published_version()
    if version is None:
        return None
    revision = current_revision(version)
    label = release_label(version, revision)
    now = timezone.now()
    with transaction.atomic():
        release, created = OpenDataRelease.objects.select_for_update().get_or_create(
            version=version,
            revision=revision,
            defaults={"label": label, "started_at": now},
        )
        if not created:
            if release.state == OpenDataRelease.State.COMPLETE and not force:
                return release
            fresh = now - release.started_at < STALE_BUILD
            if release.state == OpenDataRelease.State.BUILDING and fresh and not force:
                return release
            release.state = OpenDataRelease.State.BUILDING
            release.started_at = now
            release.failure_reason = ""
            release.save(update_fields=["state", "started_at", "failure_reason"])
    started = time.perf_counter()
    try:
        frames = read_datasets(version)
        files = _write_files(release, frames)
    except Exception as exc:
        OpenDataRelease.objects.filter(pk=release.pk).update(
            state=OpenDataRelease.State.FAILED, failure_reason=repr(exc)[:2000]
        )
        logger.exception("open data release %s failed", label)
        raise
    with transaction.atomic():
        release.files = files
        release.rows = {name: frame.height for name, frame in frames.items()}
        release.state = OpenDataRelease.State.COMPLETE
        release.built_at = timezone.now()
        release.seconds = round(time.perf_counter() - started, 3)
        release.save()
        audit.record(
            actor=None,
            action="opendata.release",
            obj=release,
            changes={"revision": revision, "rows": release.rows, "seconds": release.seconds},
        )
    releases_prune()
    return release


def _write_files(release: OpenDataRelease, frames: dict[str, pl.DataFrame]) -> dict[str, Any]:
    envelope = {
        "licence": licence_payload(release.label),
        "version": release.version.code,
        "revision": release.label,
        "built_at": timezone.now().isoformat(),
    }
    stored: dict[str, Any] = {}
    folder = Path(tempfile.mkdtemp(prefix="meirim-opendata-"))
    try:
        for dataset, frame in frames.items():
            stored[dataset] = {}
            for fmt in writers.FORMATS:
                name = file_name(dataset, release.label, fmt)
                path = folder / name
                writers.write(frame, fmt, path, dataset=dataset, envelope=envelope)
                storage_name = f"opendata/{release.label}/{name}"
                if default_storage.exists(storage_name):
                    default_storage.delete(storage_name)
                with path.open("rb") as handle:
                    saved = default_storage.save(storage_name, File(handle, name=name))
                stored[dataset][fmt] = {
                    "name": saved,
                    "size": path.stat().st_size,
                    "etag": _sha256(path),
                }
                path.unlink()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return stored


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def releases_prune(keep: int = KEEP_RELEASES) -> int:
    """Remove the complete releases beyond the ``keep`` latest (files and rows), and failed
    builds older than the served release. Returns how many releases were removed."""
    complete = OpenDataRelease.objects.filter(state=OpenDataRelease.State.COMPLETE).order_by(
        "-built_at", "-id"
    )
    old = list(complete[keep:])
    latest = complete.first()
    if latest is not None and latest.built_at is not None:
        old += list(
            OpenDataRelease.objects.filter(
                state=OpenDataRelease.State.FAILED, started_at__lt=latest.built_at
            )
        )
    for release in old:
        for formats in release.files.values():
            for stored in formats.values():
                default_storage.delete(stored["name"])
        release.delete()
    return len(old)
