"""Settings for the test suite, type checking and the benchmarks.

The production settings, with two differences: a fixed key (public, so never used to serve
anything) when MEIRIM_SECRET_KEY is not set, and static files looked up in place rather than in
the `collectstatic` manifest. pyproject.toml points pytest and mypy here; tests that check the
production behaviour run ``manage.py`` in a subprocess with ``config.settings``.
"""

from __future__ import annotations

from config import env

if not env.SECRET_KEY:
    env.SECRET_KEY = "meirim-test-suite-key-not-secret-" + "x" * 32

from config.settings import *  # noqa: F403
from config.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
