"""Reading the budget for children: lines, the child amount, the share and its trend.

The child amount of a line is its amount when it is direct, and amount × share / 100 when it
is indirect. The children's share of the city budget is the sum of the child amounts of a
year over the city's total budget of that year (cf. indicator I73 and baseline B45).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, QuerySet

from meirim.budget.models import BudgetAnswer, BudgetLine, CityBudget
from meirim.catalogue.models import CatalogueItem
from meirim.catalogue.selectors import published_version
from meirim.geography.models import Municipality
from meirim.planning.models import Action

QUESTIONS = ("BQ1", "BQ2", "BQ3", "BQ4")
CENT = Decimal("0.01")


def child_amount(line: BudgetLine) -> Decimal:
    """The part of a line that serves children."""
    if line.child_share == BudgetLine.ChildShare.DIRECT:
        return line.amount
    share = line.share_percent if line.share_percent is not None else Decimal(0)
    return (line.amount * share / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)


def share_of(part: Decimal, total: Decimal | None) -> Decimal | None:
    """``part`` as a percentage of ``total`` (one decimal), or None without a total."""
    if total is None or total <= 0:
        return None
    return (part * Decimal(100) / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def lines(municipality: Municipality, year: int | None = None) -> QuerySet[BudgetLine]:
    qs = BudgetLine.objects.filter(municipality=municipality).prefetch_related(
        Prefetch("actions", queryset=Action.objects.order_by("code"))
    )
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "department", "title")


def line_get(municipality: Municipality, pk: int) -> BudgetLine | None:
    return lines(municipality).filter(pk=pk).first()


def city_actions(municipality: Municipality) -> QuerySet[Action]:
    return Action.objects.filter(municipality=municipality).order_by("code")


def questions() -> list[CatalogueItem]:
    version = published_version()
    if version is None:
        return []
    return list(CatalogueItem.objects.filter(version=version, list="BQ").order_by("order", "code"))


@dataclass
class LineRow:
    line: BudgetLine
    child_amount: Decimal


@dataclass
class Department:
    name: str
    amount: Decimal
    child_amount: Decimal
    lines: list[LineRow]


@dataclass
class BudgetYear:
    year: int
    total: Decimal | None
    currency: str
    rows: list[LineRow] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    lines_amount: Decimal = Decimal(0)
    child_amount: Decimal = Decimal(0)
    share: Decimal | None = None
    answers: dict[str, BudgetAnswer] = field(default_factory=dict)

    @property
    def answered(self) -> bool:
        return all(code in self.answers for code in QUESTIONS)

    @property
    def complete(self) -> bool:
        """The year has what step PH1.S7 asks: a total, a line and BQ1–BQ4 answered."""
        return self.total is not None and bool(self.rows) and self.answered


def budget_years(municipality: Municipality) -> list[int]:
    """Years with any budget data, newest first."""
    years: set[int] = set()
    for model in (CityBudget, BudgetLine, BudgetAnswer):
        years.update(model.objects.filter(municipality=municipality).values_list("year", flat=True))
    return sorted(years, reverse=True)


def budget_year(municipality: Municipality, year: int) -> BudgetYear:
    city = CityBudget.objects.filter(municipality=municipality, year=year).first()
    result = BudgetYear(
        year=year,
        total=city.total if city is not None else None,
        currency=city.currency if city is not None else "KZT",
    )
    grouped: dict[str, list[LineRow]] = defaultdict(list)
    for line in lines(municipality, year):
        row = LineRow(line, child_amount(line))
        result.rows.append(row)
        grouped[line.department].append(row)
    result.departments = [
        Department(
            name,
            sum((r.line.amount for r in rows), Decimal(0)),
            sum((r.child_amount for r in rows), Decimal(0)),
            rows,
        )
        for name, rows in sorted(grouped.items())
    ]
    result.lines_amount = sum((r.line.amount for r in result.rows), Decimal(0))
    result.child_amount = sum((r.child_amount for r in result.rows), Decimal(0))
    result.share = share_of(result.child_amount, result.total)
    result.answers = {
        a.code: a for a in BudgetAnswer.objects.filter(municipality=municipality, year=year)
    }
    return result


@dataclass
class TrendPoint:
    year: int
    total: Decimal | None
    child_amount: Decimal
    share: Decimal | None


def budget_trend(municipality: Municipality) -> list[TrendPoint]:
    """The children's share of the city budget per year, oldest first (None without a total)."""
    totals = dict(CityBudget.objects.filter(municipality=municipality).values_list("year", "total"))
    amounts: dict[int, Decimal] = defaultdict(Decimal)
    for line in BudgetLine.objects.filter(municipality=municipality):
        amounts[line.year] += child_amount(line)
    years = sorted(set(totals) | set(amounts))
    return [
        TrendPoint(year, totals.get(year), amounts[year], share_of(amounts[year], totals.get(year)))
        for year in years
    ]


def budget_overview(municipality: Municipality) -> list[BudgetYear]:
    """Every year with budget data, newest first (for the portfolio and the API)."""
    return [budget_year(municipality, year) for year in budget_years(municipality)]


def budget_complete_year(municipality: Municipality) -> int | None:
    """The newest year with a total, ≥ 1 line and BQ1–BQ4 answered (step PH1.S7), or None."""
    for year in budget_years(municipality):
        if budget_year(municipality, year).complete:
            return year
    return None


@dataclass
class ChildrenPage:
    """What the public page in plain words says: only years with a total and lines."""

    year: int | None = None
    currency: str = "KZT"
    per_hundred: Decimal | None = None
    child_amount: Decimal = Decimal(0)
    biggest: list[LineRow] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)


def children_page(municipality: Municipality, *, biggest: int = 5) -> ChildrenPage:
    trend = [p for p in budget_trend(municipality) if p.share is not None and p.child_amount]
    if not trend:
        return ChildrenPage()
    latest = trend[-1]
    year = budget_year(municipality, latest.year)
    top = sorted(year.rows, key=lambda r: r.child_amount, reverse=True)[:biggest]
    return ChildrenPage(
        year=latest.year,
        currency=year.currency,
        per_hundred=latest.share.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        if latest.share is not None
        else None,
        child_amount=latest.child_amount,
        biggest=[r for r in top if r.child_amount > 0],
        trend=trend,
    )
