"""Server-rendered SVG charts (pygal), ready to inline in a ``<figure>``.

Every chart is an image with a text alternative (``role="img"`` and ``aria-label``); the
page next to it carries the same figures as a table. No script is embedded (pygal's
tooltip script and its configuration block are left out), colours come from the
Okabe–Ito palette, which stays distinct for colour-blind readers, and lines differ by
dash pattern as well, so colour is never the only signal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pygal
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from pygal.style import Style

#: Charts are drawn about as wide as a phone screen and scale with their container (a
#: viewBox, no fixed size; ``reports.css`` caps their width): at 390 px the 14-unit text is
#: still about 12 px. Many series or municipalities make a chart taller, never narrower.
WIDTH = 420
FONT = 14
LABEL = 22  # characters of a category label beside a horizontal chart

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#6b6b6b",
    colors=PALETTE,
    font_family='system-ui, "Segoe UI", Roboto, "Noto Sans", sans-serif',
    label_font_size=FONT,
    major_label_font_size=FONT,
    legend_font_size=FONT,
    value_font_size=FONT,
    title_font_size=FONT + 1,
    no_data_font_size=FONT + 4,
    opacity=".85",
    opacity_hover=".95",
    stroke_width=2.5,
    transition="0ms",
    guide_stroke_color="#d0d0d0",
    major_guide_stroke_color="#b0b0b0",
    guide_stroke_dasharray="2,4",
    major_guide_stroke_dasharray="2,4",
)

COMMON = {
    "style": STYLE,
    "js": [],
    "disable_xml_declaration": True,
    "explicit_size": False,
    "tooltip_fancy_mode": False,
    "legend_at_bottom": True,
    "truncate_legend": 44,
    "truncate_label": 24,
    "legend_at_bottom_columns": 1,
}

_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_DEFAULT_TITLE = "<title>Pygal</title>"


def _common() -> dict[str, object]:
    """The shared options, with the "no data" text in the reader's language."""
    return {**COMMON, "no_data_text": gettext("No data")}


def _finish(chart: pygal.graph.graph.Graph, label: str) -> SafeString:
    svg = chart.render(is_unicode=True)
    svg = _SCRIPT.sub("", svg)
    svg = _COMMENT.sub("", svg)
    svg = svg.replace(_DEFAULT_TITLE, "", 1)
    svg = svg.replace(
        "<svg ", f'<svg role="img" aria-label="{escape(label)}" focusable="false" ', 1
    )
    return mark_safe(svg)  # noqa: S308 - pygal escapes the text it draws; the label is escaped


def _short(text: str, length: int) -> str:
    """A label cut to ``length`` characters (pygal does not cut the labels of a horizontal
    chart's category axis, which then squeeze the plot)."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _values(values: Sequence[float | None]) -> list[float | None]:
    return [None if v is None else round(v, 2) for v in values]


def score_bars(labels: Sequence[str], values: Sequence[float | None], label: str) -> SafeString:
    """Horizontal bars on the 0–100 scale, the first label on top."""
    chart = pygal.HorizontalBar(
        **{**_common(), "truncate_label": 22},
        range=(0, 100),
        y_labels=[0, 20, 40, 60, 80, 100],
        show_legend=False,
        print_values=True,
        print_values_position="top",
        width=WIDTH,
        height=60 + 40 * max(len(labels), 1),
        value_formatter=lambda v: f"{v:.0f}",
    )
    # pygal draws the first bar at the bottom
    chart.x_labels = [_short(text, LABEL - 6) for text in reversed(labels)]
    chart.add("", list(reversed(_values(values))))
    return _finish(chart, label)


def score_trends(
    years: Sequence[int], series: Sequence[tuple[str, Sequence[float | None]]], label: str
) -> SafeString:
    """Lines over the years on the fixed 0–100 scale."""
    chart = pygal.Line(
        **_common(),
        range=(0, 100),
        y_labels=[0, 20, 40, 60, 80, 100],
        width=WIDTH,
        height=300 + 24 * len(series),  # one legend line per series, below the plot
        allow_interruptions=True,
        dots_size=4,
        x_label_rotation=30 if len(years) > 6 else 0,
    )
    chart.x_labels = [str(y) for y in years]
    dashes = ("", "6, 3", "2, 3", "10, 4, 2, 4", "1, 5", "12, 6", "4, 4")
    for k, (name, values) in enumerate(series):
        chart.add(name, _values(values), stroke_style={"dasharray": dashes[k % len(dashes)]})
    return _finish(chart, label)


def rank_ranges(
    names: Sequence[str],
    medians: Sequence[float | None],
    lows: Sequence[float | None],
    highs: Sequence[float | None],
    label: str,
    series_name: str,
    ranked: int,
) -> SafeString:
    """A dot per municipality at its median rank, with its 5–95 % interval as a bar, on the
    whole scale from rank 1 (left) to the number of ranked municipalities; one row per
    municipality, so more municipalities make the chart taller, not its text smaller."""
    step = max(1, round(ranked / 6))
    chart = pygal.HorizontalLine(
        **_common(),
        range=(1, max(ranked, 2)),
        y_labels=[1, *range(step, ranked, step), ranked] if ranked > 2 else [1, 2],
        stroke=False,
        show_legend=False,
        width=WIDTH,
        height=70 + 36 * max(len(names), 1),
        dots_size=6,
        value_formatter=lambda v: f"{v:.0f}",
    )
    chart.x_labels = [_short(name, LABEL) for name in names]
    points: list[dict[str, object] | None] = []
    for median, low, high in zip(medians, lows, highs, strict=True):
        if median is None or low is None or high is None:
            points.append(None)
        else:
            points.append({"value": median, "ci": {"low": low, "high": high}})
    chart.add(series_name, points)
    return _finish(chart, label)


def strip(
    values_by_year: Mapping[int, Sequence[float]],
    target: float | None,
    label: str,
    values_name: str,
    target_name: str,
) -> SafeString:
    """Every municipality's value as a dot, one row per year; the national target as a line."""
    chart = pygal.XY(
        **_common(),
        stroke=False,
        width=WIDTH,
        height=140 + 40 * max(len(values_by_year), 1),
        dots_size=4,
        y_labels=list(values_by_year),
        show_minor_y_labels=True,
        value_formatter=lambda v: f"{v:g}",
    )
    points = [(value, year) for year, values in values_by_year.items() for value in values]
    chart.add(values_name, points)
    if target is not None and values_by_year:
        years = list(values_by_year)
        chart.add(
            target_name,
            [(target, min(years) - 0.5), (target, max(years) + 0.5)],
            stroke=True,
            show_dots=False,
            stroke_style={"width": 3, "dasharray": "8, 4"},
        )
    return _finish(chart, label)
