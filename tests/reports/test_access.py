"""Who sees what: every results page is public; the preview of data not yet approved is
for the municipality's own people, its region officer and the national level."""

from __future__ import annotations

import pytest
from django.test import Client

from meirim.accounts.models import Role
from tests.factories import user_with_role

from .conftest import A, B

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
ALL_ROLES = [ANONYMOUS, "no_role", *[role.value for role in Role]]
PREVIEWERS = [
    Role.NATIONAL_COUNCIL.value,
    Role.NATIONAL_ADMIN.value,
    Role.REVIEWER.value,
    Role.REGION_OFFICER.value,  # Akmola region, where Kokshetau is
    Role.CITY_COORDINATOR.value,
    Role.DEPARTMENT_HEAD.value,
]

PUBLIC = [
    "/en/results/",
    "/en/results/method/",
    f"/en/results/{A}/",
    f"/en/results/compare/?m={A}&m={B}",
    "/en/results/indicator/I16/",
]


def _client(role: str, users) -> Client:
    client = Client()
    if role != ANONYMOUS:
        client.force_login(users[role])
    return client


@pytest.mark.parametrize("role", ALL_ROLES)
def test_results_pages_are_public(role, users, cfci):
    client = _client(role, users)
    for url in PUBLIC:
        assert client.get(url).status_code == 200, (url, role)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_preview_is_for_the_citys_own_people(role, users, cfci):
    response = _client(role, users).get(f"/en/results/{A}/?preview=1")
    if role in PREVIEWERS:
        assert response.status_code == 200
        body = response.content.decode()
        assert "Preview: includes data not yet approved" in body
        assert "2025" in body  # the open year
        assert "no-store" in response["Cache-Control"]
    elif role == ANONYMOUS:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 403


def test_public_page_shows_approved_years_only(client, cfci):
    body = client.get(f"/en/results/{A}/").content.decode()
    assert "Preview" not in body
    assert '<th scope="col" class="num">2025</th>' not in body
    assert "Include data not yet approved" not in body  # no switch for the public


def test_switch_offered_only_to_those_who_may_use_it(users, cfci):
    coordinator = _client(Role.CITY_COORDINATOR.value, users)
    assert "Include data not yet approved" in coordinator.get(f"/en/results/{A}/").content.decode()
    assert (
        "Include data not yet approved" not in coordinator.get(f"/en/results/{B}/").content.decode()
    )


def test_another_citys_coordinator_cannot_preview(cfci, users):
    other = user_with_role(Role.CITY_COORDINATOR, username="stepnogorsk", municipality=B)
    client = Client()
    client.force_login(other)
    assert client.get(f"/en/results/{A}/?preview=1").status_code == 403
    own = client.get(f"/en/results/{B}/?preview=1")
    assert own.status_code == 200 and "Preview" in own.content.decode()
    # The preview of one city never leaks into the public pages of another.
    assert "2025" not in client.get("/en/results/indicator/I16/").content.decode()


def test_preview_scores_use_the_open_year(users, cfci):
    coordinator = _client(Role.CITY_COORDINATOR.value, users)
    body = coordinator.get(f"/en/results/{A}/?preview=1").content.decode()
    assert '<th scope="col" class="num">2025</th>' in body
    public = Client().get(f"/en/results/{A}/").content.decode()
    assert '<th scope="col" class="num">2025</th>' not in public
