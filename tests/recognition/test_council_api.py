"""The council's API: /cycles, /cycles/{id}, criteria, transitions, /recognitions."""

from __future__ import annotations

import base64
import datetime

import pytest
from django.test import Client

from meirim.accounts.models import Role
from meirim.recognition.models import Cycle, Level, Recognition
from tests.factories import PASSWORD
from tests.recognition.factories import TOWN, cycle_make, today

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _basic(user):
    token = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def _body(**changes):
    base = today()
    body = {
        "name": "2027–2029",
        "starts_on": str(base),
        "eoi_deadline": str(base + 30 * DAY),
        "portfolio_deadline": str(base + 120 * DAY),
        "community_report_deadline": str(base + 150 * DAY),
        "decision_date": str(base + 200 * DAY),
        "level1_threshold": 50,
        "level2_threshold": 75,
        "criteria": [{"code": "K1", "name_en": "Children are heard", "indicators": ["I01"],
                      "participation_evidence": ["P1"], "weight": 2}],
    }  # fmt: skip
    body.update(changes)
    return body


def _post(client, url, body, **extra):
    return client.post(url, body, content_type="application/json", **extra)


def test_the_council_creates_a_cycle_with_basic_auth_and_opens_its_call(users, catalogue):
    client = Client()
    council = _basic(users[Role.NATIONAL_COUNCIL])
    created = _post(client, "/api/v1/cycles", _body(), **council)
    assert created.status_code == 201, created.content
    cycle = created.json()
    assert cycle["state"] == "draft" and cycle["settings"]["level2_months"] == 48
    assert cycle["criteria"][0]["code"] == "K1" and cycle["criteria"][0]["weight"] == "2.00"
    # A draft is not public.
    assert client.get(f"/api/v1/cycles/{cycle['id']}").status_code == 404
    assert client.get("/api/v1/cycles").json() == []
    drafts = client.get("/api/v1/cycles", **council).json()
    assert [c["state"] for c in drafts] == ["draft"]
    assert client.get(f"/api/v1/cycles/{cycle['id']}", **council).status_code == 200
    added = _post(
        client, f"/api/v1/cycles/{cycle['id']}/criteria", {"code": "K2", "name_kk": "Қауіпсіз"},
        **council,
    )  # fmt: skip
    assert added.status_code == 201
    opened = _post(
        client, f"/api/v1/cycles/{cycle['id']}/transition", {"action": "open_call"}, **council
    )
    assert opened.status_code == 200 and opened.json()["state"] == "call_open"
    public = client.get(f"/api/v1/cycles/{cycle['id']}").json()
    assert [c["code"] for c in public["criteria"]] == ["K1", "K2"]
    frozen = _post(
        client, f"/api/v1/cycles/{cycle['id']}/criteria", {"code": "K3", "name_en": "x"},
        **council,
    )  # fmt: skip
    assert frozen.status_code == 409 and frozen.json()["reasons"]
    again = _post(
        client, f"/api/v1/cycles/{cycle['id']}/transition", {"action": "open_call"}, **council
    )
    assert again.status_code == 409
    unknown = _post(
        client, f"/api/v1/cycles/{cycle['id']}/transition", {"action": "explode"}, **council
    )
    assert unknown.status_code == 400


def test_bad_cycles_are_refused_by_field(users, catalogue):
    client = Client()
    client.force_login(users[Role.NATIONAL_ADMIN])
    answer = _post(
        client,
        "/api/v1/cycles",
        _body(level1_months=60, criteria=[{"code": "K1", "name_en": "x", "indicators": ["I99"]}]),
    )
    assert answer.status_code == 400
    fields = {e["field"] for e in answer.json()["errors"]}
    assert "level1_months" in fields
    assert not Cycle.objects.exists()
    bad = [{"code": "K1", "indicators": ["I99"]}]
    answer = _post(client, "/api/v1/cycles", _body(criteria=bad))
    assert answer.status_code == 400
    messages = " ".join(e["message"] for e in answer.json()["errors"])
    assert "I99" in messages
    assert not Cycle.objects.exists()


def test_others_may_not_create_or_move_cycles(users):
    client = Client()
    assert _post(client, "/api/v1/cycles", _body()).status_code == 401
    coordinator = _basic(users[Role.CITY_COORDINATOR])
    assert _post(client, "/api/v1/cycles", _body(), **coordinator).status_code == 403
    cycle = cycle_make(Cycle.State.DRAFT)
    moved = _post(
        client, f"/api/v1/cycles/{cycle.pk}/transition", {"action": "open_call"}, **coordinator
    )
    assert moved.status_code == 403


def test_opening_without_thresholds_answers_409_with_the_reason(users):
    cycle = cycle_make(Cycle.State.DRAFT, level2_threshold=None)
    answer = _post(
        Client(), f"/api/v1/cycles/{cycle.pk}/transition", {"action": "open_call"},
        HTTP_ACCEPT_LANGUAGE="en", **_basic(users[Role.NATIONAL_COUNCIL]),
    )  # fmt: skip
    assert answer.status_code == 409
    assert any("threshold" in reason for reason in answer.json()["reasons"])


def test_recognitions_lists_current_ones_and_all_with_history(geography):
    from meirim.geography.models import Municipality

    town = Municipality.objects.get(code=TOWN)
    cycle = cycle_make(Cycle.State.CLOSED)
    Recognition.objects.create(
        municipality=town, cycle=cycle, level=Level.L1,
        granted_on=today() - 10 * DAY, expires_on=today() + 700 * DAY,
    )  # fmt: skip
    Recognition.objects.create(
        municipality=town, cycle=cycle, level=Level.L2,
        granted_on=today() - 1500 * DAY, expires_on=today() - 40 * DAY,
    )  # fmt: skip
    current = Client().get("/api/v1/recognitions").json()
    assert current == [
        {
            "municipality": TOWN,
            "level": "L1",
            "granted_on": str(today() - 10 * DAY),
            "expires_on": str(today() + 700 * DAY),
            "cycle": cycle.pk,
        }
    ]
    everything = Client().get("/api/v1/recognitions?all=1").json()
    assert [(r["level"], r["state"]) for r in everything] == [("L1", "current"), ("L2", "expired")]
    assert everything[1]["ended_on"] is None


def test_the_programme_status_is_the_full_lifecycle(geography):
    from meirim.geography.models import Municipality

    cycle = cycle_make(Cycle.State.CLOSED)
    Recognition.objects.create(
        municipality=Municipality.objects.get(code=TOWN), cycle=cycle, level=Level.L2,
        granted_on=today() - 10 * DAY, expires_on=today() + 700 * DAY,
    )  # fmt: skip
    answer = Client().get(f"/api/v1/municipalities/{TOWN}/programme").json()
    assert answer["status"] == "RECOGNISED_L2"
