"""Publishing a new catalogue version keeps the public results of the unchanged indicators."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from meirim.catalogue.models import Indicator
from meirim.catalogue.services import catalogue_copy_version, indicator_set_target

from .conftest import A, B
from .helpers import row_of, section

pytestmark = pytest.mark.django_db

UNCHANGED = ["I16", "I60", "I62", "I66", "I72", "I73", "I23", "I26", "I28", "I50"]


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_results_survive_publishing_a_new_version(
    client, cfci, users, django_capture_on_commit_callbacks
):
    before = {place: get(client, f"/en/results/{place}/") for place in (A, B)}
    index_before = get(client, "/en/results/")
    assert "No municipality has approved data yet." not in index_before

    draft = catalogue_copy_version(source=cfci["version"], code="2026.2", actor=None)
    # A new target does not change what is measured (I62's target lies within its values,
    # so its goalposts and scores stay); a new definition of I17 does.
    indicator_set_target(
        indicator=Indicator.objects.get(version=draft, code="I62"), target=Decimal("22"), actor=None
    )
    Indicator.objects.filter(version=draft, code="I17").update(name_kk="жаңа анықтама")
    council = Client()
    council.force_login(users["national_council"])
    with django_capture_on_commit_callbacks(execute=True):  # the worker's recompute
        response = council.post("/en/catalogue/2026.2/publish/", {"confirm": "on"})
    assert response.status_code == 302

    index_after = get(client, "/en/results/")
    assert "No municipality has approved data yet." not in index_after
    assert "Kokshetau" in index_after and "Stepnogorsk" in index_after
    for place in (A, B):
        after = get(client, f"/en/results/{place}/")
        assert "2026.2" in after
        for code in UNCHANGED:
            old, new = _cells(row_of(before[place], code)), _cells(row_of(after, code))
            if code == "I62":  # the same score; the new target shows
                assert new[:6] == old[:6] and "22" in new[6:] and "22" not in old[6:]
            else:
                assert new == old, code
        changed_category = Indicator.objects.get(version=draft, code="I17").subdomain.category
        for category in ("C1", "C2", "C3", "C4", "C5", "C6"):
            if category != changed_category.code:
                assert _category(after, category) == _category(before[place], category)
        # I17 measures something else now: to be reported, no longer scored from old data.
        assert _cells(row_of(before[place], "I17")) != _cells(row_of(after, "I17"))
        assert 'href="/en/results/indicator/I17/"' in section(after, "missing")


def _cells(row: str) -> list[str]:
    """The text of a row's cells, without links (which may name the version)."""
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.DOTALL)
    return [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in cells]


def _category(body: str, code: str) -> list[str]:
    match = re.search(rf'<tr><th scope="row">{code} · .*?</tr>', section(body, "scores"), re.DOTALL)
    assert match, code
    return _cells(match.group(0))
