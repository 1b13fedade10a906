"""Small counts on the public results pages and in the public API: an indicator whose unit
is ``count`` with an approved value of 1 to 4 reads "fewer than 5", with no score; a larger
count is shown. The city's own data people still see the figure on the data entry page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from meirim.accounts.models import Role
from tests.factories import user_with_role

from .conftest import A, B, bump_revision, observe, set_posts
from .helpers import row_of

pytestmark = pytest.mark.django_db

FEWER = "fewer than 5"


@pytest.fixture
def counts(cfci):
    """I03 (deaths of children under five, a count, lower is better) is 3 in Kokshetau and
    8 in Stepnogorsk in 2024; I25 (a count) is 12 in Kokshetau. Posts 0–10 and 0–20: the
    score of I03 at 3 would be 70, of I25 at 12 would be 40."""
    version = cfci["version"]
    set_posts(version, {"I03": (0, 10), "I25": (0, 20)})
    observe(version, cfci["a"], "I03", 2024, 3)
    observe(version, cfci["b"], "I03", 2024, 8)
    observe(version, cfci["a"], "I25", 2024, 12)
    observe(version, cfci["b"], "B01", 2024, 3)  # a baseline figure counted in people
    bump_revision(version)
    return cfci


def _cells(row: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td.*?</td>", row)]


def test_dashboard_hides_a_small_count_and_its_score(counts):
    body = Client().get(f"/en/results/{A}/").content.decode()
    small = _cells(row_of(body, "I03"))
    assert any(FEWER in cell for cell in small)
    assert not any(re.match(r"^3(\.0+)?\b", cell) for cell in small), small
    assert "70" not in " ".join(small)
    large = _cells(row_of(body, "I25"))
    assert any(cell.startswith("12") for cell in large), large
    assert "40" in " ".join(large)


def test_indicator_page_hides_a_small_count_and_its_score(counts):
    body = Client().get("/en/results/indicator/I03/?year=2024").content.decode()
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", body, re.DOTALL)
    kokshetau = next(r for r in rows if f"/results/{A}/" in r)
    stepnogorsk = next(r for r in rows if f"/results/{B}/" in r)
    cells = _cells(kokshetau)
    assert FEWER in cells
    assert "3" not in cells and "70" not in cells and "70.0" not in cells
    assert "8" in _cells(stepnogorsk)
    # Nor in the summary (lowest, median, highest) of the year.
    assert "from 3 " not in body


def test_comparison_hides_a_small_count_and_its_score(counts):
    body = Client().get(f"/en/results/compare/?m={A}&m={B}&node=I03").content.decode()
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", body, re.DOTALL)
    kokshetau = " ".join(_cells(next(r for r in rows if f"/results/{A}/" in r)))
    assert FEWER in kokshetau
    assert "(3)" not in kokshetau and "70" not in kokshetau
    assert "(8)" in " ".join(_cells(next(r for r in rows if f"/results/{B}/" in r)))


def test_api_results_hide_a_small_count_and_its_score(counts):
    answer = Client().get(f"/api/v1/results/{A}").json()
    by_code = {line["code"]: line for line in answer["indicators"]}
    i03, i25 = by_code["I03"], by_code["I25"]
    assert i03["values"]["2024"] is None
    assert i03["suppressed"] == [2024]
    assert i03["score"] is None
    assert i03["progress"]["current"] is None
    assert i25["values"]["2024"] == 12
    assert i25["suppressed"] == []
    assert i25["score"] == pytest.approx(40)


def test_api_observations_hide_a_small_count_from_the_public(counts):
    items = Client().get("/api/v1/observations", {"code": "I03", "municipality": A}).json()["items"]
    (i03,) = items
    assert i03["value"] is None and i03["suppressed"] is True
    (i25,) = (
        Client().get("/api/v1/observations", {"code": "I25", "municipality": A}).json()["items"]
    )
    assert float(i25["value"]) == 12 and i25["suppressed"] is False
    (b01,) = (
        Client().get("/api/v1/observations", {"code": "B01", "municipality": B}).json()["items"]
    )
    assert b01["value"] is None and b01["suppressed"] is True


def test_the_citys_data_people_still_see_the_small_count(counts):
    coordinator = Client()
    coordinator.force_login(user_with_role(Role.CITY_COORDINATOR, municipality=A))
    (i03,) = coordinator.get("/api/v1/observations", {"code": "I03", "municipality": A}).json()[
        "items"
    ]
    assert float(i03["value"]) == 3 and i03["suppressed"] is False
    body = coordinator.get(f"/en/data/{A}/2024/").content.decode()
    row = re.search(r'<th scope="row">I03</th>.*?</tr>', body, re.DOTALL)
    assert row and "<td>3</td>" in row.group(0)
