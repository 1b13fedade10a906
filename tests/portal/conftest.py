"""The reports' small data set (two cities, two approved years) for the public pages."""

from __future__ import annotations

from tests.reports.conftest import _fresh_results_cache, cfci  # noqa: F401 - fixtures
