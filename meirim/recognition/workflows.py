"""The application's workflow as one table (``meirim.common.workflow``).

Its transitions come from the two sides that move an application: the city's
(``city_flow``: submit the portfolio, withdraw) and the council's (``review_flow``: start
the review, decide). The expression of interest creates the application (state
``eoi_submitted``); the cycle's own workflow is ``meirim.recognition.cycles.CYCLE``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from meirim.accounts import access
from meirim.common.workflow import Transition, Workflow
from meirim.recognition import city_flow, review_flow
from meirim.recognition.models import Application

_ON_APPLIED = {**city_flow.ON_APPLIED, **review_flow.ON_APPLIED}


def may_act(actor: Any, action: str, obj: Any) -> bool:
    """The access table; system jobs (demo set-up, commands) act without a user."""
    return actor is None or access.may(actor, action, obj)


def _on_applied(
    application: Application, transition: Transition, actor: Any, context: dict[str, Any]
) -> dict[str, Any]:
    record = _ON_APPLIED.get(transition.action)
    return record(application, transition, actor, context) if record else {}


def _notify(
    application: Application, transition: Transition, actor: Any, context: dict[str, Any]
) -> None:
    for side in (city_flow, review_flow):
        tell = side.NOTIFY.get(transition.action)
        if tell is not None:
            tell(application, transition, actor, context)


def _wrong_state(application: Application, action: str) -> str:
    return _("The application is “%(state)s”: this cannot be done now.") % {
        "state": application.get_state_display()
    }


APPLICATION = Workflow(
    name="recognition.application",
    state_field="state",
    transitions=city_flow.TRANSITIONS + review_flow.TRANSITIONS,
    on_applied=_on_applied,
    notify=_notify,
    wrong_state=_wrong_state,
)
