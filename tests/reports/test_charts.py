"""The SVG charts of the results pages: accessible, escaped, light at national scale."""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from meirim.reports import charts

from .conftest import bump_revision
from .test_pages import get

pytestmark = pytest.mark.django_db  # the package's fixtures clear the results cache

NS = "{http://www.w3.org/2000/svg}"
YEARS = list(range(2016, 2026))


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 - our own output; well-formed if every text is escaped
    assert root.get("role") == "img" and root.get("focusable") == "false"
    assert root.get("viewBox") and root.get("width") is None and root.get("height") is None
    assert not list(root.iter(f"{NS}script")) and not list(root.iter(f"{NS}style"))
    return root


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


def series_paths(root: ET.Element) -> list[ET.Element]:
    """The line of each series in the plot (the legend's samples are single 'h' strokes)."""
    return [
        p for p in root.iter(f"{NS}path") if p.get("stroke") in charts.PALETTE and "L" in p.get("d")
    ]


def test_a_missing_value_breaks_the_line():
    root = parse(charts.score_trends([2021, 2022, 2023, 2024], [("A", [10, 20, None, 40])], "x"))
    (line,) = series_paths(root)
    assert line.get("d").count("M") == 2  # 2021–2022, then 2024 alone
    assert len(list(root.iter(f"{NS}circle"))) == 3 + 1  # three dots and the legend's


def test_dash_patterns_differ_for_every_compared_municipality():
    series = [(f"City {k}", [float(k), float(k + 1)]) for k in range(12)]
    root = parse(charts.score_trends([2023, 2024], series, "x"))
    lines = series_paths(root)
    assert len(lines) == 12
    assert len({line.get("stroke-dasharray", "") for line in lines}) == 12
    assert [t for t in texts(root) if t.startswith("City")] == [name for name, _ in series]


def test_score_axis_and_rotated_years():
    root = parse(charts.score_trends(YEARS, [("A", [50.0] * 10)], "x"))
    assert {"0", "20", "40", "60", "80", "100"} <= set(texts(root))
    years = [t for t in root.iter(f"{NS}text") if t.text in {str(y) for y in YEARS}]
    assert len(years) == 10 and all("rotate" in t.get("transform", "") for t in years)
    few = parse(charts.score_trends(YEARS[-3:], [("A", [50.0] * 3)], "x"))
    assert not [t for t in few.iter(f"{NS}text") if t.get("transform")]


@pytest.mark.parametrize(
    "draw",
    [
        lambda: charts.score_bars(["Overall", "C1"], [None, None], "x"),
        lambda: charts.score_trends([2023, 2024], [("A", [None, None])], "x"),
        lambda: charts.rank_ranges(["A"], [None], [None], [None], "x", "Median rank", 5),
        lambda: charts.strip({}, 80, "x", "Municipalities", "National target"),
    ],
)
def test_no_data_when_everything_is_missing(draw):
    with translation.override("ru"):
        root = parse(draw())
    no_data = [t for t in root.iter(f"{NS}text") if t.get("class") == "no_data"]
    assert [t.text for t in no_data] == ["Нет данных"]


def test_bars_print_their_values_and_skip_missing_ones():
    root = parse(charts.score_bars(["Overall", "C1", "C2"], [62.4, None, 100.0], "x"))
    assert len(list(root.iter(f"{NS}rect"))) == 1 + 2  # the background and two bars
    assert "62" in texts(root) and texts(root).count("100") == 2  # value and axis label
    assert not [t for t in root.iter(f"{NS}text") if t.get("class") == "no_data"]


def test_names_and_labels_are_escaped_and_cut():
    name = "Aul <Ak & Su> beside a very long river"
    svg = charts.rank_ranges([name, "B"], [3, 5], [1, 4], [6, 7], 'Ranks of "<A & B>"', "M", 9)
    assert "<Ak" not in svg and "&lt;Ak &amp; Su&gt;" in svg
    root = parse(svg)
    assert root.get("aria-label") == 'Ranks of "<A & B>"'
    assert "Aul <Ak & Su> beside…" in texts(root)  # cut to 22 characters with an ellipsis
    assert {"1", "9"} <= set(texts(root))  # the axis runs from rank 1 to the ranked count
    trends = parse(charts.score_trends([2024], [(name * 2, [5.0])], "x"))
    assert any(t.startswith("Aul <Ak & Su>") and t.endswith("…") for t in texts(trends))


def test_a_national_strip_stays_light():
    rng = random.Random(1)
    values = {year: [rng.gauss(60, 15) for _ in range(10_000)] for year in YEARS}
    svg = charts.strip(values, 80, "x", "Municipalities", "National target")
    assert len(svg.encode()) < 30_000
    root = parse(svg)
    assert set(YEARS) <= {int(t) for t in texts(root) if t.isdigit() and len(t) == 4}
    target = [p for p in root.iter(f"{NS}path") if p.get("stroke") == charts.PALETTE[1]]
    assert target and all(p.get("stroke-dasharray") for p in target)
    assert {"Municipalities", "National target"} <= set(texts(root))


def test_a_small_strip_keeps_a_dot_per_value():
    values = {2023: [1.0, 2.0, 3.0], 2024: [10.0, 20.0]}
    root = parse(charts.strip(values, None, "x", "Municipalities", "National target"))
    dots = [p.get("d") for p in root.iter(f"{NS}path") if p.get("stroke-linecap") == "round"]
    assert sum(d.count("h0") for d in dots) == 5
    assert "National target" not in texts(root)


def test_a_national_indicator_page_says_it_draws_histograms(client, cfci, monkeypatch):
    # The text alternative follows the drawing: a dot per value, or histograms at scale.
    body = get(client, "/en/results/indicator/I16/")
    assert "one dot per municipality and year" in body
    monkeypatch.setattr(charts, "STRIP_DOTS", 1)
    bump_revision(cfci["version"])
    body = get(client, "/en/results/indicator/I16/")
    label = re.search(r'<svg [^>]*aria-label="([^"]*)"', body)
    assert label and label.group(1).startswith("Histograms of the values of I16")
