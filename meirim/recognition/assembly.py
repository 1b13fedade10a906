"""The recognition portfolio as one plain JSON document (``PortfolioSnapshot.content``,
schema 1): what the city wrote, and the sections drawn from its Phase 1 workspaces and its
data. Frozen at submission; reviewers and the community group read this, never the live
rows."""

from __future__ import annotations

from typing import Any

from meirim.facilities.models import Facility
from meirim.participation.selectors import participation_evidence
from meirim.planning.models import Action
from meirim.portfolio.selectors import latest_version
from meirim.recognition.index_section import LANGUAGES, index_section
from meirim.recognition.models import (
    Application,
    Criterion,
    CriterionEvidence,
    PortfolioAttachment,
    RecognitionPortfolio,
)
from meirim.surveys.selectors import (
    evidence_for_action,
    evidence_for_facility,
    evidence_text,
)
from meirim.voice.selectors import portfolio_summary as suggestions_summary

SCHEMA = 1


def _names(obj: Any) -> dict[str, str]:
    return {lang: str(getattr(obj, f"name_{lang}", "") or "") for lang in LANGUAGES}


def audited_facilities(application: Application) -> list[Facility]:
    return list(
        Facility.objects.filter(municipality=application.municipality)
        .exclude(audited_on=None)
        .order_by("kind", "name")
    )


def plan_actions(application: Application) -> list[Action]:
    return list(
        Action.objects.filter(municipality=application.municipality)
        .exclude(status__in=[Action.Status.DRAFT, Action.Status.DROPPED])
        .order_by("code")
    )


def impact_text(action: Action) -> str:
    """The action's impact evidence in one line (figures before → after, children's words,
    children's surveys that evaluate it)."""
    parts = []
    if action.impact_before.strip() or action.impact_after.strip():
        before = action.impact_before.strip() or "—"
        after = action.impact_after.strip() or "—"
        parts.append(f"{before} → {after}")
    if action.impact_children_feedback.strip():
        parts.append(action.impact_children_feedback.strip())
    parts += [evidence_text(summary) for summary in evidence_for_action(action)]
    return " · ".join(parts)


def facility_said(facility: Facility) -> str:
    """What children said of a facility: the audit's note and the surveys that rate it."""
    parts = [facility.children_asked_note.strip()] if facility.children_asked_note.strip() else []
    parts += [evidence_text(summary) for summary in evidence_for_facility(facility)]
    return " · ".join(parts)


def portfolio_of(application: Application) -> RecognitionPortfolio:
    found = RecognitionPortfolio.objects.filter(application=application).first()
    return found or RecognitionPortfolio(application=application)


def portfolio_assemble(application: Application) -> dict[str, Any]:
    """The whole portfolio of ``application`` now, as JSON-ready data (schema 1)."""
    municipality = application.municipality
    texts = portfolio_of(application)
    index = index_section(municipality)
    criteria = list(Criterion.objects.filter(cycle=application.cycle).order_by("order", "code"))
    statements = {
        e.criterion_id: e.statement
        for e in CriterionEvidence.objects.filter(application=application)
    }
    attachments = list(
        PortfolioAttachment.objects.filter(application=application)
        .select_related("criterion")
        .order_by("pk")
    )
    phase1 = latest_version(municipality)
    return {
        "schema": SCHEMA,
        "municipality": {"code": municipality.code, "name": _names(municipality)},
        "cycle": {"id": application.cycle_id, "name": application.cycle.name},
        "introduction": texts.introduction,
        "index": {
            "baseline_year": index.baseline_year,
            "latest_year": index.latest_year,
            "commentary": texts.index_commentary,
            "indicators": [
                {
                    "code": row.code,
                    "name": row.name,
                    "unit": row.unit,
                    "baseline": row.baseline,
                    "latest": row.latest,
                    "state": row.state,
                    "trend": row.trend,
                }
                for row in index.rows
            ],
        },
        "facilities": {
            "improvement": texts.facilities_improvement,
            "users_evaluation": texts.users_evaluation,
            "items": [
                {
                    "name": f.name,
                    "kind": f.kind,
                    "availability": f.availability,
                    "adult_rating": f.adult_rating,
                    "children_rating": f.children_rating,
                    "children_said": facility_said(f),
                    "surveys": evidence_for_facility(f),
                    "audited_on": f.audited_on.isoformat() if f.audited_on else None,
                }
                for f in audited_facilities(application)
            ],
        },
        "participation": {
            "summary": texts.participation_summary,
            "evidence": [
                {"code": item.code, "status": item.status, "text": item.text}
                for item in participation_evidence(municipality, public=True)
            ],
            # Children's suggestions ("you said, we did"), every figure suppressed.
            "suggestions": suggestions_summary(municipality),
        },
        "actions": {
            "summary": texts.impact_summary,
            "items": [
                {
                    "code": a.code,
                    "title": a.title,
                    "status": a.status,
                    "impact": impact_text(a),
                    "evaluated": a.status == Action.Status.EVALUATED,
                    "surveys": evidence_for_action(a),
                }
                for a in plan_actions(application)
            ],
        },
        "criteria": [
            {
                "code": c.code,
                "name": _names(c),
                "statement": statements.get(c.pk, ""),
                "attachments": [a.pk for a in attachments if a.criterion_id == c.pk],
            }
            for c in criteria
        ],
        "attachments": [
            {
                "id": a.pk,
                "kind": a.kind,
                "title": a.title,
                "criterion": a.criterion.code if a.criterion else None,
            }
            for a in attachments
        ],
        "phase1": {"version": phase1.number if phase1 else None},
    }
