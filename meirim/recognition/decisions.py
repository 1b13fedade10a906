"""The council's decision (R-5.9.1, R-6.6–6.12), the rubric's recommendation and the
side-by-side view of a review (the city's claims, the group's verdicts, the scores)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from meirim.common import audit
from meirim.common.workflow import transition_apply
from meirim.geography.models import Municipality
from meirim.recognition import confidential, cycles, dates, workflows
from meirim.recognition.models import (
    Application,
    Criterion,
    Cycle,
    Decision,
    DecisionReason,
    Level,
    PortfolioSnapshot,
    Recognition,
    ReviewAssignment,
    ReviewScore,
)
from meirim.recognition.review_flow import Invalid, group_deadline

__all__ = ["Invalid", "group_deadline"]


def current_recognition(
    municipality: Municipality, on: datetime.date | None = None
) -> Recognition | None:
    day = on or timezone.localdate()
    return (
        Recognition.objects.filter(
            municipality=municipality, granted_on__lte=day, expires_on__gt=day
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .order_by("-granted_on", "-pk")
        .first()
    )


def outcome(decision: Decision) -> str:
    """R-6.9: the outcome of a re-assessment, in words (a first assessment: the level)."""
    if decision.previous_level in (Level.L1, Level.L2):
        if decision.level == Level.NONE:
            return _("No further recognition")
        if decision.level == Level.L2 and decision.previous_level == Level.L2:
            return _("Level 2 retained")
    return str(decision.get_level_display())


def decide(
    *,
    application: Application,
    level: str,
    reasons: str,
    actor: Any,
    recommendations: str = "",
    criterion_reasons: dict[str, str] | None = None,
) -> Decision:
    """Decide: a Decision with its reasons, the ``decide`` transition, and for Level 1 or 2 a
    Recognition from today, expiring after the cycle's validity (never over 48 months),
    which supersedes the city's current one."""
    criterion_reasons = {k: v for k, v in (criterion_reasons or {}).items() if v.strip()}
    problems = []
    if level not in Level.values:
        problems.append(_("Choose a decision: not recognised, Level 1 or Level 2."))
    if not reasons.strip():
        problems.append(_("Give the reasons for the decision."))
    codes = set(Criterion.objects.filter(cycle=application.cycle).values_list("code", flat=True))
    unknown = sorted(set(criterion_reasons) - codes)
    if unknown:
        problems.append(_("Unknown criteria: %(codes)s") % {"codes": ", ".join(unknown)})
    if problems:
        raise Invalid(problems)
    with transaction.atomic():
        transition_apply(
            workflow=workflows.APPLICATION,
            obj=application,
            action="decide",
            actor=actor,
            may=workflows.may_act,
            context={"level": level},
        )
        application.refresh_from_db()
        today = timezone.localdate()
        current = current_recognition(application.municipality, today)
        decision = Decision.objects.create(
            application=application,
            level=level,
            reasons=reasons.strip(),
            recommendations=recommendations.strip(),
            decided_on=today,
            decided_by=audit.acting_user(actor),
            previous_level=current.level if current else "",
        )
        criteria = {c.code: c for c in Criterion.objects.filter(cycle=application.cycle)}
        for code, reason in criterion_reasons.items():
            DecisionReason.objects.create(
                decision=decision, criterion=criteria[code], reason=reason.strip()
            )
        if level in (Level.L1, Level.L2):
            if current is not None:
                current.ended_on = today
                current.end_reason = Recognition.End.SUPERSEDED
                current.save(update_fields=["ended_on", "end_reason"])
            Recognition.objects.create(
                municipality=application.municipality,
                cycle=application.cycle,
                decision=decision,
                level=level,
                granted_on=today,
                expires_on=dates.expiry(application.cycle, level, today),
            )
        audit.record(
            actor=actor,
            action="recognition.decision",
            obj=decision,
            changes={"level": level, "previous_level": decision.previous_level},
        )
    return decision


# --- The rubric ---------------------------------------------------------------------------


def rubric_recommendation(cycle: Cycle, means: dict[str, float | None]) -> tuple[float, str] | None:
    """The rubric of :mod:`meirim.recognition.cycles` applied to the reviewers' mean score per
    criterion: the weighted percentage of the highest possible score and the level the
    cycle's thresholds offer (``none``, ``L1``, ``L2``); None while no criterion has a score."""
    scores = {code: [mean] for code, mean in means.items() if mean is not None}
    percent = cycles.weighted_percentage(cycle, scores)
    if percent is None:
        return None
    return round(float(percent), 1), str(cycles.recommendation(cycle, scores))


# --- The side-by-side review --------------------------------------------------------------


@dataclass
class ScoreCell:
    reviewer: str
    score: int
    comment: str
    evidence: str


@dataclass
class CriterionRow:
    criterion: Criterion
    statement: str
    verdict: Any = None
    scores: list[ScoreCell] = field(default_factory=list)
    mean: float | None = None
    disagreement: bool = False


def latest_snapshot(application: Application) -> PortfolioSnapshot | None:
    return application.snapshots.order_by("-number").first()


def score_table(application: Application) -> list[CriterionRow]:
    """Per criterion: the city's statement, each usable reviewer's score, the mean and
    whether the reviewers disagree (max − min ≥ the cycle's disagreement points). No
    community content: see :func:`side_by_side`."""
    cycle = application.cycle
    snapshot = latest_snapshot(application)
    statements = {}
    if snapshot is not None:
        for item in snapshot.content.get("criteria", []):
            statements[item.get("code")] = item.get("statement", "")
    scores = ReviewScore.objects.filter(
        assignment__application=application,
        assignment__conflict=ReviewAssignment.Conflict.NONE,
    ).select_related("assignment__reviewer", "criterion")
    by_criterion: dict[int, list[ScoreCell]] = {}
    for score in scores:
        by_criterion.setdefault(score.criterion_id, []).append(
            ScoreCell(
                reviewer=score.assignment.reviewer.get_full_name()
                or score.assignment.reviewer.get_username(),
                score=score.score,
                comment=score.comment,
                evidence=score.evidence_cited,
            )
        )
    rows = []
    for criterion in Criterion.objects.filter(cycle=cycle):
        cells = by_criterion.get(criterion.pk, [])
        values = [cell.score for cell in cells]
        rows.append(
            CriterionRow(
                criterion=criterion,
                statement=statements.get(criterion.code, ""),
                scores=cells,
                mean=round(sum(values) / len(values), 2) if values else None,
                disagreement=bool(values)
                and max(values) - min(values) >= cycle.disagreement_points,
            )
        )
    return rows


def side_by_side(user: Any, application: Application) -> tuple[list[CriterionRow], Any]:
    """:func:`score_table` with the group's verdicts, read through the confidential door
    (audited). Returns the rows and the report (None when the user may not read it)."""
    rows = score_table(application)
    report = confidential.report_for(user, application)
    if report is not None:
        verdicts = {v.criterion_id: v for v in report.verdicts.all()}
        for row in rows:
            row.verdict = verdicts.get(row.criterion.pk)
    return rows, report
