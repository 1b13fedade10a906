"""The audit log never keeps a secret: new rows are redacted, stored rows are purged."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from meirim.common import audit
from meirim.common.models import AuditEvent

SECRET = "correct-horse-battery-staple"


@pytest.mark.django_db
def test_record_redacts_secret_keys_at_any_depth():
    event = audit.record(
        actor=None,
        action="test.secrets",
        object_type="test",
        changes={
            "username": "amina",
            "password1": SECRET,
            "New_Password2": SECRET,
            "pwd": SECRET,
            "settings": {"api_key": SECRET, "mail": {"smtp_passwd": SECRET, "host": "mx"}},
            "clients": [{"client_secret": SECRET, "name": "etl"}, {"refresh_token": SECRET}],
            "secret_key": [SECRET, SECRET],
        },
    )
    event.refresh_from_db()
    assert SECRET not in json.dumps(event.changes)
    assert event.changes["username"] == "amina"
    assert event.changes["password1"] == audit.REDACTED
    assert event.changes["settings"]["mail"] == {"smtp_passwd": audit.REDACTED, "host": "mx"}
    assert event.changes["clients"][0] == {"client_secret": audit.REDACTED, "name": "etl"}
    assert event.changes["secret_key"] == audit.REDACTED


def test_diff_redacts_secret_keys():
    changes = audit.diff({"password": "old", "name": "a"}, {"password": "new", "name": "b"})
    assert changes == {"name": ["a", "b"], "password": audit.REDACTED}


@pytest.mark.django_db
def test_migration_purges_secrets_already_logged():
    before = [("common", "0001_initial")]
    after = [("common", "0002_redact_audit_secrets")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldEvent = old_apps.get_model("common", "AuditEvent")
    leaked = OldEvent.objects.create(
        action="admin.add",
        object_type="accounts.user",
        changes={"username": "amina", "password1": SECRET, "password2": SECRET},
    )
    nested = OldEvent.objects.create(
        action="x", object_type="x", changes={"rows": [{"token": SECRET, "n": 1}]}
    )
    clean = OldEvent.objects.create(action="y", object_type="y", changes={"name": "Astana"})

    executor = MigrationExecutor(connection)
    executor.migrate(after)

    leaked_now = AuditEvent.objects.get(pk=leaked.pk).changes
    assert leaked_now == {"username": "amina", "password1": "[redacted]", "password2": "[redacted]"}
    nested_now = AuditEvent.objects.get(pk=nested.pk).changes
    assert nested_now == {"rows": [{"token": "[redacted]", "n": 1}]}
    assert AuditEvent.objects.get(pk=clean.pk).changes == {"name": "Astana"}
