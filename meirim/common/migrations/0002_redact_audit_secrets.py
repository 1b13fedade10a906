"""Purge secrets already written to the audit log (e.g. password1/password2 from the admin).

The redaction rule is frozen here, as it stood when this migration was written, so that
later changes to ``meirim.common.audit`` cannot change what this migration does.
"""

from django.db import migrations, models
from django.db.models.functions import Cast

REDACTED = "[redacted]"
SECRET_KEY_PARTS = ("password", "passwd", "secret", "token", "key")
SECRET_KEYS = ("pwd",)
# Rows whose JSON text mentions none of these cannot hold a secret key.
CANDIDATE_PATTERN = "password|passwd|secret|token|key|pwd"
BATCH = 500


def is_secret_key(key):
    name = str(key).lower()
    return name in SECRET_KEYS or any(part in name for part in SECRET_KEY_PARTS)


def redact(value):
    if isinstance(value, dict):
        return {
            key: REDACTED if is_secret_key(key) else redact(item) for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [redact(item) for item in value]
    return value


def purge_secrets(apps, schema_editor):
    AuditEvent = apps.get_model("common", "AuditEvent")
    events = AuditEvent.objects.using(schema_editor.connection.alias)
    candidates = (
        events
        .annotate(changes_text=Cast("changes", models.TextField()))
        .filter(changes_text__iregex=CANDIDATE_PATTERN)
        .only("id", "changes")
        .order_by("id")
    )
    changed = []
    for event in candidates.iterator(chunk_size=BATCH):
        clean = redact(event.changes)
        if clean != event.changes:
            event.changes = clean
            changed.append(event)
        if len(changed) >= BATCH:
            events.bulk_update(changed, ["changes"])
            changed = []
    if changed:
        events.bulk_update(changed, ["changes"])


class Migration(migrations.Migration):
    dependencies = [("common", "0001_initial")]

    operations = [
        # Irreversible by nature: a purged secret cannot be restored.
        migrations.RunPython(purge_secrets, migrations.RunPython.noop, elidable=True),
    ]
