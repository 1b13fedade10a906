"""Part A and Part B of the preparatory portfolio, assembled from the live data as plain JSON.

The dict :func:`portfolio_assemble` returns is what a submission freezes
(``PortfolioVersion.content``) and what the pages and PDFs render, so a version sent to the
national council never changes when the city's data change afterwards. It keeps codes (the
pages translate them when shown) and catalogue names in every language (``{"kk": …}``), so
that one frozen version renders in the reader's language.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from meirim.budget.models import BudgetAnswer, BudgetLine, CityBudget
from meirim.catalogue.models import CatalogueItem, GovernanceQuestion
from meirim.catalogue.selectors import published_version
from meirim.common import suppression
from meirim.facilities.models import Availability, Facility
from meirim.geography.models import Municipality
from meirim.governance.models import Answer, AssessmentRound
from meirim.participation.models import Activity, EvidenceStatement, ParticipantCount
from meirim.planning.models import Action, Strategy
from meirim.portfolio.models import Portfolio
from meirim.reports.selectors import dashboard
from meirim.voice.selectors import portfolio_summary as suggestions_summary

LANGUAGES = ("kk", "ru", "en", "ky")
SCHEMA = 1


def names(obj: Any, field: str = "name") -> dict[str, str]:
    """A translated field in every language, as a dict (the frozen form of ``name_<lang>``)."""
    if obj is None:
        return {}
    return {lang: getattr(obj, f"{field}_{lang}", "") or "" for lang in LANGUAGES}


def _number(value: Any) -> float | None:
    if value is None:
        return None
    return round(float(value), 2)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def suppress(count: int | None) -> int | None:
    """A lone count of children, or None when it is under the small-group threshold."""
    return suppression.shown(count)


# --- Part A ------------------------------------------------------------------------------


def index_results(municipality: Municipality) -> dict[str, Any]:
    version = published_version()
    empty: dict[str, Any] = {
        "version": version.code if version else None,
        "has_results": False,
        "years": [],
        "latest_year": None,
        "index": None,
        "categories": [],
        "indicators": [],
        "missing": [],
    }
    if version is None:
        return empty
    board = dashboard(version=version, municipality=municipality, explained=False)
    if not board.years:
        return empty
    return {
        "version": version.code,
        "has_results": board.has_scores,
        "years": list(board.years),
        "latest_year": board.latest_year,
        "index": _number(board.index.latest) if board.index else None,
        "categories": [
            {
                "code": line.code,
                "name": names(line.entry),
                "score": _number(line.latest),
                "scores": [_number(s) for s in line.scores],
            }
            for line in board.categories
        ],
        "indicators": [
            {
                "code": line.indicator.code,
                "name": names(line.indicator),
                "value": _number(line.latest_value),
                "year": line.latest_year,
                "score": _number(line.score),
            }
            for line in board.indicators
            if line.latest_value is not None
        ],
        "missing": [
            {"code": item.indicator.code, "name": names(item.indicator), "status": item.status}
            for item in board.missing
        ],
    }


def governance_assessment(municipality: Municipality) -> dict[str, Any] | None:
    """The latest closed round: counts by answer, gaps (the "no" answers), planned answers."""
    round_ = (
        AssessmentRound.objects.filter(
            municipality=municipality, state=AssessmentRound.State.CLOSED
        )
        .order_by("-year")
        .first()
    )
    if round_ is None:
        return None
    answers = list(round_.answers.select_related("question", "additional_question"))
    counts = Counter(a.answer or "unanswered" for a in answers)
    total = 0
    version = published_version()
    if version is not None:
        total = GovernanceQuestion.objects.filter(version=version).count()
    answered_catalogue = sum(1 for a in answers if a.question_id and a.answer)
    unanswered = counts.get("unanswered", 0) + max(total - answered_catalogue, 0)

    def row(answer: Any) -> dict[str, Any]:
        question = (
            names(answer.question)
            if answer.question_id
            else dict.fromkeys(LANGUAGES, answer.additional_question.text)
        )
        return {
            "code": answer.code,
            "question": question,
            "comment": answer.comment,
            "responsible": answer.responsible,
            "future_action": answer.future_action,
        }

    return {
        "year": round_.year,
        "mode": round_.mode,
        "counts": {
            "yes": counts.get(Answer.YES, 0),
            "planned": counts.get(Answer.PLANNED, 0),
            "no": counts.get(Answer.NO, 0),
            "not_applicable": counts.get(Answer.NOT_APPLICABLE, 0),
            "unanswered": unanswered,
        },
        "gaps": [row(a) for a in answers if a.answer == Answer.NO],
        "planned": [row(a) for a in answers if a.answer == Answer.PLANNED],
        "agreed_assessment": round_.agreed_assessment,
        "rights_summary": round_.rights_summary,
    }


def audit(municipality: Municipality) -> dict[str, Any]:
    facilities = list(Facility.objects.filter(municipality=municipality))
    availability = Counter(f.availability for f in facilities if f.availability)
    barriers: Counter[str] = Counter()
    for f in facilities:
        barriers.update(set(f.barriers or []))
    adult = [f.adult_rating for f in facilities if f.adult_rating is not None]
    child = [f.children_rating for f in facilities if f.children_rating is not None]
    return {
        "total": len(facilities),
        "availability": {choice: availability.get(choice, 0) for choice in Availability.values},
        "barriers": dict(sorted(barriers.items(), key=lambda kv: (-kv[1], kv[0]))),
        "ratings": {
            "adults": round(sum(adult) / len(adult), 1) if adult else None,
            "adults_rated": len(adult),
            "children": round(sum(child) / len(child), 1) if child else None,
            "children_rated": len(child),
        },
        "facilities": [
            {
                "name": f.name,
                "kind": f.kind,
                "address": f.address,
                "availability": f.availability,
                "barriers": list(f.barriers or []),
                "adult_rating": f.adult_rating,
                "children_rating": f.children_rating,
            }
            for f in facilities
        ],
    }


# --- Part B ------------------------------------------------------------------------------


def strategy(municipality: Municipality) -> dict[str, Any] | None:
    found = (
        Strategy.objects.filter(municipality=municipality)
        .prefetch_related("goals", "priorities")
        .first()
    )
    if found is None:
        return None
    return {
        "title": found.title,
        "vision": found.vision,
        "principles": found.principles,
        "first_year": found.first_year,
        "last_year": found.last_year,
        "children_involvement": found.children_involvement,
        "goals": [
            {"code": g.code, "title": g.title, "description": g.description, "rights": g.rights}
            for g in found.goals.all()
        ],
        "priorities": [
            {"title": p.title, "source": p.source, "reference": p.source_reference}
            for p in found.priorities.all()
        ],
    }


def action_plan(municipality: Municipality) -> list[dict[str, Any]]:
    return [
        {
            "code": a.code,
            "title": a.title,
            "status": a.status,
            "starts_on": _date(a.starts_on),
            "ends_on": _date(a.ends_on),
            "target_ages": list(a.target_ages or []),
            "department": a.department,
            "stream": a.stream.title if a.stream else "",
        }
        for a in Action.objects.filter(municipality=municipality)
        .exclude(status=Action.Status.DROPPED)
        .select_related("stream")
        .order_by("code")
    ]


def participation(municipality: Municipality) -> dict[str, Any]:
    version = published_version()
    items = {}
    if version is not None:
        items = {
            i.code: i
            for i in CatalogueItem.objects.filter(version=version, list__in=["P", "H", "T"])
        }
    activities = list(
        Activity.objects.filter(municipality=municipality).order_by("-held_on", "-id")
    )
    counts: dict[int, int] = {}
    for row in (
        ParticipantCount.objects.filter(activity__municipality=municipality)
        .values("activity_id")
        .annotate(n=Sum("count"))
    ):
        counts[row["activity_id"]] = row["n"] or 0
    participating = [a for a in activities if a.rung in ("H4", "H5", "H6", "H7", "H8")]
    children = sum(counts.get(a.pk, 0) for a in activities)
    # The activities' counts add up to the total shown beside them: suppressed as one table,
    # so that no small count can be worked out from the total and the others.
    per_activity = suppression.suppress_table({a.pk: counts.get(a.pk, 0) for a in activities})
    shown_children = per_activity.total
    hard_to_reach = sum(
        int(v) for a in activities for v in (a.hard_to_reach or {}).values() if str(v).isdigit()
    )
    statements = {
        s.code: s.text for s in EvidenceStatement.objects.filter(municipality=municipality)
    }
    children_rated = Facility.objects.filter(
        municipality=municipality, children_rating__isnull=False
    ).count()
    derived: dict[str, dict[str, Any]] = {
        "P1": {"count": len(participating)},
        "P2": {"count": shown_children, "suppressed": shown_children is None and children > 0},
        "P3": {
            "count": suppress(hard_to_reach),
            "suppressed": suppression.is_small(hard_to_reach),
        },
        "P4": {"count": sum(1 for a in activities if a.recurrence == "recurring")},
        "P8": {"count": children_rated},
        "P9": {"count": sum(1 for a in activities if a.action_id)},
    }
    # Children's suggestions: answered ones (P8) and actions planned from them (P9).
    suggestions = suggestions_summary(municipality)
    derived["P8"]["suggestions"] = suggestions
    derived["P9"]["suggestions"] = suggestions
    evidence = []
    for n in range(1, 10):
        code = f"P{n}"
        entry: dict[str, Any] = {
            "code": code,
            "name": names(items.get(code)),
            "count": None,
            "suppressed": False,
            "text": statements.get(code, ""),
        }
        entry.update(derived.get(code, {}))
        evidence.append(entry)
    return {
        "activities": len(activities),
        "participating": len(participating),
        "by_rung": dict(sorted(Counter(a.rung for a in activities).items())),
        "by_type": dict(sorted(Counter(a.kind for a in activities).items())),
        "rungs": {code: names(items.get(code)) for code in sorted({a.rung for a in activities})},
        "types": {code: names(items.get(code)) for code in sorted({a.kind for a in activities})},
        "children": shown_children,
        "evidence": evidence,
        "list": [
            {
                "topic": a.topic,
                "held_on": _date(a.held_on),
                "rung": a.rung,
                "kind": a.kind,
                "recurrence": a.recurrence,
                "children": per_activity.cells[a.pk] if a.pk in counts else None,
                "what_changed": a.what_changed,
            }
            for a in activities
        ],
    }


def budget(municipality: Municipality) -> dict[str, Any] | None:
    totals = {b.year: b for b in CityBudget.objects.filter(municipality=municipality)}
    lines = list(BudgetLine.objects.filter(municipality=municipality))
    if not totals and not lines:
        return None
    children_by_year: dict[int, Decimal] = {}
    for line in lines:
        children_by_year[line.year] = children_by_year.get(line.year, Decimal(0)) + _child_amount(
            line
        )
    years = sorted(set(totals) | set(children_by_year))
    year = max(years)
    total = totals.get(year)
    children = children_by_year.get(year, Decimal(0))
    version = published_version()
    questions = {}
    if version is not None:
        questions = {i.code: i for i in CatalogueItem.objects.filter(version=version, list="BQ")}
    answers = BudgetAnswer.objects.filter(municipality=municipality, year=year).order_by("code")
    return {
        "year": year,
        "currency": total.currency if total else "KZT",
        "total": _money(total.total) if total else None,
        "children": _money(children),
        "share": _share(children, total.total if total else None),
        "trend": [
            {
                "year": y,
                "share": _share(
                    children_by_year.get(y, Decimal(0)), totals[y].total if y in totals else None
                ),
            }
            for y in years
        ],
        "lines": [
            {
                "department": line.department,
                "title": line.title,
                "amount": _money(line.amount),
                "child_share": line.child_share,
                "share_percent": _number(line.share_percent),
                "children": _money(_child_amount(line)),
            }
            for line in lines
            if line.year == year
        ],
        "answers": [
            {
                "code": a.code,
                "question": names(questions.get(a.code)),
                "answer": a.answer,
                "comment": a.comment,
            }
            for a in answers
        ],
    }


def _child_amount(line: BudgetLine) -> Decimal:
    if line.child_share == BudgetLine.ChildShare.DIRECT:
        return line.amount
    return line.amount * (line.share_percent or Decimal(0)) / Decimal(100)


def _share(children: Decimal, total: Decimal | None) -> float | None:
    if not total:
        return None
    return round(float(children * 100 / total), 1)


# --- The whole -----------------------------------------------------------------------------


def portfolio_assemble(municipality: Municipality) -> dict[str, Any]:
    """Part A and Part B from the live data, with the portfolio's own texts."""
    portfolio = Portfolio.objects.filter(municipality=municipality).first()
    region = municipality.region
    return {
        "schema": SCHEMA,
        "assembled_at": timezone.now().isoformat(),
        "municipality": {
            "code": municipality.code,
            "name": names(municipality),
            "region": names(region) if region else {},
        },
        "introduction": portfolio.introduction if portfolio else "",
        "part_a": {
            "index": index_results(municipality),
            "self_assessment": portfolio.self_assessment if portfolio else "",
            "governance": governance_assessment(municipality),
            "audit": audit(municipality),
        },
        "part_b": {
            "strategy": strategy(municipality),
            "actions": action_plan(municipality),
            "participation": participation(municipality),
            "budget": budget(municipality),
        },
    }
