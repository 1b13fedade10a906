"""Workflows as tables: (state, action) → (next state, access action, guards).

A workflow is declared once, as data. :func:`transition_apply` is the one service that moves an
object along it: it locks the object's row, checks that the action exists in the current state,
that the actor may do it (through the access table) and that every guard passes, changes the
state, lets the workflow record its own fields, writes the audit row in the same transaction
and schedules the notifications for after the commit. Refusals are :class:`NotAllowed`,
carrying translated reasons that pages and the API show as they are.

The access table lives in ``meirim.accounts``, above this layer; a workflow therefore receives
the access check as a function (``may``) rather than importing it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from meirim.common import audit

# A guard looks at the object (and the context given with the action) and returns the reason
# why the transition cannot happen now, or None when it may.
Guard = Callable[[Any, dict[str, Any]], str | None]
MayCheck = Callable[[Any, str, Any], bool]


class NotAllowed(Exception):
    """An action that is not allowed now, because of ``reasons`` (translated sentences)."""

    def __init__(self, reasons: Iterable[str]) -> None:
        self.reasons = [str(reason) for reason in reasons]
        super().__init__("; ".join(self.reasons))


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    # The access-table action the actor must hold for the object.
    permission: str
    guards: tuple[Guard, ...] = ()


@dataclass(frozen=True)
class Workflow:
    """One workflow: its name (the audit action prefix), state field and transitions."""

    name: str
    state_field: str
    transitions: tuple[Transition, ...]
    # Called inside the transaction after the state changed: records the workflow's own fields
    # (who approved, when…) and returns what to add to the audit row.
    on_applied: Callable[[Any, Transition, Any, dict[str, Any]], dict[str, Any]] | None = None
    # Called after the commit, with the object, the transition, the actor and the context.
    notify: Callable[[Any, Transition, Any, dict[str, Any]], None] | None = None
    # Why ``action`` is not possible in the object's current state, in the workflow's words
    # (e.g. "already approved"); a general sentence otherwise.
    wrong_state: Callable[[Any, str], str] | None = None
    _table: dict[tuple[str, str], Transition] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for transition in self.transitions:
            key = (transition.source, transition.action)
            if key in self._table:
                raise ValueError(f"{self.name}: {key} is declared twice")
            self._table[key] = transition

    def actions(self) -> set[str]:
        return {transition.action for transition in self.transitions}

    def transition(self, state: str, action: str) -> Transition | None:
        return self._table.get((state, action))

    def reasons_against(
        self, obj: Any, action: str, *, actor: Any, may: MayCheck, context: dict[str, Any]
    ) -> list[str]:
        """Why ``actor`` cannot do ``action`` to ``obj`` now; an empty list when they can."""
        state = getattr(obj, self.state_field)
        transition = self.transition(state, action)
        if transition is None:
            if self.wrong_state is not None:
                return [self.wrong_state(obj, action)]
            return [_("This cannot be done in the current state.")]
        if not may(actor, transition.permission, obj):
            return [_("You may not do this.")]
        return [reason for guard in transition.guards if (reason := guard(obj, context))]


def transition_apply(
    *,
    workflow: Workflow,
    obj: models.Model,
    action: str,
    actor: Any,
    may: MayCheck,
    context: dict[str, Any] | None = None,
) -> models.Model:
    """Apply ``action`` to ``obj`` atomically, or raise :class:`NotAllowed` with the reasons."""
    context = dict(context or {})
    with transaction.atomic():
        # Re-read under a row lock: two people acting at once see each other's result.
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        reasons = workflow.reasons_against(locked, action, actor=actor, may=may, context=context)
        if reasons:
            raise NotAllowed(reasons)
        source = getattr(locked, workflow.state_field)
        transition = workflow.transition(source, action)
        assert transition is not None  # checked by reasons_against
        setattr(locked, workflow.state_field, transition.target)
        extra = (
            workflow.on_applied(locked, transition, actor, context) if workflow.on_applied else {}
        )
        locked.save()
        audit.record(
            actor=actor,
            action=f"{workflow.name}.{action}",
            obj=locked,
            changes={workflow.state_field: [source, transition.target], **extra},
        )
        if workflow.notify is not None:
            notify = workflow.notify
            transaction.on_commit(lambda: notify(locked, transition, actor, context))
    return locked
