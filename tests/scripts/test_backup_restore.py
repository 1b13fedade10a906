"""scripts/backup.sh and scripts/restore.sh: a backup restored into a new database is the same."""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from meirim.accounts.services import user_create
from meirim.geography.models import Municipality
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def _url(database: str) -> str:
    s = connection.settings_dict
    return f"postgresql://{s['USER']}@{s['HOST']}:{s['PORT']}/{database}"


def _run(script: str, directory: Path, database_url: str, media: Path):
    env = {**os.environ, "DATABASE_URL": database_url, "MEIRIM_MEDIA_ROOT": str(media)}
    return subprocess.run(
        [str(ROOT / "scripts" / script), str(directory)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def empty_database(transactional_db):
    name = f"meirim_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(connection.vendor != "postgresql", reason="backups are of PostgreSQL")
def test_a_backup_restores_into_an_empty_database(empty_database, geography, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    user_create(username="keeper", password=PASSWORD, email="keeper@example.org", actor=None)
    Municipality.objects.filter(code="KZ-AKM-KOKSHETAU").update(child_population=123457)
    evidence = bytes(range(256)) * 40
    stored = default_storage.save("evidence/2026/01/minutes.pdf", ContentFile(evidence))

    backup = _run(
        "backup.sh", tmp_path / "backup", _url(connection.settings_dict["NAME"]), tmp_path / "media"
    )
    assert backup.returncode == 0, backup.stderr
    restored_media = tmp_path / "restored-media"
    restore = _run("restore.sh", tmp_path / "backup", _url(empty_database), restored_media)
    assert restore.returncode == 0, restore.stderr

    with psycopg.connect(_url(empty_database)) as conn:
        assert conn.execute(
            "SELECT email FROM accounts_user WHERE username = 'keeper'"
        ).fetchone() == ("keeper@example.org",)
        assert conn.execute(
            "SELECT child_population FROM geography_municipality WHERE code = 'KZ-AKM-KOKSHETAU'"
        ).fetchone() == (123457,)
        counts = conn.execute("SELECT count(*) FROM geography_municipality").fetchone()
    assert counts == (Municipality.objects.count(),)
    assert (restored_media / stored).read_bytes() == evidence

    # A second restore into the now filled database is refused: nothing is overwritten.
    again = _run("restore.sh", tmp_path / "backup", _url(empty_database), tmp_path / "other")
    assert again.returncode != 0 and "empty" in again.stderr
