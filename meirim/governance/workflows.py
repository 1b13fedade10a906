"""The governance assessment round as a workflow table: open → closed (→ reopened).

The coordinator closes a round when every catalogue question is answered and the two-component
report (R-15.6: the agreed assessment and the summary of the child-rights situation) is
written; a closed round is read-only until the coordinator reopens it.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meirim.accounts import access
from meirim.common import audit
from meirim.common.workflow import Transition, Workflow
from meirim.governance import selectors
from meirim.governance.models import AssessmentRound

OPEN = AssessmentRound.State.OPEN.value
CLOSED = AssessmentRound.State.CLOSED.value


def may_act(actor: Any, action: str, obj: Any) -> bool:
    return actor is None or access.may(actor, action, obj)


def _all_answered(round: AssessmentRound, context: dict[str, Any]) -> str | None:
    missing = selectors.unanswered_catalogue_codes(round, selectors.catalogue_version())
    if not missing:
        return None
    return ngettext(
        "%(count)s question is not answered: %(codes)s",
        "%(count)s questions are not answered: %(codes)s",
        len(missing),
    ) % {
        "count": len(missing),
        "codes": ", ".join(missing),
    }


def _assessment_written(round: AssessmentRound, context: dict[str, Any]) -> str | None:
    if round.agreed_assessment.strip():
        return None
    return _("Write the agreed assessment (the first part of the report).")


def _summary_written(round: AssessmentRound, context: dict[str, Any]) -> str | None:
    if round.rights_summary.strip():
        return None
    return _("Write the summary of the child-rights situation (the second part of the report).")


def _record(
    round: AssessmentRound, transition: Transition, actor: Any, context: dict[str, Any]
) -> dict[str, Any]:
    if transition.target == CLOSED:
        round.closed_at = timezone.now()
        round.closed_by = audit.acting_user(actor)
    else:
        round.closed_at = None
        round.closed_by = None
    return {"year": round.year}


def _wrong_state(round: AssessmentRound, action: str) -> str:
    if round.state == CLOSED:
        return _("The assessment of %(year)s is already closed.") % {"year": round.year}
    return _("The assessment of %(year)s is open; there is nothing to reopen.") % {
        "year": round.year
    }


ROUND = Workflow(
    name="governance.round",
    state_field="state",
    transitions=(
        Transition(
            OPEN,
            "close",
            CLOSED,
            "governance.manage",
            (_all_answered, _assessment_written, _summary_written),
        ),
        Transition(CLOSED, "reopen", OPEN, "governance.manage"),
    ),
    on_applied=_record,
    wrong_state=_wrong_state,
)
