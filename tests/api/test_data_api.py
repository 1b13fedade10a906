"""Observations and results through the JSON API: reading by approval, writing in scope."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from meirim.data.models import Observation
from meirim.data.services import data_year_approve, observation_save
from meirim.geography.models import Municipality
from tests.conftest import PASSWORD

KOKSHETAU = "KZ-AKM-KOKSHETAU"


@pytest.fixture
def data(users, catalogue):
    """Kokshetau: 2023 approved, 2024 still a draft. Astana: 2023 approved."""
    kokshetau = Municipality.objects.get(code=KOKSHETAU)
    astana = Municipality.objects.get(code="KZ-AST")
    for place, year, value in [
        (kokshetau, 2023, "71"),
        (kokshetau, 2024, "74"),
        (astana, 2023, "80"),
    ]:
        observation_save(
            version=catalogue,
            municipality=place,
            code="I09",
            year=year,
            values={"value": value, "status": "reported"},
            actor=None,
        )
    data_year_approve(version=catalogue, municipality=kokshetau, year=2023, actor=None)
    data_year_approve(version=catalogue, municipality=astana, year=2023, actor=None)
    return catalogue


def _years(response) -> list[tuple[str, int]]:
    return sorted((o["municipality"], o["year"]) for o in response.json()["items"])


@pytest.mark.django_db
def test_public_sees_only_approved_years(client: Client, data):
    response = client.get("/api/v1/observations", {"code": "I09"})
    assert response.status_code == 200
    assert _years(response) == [("KZ-AKM-KOKSHETAU", 2023), ("KZ-AST", 2023)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees_draft"),
    [
        ("city_coordinator", True),
        ("department_head", True),
        ("region_officer", True),
        ("national_council", True),
        ("reviewer", True),
        ("community_group", False),
        ("no_role", False),
    ],
)
def test_drafts_are_visible_only_in_scope(users, data, role, sees_draft):
    client = Client()
    client.force_login(users[role])
    response = client.get("/api/v1/observations", {"code": "I09", "municipality": KOKSHETAU})
    years = [year for _m, year in _years(response)]
    assert years == ([2023, 2024] if sees_draft else [2023])


@pytest.mark.django_db
def test_department_head_writes_within_scope_only(users, data):
    client = Client(enforce_csrf_checks=False)
    client.force_login(users["department_head"])
    body = {"municipality": KOKSHETAU, "code": "I06", "year": 2024, "value": "12.5"}
    response = client.post("/api/v1/observations", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["value"] == "12.500000" or float(response.json()["value"]) == 12.5
    other = dict(body, municipality="KZ-AST")
    response = client.post("/api/v1/observations", other, content_type="application/json")
    assert response.status_code == 403
    assert not Observation.objects.filter(municipality__code="KZ-AST", code="I06").exists()


@pytest.mark.django_db
def test_invalid_value_is_rejected_with_field_and_message(users, data):
    client = Client()
    client.force_login(users["city_coordinator"])
    body = {"municipality": KOKSHETAU, "code": "I06", "year": 2024, "value": "120"}
    response = client.post("/api/v1/observations", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "value"
    assert not Observation.objects.filter(code="I06").exists()


@pytest.mark.django_db
def test_write_into_an_approved_year_is_refused(users, data):
    client = Client()
    client.force_login(users["city_coordinator"])
    body = {"municipality": KOKSHETAU, "code": "I09", "year": 2023, "value": "99"}
    response = client.post("/api/v1/observations", body, content_type="application/json")
    assert response.status_code == 400
    assert Observation.objects.get(code="I09", year=2023, municipality__code=KOKSHETAU).value == 71


@pytest.mark.django_db
def test_anonymous_and_basic_auth(users, data):
    body = {"municipality": KOKSHETAU, "code": "I06", "year": 2024, "value": "10"}
    anonymous = Client().post("/api/v1/observations", body, content_type="application/json")
    assert anonymous.status_code == 401
    token = base64.b64encode(f"{users['city_coordinator'].username}:{PASSWORD}".encode()).decode()
    response = Client().post(
        "/api/v1/observations",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {token}",
    )
    assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_results_endpoint(client: Client, data):
    from meirim.reports.computing import results_compute

    assert client.get(f"/api/v1/results/{KOKSHETAU}").json()["computed_at"] is None
    results_compute(data)  # the worker's run after the data writes
    response = client.get(f"/api/v1/results/{KOKSHETAU}")
    assert response.status_code == 200
    body = response.json()
    assert body["computed_at"] and body["updating"] is False
    assert body["years"] == [2023]  # the draft year is not in public results
    i09 = next(line for line in body["indicators"] if line["code"] == "I09")
    assert i09["values"] == {"2023": 71.0}
    # The answer is exactly what its documented schema says, field for field.
    from meirim.api.data import ResultsOut

    assert response["Content-Type"] == "application/json; charset=utf-8"
    checked = ResultsOut.model_validate(body).model_dump(mode="json")
    assert checked | {"computed_at": body["computed_at"]} == body
    assert list(body) == list(ResultsOut.model_fields)
    assert client.get("/api/v1/results/NOWHERE").status_code == 404
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/observations", "/api/v1/results/{municipality}"} <= set(schema["paths"])


@pytest.mark.django_db
def test_years_are_approved_and_reopened_through_the_api_with_reasons(users, catalogue):
    """The year-approval workflow answers API clients as it answers pages: 409 and reasons."""
    import base64

    from django.test import Client
    from django.utils import translation

    from meirim.data.models import DataYear
    from tests.factories import PASSWORD

    def basic(user):
        token = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
        return Client(HTTP_AUTHORIZATION=f"Basic {token}", enforce_csrf_checks=True)

    url = "/api/v1/data-years/KZ-AKM-KOKSHETAU/2024"
    coordinator = basic(users["city_coordinator"])
    response = coordinator.post(f"{url}/approve", content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "approved"
    again = coordinator.post(
        f"{url}/approve", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert again.status_code == 409
    assert again.json()["reasons"] == ["The data for 2024 are already approved."]

    refused = basic(users["region_officer"]).post(
        f"{url}/reopen", {"reason": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403
    council = basic(users["national_council"])
    no_reason = council.post(
        f"{url}/reopen", {"reason": " "}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert no_reason.status_code == 409
    with translation.override("ru"):
        expected = translation.gettext("Give the reason for reopening the year.")
    assert no_reason.json()["reasons"] == [expected]
    reopened = council.post(
        f"{url}/reopen", {"reason": "Corrected figures"}, content_type="application/json"
    )
    assert reopened.status_code == 200 and reopened.json()["state"] == "open"
    assert DataYear.objects.get(municipality__code="KZ-AKM-KOKSHETAU", year=2024).state == "open"
