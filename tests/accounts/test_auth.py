"""Log in, log out, lockout after failed logins, password reset by e-mail, session timeout."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from meirim.accounts.services import user_create
from meirim.common.models import AuditEvent
from tests.conftest import PASSWORD


@pytest.fixture
def person(db):
    return user_create(username="amina", password=PASSWORD, email="amina@example.org", actor=None)


def test_login_and_logout(client: Client, person):
    response = client.post("/en/accounts/login/", {"username": "amina", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/en/accounts/me/"
    assert client.get("/en/accounts/me/").status_code == 200
    client.post("/en/accounts/logout/")
    assert client.get("/en/accounts/me/").status_code == 302


def test_repeated_failed_logins_lock_the_account(client: Client, person):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/en/accounts/login/", {"username": "amina", "password": "wrong"})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post("/en/accounts/login/", {"username": "amina", "password": PASSWORD})
    assert response.status_code == 429
    assert client.get("/en/accounts/me/").status_code == 302


def test_password_reset_by_email(client: Client, person):
    client.post("/en/accounts/password/reset/", {"email": "amina@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    new = "another-long-password-77"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    fresh = Client()
    login = fresh.post("/en/accounts/login/", {"username": "amina", "password": new})
    assert login.status_code == 302


def test_password_change(client: Client, person):
    client.force_login(person)
    new = "changed-long-password-88"
    response = client.post(
        "/en/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(new)


def test_session_expires_after_idle_time(client: Client, person):
    client.force_login(person)
    client.get("/en/accounts/me/")
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert 0 < client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE


@pytest.mark.django_db
def test_writes_through_services_are_audited(person):
    event = AuditEvent.objects.get(action="accounts.user_create")
    assert event.object_label == "amina" and event.actor_label == "system"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "workspace"),
    [
        ("city_coordinator", "/en/voice/KZ-AKM-KOKSHETAU/moderation/"),
        ("department_head", "/en/voice/KZ-AKM-KOKSHETAU/moderation/"),
        ("protection_officer", "/en/voice/KZ-AKM-KOKSHETAU/safeguarding/"),
        ("city_coordinator", "/en/surveys/KZ-AKM-KOKSHETAU/"),
    ],
)
def test_the_personal_page_links_to_the_childrens_voice_workspaces(users, role, workspace):
    # These pages were linked from nowhere: a protection officer could not find the concerns.
    client = Client()
    client.force_login(users[role])
    assert f'href="{workspace}"' in client.get("/en/accounts/me/").content.decode()
    assert client.get(workspace).status_code == 200
    # Nobody is offered a workspace the access table refuses them.
    client.force_login(users["community_group"])
    assert f'href="{workspace}"' not in client.get("/en/accounts/me/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["kk", "ru", "ky"])
def test_the_personal_page_is_translated_for_every_role(users, lang):
    from django.utils import translation

    from meirim.accounts.menu import MENU

    with translation.override("en"):
        english = {str(entry.label) for entry in MENU}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        body = client.get(f"/{lang}/accounts/me/").content.decode()
        assert f'<html lang="{lang}">' in body
        left = [text for text in english if text.replace("'", "&#x27;") in body]
        assert not left, (role, left)
