"""Absolute session lifetime, password-reset rate limits, lockout behind a proxy."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from meirim.accounts.middleware import LOGIN_TIME_KEY
from tests.conftest import PASSWORD
from tests.factories import UserFactory


@pytest.fixture
def person(db):
    return UserFactory(username="amina", email="amina@example.org")


def _login(client: Client) -> None:
    response = client.post("/en/accounts/login/", {"username": "amina", "password": PASSWORD})
    assert response.status_code == 302


def _age_session(client: Client, seconds: float) -> None:
    session = client.session
    session[LOGIN_TIME_KEY] = session[LOGIN_TIME_KEY] - seconds
    session.save()


# --- absolute session lifetime -------------------------------------------------------------


def test_an_active_session_ends_after_the_absolute_lifetime(client: Client, person):
    _login(client)
    assert client.get("/en/accounts/me/").status_code == 200
    _age_session(client, settings.SESSION_MAX_SECONDS - 60)
    # Still within the limit, and active: the idle timeout alone would keep it alive.
    assert client.get("/en/accounts/me/").status_code == 200
    _age_session(client, 120)
    response = client.get("/en/accounts/me/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/en/accounts/me/").status_code == 302


def test_logging_in_again_starts_a_new_lifetime(client: Client, person, settings):
    settings.SESSION_MAX_SECONDS = 3600
    _login(client)
    _age_session(client, 4000)
    assert client.get("/en/accounts/me/").status_code == 302
    _login(client)
    assert time.time() - client.session[LOGIN_TIME_KEY] < 60
    assert client.get("/en/accounts/me/").status_code == 200


# --- password-reset rate limits -------------------------------------------------------------


def _reset(client: Client, email: str, address: str = "198.51.100.7"):
    return client.post(
        "/en/accounts/password/reset/", {"email": email}, REMOTE_ADDR=address, follow=False
    )


def test_password_reset_mails_to_one_address_are_limited_per_hour(client: Client, person):
    limit = settings.PASSWORD_RESET_LIMIT
    answers = [_reset(client, "amina@example.org", f"203.0.113.{i}") for i in range(limit + 3)]
    assert len(mail.outbox) == limit
    # Every answer is the same: nothing tells whether the account exists or the limit is hit.
    assert {(r.status_code, r["Location"]) for r in answers} == {
        (302, "/en/accounts/password/reset/sent/")
    }
    unknown = _reset(client, "nobody@example.org", "203.0.113.200")
    assert (unknown.status_code, unknown["Location"]) == (302, "/en/accounts/password/reset/sent/")


def test_password_reset_requests_from_one_client_are_limited_per_hour(client: Client, db):
    limit = settings.PASSWORD_RESET_LIMIT
    for i in range(limit + 2):
        UserFactory(username=f"u{i}", email=f"u{i}@example.org")
    answers = [_reset(client, f"u{i}@example.org") for i in range(limit + 2)]
    assert len(mail.outbox) == limit
    assert {r.status_code for r in answers} == {302}
    # Another client is not affected.
    _reset(client, "u0@example.org", address="192.0.2.50")
    assert len(mail.outbox) == limit + 1


# --- lockout and the client address ---------------------------------------------------------


def _fail(client: Client, remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post("/en/accounts/login/", {"username": "amina", "password": "wrong"}, **extra)


def test_the_client_address_is_remote_addr_unless_a_proxy_is_declared(person, settings):
    attacker = Client()
    for i in range(settings.AXES_FAILURE_LIMIT + 2):
        # A new forged address each time would escape a lockout keyed on the header.
        response = _fail(attacker, "198.51.100.9", forwarded=f"10.0.0.{i}")
    assert response.status_code == 429
    # The lockout is for the attacker's address and user name, not for the user everywhere.
    owner = Client()
    response = owner.post(
        "/en/accounts/login/",
        {"username": "amina", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    assert response.status_code == 302

    # Behind a declared proxy the address comes from the header the proxy sets.
    settings.PROXY_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.PROXY_COUNT = 1
    proxy = "10.0.0.2"
    attacker = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        # The client prepends forged entries; the proxy appends the address it saw.
        response = _fail(attacker, proxy, forwarded=f"172.16.0.{i}, 198.51.100.77")
    assert response.status_code == 429
    # Someone else behind the same proxy is not locked out.
    owner = Client()
    response = owner.post(
        "/en/accounts/login/",
        {"username": "amina", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="192.0.2.10",
    )
    assert response.status_code == 302
