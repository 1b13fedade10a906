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


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    return int(raw)


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
STATIC_ROOT: Path = Path(os.environ.get("MEIRIM_STATIC_ROOT", str(BASE_DIR / "var" / "static")))
SESSION_IDLE_SECONDS: int = _int("MEIRIM_SESSION_IDLE_SECONDS", 1800)
# Absolute session lifetime: a session ends this long after login, however active.
SESSION_MAX_SECONDS: int = _int("MEIRIM_SESSION_MAX_SECONDS", 12 * 3600)
LOGIN_FAILURE_LIMIT: int = _int("MEIRIM_LOGIN_FAILURE_LIMIT", 5)
# Password-reset requests allowed per hour, per client address and per e-mail address.
PASSWORD_RESET_LIMIT: int = _int("MEIRIM_PASSWORD_RESET_LIMIT", 5)
# Served over HTTPS behind a proxy that sets X-Forwarded-Proto: secure cookies, HSTS, redirect.
HTTPS: bool = _bool("MEIRIM_HTTPS", False)
# The client address: REMOTE_ADDR unless a reverse proxy is declared. With a proxy, name the
# request header it sets (as in request.META, e.g. HTTP_X_FORWARDED_FOR) and how many proxies
# stand in front of the application; the address is then taken that many entries from the right
# of the header, which a client cannot forge.
PROXY_IP_HEADER: str = os.environ.get("MEIRIM_PROXY_IP_HEADER", "").strip()
PROXY_COUNT: int = _int("MEIRIM_PROXY_COUNT", 1 if PROXY_IP_HEADER else 0)
LOG_LEVEL: str = os.environ.get("MEIRIM_LOG_LEVEL", "WARNING").strip().upper()
