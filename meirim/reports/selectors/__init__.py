"""Reads for the results pages: everything comes from the stored results.

Scores, normalised values and completeness are computed by the worker and stored
(:mod:`meirim.reports.store` reads them); the functions here read the rows of what a page
shows, work out progress, and attach the catalogue entries the templates translate.

The parts: :mod:`.common` (versions, catalogue names, nodes, progress), :mod:`.dashboard`
(one municipality), :mod:`.compare` (several municipalities), :mod:`.indicator` (one
indicator everywhere) and :mod:`.results_index` (the municipalities with results).
"""

from meirim.catalogue.selectors import published_version
from meirim.reports.selectors.common import (
    NO_PROGRESS,
    STATUS_NAMES,
    Catalogue,
    Node,
    ProgressView,
    catalogue,
    indicator_get,
    node_choices,
)
from meirim.reports.selectors.compare import (
    MAX_COMPARED,
    CompareCell,
    CompareRow,
    Comparison,
    comparison,
)
from meirim.reports.selectors.dashboard import (
    ContributionView,
    Dashboard,
    ExplanationView,
    IndicatorLine,
    MissingItem,
    ScoreLine,
    YearCompleteness,
    dashboard,
)
from meirim.reports.selectors.indicator import (
    IndicatorOverview,
    IndicatorPlace,
    indicator_overview,
)
from meirim.reports.selectors.results_index import PlaceSummary, ResultsIndex, results_index

__all__ = [
    "MAX_COMPARED",
    "NO_PROGRESS",
    "STATUS_NAMES",
    "Catalogue",
    "CompareCell",
    "CompareRow",
    "Comparison",
    "ContributionView",
    "Dashboard",
    "ExplanationView",
    "IndicatorLine",
    "IndicatorOverview",
    "IndicatorPlace",
    "MissingItem",
    "Node",
    "PlaceSummary",
    "ProgressView",
    "ResultsIndex",
    "ScoreLine",
    "YearCompleteness",
    "catalogue",
    "comparison",
    "dashboard",
    "indicator_get",
    "indicator_overview",
    "node_choices",
    "published_version",
    "results_index",
]
