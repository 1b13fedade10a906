"""What the pages and PDFs need to show a frozen portfolio's content in one language:
names picked from the frozen ``{"kk": …}`` dicts, coded values with their labels, and the
SVG charts (drawn by :mod:`meirim.reports.charts`, the results pages' own charts)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meirim.budget.models import BudgetAnswer, BudgetLine
from meirim.common.programme import TargetAge
from meirim.facilities.models import Availability, Barrier, FacilityKind
from meirim.governance.models import Answer, AssessmentRound
from meirim.participation.models import Activity
from meirim.planning.models import Action, PriorityArea
from meirim.reports import charts

LABELS: dict[str, dict[str, Any]] = {
    "availability": dict(Availability.choices),
    "barrier": dict(Barrier.choices),
    "facility_kind": dict(FacilityKind.choices),
    "action_status": dict(Action.Status.choices),
    "age": dict(TargetAge.choices),
    "answer": {**dict(Answer.choices), "unanswered": gettext_lazy("Unanswered")},
    "mode": dict(AssessmentRound.Mode.choices),
    "child_share": dict(BudgetLine.ChildShare.choices),
    "budget_answer": dict(BudgetAnswer.Value.choices),
    "priority_source": dict(PriorityArea.Source.choices),
    "recurrence": dict(Activity.Recurrence.choices),
    "data_status": {
        "missing": gettext_lazy("not reported"),
        "no_data": gettext_lazy("no data available"),
    },
}


def pick(names: Any, language: str) -> str:
    """The text of a frozen ``{"kk": …, "ru": …}`` dict in ``language``, else a fallback."""
    if not isinstance(names, dict):
        return str(names or "")
    order = [language[:2], settings.CONTENT_SOURCE_LANGUAGE, "en", "ru", "kk", "ky"]
    for lang in order:
        if names.get(lang):
            return str(names[lang])
    return ""


def label(kind: str, code: Any) -> str:
    return str(LABELS.get(kind, {}).get(code, code or ""))


def context(content: dict[str, Any], language: str) -> dict[str, Any]:
    """The frozen content with its charts, ready for the templates."""
    part_a = content.get("part_a", {})
    index = part_a.get("index") or {}
    categories = index.get("categories") or []
    audit = part_a.get("audit") or {}
    availability = audit.get("availability") or {}
    total = audit.get("total") or 0
    category_chart: SafeString | None = None
    if categories:
        category_chart = charts.score_bars(
            [pick(c["name"], language) for c in categories],
            [c["score"] for c in categories],
            _("Scores of the index's categories in %(year)s (0–100)")
            % {"year": index.get("latest_year")},
        )
    availability_chart: SafeString | None = None
    if total:
        availability_chart = charts.score_bars(
            [label("availability", code) for code in availability],
            [100.0 * n / total for n in availability.values()],
            _("Facilities and services by availability (% of those audited)"),
        )
    return {
        "content": content,
        "municipality_name": pick(content.get("municipality", {}).get("name"), language),
        "category_chart": category_chart,
        "availability_chart": availability_chart,
    }
