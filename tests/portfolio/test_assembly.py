"""Part A's index results come from the stored results, with missing data stated."""

from __future__ import annotations

import pytest
from django.test import Client

from meirim.portfolio import services
from meirim.portfolio.assembly import portfolio_assemble
from tests.portfolio import builders
from tests.reports.conftest import _fresh_results_cache, cfci  # noqa: F401

pytestmark = pytest.mark.django_db


def test_part_a_holds_the_latest_scores_values_and_what_is_missing(cfci):  # noqa: F811
    town = cfci["a"]
    content = portfolio_assemble(town)
    index = content["part_a"]["index"]
    assert index["has_results"] is True
    assert index["latest_year"] == 2024
    assert index["categories"] and all(set(c["name"]) >= {"kk", "ru"} for c in index["categories"])
    assert any(c["score"] is not None for c in index["categories"])
    assert {"I16"} <= {i["code"] for i in index["indicators"]}
    missing = {m["code"]: m["status"] for m in index["missing"]}
    assert missing["I01"] == "no_data"
    # The open year (2025) is not public: Part A never shows it.
    assert 2025 not in index["years"]

    builders.complete(town)
    services.portfolio_submit(municipality=town, actor=None)
    page = Client().get(f"/ru/preparation/{builders.TOWN}/portfolio/v1/").content.decode()
    assert "<svg" in page
    assert "I01" in page
