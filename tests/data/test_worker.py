"""A large upload end to end: the database task backend and a real ``db_worker`` process."""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from meirim.accounts.models import Role
from meirim.data import services as data_services
from meirim.data.models import DataRevision, ImportJob, Observation
from tests.data.conftest import TOWN, csv_bytes

DISTRICTS = 1000
YEARS = range(2020, 2025)


def _database_url() -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_large_upload_is_imported_by_the_worker(users, version, town, media, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database that another process can open")
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    rows = [
        {
            "code": "I03",
            "year": year,
            "value": "5",
            "district": f"District {number:04d}",
            "comment": "Checked against the district register. " * 5,
        }
        for number in range(DISTRICTS)
        for year in YEARS
    ]
    data = csv_bytes(rows)
    assert len(data) > data_services.BACKGROUND_IMPORT_BYTES
    client = Client()
    client.force_login(users[Role.CITY_COORDINATOR])
    response = client.post(
        f"/en/data/{TOWN}/upload/", {"file": SimpleUploadedFile("districts.csv", data)}
    )
    assert response.status_code == 302
    status_url = response["Location"]
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.QUEUED and job.task_result_id
    assert "waiting for its turn" in client.get(status_url).content.decode()

    worker = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0",
        ],
        cwd=django_settings.BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": _database_url(),
            "MEIRIM_MEDIA_ROOT": str(media),
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert worker.returncode == 0, worker.stdout + worker.stderr

    job.refresh_from_db()
    total = DISTRICTS * len(YEARS)
    assert job.state == ImportJob.State.DONE, (job.failure_reason, worker.stdout)
    assert job.summary["created"] == total and job.rows_written == job.rows_total == total
    assert job.started_at and job.finished_at
    assert Observation.objects.filter(municipality=town).count() == total
    page = client.get(status_url).content.decode()
    assert "5,000 new values" in page and 'http-equiv="refresh"' not in page
    # The import's data revision was followed by the recomputation of the results.
    assert DataRevision.objects.get(version=version).revision >= 1
    recomputed = DBTaskResult.objects.filter(task_path="meirim.reports.tasks.results_recompute")
    assert recomputed.exists() and all(r.status == "SUCCESSFUL" for r in recomputed)
