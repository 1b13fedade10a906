"""The hand-checkable data set of the results tests (two cities, 2023–2024 approved, an open
2025), with the open data files kept in a temporary media folder."""

from __future__ import annotations

import pytest

from tests.reports.conftest import _fresh_results_cache, cfci  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
