"""Inputs the database cannot store are refused with a clear 400, never a 500."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_nul_in_a_page_query_is_a_bad_request(client):
    response = client.get("/en/municipalities/", {"q": "Kok\x00shetau"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.django_db
def test_nul_in_the_api_is_a_json_bad_request(client, users):
    response = client.get("/api/v1/municipalities", {"region": "\x00"})
    assert response.status_code == 400 and "detail" in response.json()
    client.force_login(users["department_head"])
    body = (
        '{"municipality": "KZ-AKM-KOKSHETAU", "code": "I06", "year": 2024, "source": "a\\u0000b"}'
    )
    response = client.post("/api/v1/observations", body, content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()


@pytest.mark.django_db
def test_ordinary_requests_pass(client, geography):
    assert client.get("/en/municipalities/", {"q": "Kokshetau"}).status_code == 200
