"""The charts of each results page, with their labels and text alternatives translated
here (whole sentences, named placeholders). Drawing one takes well under a millisecond, less
than a cache would take to keep it, so they are drawn with the page.
"""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from meirim.common.i18n import localized
from meirim.reports import charts
from meirim.reports.selectors import Comparison, Dashboard, IndicatorOverview


def _name(entry: object) -> str:
    return localized(entry, "name").text


def _overall() -> str:
    return gettext("Overall index")


def dashboard_figures(board: Dashboard) -> dict[str, SafeString]:
    if not board.has_scores or board.index is None:
        return {}
    place = _name(board.municipality)
    index = board.index
    lines = [index, *board.categories]
    labels = [_overall()] + [f"{line.code} {_name(line.entry)}" for line in board.categories]
    bars = charts.score_bars(
        labels,
        [line.latest for line in lines],
        gettext(
            "Bar chart of the scores of %(place)s in %(year)s: the overall index and the six "
            "categories, on a scale from 0 to 100. The table below gives the same figures."
        )
        % {"place": place, "year": board.latest_year},
    )
    trends = charts.score_trends(
        board.years,
        [(_overall(), index.scores)]
        + [(f"{line.code} {_name(line.entry)}", line.scores) for line in board.categories],
        gettext(
            "Line chart of the scores of %(place)s from %(first)s to %(last)s: the overall "
            "index and the six categories, on a scale from 0 to 100. The table below gives "
            "the same figures."
        )
        % {"place": place, "first": board.years[0], "last": board.years[-1]},
    )
    return {"bars": bars, "trends": trends}


def comparison_figures(comparison: Comparison) -> dict[str, SafeString]:
    if not comparison.rows or not comparison.years:
        return {}
    node = comparison.node
    node_name = _overall() if node.entry is None else f"{node.code} {_name(node.entry)}"
    out: dict[str, SafeString] = {}
    names = [_name(row.municipality) for row in comparison.rows]
    out["trends"] = charts.score_trends(
        comparison.years,
        [
            (name, [cell.score for cell in row.cells])
            for name, row in zip(names, comparison.rows, strict=True)
        ],
        gettext(
            "Line chart of the scores of the chosen municipalities for %(node)s from "
            "%(first)s to %(last)s, on a scale from 0 to 100. The table below gives the "
            "same figures."
        )
        % {"node": node_name, "first": comparison.years[0], "last": comparison.years[-1]},
    )
    if comparison.intervals is not None:
        last = [row.cells[-1] for row in comparison.rows]
        out["ranks"] = charts.rank_ranges(
            names,
            [cell.rank_median for cell in last],
            [cell.rank_low for cell in last],
            [cell.rank_high for cell in last],
            gettext(
                "Chart of the likely rank range of each chosen municipality for %(node)s in "
                "%(year)s: a dot at the median rank and a bar from the 5 %% to the 95 %% "
                "rank over %(draws)s simulations. The table below gives the same figures."
            )
            % {
                "node": node_name,
                "year": comparison.years[-1],
                "draws": comparison.intervals.draws,
            },
            gettext("Median rank"),
            max((cell.ranked for cell in last), default=1),
        )
    return out


def indicator_figures(overview: IndicatorOverview) -> dict[str, SafeString]:
    if not overview.values_by_year:
        return {}
    indicator = overview.indicator
    name = f"{indicator.code} {_name(indicator)}"
    # at national scale the chart draws each year as a histogram, not a dot per value
    dots = charts.strip_has_dots(overview.values_by_year)
    if overview.target is None and dots:
        label = gettext(
            "Strip chart of the values of %(indicator)s: one dot per municipality and year, "
            "one row per year. The table below gives the values of the chosen year."
        ) % {"indicator": name}
    elif overview.target is None:
        label = gettext(
            "Histograms of the values of %(indicator)s, one row per year: the taller a bar, "
            "the more municipalities have a value in its range. The table below gives the "
            "values of the chosen year."
        ) % {"indicator": name}
    elif dots:
        label = gettext(
            "Strip chart of the values of %(indicator)s: one dot per municipality and year, "
            "one row per year, and a dashed line at the national target of %(target)s. The "
            "table below gives the values of the chosen year."
        ) % {"indicator": name, "target": overview.target}
    else:
        label = gettext(
            "Histograms of the values of %(indicator)s, one row per year: the taller a bar, "
            "the more municipalities have a value in its range; a dashed line at the "
            "national target of %(target)s. The table below gives the values of the chosen "
            "year."
        ) % {"indicator": name, "target": overview.target}
    return {
        "strip": charts.strip(
            overview.values_by_year,
            overview.target,
            label,
            gettext("Municipalities"),
            gettext("National target"),
        )
    }
