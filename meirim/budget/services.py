"""Writing the budget for children: the city total, budget lines and the BQ answers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction

from meirim.budget.models import BudgetAnswer, BudgetLine, CityBudget
from meirim.common import audit
from meirim.geography.models import Municipality
from meirim.planning.models import Action

LINE_FIELDS = ("year", "department", "title", "amount", "child_share", "share_percent")


def city_budget_set(
    *, municipality: Municipality, year: int, total: Decimal, actor: Any, currency: str = ""
) -> CityBudget:
    """Set the city's whole budget of a year (the denominator of the children's share)."""
    with transaction.atomic():
        budget = CityBudget.objects.filter(municipality=municipality, year=year).first()
        before = str(budget.total) if budget is not None else None
        if budget is None:
            budget = CityBudget(municipality=municipality, year=year, total=total)
        budget.total = total
        if currency:
            budget.currency = currency
        elif municipality.country == "KG" and budget._state.adding:
            budget.currency = "KGS"
        budget.full_clean(exclude=["municipality"])
        budget.save()
        audit.record(
            actor=actor,
            action="budget.total_set",
            obj=budget,
            changes={"total": [before, str(total)]},
        )
    return budget


def budget_line_save(
    *,
    municipality: Municipality,
    values: Mapping[str, Any],
    actions: Iterable[Action],
    actor: Any,
    line: BudgetLine | None = None,
    is_demo: bool = False,
) -> BudgetLine:
    """Create (``line`` None) or update a budget line with its linked actions."""
    with transaction.atomic():
        created = line is None
        if line is None:
            line = BudgetLine(municipality=municipality, is_demo=is_demo)
        before = {name: str(getattr(line, name, "")) for name in LINE_FIELDS}
        for name in LINE_FIELDS:
            if name in values:
                setattr(line, name, values[name])
        if line.child_share == BudgetLine.ChildShare.DIRECT:
            line.share_percent = None
        line.updated_by = audit.acting_user(actor)
        line.full_clean(exclude=["municipality", "updated_by"])
        line.save()
        linked = [a for a in actions if a.municipality_id == municipality.pk]
        line.actions.set(linked)
        after = {name: str(getattr(line, name)) for name in LINE_FIELDS}
        changes: dict[str, Any] = {
            k: [before[k], after[k]] for k in LINE_FIELDS if before[k] != after[k]
        }
        changes["actions"] = sorted(a.code for a in linked)
        audit.record(
            actor=actor,
            action="budget.line_add" if created else "budget.line_edit",
            obj=line,
            changes=changes,
        )
    return line


def budget_line_delete(*, line: BudgetLine, actor: Any) -> None:
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="budget.line_delete",
            obj=line,
            changes={"year": line.year, "amount": str(line.amount)},
        )
        line.delete()


def budget_answers_save(
    *,
    municipality: Municipality,
    year: int,
    answers: Mapping[str, tuple[str, str]],
    actor: Any,
) -> list[BudgetAnswer]:
    """Save the answers (code → (yes|partly|no, comment)) to BQ1–BQ4 for a year; a code with
    an empty answer removes the stored one."""
    saved: list[BudgetAnswer] = []
    with transaction.atomic():
        changes: dict[str, Any] = {}
        for code, (value, comment) in sorted(answers.items()):
            current = BudgetAnswer.objects.filter(
                municipality=municipality, year=year, code=code
            ).first()
            if not value:
                if current is not None:
                    changes[code] = [current.answer, None]
                    current.delete()
                continue
            if current is None:
                current = BudgetAnswer(municipality=municipality, year=year, code=code)
            if current.answer != value or current.comment != comment:
                changes[code] = [current.answer or None, value]
            current.answer = value
            current.comment = comment
            current.full_clean(exclude=["municipality"])
            current.save()
            saved.append(current)
        audit.record(
            actor=actor,
            action="budget.answers_save",
            obj=municipality,
            changes={"year": year, **changes},
        )
    return saved
