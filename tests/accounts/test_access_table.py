"""The access matrix, generated from the access table and the list of routes.

Every named page route must be listed in ``SAMPLES`` (how to call it) and its view must declare
its action with ``access.page``; every API operation must declare ``x-access`` in the OpenAPI
schema. A new page or operation without them fails here. For each route and each person —
one per role in Kokshetau, plus people of other territories — the answer must match what
``access.may`` says: allowed people are never refused, the others always are.
"""

from __future__ import annotations

import importlib
import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from meirim.accounts import access
from meirim.accounts.models import Role
from meirim.geography.models import Municipality
from tests.factories import user_with_role

TOWN = "KZ-AKM-KOKSHETAU"

# Route name → (URL kwargs, query string, the municipality the route acts on, methods).
# A municipality of None: the route concerns none (the check is "anywhere").
SAMPLES: dict[str, tuple[dict[str, object], str, str | None, tuple[str, ...]]] = {
    "portal:home": ({}, "", None, ("get",)),
    "accounts:me": ({}, "", None, ("get",)),
    "accounts:login": ({}, "", None, ("get",)),
    "accounts:logout": ({}, "", None, ("post",)),
    "accounts:password_change": ({}, "", None, ("get",)),
    "accounts:password_change_done": ({}, "", None, ("get",)),
    "accounts:password_reset": ({}, "", None, ("get",)),
    "accounts:password_reset_done": ({}, "", None, ("get",)),
    "accounts:password_reset_confirm": ({"uidb64": "MQ", "token": "x-y"}, "", None, ("get",)),
    "accounts:password_reset_complete": ({}, "", None, ("get",)),
    "geography:list": ({}, "", None, ("get",)),
    "geography:detail": ({"code": TOWN}, "", None, ("get",)),
    "catalogue:versions": ({}, "", None, ("get",)),
    "catalogue:version": ({"version": "2026.1"}, "", None, ("get",)),
    "catalogue:copy": ({"version": "2026.1"}, "", None, ("post",)),
    "catalogue_publish": ({"version": "2026.1"}, "", None, ("get", "post")),
    "catalogue:baseline": ({"version": "2026.1"}, "", None, ("get",)),
    "catalogue:governance": ({"version": "2026.1"}, "", None, ("get",)),
    "catalogue:lists": ({"version": "2026.1"}, "", None, ("get",)),
    "catalogue:scoring": ({"version": "2026.1"}, "", None, ("get", "post")),
    "catalogue_goalposts": ({"version": "2026.1"}, "", None, ("get", "post")),
    "catalogue:indicator": ({"version": "2026.1", "code": "I01"}, "", None, ("get",)),
    "catalogue:indicator_target": (
        {"version": "2026.1", "code": "I01"},
        "",
        None,
        ("post",),
    ),
    "data:overview": ({}, "", None, ("get",)),
    "data:years": ({"municipality": TOWN}, "", TOWN, ("get",)),
    "data:upload": ({"municipality": TOWN}, "", TOWN, ("get", "post")),
    "data:upload_status": ({"municipality": TOWN, "job": "no-such-job"}, "", TOWN, ("get",)),
    "data:template": ({"municipality": TOWN, "fmt": "csv"}, "year=2025", TOWN, ("get",)),
    "data:evidence": ({"municipality": TOWN, "evidence": 999999}, "", TOWN, ("get",)),
    "data:evidence_remove": (
        {"municipality": TOWN, "evidence": 999999},
        "",
        TOWN,
        ("get", "post"),
    ),
    "data:entry": ({"municipality": TOWN, "year": 2025}, "", TOWN, ("get", "post")),
    "data:evidence_add": ({"municipality": TOWN, "year": 2025}, "", TOWN, ("post",)),
    "data:approve": ({"municipality": TOWN, "year": 2025}, "", TOWN, ("get",)),
    "data:reopen": ({"municipality": TOWN, "year": 2025}, "", TOWN, ("post",)),
    "reports:index": ({}, "", None, ("get",)),
    "reports:method": ({}, "", None, ("get",)),
    "reports:compare": ({}, "m=" + TOWN, None, ("get",)),
    "reports:indicator": ({"code": "I09"}, "", None, ("get",)),
    "reports:dashboard": ({"municipality_code": TOWN}, "", None, ("get",)),
    "audit:list": ({}, "", None, ("get",)),
}

# Each Phase 1 app lists its own routes, API parameters and bodies in
# ``tests/<app>/access_samples.py`` (``SAMPLES``, and optionally ``API_PATH_PARAMETERS`` and
# ``API_BODIES``), so that the apps grow without editing one shared list.
SAMPLE_MODULES = (
    "tests.governance.access_samples",
    "tests.facilities.access_samples",
    "tests.planning.access_samples",
    "tests.participation.access_samples",
    "tests.budget.access_samples",
    "tests.portfolio.access_samples",
    "tests.recognition.access_samples_council",
    "tests.recognition.access_samples_city",
    "tests.recognition.access_samples_review",
    "tests.recognition.access_samples_documents",
    "tests.voice.access_samples",
    "tests.surveys.access_samples",
    "tests.opendata.access_samples",
    "tests.portal.access_samples",
)
_SAMPLE_EXTRAS = [importlib.import_module(name) for name in SAMPLE_MODULES]
for _module in _SAMPLE_EXTRAS:
    SAMPLES.update(_module.SAMPLES)

# Namespaces served by other machinery: the Django admin (checked below through its own
# rule, ``admin.use``) and Django's language switcher (no page of its own).
FOREIGN_NAMESPACES = {"admin", "api-v1"}
FOREIGN_NAMES = {"set_language"}

# API path parameters for calling every operation of the OpenAPI schema.
API_PARAMETERS = {
    "year": "2025",
    "code": "2026.1",
    "indicator": "I01",
    "municipality": TOWN,
}
# Where a parameter means something else on one path.
API_PATH_PARAMETERS = {"/api/v1/municipalities/{code}": {"code": TOWN}}
# A valid body for each writing operation, so that only access decides the answer.
API_BODIES = {
    "/api/v1/observations": {"municipality": TOWN, "code": "I03", "year": 2025, "value": "7"},
    "/api/v1/data-years/{municipality}/{year}/reopen": {"reason": "Checking the access table"},
}
for _module in _SAMPLE_EXTRAS:
    API_PATH_PARAMETERS.update(getattr(_module, "API_PATH_PARAMETERS", {}))
    API_BODIES.update(getattr(_module, "API_BODIES", {}))


def _named_routes(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if (pattern.namespace or "") in FOREIGN_NAMESPACES:
                continue
            yield from _named_routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            if pattern.name in FOREIGN_NAMES:
                continue
            yield f"{namespace}{pattern.name}", pattern.callback


ROUTES = dict(_named_routes())


def test_every_page_route_is_in_the_matrix_and_declares_its_action():
    missing = sorted(set(ROUTES) - set(SAMPLES))
    assert not missing, f"add these routes to SAMPLES: {missing}"
    stale = sorted(set(SAMPLES) - set(ROUTES))
    assert not stale, f"these SAMPLES have no route any more: {stale}"
    undeclared = sorted(
        name for name, view in ROUTES.items() if not hasattr(view, "access_actions")
    )
    assert not undeclared, f"these views do not declare their action (access.page): {undeclared}"


def test_every_api_operation_declares_its_action(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            declared = operation.get("x-access")
            assert declared == "public" or declared in access.ACCESS_TABLE, (method, path)


# People: one per role in Kokshetau (the conftest's ``users``), a person without a role, and
# the same city roles in a municipality of another region.
PEOPLE = ["anonymous", "no_role", *[role.value for role in Role], "far_coordinator", "far_region"]


@pytest.fixture
def people(users):
    far = {
        "far_coordinator": user_with_role(
            Role.CITY_COORDINATOR, "far-coordinator", municipality="KZ-PAV-PAVLODAR"
        ),
        "far_region": user_with_role(Role.REGION_OFFICER, "far-region", region="KZ-PAV"),
    }
    return {**users, **far}


def _allowed(person, action, municipality_code):
    if action is None:
        return True
    if person is None:
        return False
    obj = Municipality.objects.get(code=municipality_code) if municipality_code else None
    return access.may(person, action, obj)


def _refused(response) -> bool:
    if response.status_code in (403, 404):
        return True
    location = response.headers.get("Location", "")
    return response.status_code == 302 and "/login/" in location


CASES = [
    (name, method)
    for name, (_kwargs, _query, _town, methods) in SAMPLES.items()
    for method in methods
]


@pytest.mark.django_db
@pytest.mark.parametrize("person_key", PEOPLE)
@pytest.mark.parametrize(("name", "method"), CASES, ids=[f"{n}-{m}" for n, m in CASES])
def test_route_answers_as_the_access_table_says(name, method, person_key, people, catalogue):
    kwargs, query, town, _methods = SAMPLES[name]
    view = ROUTES[name]
    action = view.access_actions[method.upper()]
    person = people.get(person_key)
    client = Client()
    if person is not None:
        client.force_login(person)
    with translation.override("en"):
        url = reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")
    response = getattr(client, method)(url, {})
    if _allowed(person, action, town):
        assert response.status_code != 403, (name, method, person_key, action)
        assert not (
            response.status_code == 302 and "/login/" in response.headers.get("Location", "")
        ), (name, method, person_key)
    else:
        assert _refused(response), (name, method, person_key, action, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("person_key", PEOPLE)
def test_the_django_admin_follows_the_table(person_key, people):
    person = people.get(person_key)
    client = Client()
    if person is not None:
        client.force_login(person)
    response = client.get("/en/admin/")
    if person is not None and access.may(person, "admin.use"):
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("person_key", PEOPLE)
def test_api_operations_answer_as_the_table_says(person_key, people, client, catalogue):
    person = people.get(person_key)
    caller = Client()
    if person is not None:
        caller.force_login(person)
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            declared = operation["x-access"]
            if method != "get" and declared == "public":
                continue
            parameters = {**API_PARAMETERS, **API_PATH_PARAMETERS.get(path, {})}
            if path.startswith("/api/v1/municipalities/{code}"):
                parameters["code"] = TOWN
            url = re.sub(r"\{(\w+)\}", lambda m, p=parameters: p[m.group(1)], path)
            body = API_BODIES.get(path, {})
            response = caller.generic(
                method.upper(), url, json.dumps(body), content_type="application/json"
            )
            town_code = body.get("municipality") or (
                parameters["municipality"] if "{municipality}" in path else None
            )
            if path.startswith("/api/v1/municipalities/{code}"):
                town_code = TOWN
            town = Municipality.objects.filter(code=town_code).first()
            if declared == "public" or (person and access.may(person, declared, town)):
                assert response.status_code not in (401, 403), (method, path, person_key)
            elif operation.get("x-confidential"):
                # Its existence is not confirmed to anyone not allowed.
                assert response.status_code == 404, (method, path, person_key)
            else:
                assert response.status_code in (401, 403), (method, path, person_key)


def test_the_menu_offers_only_what_the_table_allows():
    from meirim.accounts.menu import MENU

    for entry in MENU:
        assert entry.action is None or entry.action in access.ACCESS_TABLE
