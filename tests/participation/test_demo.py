"""The demonstration content: Pavlodar's whole log and budget; nothing for Kokshetau."""

from __future__ import annotations

import pytest

from meirim.budget import selectors as budget_selectors
from meirim.budget.demo import demo_populate as budget_demo
from meirim.budget.models import BudgetLine
from meirim.geography.models import Municipality
from meirim.participation import selectors
from meirim.participation.demo import demo_populate
from meirim.participation.models import Activity
from meirim.planning.models import Action


@pytest.mark.django_db
def test_the_demo_fills_pavlodar_once_and_leaves_kokshetau_empty(geography, catalogue):
    pavlodar = Municipality.objects.get(code="KZ-PAV-PAVLODAR")
    kokshetau = Municipality.objects.get(code="KZ-AKM-KOKSHETAU")
    # Linked by code when the plan has the action; left unlinked otherwise.
    action = Action.objects.create(municipality=pavlodar, code="7.1.b", title="Саябақтар")
    for _ in range(2):
        demo_populate(pavlodar, complete=True)
        budget_demo(pavlodar, complete=True)
    demo_populate(kokshetau, complete=False)
    budget_demo(kokshetau, complete=False)

    assert Activity.objects.filter(municipality=pavlodar, is_demo=True).count() == 6
    assert Activity.objects.filter(municipality=pavlodar, rung="H2").count() == 1
    statuses = {i.code: i.status for i in selectors.participation_evidence(pavlodar)}
    assert "missing" not in statuses.values()
    assert Activity.objects.filter(action=action).count() == 2
    assert BudgetLine.objects.filter(actions=action, year=2026).count() == 2
    assert budget_selectors.budget_complete_year(pavlodar) == 2026
    assert BudgetLine.objects.filter(municipality=pavlodar, year=2026).count() == 8
    share = budget_selectors.budget_year(pavlodar, 2026).share
    assert share is not None and 0 < share < 100
    assert not Activity.objects.filter(municipality=kokshetau).exists()
    assert not BudgetLine.objects.filter(municipality=kokshetau).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru", "en", "ky"])
def test_pavlodar_pages_render_in_every_language(users, catalogue, language):
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    pavlodar = Municipality.objects.get(code="KZ-PAV-PAVLODAR")
    demo_populate(pavlodar, complete=True)
    budget_demo(pavlodar, complete=True)
    activity = Activity.objects.filter(municipality=pavlodar).first()
    line = BudgetLine.objects.filter(municipality=pavlodar).first()
    client = Client()
    from meirim.accounts.models import Role
    from tests.factories import user_with_role

    coordinator = user_with_role(Role.CITY_COORDINATOR, "pav", municipality="KZ-PAV-PAVLODAR")
    client.force_login(coordinator)
    names = [
        ("participation:list", []),
        ("participation:add", []),
        ("participation:activity", [activity.pk]),
        ("participation:evidence", []),
        ("budget:overview", []),
        ("budget:line", [line.pk]),
        ("budget:children", []),
    ]
    with translation.override(language):
        for name, extra in names:
            url = reverse(name, args=["KZ-PAV-PAVLODAR", *extra])
            response = client.get(url)
            assert response.status_code == 200, (name, language)
        children = Client().get(reverse("budget:children", args=["KZ-PAV-PAVLODAR"]))
    expected = {
        "kk": "2026 жылы қала жұмсайтын әрбір 100 теңгенің",
        "ru": "В 2026 году из каждых 100 тенге, которые тратит город,",
        "en": "In 2026, out of every 100 tenge the city spends,",
        "ky": "2026-жылы шаар короткон ар бир 100 теңгенин",
    }[language]
    assert expected in children.content.decode()
