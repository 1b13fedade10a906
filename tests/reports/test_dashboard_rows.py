"""Each row of the dashboard says one consistent thing: a change is only stated between the
two numbers the row shows, and where it cannot be stated the row says why, in words."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from meirim.accounts.models import Role
from meirim.data.models import DataYear, Observation
from meirim.geography.models import Municipality
from tests.factories import user_with_role

from .conftest import POSTS, bump_revision, observe, set_posts, set_year
from .helpers import row_of, section

pytestmark = pytest.mark.django_db

PLACE = "KZ-AST"
# Two years of a few indicators (just enough for an overall score: three of the six
# categories), then an open year with one value entered so far.
VALUES = {
    "I16": {2023: 40, 2024: 60, 2025: 70},  # S02, higher is better
    "I17": {2023: 70, 2024: 90},  # S02, higher is better
    "I60": {2023: 10, 2024: 8},  # S07, lower is better
    "I62": {2023: 30, 2024: 20},  # S07, lower is better
    "I66": {2023: 2, 2024: 4},  # S09, higher is better
}


@pytest.fixture
def previewing(catalogue, geography):
    place = Municipality.objects.get(code=PLACE)
    set_posts(catalogue, POSTS)
    for code, cells in VALUES.items():
        for year, value in cells.items():
            observe(catalogue, place, code, year, value)
    set_year(catalogue, place, 2023)
    set_year(catalogue, place, 2024)
    set_year(catalogue, place, 2025, DataYear.State.OPEN)
    bump_revision(catalogue)
    client = Client()
    client.force_login(user_with_role(Role.CITY_COORDINATOR, username="astana", municipality=PLACE))
    return client


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def _score_rows(body: str) -> list[list[str]]:
    table = section(body, "scores")
    table = table[table.index("<tbody>") : table.index("</tbody>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.DOTALL)
    return [
        [_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.DOTALL)]
        for r in rows
    ]


def test_no_change_is_stated_for_a_score_the_row_does_not_have(previewing):
    body = previewing.get(f"/en/results/{PLACE}/?preview=1").content.decode()
    rows = _score_rows(body)
    assert rows, "no score rows"
    for name, latest, _band, baseline, change in rows:
        if "no score" in (latest, baseline):
            assert change.startswith("– No data to compare"), (name, latest, baseline, change)
        else:
            assert "No data to compare" not in change, (name, latest, baseline, change)
    index = rows[0]
    # The open year (2025) has too few values for an overall score: no score, no band, the
    # 2023 score for reference, and no "Improved" taken from some other year.
    assert index[1] == "no score" and index[2] == "no band"
    assert index[3] != "no score"
    assert "Improved" not in index[4] and "Worse" not in index[4]
    assert "No score in 2025: too few of its parts have data that year." in index[4]


def test_a_score_change_compares_the_two_scores_shown(previewing):
    # Baseline 2023, latest 2024 (the approved years only): both scores shown, change stated.
    body = Client().get(f"/en/results/{PLACE}/").content.decode()
    _name, latest, _band, baseline, change = _score_rows(body)[0]
    assert latest != "no score" and baseline != "no score"
    assert change in ("▲ Improved", "= No change", "▼ Worse")


def test_baseline_in_the_latest_year_states_no_change(previewing):
    body = previewing.get(f"/en/results/{PLACE}/?preview=1&baseline=2025").content.decode()
    for row in _score_rows(body):
        assert row[4].startswith("– No data to compare"), row
        assert "The baseline is the latest year" in row[4]


def test_indicator_rows_say_why_nothing_is_compared(previewing):
    body = previewing.get(f"/en/results/{PLACE}/?preview=1&baseline=2024").content.decode()
    assert "Improved" in row_of(body, "I16")  # 60 (2024) → 70 (2025)
    assert "No value after 2024, the baseline year." in row_of(body, "I17")
    body = previewing.get(f"/en/results/{PLACE}/?preview=1").content.decode()
    assert "No value after" not in row_of(body, "I17")  # 70 (2023) → 90 (2024)
    assert "Improved" in row_of(body, "I17")


@pytest.mark.parametrize(
    ("lang", "words"), [("kk", "Деректер жоқ"), ("ru", "Нет данных"), ("ky", "Маалымат жок")]
)
def test_chart_without_data_says_so_in_the_page_language(previewing, lang, words, catalogue):
    # Nothing entered yet in the open year: the bar chart of 2025 has no score to draw, and
    # says so in the reader's language.
    Observation.objects.filter(municipality__code=PLACE, year=2025).delete()
    bump_revision(catalogue)
    body = previewing.get(f"/{lang}/results/{PLACE}/?preview=1").content.decode()
    charts = re.findall(r'<figure class="chart">.*?</figure>', body, re.DOTALL)
    assert charts
    no_data = re.findall(r'<text[^>]*class="no_data"[^>]*>(.*?)</text>', " ".join(charts))
    assert no_data and all(html.unescape(t).strip() == words for t in no_data), no_data
    assert ">No data<" not in body
