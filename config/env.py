"""Every environment variable the platform reads, read once and typed.

Settings import from here; nothing else in the project touches ``os.environ``.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


DEBUG: bool = _bool("MEIRIM_DEBUG", False)
SECRET_KEY: str = os.environ.get("MEIRIM_SECRET_KEY", "")
ALLOWED_HOSTS: list[str] = _list("MEIRIM_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
# The demo runs on an embedded SQLite file; production and CI give a PostgreSQL URL.
DATABASE_URL: str = os.environ.get(
    "DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'meirim.sqlite3'}"
)
EMAIL_BACKEND: str = os.environ.get(
    "MEIRIM_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL: str = os.environ.get("MEIRIM_FROM_EMAIL", "meirim@localhost")
MEDIA_ROOT: Path = Path(os.environ.get("MEIRIM_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
SESSION_IDLE_SECONDS: int = int(os.environ.get("MEIRIM_SESSION_IDLE_SECONDS", "1800"))
LOGIN_FAILURE_LIMIT: int = int(os.environ.get("MEIRIM_LOGIN_FAILURE_LIMIT", "5"))
