"""The budget pages: the overview of a year (lines, share, trend, BQ answers), a line, and
the public page in plain words for children and families."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from meirim.accounts import access
from meirim.budget import selectors, services
from meirim.budget.forms import (
    FIRST_YEAR,
    LAST_YEAR,
    AnswersForm,
    BudgetLineForm,
    CityBudgetForm,
)
from meirim.budget.models import BudgetLine
from meirim.geography.models import Municipality
from meirim.reports.charts import score_trends


def _year(request: HttpRequest, municipality: Municipality) -> int:
    raw = request.GET.get("year", "") or request.POST.get("year", "")
    if raw.isdigit() and FIRST_YEAR <= int(raw) <= LAST_YEAR:
        return int(raw)
    years = selectors.budget_years(municipality)
    return years[0] if years else date.today().year


def _overview_url(municipality: Municipality, year: int) -> str:
    return f"{reverse('budget:overview', args=[municipality.code])}?year={year}"


def trend_chart(municipality: Municipality) -> tuple[list[selectors.TrendPoint], str]:
    trend = selectors.budget_trend(municipality)
    label = _("Children's share of the city budget, %")
    chart = score_trends(
        [p.year for p in trend],
        [(label, [float(p.share) if p.share is not None else None for p in trend])],
        label,
    )
    return trend, chart


@access.page("preparation.read", post="preparation.edit", municipality="municipality")
def overview(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    year = _year(request, municipality)
    items = selectors.questions()
    total_form = CityBudgetForm(initial={"year": year})
    answers_form = AnswersForm(initial={"year": year}, items=items)
    if request.method == "POST":
        if request.POST.get("form") == "answers":
            answers_form = AnswersForm(request.POST, items=items)
            if answers_form.is_valid():
                services.budget_answers_save(
                    municipality=municipality,
                    year=answers_form.cleaned_data["year"],
                    answers=answers_form.answers(),
                    actor=request.user,
                )
                messages.success(request, _("The answers were saved."))
                return redirect(_overview_url(municipality, answers_form.cleaned_data["year"]))
        else:
            total_form = CityBudgetForm(request.POST)
            if total_form.is_valid():
                services.city_budget_set(
                    municipality=municipality,
                    year=total_form.cleaned_data["year"],
                    total=total_form.cleaned_data["total"],
                    actor=request.user,
                )
                messages.success(request, _("The city budget total was saved."))
                return redirect(_overview_url(municipality, total_form.cleaned_data["year"]))
        messages.error(request, _("Nothing was saved: see the errors below."))
    data = selectors.budget_year(municipality, year)
    if request.method != "POST":
        if data.total is not None:
            total_form = CityBudgetForm(initial={"year": year, "total": data.total})
        initial: dict[str, object] = {"year": year}
        for code, answer in data.answers.items():
            initial[f"{code}_answer"] = answer.answer
            initial[f"{code}_comment"] = answer.comment
        answers_form = AnswersForm(initial=initial, items=items)
    trend, chart = trend_chart(municipality)
    years = sorted({*selectors.budget_years(municipality), year, date.today().year}, reverse=True)
    return render(
        request,
        "budget/overview.html",
        {
            "municipality": municipality,
            "can_edit": access.may(request.user, "preparation.edit", municipality),
            "year": year,
            "years": years,
            "data": data,
            "trend": trend,
            "chart": chart,
            "total_form": total_form,
            "answers_form": answers_form,
        },
    )


def _line_page(
    request: HttpRequest, municipality: Municipality, line: BudgetLine | None
) -> HttpResponse:
    if request.method == "POST" and line is not None and "delete" in request.POST:
        year = line.year
        services.budget_line_delete(line=line, actor=request.user)
        messages.success(request, _("The budget line was deleted."))
        return redirect(_overview_url(municipality, year))
    if request.method == "POST":
        form = BudgetLineForm(request.POST, municipality=municipality)
        if form.is_valid():
            saved = services.budget_line_save(
                municipality=municipality,
                line=line,
                values=form.values(),
                actions=form.cleaned_data["actions"],
                actor=request.user,
            )
            messages.success(request, _("The budget line was saved."))
            return redirect(_overview_url(municipality, saved.year))
    elif line is not None:
        form = BudgetLineForm(initial=BudgetLineForm.initial_from(line), municipality=municipality)
    else:
        form = BudgetLineForm(
            initial={"year": _year(request, municipality), "child_share": "direct"},
            municipality=municipality,
        )
    return render(
        request,
        "budget/line.html",
        {
            "municipality": municipality,
            "can_edit": access.may(request.user, "preparation.edit", municipality),
            "form": form,
            "line": line,
        },
    )


@access.page("preparation.edit", municipality="municipality")
def line_add(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return _line_page(request, municipality, None)


@access.page("preparation.read", post="preparation.edit", municipality="municipality")
def line_edit(request: HttpRequest, municipality: Municipality, line: int) -> HttpResponse:
    found = selectors.line_get(municipality, line)
    if found is None:
        raise Http404
    return _line_page(request, municipality, found)


@access.page(access.PUBLIC)
@require_GET
def children(request: HttpRequest, municipality: str) -> HttpResponse:
    """The budget for children in plain words: public programme information, no personal data."""
    place = Municipality.objects.filter(code=municipality).first()
    if place is None:
        raise Http404
    page = selectors.children_page(place)
    chart = None
    if len(page.trend) > 1:
        label = _("Out of every 100 spent by the city, how many went to children, by year")
        chart = score_trends(
            [p.year for p in page.trend],
            [(label, [float(p.share) if p.share is not None else None for p in page.trend])],
            label,
        )
    return render(
        request,
        "budget/children.html",
        {"municipality": place, "page": page, "chart": chart, "som": page.currency == "KGS"},
    )
