"""Large uploads: imported by a task, with the job's state and progress in the database.

Tasks run immediately here (tests/conftest.py); tests/data/test_worker.py goes through the
database backend and a real worker.
"""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, connections, transaction
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from meirim.accounts.models import Role
from meirim.data import services as data_services
from meirim.data.models import ImportJob, Observation
from meirim.geography.models import Municipality
from tests.data.conftest import TOWN, csv_bytes
from tests.factories import ImportJobFactory, user_with_role

YEAR = 2024
UPLOAD = f"/en/data/{TOWN}/upload/"


@pytest.fixture
def small_background(monkeypatch):
    """Every upload counts as large: it goes through an import job."""
    monkeypatch.setattr(data_services, "BACKGROUND_IMPORT_BYTES", 10)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, data: bytes, url: str = UPLOAD, name: str = "big.csv"):
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


GOOD = csv_bytes(
    [{"code": "I03", "year": YEAR, "value": "5"}, {"code": "I04", "year": YEAR, "value": "1"}]
)


@pytest.mark.django_db
def test_job_goes_from_queued_to_done_and_its_page_follows(
    users, version, town, media, small_background, django_capture_on_commit_callbacks
):
    client = _client(users[Role.CITY_COORDINATOR])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post(client, GOOD)
    assert response.status_code == 302
    status_url = response["Location"]
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.QUEUED and str(job.pk) in status_url
    assert job.file and (media / job.file.name).exists()
    waiting = client.get(status_url).content.decode()
    assert 'http-equiv="refresh"' in waiting and "waiting for its turn" in waiting

    for callback in callbacks:  # the commit: the task is enqueued and runs at once
        callback()
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert job.started_at and job.finished_at and job.started_at <= job.finished_at
    assert job.summary["created"] == 2 and job.summary["imported"] == 2
    assert (job.rows_checked, job.rows_written, job.rows_total) == (2, 2, 2)
    assert job.task_result_id
    assert not job.file and not list(media.glob("imports/*/*/*"))  # the file is removed
    done = client.get(status_url).content.decode()
    assert 'http-equiv="refresh"' not in done and "2 new values" in done
    assert Observation.objects.filter(municipality=town).count() == 2


@pytest.mark.django_db
def test_rejected_file_ends_failed_with_its_problems_by_row_and_field(
    users, version, town, media, small_background, django_capture_on_commit_callbacks
):
    data = csv_bytes(
        [
            {"code": "I03", "year": YEAR, "value": "5"},
            {"code": "I99", "year": YEAR, "value": "1"},
            {"code": "I06", "year": YEAR, "value": "120"},
        ]
    )
    client = _client(users[Role.CITY_COORDINATOR])
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, data)
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.FAILED and job.problem_count == 2
    assert {(p["row"], p["field"]) for p in job.problems} == {(3, "code"), (4, "value")}
    assert job.failure_reason
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was imported" in page and "<td>3</td><td>code</td>" in page
    assert "<td>4</td><td>value</td>" in page and 'http-equiv="refresh"' not in page
    assert not Observation.objects.filter(municipality=town).exists()


@pytest.mark.django_db
def test_unexpected_error_ends_failed_with_a_translated_reason(
    users, version, town, media, small_background, django_capture_on_commit_callbacks
):
    client = _client(users[Role.CITY_COORDINATOR])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post(client, GOOD, url=f"/ru/data/{TOWN}/upload/")
    job = ImportJob.objects.get()
    (media / job.file.name).unlink()  # the stored file is lost before the worker starts
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    with translation.override("ru"):
        reason = gettext("The import failed because of an unexpected error. Nothing was imported.")
    assert reason != "The import failed because of an unexpected error. Nothing was imported."
    assert job.state == ImportJob.State.FAILED and job.failure_reason == reason
    assert reason in client.get(response["Location"]).content.decode()
    assert not Observation.objects.filter(municipality=town).exists()


@pytest.mark.django_db
def test_a_second_import_of_the_same_municipality_is_refused_while_one_runs(
    users,
    version,
    town,
    other_town,
    media,
    small_background,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    coordinator = users[Role.CITY_COORDINATOR]
    with django_capture_on_commit_callbacks(execute=False):  # no worker: the job waits
        _post(_client(coordinator), GOOD)
    first = ImportJob.objects.get()
    other = user_with_role(Role.CITY_COORDINATOR, "second_coordinator", municipality=TOWN)
    client = _client(other)
    for name, monkeyed in (("big.csv", True), ("small.csv", False)):
        if not monkeyed:  # a small file, imported in the request, is refused as well
            monkeypatch.setattr(data_services, "BACKGROUND_IMPORT_BYTES", 1_000_000)
        response = _post(client, GOOD, name=name)
        body = response.content.decode()
        assert response.status_code == 200
        assert "An import for " in body and "is already running" in body
        assert f"by {coordinator.username}" in body and "wait for it to finish" in body
    assert list(ImportJob.objects.all()) == [first]
    assert not Observation.objects.filter(municipality=town).exists()
    # The database holds the rule too, for app servers that check at the same moment.
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportJobFactory(version=version, municipality=town)
    # Another municipality is not held up.
    job = data_services.import_job_create(
        version=version,
        municipality=other_town,
        file=SimpleUploadedFile("o.csv", GOOD),
        filename="o.csv",
        actor=None,
    )
    assert job.state == ImportJob.State.QUEUED


@pytest.mark.django_db
def test_a_stalled_import_is_marked_failed_and_the_municipality_may_upload_again(
    users, version, town, media, small_background, django_capture_on_commit_callbacks
):
    client = _client(users[Role.CITY_COORDINATOR])
    with django_capture_on_commit_callbacks(execute=False):
        _post(client, GOOD)
    long_ago = timezone.now() - timedelta(hours=2)
    # As a worker leaves it when it dies in the middle of an import.
    ImportJob.objects.update(state="running", started_at=long_ago, progress_at=long_ago)
    call_command("recover_import_jobs", "--minutes", "60", stdout=open("/dev/null", "w"))  # noqa: SIM115
    stalled = ImportJob.objects.get()
    assert stalled.state == ImportJob.State.FAILED and "stopped responding" in (
        stalled.failure_reason
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, GOOD)
    assert response.status_code == 302
    assert ImportJob.objects.filter(state=ImportJob.State.DONE).count() == 1


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_to_a_fresh_request_while_the_import_runs(
    users, version, town, media, small_background
):
    """The import stops at the municipality's lock (as behind an approval): meanwhile another
    coordinator, in another session, sees from the job's row how far it got."""
    data = csv_bytes([{"code": "I03", "year": year, "value": "5"} for year in range(2019, 2025)])
    uploader = _client(users[Role.CITY_COORDINATOR])
    watcher = _client(user_with_role(Role.CITY_COORDINATOR, "watcher", municipality=TOWN))
    responses = []

    def upload() -> None:
        try:
            responses.append(_post(uploader, data))
        finally:
            connections.close_all()

    worker = threading.Thread(target=upload)
    with transaction.atomic():
        Municipality.objects.select_for_update(no_key=True).get(pk=town.pk)
        worker.start()
        deadline = time.monotonic() + 60
        page = ""
        while time.monotonic() < deadline:
            upload_page = watcher.get(UPLOAD).content.decode()
            link = re.search(rf'href="(/en/data/{TOWN}/upload/[0-9a-f-]{{36}}/[^"]*)"', upload_page)
            if link:
                page = watcher.get(link.group(1).replace("&amp;", "&")).content.decode()
                if "6 rows checked" in page:
                    break
            time.sleep(0.05)
        assert "6 rows checked" in page and 'http-equiv="refresh"' in page
        status_url = link.group(1).replace("&amp;", "&")
    worker.join(60)
    assert not worker.is_alive() and responses[0].status_code == 302
    done = watcher.get(status_url).content.decode()
    assert "6 new values" in done
    assert Observation.objects.filter(municipality=town).count() == 6
