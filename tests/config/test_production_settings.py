"""The production settings, run as production runs them: ``manage.py`` in a fresh process."""

from __future__ import annotations

from tests.fresh_process import manage

STRONG_KEY = "k3J9-qTz0vW8xY2bN5mR7cL1pF4hD6gS0aE3uI9oK2jH5tG8yB1nM4vC7xZ0qW"


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
