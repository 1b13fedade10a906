"""Writing through the API over real HTTP: Basic auth (no CSRF), session auth (CSRF), lockout."""

from __future__ import annotations

import base64
import re

import pytest
import requests
from django.conf import settings
from django.test import Client

from meirim.data.models import Observation
from tests.conftest import PASSWORD

KOKSHETAU = "KZ-AKM-KOKSHETAU"
BODY = {"municipality": KOKSHETAU, "code": "I06", "year": 2024, "value": "12.5"}


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_basic_is_free_of_csrf_but_a_session_needs_the_token(live_server, users, catalogue):
    """Basic needs no CSRF token; a browser session still does."""
    body = dict(BODY, code="I05", value="3")
    response = requests.post(
        f"{live_server.url}/api/v1/observations",
        json=BODY,
        headers={"Authorization": _basic("department_head", PASSWORD)},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert float(response.json()["value"]) == 12.5
    assert Observation.objects.filter(municipality__code=KOKSHETAU, code="I06").exists()

    session = requests.Session()
    login_page = session.get(f"{live_server.url}/en/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
    login = session.post(
        f"{live_server.url}/en/accounts/login/",
        data={"username": "city_coordinator", "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{live_server.url}/en/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert login.status_code == 302

    refused = session.post(f"{live_server.url}/api/v1/observations", json=body, timeout=30)
    assert refused.status_code == 403
    assert not Observation.objects.filter(code="I05").exists()

    accepted = session.post(
        f"{live_server.url}/api/v1/observations",
        json=body,
        headers={
            "X-CSRFToken": session.cookies["csrftoken"],
            "Referer": f"{live_server.url}/en/",
        },
        timeout=30,
    )
    assert accepted.status_code == 200, accepted.text
    assert Observation.objects.filter(code="I05").exists()


def test_repeated_wrong_basic_passwords_lock_the_client_out(live_server, users, catalogue):
    url = f"{live_server.url}/api/v1/observations"
    wrong = {"Authorization": _basic("city_coordinator", "wrong")}
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = requests.post(url, json=BODY, headers=wrong, timeout=30)
        assert response.status_code == 401
    response = requests.post(
        url,
        json=BODY,
        headers={**wrong, "Accept-Language": "ru"},
        timeout=30,
    )
    assert response.status_code == 429
    assert response.headers["Content-Type"].startswith("application/json")
    assert "Слишком много" in response.json()["detail"]
    assert int(response.headers["Retry-After"]) > 0
    # Even the right password is refused while locked; nothing is written.
    response = requests.post(
        url,
        json=BODY,
        headers={"Authorization": _basic("city_coordinator", PASSWORD), "Accept-Language": "en"},
        timeout=30,
    )
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.json()["detail"]
    assert not Observation.objects.filter(code="I06").exists()


@pytest.mark.django_db
def test_csrf_is_enforced_for_sessions_only(users, catalogue):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/observations",
        BODY,
        content_type="application/json",
        HTTP_AUTHORIZATION=_basic("department_head", PASSWORD),
    )
    assert response.status_code == 200, response.content
    session = Client(enforce_csrf_checks=True)
    session.force_login(users["department_head"])
    response = session.post("/api/v1/observations", BODY, content_type="application/json")
    assert response.status_code == 403
