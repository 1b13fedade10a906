"""The production settings, run as production runs them: ``manage.py`` in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Set by the test run itself (Playwright's tests allow Django's ORM in async code).
SET_BY_TESTS = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
STRONG_KEY = "k3J9-qTz0vW8xY2bN5mR7cL1pF4hD6gS0aE3uI9oK2jH5tG8yB1nM4vC7xZ0qW"


def manage(*args: str, tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("MEIRIM_") and key not in SET_BY_TESTS
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env.update(variables)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_https_a_strong_key_and_debug_off(tmp_path):
    proc = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        MEIRIM_SECRET_KEY=STRONG_KEY,
        MEIRIM_HTTPS="1",
        MEIRIM_ALLOWED_HOSTS="meirim.example.org",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout


def test_https_settings_trust_the_proxy_and_the_configured_hosts(tmp_path):
    proc = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.CSRF_TRUSTED_ORIGINS, "
        "s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000)",
        tmp_path=tmp_path,
        MEIRIM_SECRET_KEY=STRONG_KEY,
        MEIRIM_HTTPS="1",
        MEIRIM_ALLOWED_HOSTS="meirim.example.org,www.meirim.example.org",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == (
        "['https://meirim.example.org', 'https://www.meirim.example.org'] "
        "('HTTP_X_FORWARDED_PROTO', 'https') True True True True"
    )


def test_without_debug_and_without_a_key_the_platform_refuses_to_start(tmp_path):
    proc = manage("check", tmp_path=tmp_path)
    assert proc.returncode != 0
    assert "ImproperlyConfigured" in proc.stderr
    assert "MEIRIM_SECRET_KEY is not set" in proc.stderr
    # A development machine runs without a key; a given key is used as it is.
    assert manage("check", tmp_path=tmp_path, MEIRIM_DEBUG="1").returncode == 0
    proc = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        tmp_path=tmp_path,
        MEIRIM_SECRET_KEY=STRONG_KEY,
    )
    assert proc.stdout.strip() == STRONG_KEY


def test_demo_setup_refuses_without_debug(tmp_path):
    proc = manage("demo_setup", tmp_path=tmp_path, MEIRIM_SECRET_KEY=STRONG_KEY)
    assert proc.returncode != 0
    assert "MEIRIM_DEBUG=1" in proc.stderr
    assert "bootstrap" in proc.stderr
