"""Phase 1 API: the budget for children (registered under /api/v1/ by meirim.api.api)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from meirim.accounts import access
from meirim.api.access import declared_access
from meirim.api.data import WRITE_AUTH
from meirim.api.phase1 import ErrorOut, RefusedOut, municipality_or_404
from meirim.budget import selectors, services
from meirim.budget.forms import FIRST_YEAR, LAST_YEAR, MAX_AMOUNT, share_problem
from meirim.budget.models import BudgetLine
from meirim.planning.models import Action

router = Router(tags=["budget"])


class LineIn(Schema):
    year: Any = None
    department: str = ""
    title: str = ""
    amount: Any = None
    child_share: str = ""
    share_percent: Any = None
    actions: list[str] = []


class LineOut(Schema):
    id: int
    year: int
    department: str
    title: str
    amount: str
    child_share: str
    share_percent: str | None
    child_amount: str
    actions: list[str]


class BudgetAnswerOut(Schema):
    question: str
    answer: str
    comment: str


class YearOut(Schema):
    year: int
    total: str | None
    currency: str
    child_amount: str
    share: str | None
    lines: list[LineOut]
    answers: list[BudgetAnswerOut]


class BudgetOut(Schema):
    years: list[YearOut]


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def line_out(line: BudgetLine) -> dict[str, Any]:
    return {
        "id": line.pk,
        "year": line.year,
        "department": line.department,
        "title": line.title,
        "amount": _text(line.amount),
        "child_share": line.child_share,
        "share_percent": _text(line.share_percent),
        "child_amount": _text(selectors.child_amount(line)),
        "actions": [a.code for a in line.actions.all()],
    }


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@router.get(
    "/municipalities/{code}/budget",
    auth=WRITE_AUTH,
    response={200: BudgetOut, 403: ErrorOut, 404: ErrorOut},
    openapi_extra=declared_access("preparation.read"),
)
def get_budget(request: HttpRequest, code: str) -> Any:
    """Every year with budget data, newest first: the city total, the lines with their child
    amount, the children's share of the city budget (%), and the BQ1–BQ4 answers."""
    municipality = municipality_or_404(code)
    if not access.may(request.user, "preparation.read", municipality):
        raise HttpError(403, _("You may not read this municipality's preparation."))
    years = []
    for data in selectors.budget_overview(municipality):
        years.append(
            {
                "year": data.year,
                "total": _text(data.total),
                "currency": data.currency,
                "child_amount": _text(data.child_amount),
                "share": _text(data.share),
                "lines": [line_out(r.line) for r in data.rows],
                "answers": [
                    {"question": a.code, "answer": a.answer, "comment": a.comment}
                    for _code, a in sorted(data.answers.items())
                ],
            }
        )
    return {"years": years}


@router.post(
    "/municipalities/{code}/budget",
    auth=WRITE_AUTH,
    response={201: LineOut, 400: RefusedOut, 403: ErrorOut, 404: ErrorOut},
    openapi_extra=declared_access("preparation.edit"),
)
def add_line(request: HttpRequest, code: str, payload: LineIn) -> Any:
    """Add one budget line. 400 names the bad fields (e.g. an indirect line without a share)."""
    municipality = municipality_or_404(code)
    if not access.may(request.user, "preparation.edit", municipality):
        raise HttpError(403, _("You may not edit this municipality's preparation."))
    errors: list[dict[str, str]] = []

    def bad(field: str, message: str) -> None:
        errors.append({"field": field, "message": message})

    year = (
        payload.year
        if isinstance(payload.year, int) and not isinstance(payload.year, bool)
        else None
    )
    if year is None and isinstance(payload.year, str) and payload.year.strip().isdigit():
        year = int(payload.year)
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        bad(
            "year",
            _("The year must be from %(first)s to %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    department, title = payload.department.strip(), payload.title.strip()
    if not department or len(department) > 200:
        bad("department", _("Give the department (at most 200 characters)."))
    if not title or len(title) > 300:
        bad("title", _("Give the budget line (at most 300 characters)."))
    amount = _decimal(payload.amount)
    if amount is None or amount < 0 or amount > MAX_AMOUNT:
        bad("amount", _("The amount is a number, 0 or more."))
    given = payload.share_percent not in (None, "")
    share = _decimal(payload.share_percent) if given else None
    if given and share is None:
        bad("share_percent", _("The children's share is a percentage from 0 to 100."))
    if payload.child_share not in BudgetLine.ChildShare.values:
        bad("child_share", _('For children: give "direct" or "indirect".'))
    else:
        problem = share_problem(payload.child_share, share)
        if problem and not any(e["field"] == "share_percent" for e in errors):
            bad("share_percent", problem)
    actions = list(Action.objects.filter(municipality=municipality, code__in=payload.actions))
    unknown = sorted(set(payload.actions) - {a.code for a in actions})
    if unknown:
        bad(
            "actions",
            _("No such actions in this city's plan: %(codes)s.") % {"codes": ", ".join(unknown)},
        )
    if errors:
        return Status(400, {"detail": _("The budget line was not saved."), "errors": errors})
    line = services.budget_line_save(
        municipality=municipality,
        values={
            "year": year,
            "department": department,
            "title": title,
            "amount": amount,
            "child_share": payload.child_share,
            "share_percent": share,
        },
        actions=actions,
        actor=request.user,
    )
    return Status(201, line_out(selectors.line_get(municipality, line.pk) or line))
