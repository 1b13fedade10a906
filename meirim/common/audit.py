"""Writing the audit log. Services call :func:`record` inside their own transaction.

Secrets never reach the log: :func:`record` and :func:`diff` pass every change through
:func:`redact`, which replaces the value of any key that names a secret (see
:data:`SECRET_KEY_PARTS`) with :data:`REDACTED`, at any depth.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from meirim.common.models import AuditEvent

#: The value stored instead of a secret.
REDACTED = "[redacted]"

#: A key whose lower-cased name contains one of these parts holds a secret
#: (password1, new_password2, api_key, secret_key, access_token…).
SECRET_KEY_PARTS = ("password", "passwd", "secret", "token", "key")

#: Keys that are secrets although they contain none of the parts above.
SECRET_KEYS = ("pwd",)


def is_secret_key(key: object) -> bool:
    """Whether a change under this key must not be stored."""
    name = str(key).lower()
    return name in SECRET_KEYS or any(part in name for part in SECRET_KEY_PARTS)


def redact(value: Any) -> Any:
    """A copy of ``value`` in which every secret-named key of every nested dict is redacted."""
    if isinstance(value, dict):
        return {
            key: REDACTED if is_secret_key(key) else redact(item) for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    return value


def acting_user(actor: Any) -> Any:
    """The signed-in user behind ``actor``, or None for system jobs (imports, demo set-up)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit row. ``actor`` may be None for system jobs (imports, demo set-up)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)[:255]
    user = acting_user(actor)
    return AuditEvent.objects.create(
        actor=user,
        actor_label=user.get_username() if user else "system",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label[:255],
        changes=redact(changes or {}),
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The fields whose value changed, as ``{field: [old, new]}``; secrets are redacted."""
    changed = {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
    return {key: REDACTED if is_secret_key(key) else redact(v) for key, v in changed.items()}
