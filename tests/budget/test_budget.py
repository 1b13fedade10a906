"""The budget for children: child amounts, the share and its trend, validation, pages, API."""

from __future__ import annotations

import base64
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse as django_reverse
from django.utils import translation

from meirim.budget import selectors, services
from meirim.budget.forms import BudgetLineForm
from meirim.budget.models import BudgetAnswer, BudgetLine, CityBudget
from meirim.geography.models import Municipality
from meirim.planning.models import Action
from tests.conftest import PASSWORD

TOWN = "KZ-AKM-KOKSHETAU"
API = f"/api/v1/municipalities/{TOWN}/budget"


def reverse(name, args):
    with translation.override("en"):
        return django_reverse(name, args=args)


@pytest.fixture
def town(geography):
    return Municipality.objects.get(code=TOWN)


def _line(town, year, amount, share=None, **values):
    return services.budget_line_save(
        municipality=town,
        values={
            "year": year,
            "department": values.get("department", "Education"),
            "title": values.get("title", "School meals"),
            "amount": Decimal(amount),
            "child_share": "indirect" if share is not None else "direct",
            "share_percent": Decimal(share) if share is not None else None,
        },
        actions=values.get("actions", []),
        actor=None,
    )


def _basic(username: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


# --- Share computation --------------------------------------------------------------------


@pytest.mark.django_db
def test_child_amounts_share_and_trend(town):
    direct = _line(town, 2025, "1000")
    indirect = _line(town, 2025, "2000", "25", department="Roads", title="Safe crossings")
    assert selectors.child_amount(direct) == Decimal("1000")
    assert selectors.child_amount(indirect) == Decimal("500.00")
    services.city_budget_set(municipality=town, year=2025, total=Decimal("10000"), actor=None)
    services.city_budget_set(municipality=town, year=2026, total=Decimal("10000"), actor=None)
    _line(town, 2026, "2000")
    _line(town, 2024, "300")  # no city total that year: no share

    year = selectors.budget_year(town, 2025)
    assert year.child_amount == Decimal("1500.00")
    assert year.share == Decimal("15.0")
    assert [d.name for d in year.departments] == ["Education", "Roads"]
    assert [(p.year, p.share) for p in selectors.budget_trend(town)] == [
        (2024, None),
        (2025, Decimal("15.0")),
        (2026, Decimal("20.0")),
    ]


@pytest.mark.django_db
def test_a_year_is_complete_with_a_total_a_line_and_bq1_to_bq4(town):
    _line(town, 2026, "10")
    services.city_budget_set(municipality=town, year=2026, total=Decimal("100"), actor=None)
    assert selectors.budget_complete_year(town) is None
    services.budget_answers_save(
        municipality=town,
        year=2026,
        answers=dict.fromkeys(("BQ1", "BQ2", "BQ3", "BQ4"), ("yes", "")),
        actor=None,
    )
    assert selectors.budget_complete_year(town) == 2026


@pytest.mark.django_db
def test_the_line_form_checks_amounts_and_shares(town):
    def errors(**data):
        base = {"year": "2026", "department": "Health", "title": "Vaccines", "amount": "10"}
        form = BudgetLineForm({**base, **data}, municipality=town)
        form.is_valid()
        return set(form.errors)

    assert errors(child_share="direct") == set()
    assert errors(child_share="indirect", share_percent="40") == set()
    assert errors(child_share="indirect") == {"share_percent"}
    assert errors(child_share="indirect", share_percent="101") == {"share_percent"}
    assert errors(child_share="direct", share_percent="40") == {"share_percent"}
    assert errors(child_share="direct", amount="-1") == {"amount"}


# --- Pages --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_coordinator_enters_a_budget_year_through_the_pages(users, town, catalogue):
    action = Action.objects.create(municipality=town, code="2.1", title="School meals for all")
    client = Client()
    client.force_login(users["city_coordinator"])
    overview = reverse("budget:overview", [TOWN])
    client.post(overview, {"form": "total", "year": "2026", "total": "40000"})
    assert CityBudget.objects.get(municipality=town, year=2026).total == Decimal("40000")

    add = reverse("budget:line_add", [TOWN])
    assert "2.1 School meals for all" in client.get(add).content.decode()
    response = client.post(
        add,
        {
            "year": "2026",
            "department": "Education",
            "title": "Hot lunches",
            "amount": "8000",
            "child_share": "direct",
            "actions": [str(action.pk)],
        },
    )
    assert response.status_code == 302
    refused = client.post(
        add,
        {
            "year": "2026",
            "department": "Roads",
            "title": "Crossings",
            "amount": "4000",
            "child_share": "indirect",
        },
    )
    assert refused.status_code == 200
    assert BudgetLine.objects.count() == 1
    client.post(
        add,
        {
            "year": "2026",
            "department": "Roads",
            "title": "Crossings",
            "amount": "4000",
            "child_share": "indirect",
            "share_percent": "50",
        },
    )
    line = BudgetLine.objects.get(title="Hot lunches")
    assert list(line.actions.all()) == [action]

    answers = {"form": "answers", "year": "2026"}
    for code, value in (("BQ1", "yes"), ("BQ2", "partly"), ("BQ3", "no"), ("BQ4", "yes")):
        answers[f"{code}_answer"] = value
        answers[f"{code}_comment"] = f"About {code}"
    client.post(overview, answers)
    assert BudgetAnswer.objects.get(municipality=town, year=2026, code="BQ2").answer == "partly"

    page = client.get(overview + "?year=2026").content.decode()
    assert "<strong>25.0 %</strong>" in page  # (8000 + 50 % of 4000) / 40000
    assert "<svg" in page
    assert "indirect, 50 %" in page
    assert "About BQ3" in page

    edit = reverse("budget:line", [TOWN, line.pk])
    assert "Hot lunches" in client.get(edit).content.decode()
    client.post(edit, {"delete": "1"})
    assert not BudgetLine.objects.filter(pk=line.pk).exists()


@pytest.mark.django_db
def test_the_page_for_children_speaks_plainly_to_anyone(town, catalogue):
    page = reverse("budget:children", [TOWN])
    assert "has not yet shown" in Client().get(page).content.decode()
    services.city_budget_set(municipality=town, year=2025, total=Decimal("1000"), actor=None)
    services.city_budget_set(municipality=town, year=2026, total=Decimal("1000"), actor=None)
    _line(town, 2025, "150", title="Kindergartens")
    _line(town, 2026, "200", title="Kindergartens")
    _line(town, 2026, "400", "10", department="Culture", title="Libraries")
    body = Client().get(page).content.decode()
    assert "In 2026, out of every 100 tenge the city spends, 24 go to children." in body
    assert "Education: “Kindergartens” — 200 KZT for children." in body
    assert "Culture: “Libraries” — 40 KZT for children." in body
    assert "2025: 15.0 out of every 100" in body


# --- API ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_adds_lines_and_reads_the_years(users, town, catalogue):
    Action.objects.create(municipality=town, code="2.1", title="School meals")
    body = {
        "year": 2026,
        "department": "Roads",
        "title": "Crossings near schools",
        "amount": "4000",
        "child_share": "indirect",
        "share_percent": "50",
        "actions": ["2.1"],
    }
    client = Client()
    created = client.post(
        API, json.dumps(body), content_type="application/json", **_basic("department_head")
    )
    assert created.status_code == 201, created.content
    assert created.json()["child_amount"] == "2000.00"
    assert created.json()["actions"] == ["2.1"]
    services.city_budget_set(municipality=town, year=2026, total=Decimal("8000"), actor=None)
    services.budget_answers_save(
        municipality=town, year=2026, answers={"BQ1": ("yes", "Analysed")}, actor=None
    )

    client.force_login(users["region_officer"])
    years = client.get(API).json()["years"]
    assert years[0]["year"] == 2026
    assert years[0]["total"] == "8000.00"
    assert years[0]["child_amount"] == "2000.00"
    assert years[0]["share"] == "25.0"
    assert years[0]["lines"][0]["title"] == "Crossings near schools"
    assert years[0]["answers"] == [{"question": "BQ1", "answer": "yes", "comment": "Analysed"}]


@pytest.mark.django_db
def test_the_api_refuses_bad_fields_and_other_cities(users, town, catalogue):
    bad = {
        "year": 2026,
        "department": "",
        "title": "X",
        "amount": "-5",
        "child_share": "indirect",
        "actions": ["9.9"],
    }
    response = Client().post(
        API, json.dumps(bad), content_type="application/json", **_basic("city_coordinator")
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {e["field"] for e in errors} == {"department", "amount", "share_percent", "actions"}
    assert "9.9" in json.dumps(errors)
    direct_with_share = {**bad, "department": "Health", "amount": "5", "child_share": "direct",
                         "share_percent": "10", "actions": []}  # fmt: skip
    response = Client().post(
        API,
        json.dumps(direct_with_share),
        content_type="application/json",
        **_basic("city_coordinator"),
    )
    assert [e["field"] for e in response.json()["errors"]] == ["share_percent"]

    from meirim.accounts.models import Role
    from tests.factories import user_with_role

    user_with_role(Role.CITY_COORDINATOR, "far-coordinator", municipality="KZ-PAV-PAVLODAR")
    good = {"year": 2026, "department": "Education", "title": "Meals", "amount": "1",
            "child_share": "direct"}  # fmt: skip
    far = Client().post(
        API, json.dumps(good), content_type="application/json", **_basic("far-coordinator")
    )
    assert far.status_code == 403
    assert not BudgetLine.objects.exists()
