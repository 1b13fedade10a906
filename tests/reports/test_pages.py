"""The results pages: what they show, in words as well as colours, in every language."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from meirim.catalogue.models import Indicator
from meirim.common.i18n import localized
from meirim.data.models import Observation

from .conftest import A, B, bump_revision
from .helpers import row_of, section

pytestmark = pytest.mark.django_db

LANGS = ["kk", "ru", "en", "ky"]


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_dashboard_shows_scores_progress_and_completeness(client, cfci):
    body = get(client, f"/en/results/{A}/")
    assert "Child-Friendly City Index results for Kokshetau" in body
    assert "results computed on" in body
    assert 'href="/en/results/method/"' in body
    # Overall score in the latest approved year, 2024, with its band (hand value 55.0).
    scores = section(body, "scores")
    assert "55.0" in scores and "40–60" in scores
    # Progress against the baseline (2023), in words and with a symbol, direction-aware.
    assert "Improved" in row_of(body, "I16")  # 40 → 60, higher is better
    assert "Improved" in row_of(body, "I60")  # 10 → 8, lower is better
    assert "No data to compare" in row_of(body, "I61")  # scored, no value
    assert "has not set its goalposts" in row_of(body, "I01")  # a rate without posts
    assert 'aria-hidden="true">▲</span>' in row_of(body, "I16")
    # Completeness: 2024 has explicit no-data and outside-competence rows.
    completeness = section(body, "completeness")
    assert "Outside the city&#x27;s competence" in completeness
    assert re.search(r"<th scope=\"row\">2024</th>(\s*<td[^>]*>\d+</td>){5}", completeness)
    missing = section(body, "missing")
    assert 'href="/en/results/indicator/I01/"' in missing and "No data" in missing
    assert 'href="/en/results/indicator/I03/"' in missing and "Missing" in missing
    assert 'href="/en/results/indicator/I16/"' not in missing
    # Shown but not scored: the contextual indicator, with the reason in words.
    assert "Shown for context" in body and 'href="/en/results/indicator/I50/"' in body


def test_worse_and_no_change_in_words(client, cfci):
    body = get(client, f"/en/results/{B}/")
    assert "Worse" in row_of(body, "I17")  # 80 → 70, higher is better
    assert "No change" in row_of(body, "I62")  # 25 → 25


def test_target_and_gap_closed(client, cfci):
    Indicator.objects.filter(version=cfci["version"], code="I16").update(target=70)
    bump_revision(cfci["version"])
    body = get(client, f"/en/results/{A}/")
    row = row_of(body, "I16")
    assert "Target not yet met" in row
    assert "67 %" in row  # (60 − 40) / (70 − 40)
    assert "Target met" in row_of(get(client, f"/en/results/{B}/"), "I16")
    assert "No national target" in row_of(body, "I17")


def test_baseline_can_be_chosen(client, cfci):
    body = get(client, f"/en/results/{A}/?baseline=2024")
    assert "No data to compare" in row_of(body, "I16")  # nothing after 2024 is public
    assert 'value="2024" selected' in body


def test_charts_are_svg_with_text_alternatives(client, cfci):
    body = get(client, f"/en/results/{A}/")
    assert body.count('<figure class="chart">') == 2
    assert body.count("<figcaption>") == 2
    svgs = re.findall(r"<svg [^>]*>", body)
    assert len(svgs) == 2
    for tag in svgs:
        assert 'role="img"' in tag and 'aria-label="' in tag
    assert "<script" not in body  # no script needed, none embedded
    assert "<caption" in body and 'scope="col"' in body and 'scope="row"' in body


def test_explain_a_category(client, cfci):
    body = get(client, f"/en/results/{A}/?explain=C4")
    explained = section(body, "explain")
    assert "S07" in explained
    assert "70.0" in explained  # S07 in 2024; the only sub-domain of C4 with data
    assert "50 %" in explained  # coverage: one of two sub-domains


def test_demo_data_is_labelled(client, cfci):
    assert "Demonstration data" not in get(client, f"/en/results/{A}/")
    Observation.objects.filter(municipality=cfci["a"], code="I16", year=2024).update(is_demo=True)
    bump_revision(cfci["version"])
    for url in (
        f"/en/results/{A}/",
        "/en/results/indicator/I16/?year=2024",
        f"/en/results/compare/?m={A}",
        "/en/results/",
    ):
        assert "Demonstration data" in get(client, url) or "(demonstration data)" in get(
            client, url
        ), url


def test_compare_shows_bands_and_intervals_not_a_league_table(client, cfci):
    body = get(client, f"/en/results/compare/?m={A}&m={B}&node=CFCI&from=2023&to=2024")
    assert "60–80" in body and "40–60" in body  # bands
    assert re.search(r"rank between \d+ and \d+ of 2", body)
    assert "Ranks are uncertain" in body
    assert "1st" not in body and "last place" not in body.lower()
    assert 'role="img"' in body
    # Rows follow the order asked for, not the scores.
    assert body.index("Kokshetau</a>") < body.index("Stepnogorsk</a>")


def test_compare_lists_one_region_at_a_time_at_national_scale(client, cfci, monkeypatch):
    from meirim.geography.models import Municipality
    from meirim.reports.selectors import compare

    body = get(client, "/en/results/compare/")
    assert 'id="region"' not in body  # a short list: every municipality in one list
    monkeypatch.setattr(compare, "MAX_OPTIONS", 1)
    body = get(client, f"/en/results/compare/?m={B}")
    region = Municipality.objects.get(code=B).region
    assert 'id="region"' in body
    assert f'<option value="{region.code}" selected>' in body
    assert f'<option value="{A}"' in body  # the same region
    assert "relative:" in body  # relative figures are labelled as such


def test_compare_an_indicator_and_unknown_codes(client, cfci):
    body = get(client, f"/en/results/compare/?m={A}&m=NOWHERE&node=I16")
    assert "No approved results for: NOWHERE." in body
    assert "(60)" in body  # the value next to its score
    assert "Rank ranges are given for" in body


def test_compare_without_choice(client, cfci):
    body = get(client, "/en/results/compare/")
    assert "Choose at least one municipality" in body


def test_indicator_page(client, cfci):
    body = get(client, "/en/results/indicator/I16/?year=2024")
    assert "I16" in body
    assert "2 municipalities reported a value" in body
    assert "from 60 to 80" in body
    assert 'role="img"' in body and "<figcaption>" in body
    assert "Improved" in body  # Kokshetau since 2023
    assert "goalposts 0 and 100" in body  # a percentage: the ends of its scale
    missing = get(client, "/en/results/indicator/I01/")
    assert "There are no approved values for this indicator yet." in missing


def test_indicator_page_counts_missing_data(client, cfci):
    body = get(client, "/en/results/indicator/I17/?year=2024")
    assert "Of the municipalities with data for 2024, 2 reported this indicator" in body
    body = get(client, "/en/results/indicator/I23/?year=2024")
    assert "1 reported this indicator" in body and "1 have not filled it in" in body


def test_target_line_on_the_indicator_chart(client, cfci):
    Indicator.objects.filter(version=cfci["version"], code="I16").update(target=90)
    bump_revision(cfci["version"])
    body = get(client, "/en/results/indicator/I16/")
    assert "dashed line at the national target of 90" in body


def test_unknown_things_are_404(client, cfci):
    assert client.get("/en/results/NOWHERE/").status_code == 404
    assert client.get("/en/results/indicator/I99/").status_code == 404
    assert client.get(f"/en/results/{A}/?version=1999.9").status_code == 404


def test_no_results_yet(client, catalogue, geography):
    body = get(client, f"/en/results/{A}/")
    assert "There are no approved results for this municipality yet." in body
    assert "No municipality has approved data yet." in get(client, "/en/results/")


@pytest.mark.parametrize("lang", LANGS)
def test_pages_in_every_language(client, cfci, lang):
    place = localized(cfci["a"], "name", lang).text
    with translation.override(lang):
        titles = {
            f"/{lang}/results/{A}/": translation.gettext(
                "Child-Friendly City Index results for %(place)s"
            )
            % {"place": place},
            f"/{lang}/results/compare/?m={A}&m={B}": translation.gettext("Compare municipalities"),
            f"/{lang}/results/indicator/I16/": translation.gettext(
                "One indicator across municipalities"
            ),
            f"/{lang}/results/method/": translation.gettext("How the results are computed"),
            f"/{lang}/results/": translation.gettext("Child-Friendly City Index results"),
        }
    for url, title in titles.items():
        body = get(client, url)
        assert f'<html lang="{lang}">' in body
        assert title in body, (url, title)


def test_dashboard_query_count_is_bounded(client, cfci, django_assert_max_num_queries):
    # Version, place, scoring method and catalogue (4), the city's stored rows (2), the
    # revision and freshness (2, and again for the results part's key), the catalogue names
    # (1), and the charts and results part rendered once and kept in the database cache
    # (reads and writes).
    with django_assert_max_num_queries(26):
        get(client, f"/en/results/{A}/")
    # Again: the results part is read from the cache; the results are not even read.
    with django_assert_max_num_queries(7):
        get(client, f"/en/results/{A}/")
    with django_assert_max_num_queries(26):
        get(client, f"/en/results/{B}/?explain=C1&baseline=2023")


def test_a_year_without_values_shows_completeness_only(client, catalogue, geography):
    from meirim.data.models import ObservationStatus
    from meirim.geography.models import Municipality

    from .conftest import observe, set_year

    place = Municipality.objects.get(code=A)
    observe(catalogue, place, "I01", 2024, status=ObservationStatus.NO_DATA)
    set_year(catalogue, place, 2024)
    bump_revision(catalogue)
    body = get(client, f"/en/results/{A}/")
    assert "No value has been reported for this municipality yet" in body
    assert 'id="completeness"' in body and "None" not in body


def test_signed_in_dashboard_query_count_is_bounded(cfci, users, django_assert_max_num_queries):
    client = Client()
    client.force_login(users["city_coordinator"])
    get(client, f"/en/results/{A}/?preview=1")  # renders the preview's parts once
    # Session, user, roles, the preview check and the session save (3) come on top,
    # and each read of the database cache is a query.
    with django_assert_max_num_queries(17):
        get(client, f"/en/results/{A}/?preview=1")
