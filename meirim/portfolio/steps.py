"""The completeness of Phase 1's steps (PH1.S1–S8) and the city's programme status (R-3.6).

Every condition is an ``EXISTS`` subquery annotated on the municipality, so one query answers
all eight steps for one municipality, or for a page of municipalities (the national overview).
The sentences that say what is missing are generic ("no approved council member"): they name
what to do, never the city's draft text, so they may be shown publicly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from meirim.budget.models import BudgetAnswer, BudgetLine, CityBudget
from meirim.catalogue.models import GovernanceQuestion
from meirim.catalogue.selectors import published_version
from meirim.data.models import DataYear
from meirim.facilities.models import Facility
from meirim.geography.models import Municipality
from meirim.governance.models import AssessmentRound, CoordinationCouncil, CouncilMember
from meirim.participation.models import Activity
from meirim.planning.models import Action, Goal, Strategy
from meirim.portfolio.models import Portfolio

STEPS = tuple(f"PH1.S{n}" for n in range(1, 9))
#: The steps that must be complete before the portfolio may be submitted.
SUBMISSION_STEPS = STEPS[:7]

# names of the programme status.
NOT_ENROLLED = "NOT_ENROLLED"
PHASE1_IN_PREPARATION = "PHASE1_IN_PREPARATION"
PHASE1_SUBMITTED = "PHASE1_SUBMITTED"
PHASE1_FEEDBACK_RECEIVED = "PHASE1_FEEDBACK_RECEIVED"
STATUSES = (NOT_ENROLLED, PHASE1_IN_PREPARATION, PHASE1_SUBMITTED, PHASE1_FEEDBACK_RECEIVED)

PARTICIPATION_RUNGS = ("H4", "H5", "H6", "H7", "H8")
BUDGET_QUESTIONS = ("BQ1", "BQ2", "BQ3", "BQ4")

#: The page that fixes each step (URL name; every one takes the municipality's code).
FIX_URLS = {
    "PH1.S1": "governance:council",
    "PH1.S2": "governance:rounds",
    "PH1.S3": "data:years",
    "PH1.S4": "facilities:list",
    "PH1.S5": "planning:strategy",
    "PH1.S6": "participation:list",
    "PH1.S7": "budget:overview",
    "PH1.S8": "portfolio:portfolio",
}


def status_label(status: str) -> str:
    labels = {
        NOT_ENROLLED: _("Not enrolled"),
        PHASE1_IN_PREPARATION: _("Phase 1: in preparation"),
        PHASE1_SUBMITTED: _("Phase 1: portfolio submitted"),
        PHASE1_FEEDBACK_RECEIVED: _("Phase 1: feedback received"),
    }
    return labels.get(status, status)


def step_fix_url(step: str, municipality_code: str) -> str:
    """The page that fixes ``step``, or "" while that page does not exist."""
    name = FIX_URLS.get(step)
    if name is None:
        return ""
    try:
        return reverse(name, args=[municipality_code])
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class StepState:
    step: str
    complete: bool
    missing: tuple[str, ...]
    fix_url: str = ""


@dataclass(frozen=True)
class Programme:
    municipality: Municipality
    status: str
    steps: tuple[StepState, ...]

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def complete_count(self) -> int:
        return sum(1 for s in self.steps if s.complete)

    def missing_for_submission(self) -> list[tuple[str, tuple[str, ...]]]:
        """(step, missing items) of every step S1–S7 not complete."""
        return [(s.step, s.missing) for s in self.steps[:7] if not s.complete]


def _questions_total() -> int:
    version = published_version()
    if version is None:
        return 0
    return GovernanceQuestion.objects.filter(version=version).count()


def annotate_steps(qs: QuerySet[Municipality], questions_total: int) -> QuerySet[Municipality]:
    """Each condition of every step as a boolean annotation (one query for the whole set)."""
    town = OuterRef("pk")
    council = CoordinationCouncil.objects.filter(municipality=town)
    closed = AssessmentRound.objects.filter(municipality=town, state=AssessmentRound.State.CLOSED)
    answered_rounds = closed.annotate(
        answered=Count(
            "answers",
            filter=Q(answers__question__isnull=False) & ~Q(answers__answer=""),
        )
    ).filter(answered__gte=questions_total)
    written = ~Q(agreed_assessment="") & ~Q(rights_summary="")
    strategy = Strategy.objects.filter(municipality=town)
    same_year = {"municipality": OuterRef("municipality"), "year": OuterRef("year")}
    budget_years = CityBudget.objects.filter(municipality=town).filter(
        Exists(BudgetLine.objects.filter(**same_year)),
        *[Exists(BudgetAnswer.objects.filter(code=code, **same_year)) for code in BUDGET_QUESTIONS],
    )
    return qs.annotate(
        s1_council=Exists(council),
        s1_chair=Exists(council.exclude(chair_name="")),
        s1_member=Exists(
            CouncilMember.objects.filter(
                council__municipality=town, status=CouncilMember.Status.APPROVED
            )
        ),
        s1_tor=Exists(
            council.filter(
                (~Q(tor_functions="") & ~Q(tor_responsibilities="")) | ~Q(tor_document="")
            )
        ),
        s2_closed=Exists(closed),
        s2_answered=Exists(answered_rounds),
        s2_written=Exists(closed.filter(written)),
        s2_complete=Exists(answered_rounds.filter(written)),
        s3_year=Exists(DataYear.objects.filter(municipality=town, state=DataYear.State.APPROVED)),
        s3_text=Exists(Portfolio.objects.filter(municipality=town).exclude(self_assessment="")),
        s4_audited=Exists(Facility.objects.filter(municipality=town).exclude(availability="")),
        s5_vision=Exists(strategy.exclude(vision="")),
        s5_goal=Exists(Goal.objects.filter(strategy__municipality=town)),
        s5_action=Exists(
            Action.objects.filter(
                municipality=town, starts_on__isnull=False, ends_on__isnull=False
            ).exclude(department="")
        ),
        s6_activity=Exists(
            Activity.objects.filter(municipality=town, rung__in=PARTICIPATION_RUNGS)
        ),
        s7_total=Exists(CityBudget.objects.filter(municipality=town)),
        s7_line=Exists(BudgetLine.objects.filter(municipality=town)),
        s7_answers=Exists(
            BudgetAnswer.objects.filter(municipality=town, code__in=BUDGET_QUESTIONS)
            .values("year")
            .annotate(n=Count("code", distinct=True))
            .filter(n=len(BUDGET_QUESTIONS))
        ),
        s7_complete=Exists(budget_years),
        # Anything recorded at all for Phase 1 (else: not enrolled).
        any_round=Exists(AssessmentRound.objects.filter(municipality=town)),
        any_facility=Exists(Facility.objects.filter(municipality=town)),
        any_strategy=Exists(strategy),
        any_action=Exists(Action.objects.filter(municipality=town)),
        any_activity=Exists(Activity.objects.filter(municipality=town)),
        any_portfolio=Exists(Portfolio.objects.filter(municipality=town)),
    ).select_related("preparatory_portfolio", "region")


def _portfolio_state(municipality: Municipality) -> str | None:
    try:
        return municipality.preparatory_portfolio.state
    except Portfolio.DoesNotExist:
        return None


def programme_of(m: Any) -> Programme:
    """The programme of a municipality annotated by :func:`annotate_steps`."""
    steps: list[StepState] = []

    def add(
        step: str, conditions: Iterable[tuple[bool, str]], complete: bool | None = None
    ) -> None:
        missing = tuple(sentence for ok, sentence in conditions if not ok)
        done = not missing if complete is None else complete
        if done:
            missing = ()
        elif not missing:
            missing = (_("Complete every item of this step together."),)
        steps.append(StepState(step, done, missing, step_fix_url(step, m.code)))

    add(
        "PH1.S1",
        [
            (m.s1_council, _("The coordination council is not recorded.")),
            (m.s1_council is False or m.s1_chair, _("The council's chair is not named.")),
            (m.s1_member, _("No council member is approved yet.")),
            (
                m.s1_tor,
                _(
                    "The terms of reference (functions and responsibilities, or the "
                    "document) are not recorded."
                ),
            ),
        ],
    )
    add(
        "PH1.S2",
        [
            (m.s2_closed, _("No governance self-assessment round is closed.")),
            (
                not m.s2_closed or m.s2_answered,
                _("Not every question of the closed round is answered."),
            ),
            (
                not m.s2_closed or m.s2_written,
                _("The agreed assessment or the child-rights summary is not written."),
            ),
        ],
        complete=m.s2_complete,
    )
    add(
        "PH1.S3",
        [
            (m.s3_year, _("No year of the city's data is approved.")),
            (m.s3_text, _("The qualitative self-assessment is not written.")),
        ],
    )
    add("PH1.S4", [(m.s4_audited, _("No facility or service is audited yet."))])
    add(
        "PH1.S5",
        [
            (m.s5_vision, _("The strategy's vision is not written.")),
            (m.s5_goal, _("The strategy has no goal.")),
            (
                m.s5_action,
                _("No action has a responsible department and start and end dates."),
            ),
        ],
    )
    add(
        "PH1.S6",
        [
            (
                m.s6_activity,
                _("No participation activity at rung H4–H8 of Hart's ladder is logged."),
            )
        ],
    )
    add(
        "PH1.S7",
        [
            (m.s7_total, _("The city's total budget is not entered for any year.")),
            (m.s7_line, _("No budget line is entered.")),
            (m.s7_answers, _("The budget questions BQ1–BQ4 are not all answered for a year.")),
        ],
        complete=m.s7_complete,
    )
    state = _portfolio_state(m)
    submitted = state in (Portfolio.State.SUBMITTED, Portfolio.State.FEEDBACK_RECEIVED)
    add(
        "PH1.S8",
        [
            (submitted, _("The preparatory portfolio is not submitted.")),
            (
                not submitted or state == Portfolio.State.FEEDBACK_RECEIVED,
                _("The national council's feedback has not been returned yet."),
            ),
        ],
    )
    if state == Portfolio.State.SUBMITTED:
        status = PHASE1_SUBMITTED
    elif state == Portfolio.State.FEEDBACK_RECEIVED:
        status = PHASE1_FEEDBACK_RECEIVED
    elif any(
        (
            m.s1_council,
            m.any_round,
            m.any_facility,
            m.any_strategy,
            m.any_action,
            m.any_activity,
            m.s7_total,
            m.s7_line,
            m.any_portfolio,
        )
    ):
        status = PHASE1_IN_PREPARATION
    else:
        status = NOT_ENROLLED
    return Programme(municipality=m, status=status, steps=tuple(steps))


def programme(municipality: Municipality) -> Programme:
    """The steps and status of one municipality (two queries)."""
    annotated = annotate_steps(
        Municipality.objects.filter(pk=municipality.pk), _questions_total()
    ).get()
    return programme_of(annotated)


def programmes(qs: QuerySet[Municipality]) -> list[Programme]:
    """The steps and status of every municipality of ``qs`` (two queries)."""
    return [programme_of(m) for m in annotate_steps(qs, _questions_total())]


def enrolled() -> Q:
    """A municipality with anything recorded for Phase 1 (the complement: ``NOT_ENROLLED``);
    the same records :func:`programme_of` looks at, as one condition for a filter. Written as
    ``IN (SELECT municipality_id …)`` so that PostgreSQL reads each small table once (a hashed
    subplan) rather than probing it for each of 10,000 municipalities."""
    condition = Q()
    for model in (
        CoordinationCouncil, AssessmentRound, Facility, Strategy, Action, Activity,
        CityBudget, BudgetLine, Portfolio,
    ):  # fmt: skip
        condition |= Q(pk__in=model.objects.values("municipality_id"))
    return condition


def statuses(qs: QuerySet[Municipality]) -> dict[int, str]:
    """The status of every enrolled municipality of ``qs`` by id, in one query: at national
    scale the overview counts and filters by status without working out every step."""
    by_state: dict[str | None, str] = {
        Portfolio.State.SUBMITTED.value: PHASE1_SUBMITTED,
        Portfolio.State.FEEDBACK_RECEIVED.value: PHASE1_FEEDBACK_RECEIVED,
    }
    rows = qs.filter(enrolled()).values_list("pk", "preparatory_portfolio__state")
    return {pk: by_state.get(state, PHASE1_IN_PREPARATION) for pk, state in rows}
