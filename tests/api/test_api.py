"""The read-only JSON API and its OpenAPI schema."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_openapi_schema_lists_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {
        "/api/v1/municipalities",
        "/api/v1/municipalities/{code}",
        "/api/v1/catalogue/versions",
        "/api/v1/catalogue/versions/{code}/indicators/{indicator}",
    } <= paths


@pytest.mark.django_db
def test_municipalities_filter_and_paginate(client, geography):
    page = client.get("/api/v1/municipalities", {"country": "KG", "limit": 5}).json()
    assert page["count"] == 41 or page["count"] > 22
    assert len(page["items"]) == 5
    assert all(item["country"] == "KG" for item in page["items"])
    one = client.get("/api/v1/municipalities/KZ-AKM-KOKSHETAU").json()
    assert one["region"] == "KZ-AKM" and one["names"]["en"] == "Kokshetau"


@pytest.mark.django_db
def test_catalogue_endpoints(client, catalogue):
    indicators = client.get("/api/v1/catalogue/versions/2026.1/indicators").json()
    assert [i["code"] for i in indicators["items"]] == [f"I{n:02d}" for n in range(1, 75)]
    assert indicators["count"] == 74 and indicators["next"] is None
    i08 = client.get("/api/v1/catalogue/versions/2026.1/indicators/I08").json()
    assert i08["subdomain"] == "S01" and i08["category"] == "C1" and i08["direction"] == -1
    items = client.get("/api/v1/catalogue/versions/2026.1/items", {"list": "A"}).json()
    assert [i["code"] for i in items["items"]] == [f"A{n}" for n in range(1, 8)]
    questions = client.get("/api/v1/catalogue/versions/2026.1/governance-questions").json()
    assert len(questions["items"]) == questions["count"] == 61


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/municipalities/NOWHERE",
        "/api/v1/catalogue/versions/0.0",
        "/api/v1/catalogue/versions/2026.1/indicators/I99",
        "/api/v1/no-such-endpoint",
    ],
)
def test_unknown_ids_give_json_404(client, catalogue, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
