"""The readiness meter: while the city prepares, how well each criterion of the cycle is
evidenced, and where to add what is missing.

Each criterion rests on **sources** (those the council linked to it) and on the city's own
**statement** and **attachments**:

- *indicators*: the share of the linked indicators reported in the city's latest year;
  satisfied when all are reported;
- *governance*: the linked questions answered in the latest closed assessment round;
  satisfied when all are answered;
- *participation*: the linked P-codes whose evidence is not "missing"; satisfied when all
  have some;
- *facilities*: at least one audited facility evaluated by children (a rating or what
  children said);
- *strategy impact*: at least one action of the plan with impact evidence.

The rule, per criterion:

- **exists**: the statement is written and every linked source is satisfied;
- **missing**: no statement, no attachment, and nothing at all in any linked source;
- **weak**: anything in between (e.g. a statement without its sources, or sources partly
  satisfied).

The whole portfolio's readiness adds: indicators stated (value or explicit state) n/74, the
introduction, the community group, and the criteria by level.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meirim.facilities.models import Facility
from meirim.governance.models import AssessmentRound, GovernanceAnswer
from meirim.participation.selectors import participation_evidence
from meirim.planning.models import Action
from meirim.planning.selectors import missing_impact_evidence
from meirim.recognition.assembly import portfolio_of
from meirim.recognition.city_flow import YOUNG_KINDS
from meirim.recognition.index_section import IndexSection, index_section
from meirim.recognition.models import (
    Application,
    CommunityGroupMember,
    Criterion,
    CriterionEvidence,
    PortfolioAttachment,
)
from meirim.surveys.selectors import evidence_for_action, evidence_for_facility

EXISTS, WEAK, MISSING = "exists", "weak", "missing"


@dataclass
class Source:
    kind: str  # indicators | governance | participation | facilities | strategy_impact
    done: int
    total: int
    detail: str
    link: str
    missing: list[str] = field(default_factory=list)

    @property
    def satisfied(self) -> bool:
        return self.total > 0 and self.done >= self.total


@dataclass
class CriterionReadiness:
    criterion: Criterion
    level: str
    statement: bool
    attachments: int
    sources: list[Source]
    reasons: list[str]
    links: dict[str, str]


@dataclass
class Readiness:
    criteria: list[CriterionReadiness]
    indicators_stated: int
    indicators_reported: int
    indicators_total: int
    introduction: bool
    group_formed: bool
    attachments: int
    index: IndexSection

    @property
    def counts(self) -> dict[str, int]:
        result = {EXISTS: 0, WEAK: 0, MISSING: 0}
        for row in self.criteria:
            result[row.level] += 1
        return result

    @property
    def percent(self) -> int:
        """A rough whole-portfolio figure: the share of checks passed."""
        checks = [
            self.indicators_total and self.indicators_stated == self.indicators_total,
            self.introduction,
            self.group_formed,
            *[row.level == EXISTS for row in self.criteria],
        ]
        return round(100 * sum(1 for c in checks if c) / len(checks)) if checks else 0


def level_of(statement: bool, attachments: int, sources: list[Source]) -> str:
    """The rule of the module's docstring."""
    if statement and all(source.satisfied for source in sources):
        return EXISTS
    if not statement and not attachments and not any(source.done for source in sources):
        return MISSING
    return WEAK


def _facts(application: Application) -> dict[str, Any]:
    municipality = application.municipality
    closed = (
        AssessmentRound.objects.filter(
            municipality=municipality, state=AssessmentRound.State.CLOSED
        )
        .order_by("-year")
        .first()
    )
    answered = (
        set(
            GovernanceAnswer.objects.filter(round=closed)
            .exclude(answer="")
            .values_list("code", flat=True)
        )
        if closed
        else set()
    )
    evaluated = Facility.objects.filter(municipality=municipality).exclude(audited_on=None)
    children = [
        f
        for f in evaluated
        if f.children_rating is not None
        or f.children_asked_note.strip()
        or evidence_for_facility(f)
    ]
    actions = Action.objects.filter(municipality=municipality).exclude(status=Action.Status.DROPPED)
    with_impact = [a for a in actions if not missing_impact_evidence(a) or evidence_for_action(a)]
    return {
        "round": closed,
        "answered": answered,
        "participation": {
            item.code: item.status for item in participation_evidence(municipality, public=True)
        },
        "facilities": len(children),
        "impact": len(with_impact),
    }


def readiness(application: Application) -> Readiness:
    municipality = application.municipality
    code = municipality.code
    index = index_section(municipality)
    states = {row.code: row.state for row in index.rows}
    year = index.latest_year or timezone.localdate().year
    facts = _facts(application)
    statements = {
        e.criterion_id
        for e in CriterionEvidence.objects.filter(application=application).exclude(statement="")
    }
    attachments = list(PortfolioAttachment.objects.filter(application=application))
    links = {
        "indicators": reverse("data:entry", args=[code, year]),
        "governance": reverse("governance:rounds", args=[code]),
        "participation": reverse("participation:evidence", args=[code]),
        "facilities": reverse("facilities:list", args=[code]),
        "strategy_impact": reverse("planning:actions", args=[code]),
        "statement": reverse("recognition:evidence", args=[code, application.pk]),
        "attachments": reverse("recognition:attachments", args=[code, application.pk]),
    }
    rows = []
    for criterion in Criterion.objects.filter(cycle=application.cycle).order_by("order", "code"):
        sources = []
        if criterion.indicators:
            codes = [str(c) for c in criterion.indicators]
            missing = [c for c in codes if states.get(c) != "reported"]
            sources.append(
                Source(
                    "indicators",
                    len(codes) - len(missing),
                    len(codes),
                    _("%(done)s of %(total)s linked indicators reported in the latest year.")
                    % {"done": len(codes) - len(missing), "total": len(codes)},
                    links["indicators"],
                    missing,
                )
            )
        if criterion.governance_questions:
            codes = [str(c) for c in criterion.governance_questions]
            missing = [c for c in codes if c not in facts["answered"]]
            sources.append(
                Source(
                    "governance",
                    len(codes) - len(missing),
                    len(codes),
                    _(
                        "%(done)s of %(total)s linked governance questions answered in the "
                        "latest closed assessment round."
                    )
                    % {"done": len(codes) - len(missing), "total": len(codes)},
                    links["governance"],
                    missing,
                )
            )
        if criterion.participation_evidence:
            codes = [str(c) for c in criterion.participation_evidence]
            missing = [c for c in codes if facts["participation"].get(c, "missing") == "missing"]
            sources.append(
                Source(
                    "participation",
                    len(codes) - len(missing),
                    len(codes),
                    _("%(done)s of %(total)s linked participation evidence items have evidence.")
                    % {"done": len(codes) - len(missing), "total": len(codes)},
                    links["participation"],
                    missing,
                )
            )
        if criterion.uses_facilities:
            sources.append(
                Source(
                    "facilities",
                    min(facts["facilities"], 1),
                    1,
                    ngettext(
                        "%(count)s audited facility evaluated by children.",
                        "%(count)s audited facilities evaluated by children.",
                        facts["facilities"],
                    )
                    % {"count": facts["facilities"]},
                    links["facilities"],
                )
            )
        if criterion.uses_strategy_impact:
            sources.append(
                Source(
                    "strategy_impact",
                    min(facts["impact"], 1),
                    1,
                    ngettext(
                        "%(count)s action of the plan with impact evidence.",
                        "%(count)s actions of the plan with impact evidence.",
                        facts["impact"],
                    )
                    % {"count": facts["impact"]},
                    links["strategy_impact"],
                )
            )
        has_statement = criterion.pk in statements
        count = sum(1 for a in attachments if a.criterion_id == criterion.pk)
        reasons = []
        if not has_statement:
            reasons.append(_("The city's statement for this criterion is not written."))
        for source in sources:
            if not source.satisfied:
                reasons.append(source.detail)
        rows.append(
            CriterionReadiness(
                criterion=criterion,
                level=level_of(has_statement, count, sources),
                statement=has_statement,
                attachments=count,
                sources=sources,
                reasons=reasons,
                links=links,
            )
        )
    group_formed = CommunityGroupMember.objects.filter(
        group__municipality_id=municipality.pk, kind__in=YOUNG_KINDS
    ).exists()
    return Readiness(
        criteria=rows,
        indicators_stated=index.stated_count,
        indicators_reported=index.reported_count,
        indicators_total=len(index.rows),
        introduction=bool(portfolio_of(application).introduction.strip()),
        group_formed=group_formed,
        attachments=len(attachments),
        index=index,
    )
