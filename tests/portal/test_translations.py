"""Account, admin and audit pages are fully translated in kk, ru and ky.

Django and django-axes do not ship complete Kazakh and Kyrgyz catalogues, so the project
carries the missing entries in ``locale_overrides/``. These tests render the pages people
see (as the national administrator where a login is needed) and check two things: that no
known English phrase is left on them, and that every message looked up while rendering them
has an entry in the page's own language (a Kyrgyz page must not fall back to Kazakh or English).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import trans_real

from tests.conftest import PASSWORD

LANGS = ["kk", "ru", "ky"]

# Phrases of Django's and django-axes' own pages that testers found in English.
ENGLISH = [
    "Please enter a correct",
    "Password reset",
    "Your password can’t be too similar",
    "Your password must contain",
    "can’t be entirely numeric",
    "This field is required",
    "Select ",
    "to change",
    "Save and add another",
    "Save and continue editing",
    "Log out",
    "Change password",
    "Filter",
    "Action:",
    "Add ",
    "Delete",
    "Recent actions",
    "Site administration",
    "Enter the same password",
    "Old password",
    "New password",
    "Password confirmation",
    "Username",
    "Password",
    "Email",
    "Search",
    "View site",
    "Welcome,",
    "Are you sure",
    "(wording)",
    "(judgement)",
]


def _visible_text(html: str) -> str:
    """The text a reader sees: no tags, scripts, styles or attribute values."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"(?s)<[^>]*>", " ", html)


class MessageLog:
    """Every message looked up in the active language that has no entry in that language."""

    def __init__(self) -> None:
        self.missing: set[tuple[str, str]] = set()

    def note(self, translation_object: Any, key: Any) -> None:
        language = translation_object.language()
        if language not in LANGS or language != translation.get_language():
            return
        message = str(key[0] if isinstance(key, tuple) else key)
        if re.search("[\u0400-\u04ff]", message):
            # Text already in the page's language passed through gettext again (the language
            # names of {% get_available_languages %}, the admin's model names): not a message.
            return
        if message and translation_object._catalog.get(key) is None:
            self.missing.add((language, message.replace("\x04", " | context: ")))


@pytest.fixture
def message_log(monkeypatch: pytest.MonkeyPatch) -> Iterator[MessageLog]:
    log = MessageLog()
    original_gettext = trans_real.DjangoTranslation.gettext
    original_ngettext = trans_real.DjangoTranslation.ngettext

    def gettext(self: Any, message: str) -> str:
        log.note(self, message)
        return original_gettext(self, message)

    def ngettext(self: Any, msgid1: str, msgid2: str, n: int) -> str:
        log.note(self, (msgid1, 0))
        return original_ngettext(self, msgid1, msgid2, n)

    monkeypatch.setattr(trans_real.DjangoTranslation, "gettext", gettext)
    monkeypatch.setattr(trans_real.DjangoTranslation, "ngettext", ngettext)
    yield log


Page = tuple[str, str]  # (what, visible text)


def _get(client: Client, url: str, what: str, **data: Any) -> Page:
    response = client.get(url, data, follow=True)
    assert response.status_code == 200, (what, url, response.status_code)
    return what, _visible_text(response.content.decode())


def _post(client: Client, url: str, what: str, data: dict[str, Any]) -> Page:
    response = client.post(url, data, follow=True)
    assert response.status_code == 200, (what, url, response.status_code)
    return what, _visible_text(response.content.decode())


def account_pages(client: Client, lang: str, user: Any) -> list[Page]:
    login = f"/{lang}/accounts/login/"
    pages = [
        _get(client, login, "login"),
        _post(client, login, "login, wrong password", {"username": user.username, "password": "x"}),
        _post(client, login, "login, empty form", {"username": "", "password": ""}),
    ]
    reset = f"/{lang}/accounts/password/reset/"
    pages += [
        _get(client, reset, "password reset"),
        _post(client, reset, "password reset, bad email", {"email": "not-an-address"}),
        _post(client, reset, "password reset, sent", {"email": "someone@example.org"}),
    ]
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    confirm = f"/{lang}/accounts/password/reset/{uid}/{token}/"
    response = client.get(confirm)
    set_password = response["Location"]
    pages += [
        _get(client, set_password, "password reset, new password"),
        _post(
            client,
            set_password,
            "password reset, weak new password",
            {"new_password1": "12345", "new_password2": "54321"},
        ),
        _post(
            client,
            set_password,
            "password reset, common password",
            {"new_password1": user.username, "new_password2": user.username},
        ),
        _get(client, f"/{lang}/accounts/password/reset/MQ/bad-token/", "password reset, bad link"),
        _get(client, f"/{lang}/accounts/password/reset/complete/", "password reset, complete"),
    ]
    client.force_login(user)
    change = f"/{lang}/accounts/password/change/"
    pages += [
        _get(client, change, "password change"),
        _post(
            client,
            change,
            "password change, errors",
            {"old_password": "wrong", "new_password1": "password", "new_password2": "password"},
        ),
        _post(
            client,
            change,
            "password change, numeric",
            {"old_password": PASSWORD, "new_password1": "83749261", "new_password2": "83749261"},
        ),
        _get(client, f"/{lang}/accounts/password/change/done/", "password change, done"),
        _get(client, f"/{lang}/audit/", "audit log"),
    ]
    return pages


def _request_of(user: Any) -> HttpRequest:
    request = HttpRequest()
    request.user = user
    return request


def admin_pages(client: Client, lang: str, user: Any) -> list[Page]:
    client.force_login(user)
    base = f"/{lang}/admin/"
    pages = [_get(client, base, "admin index")]
    for model in admin.site._registry:
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        changelist = f"/{lang}/" + changelist.split("/", 2)[2]
        pages.append(_get(client, changelist, f"admin {meta.model_name} list"))
        pages.append(_get(client, changelist, f"admin {meta.model_name} search", q="zz"))
        if admin.site._registry[model].has_add_permission(_request_of(user)):
            pages.append(_get(client, changelist + "add/", f"admin {meta.model_name} add"))
    users = f"/{lang}/admin/accounts/user/"
    pages += [
        _get(client, users, "admin users, filtered", is_staff__exact="1"),
        _post(
            client,
            users + "add/",
            "admin add user, errors",
            {"username": "", "password1": "1234", "password2": "12345"},
        ),
        _get(client, f"{users}{user.pk}/change/", "admin user change"),
        _get(client, f"{users}{user.pk}/password/", "admin user password"),
        _get(client, f"{users}{user.pk}/history/", "admin user history"),
        _get(client, f"{users}{user.pk}/delete/", "admin user delete"),
        _post(
            client,
            users,
            "admin users, delete action",
            {"action": "delete_selected", "_selected_action": [user.pk]},
        ),
        _post(client, users, "admin users, no selection", {"action": "delete_selected"}),
        _get(client, f"/{lang}/admin/common/auditevent/", "admin audit log"),
    ]
    return pages


def _english_on(pages: list[Page]) -> list[str]:
    found = []
    for what, text in pages:
        for phrase in ENGLISH:
            if phrase in text:
                at = text.index(phrase)
                found.append(f"{what}: {phrase!r} in …{' '.join(text[at - 40 : at + 60].split())}…")
    return found


PAGE_SETS: dict[str, Callable[[Client, str, Any], list[Page]]] = {
    "accounts": account_pages,
    "admin": admin_pages,
}


@pytest.mark.django_db
@pytest.mark.parametrize("pages", sorted(PAGE_SETS))
@pytest.mark.parametrize("lang", LANGS)
def test_no_english_left_on_account_and_admin_pages(
    client: Client, users, catalogue, message_log, lang, pages
):
    rendered = PAGE_SETS[pages](client, lang, users["national_admin"])
    assert _english_on(rendered) == []
    assert sorted(message_log.missing) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "kk",
            "пайдаланушы аты мен құпиясөзді дұрыс енгізіңіз. "
            "Екі өрісте де бас және кіші әріптердің ажыратылатынын ескеріңіз.",
        ),
        (
            "ky",
            "колдонуучу аты жана сырсөздү туура киргизиңиз. "
            "Эки талаада тең баш жана кичине тамгалар айырмаланарын эске алыңыз.",
        ),
    ],
)
def test_login_error_is_wholly_in_the_page_language(client: Client, users, lang, expected):
    response = client.post(
        f"/{lang}/accounts/login/",
        {"username": users["national_admin"].username, "password": "wrong"},
    )
    body = response.content.decode()
    assert expected in body
    assert "Please enter" not in body and "password" not in _visible_text(body)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("kk", "Бөлгіш дереккөзде көрсетілмеген"),
        ("ru", "Знаменатель в источнике не указан"),
        ("ky", "Бөлүүчү булакта көрсөтүлгөн эмес"),
        ("en", "Denominator not stated in the source"),
    ],
)
def test_indicator_page_shows_note_and_direction_basis_in_the_page_language(
    client: Client, catalogue, lang, note
):
    body = client.get(f"/{lang}/catalogue/{catalogue.code}/indicators/I01/").content.decode()
    text = _visible_text(body)
    assert note in text
    assert "(wording)" not in text and "(judgement)" not in text
    with translation.override(lang):
        assert translation.gettext("follows from the indicator's wording") in body
    if lang != "en":
        assert "Denominator not stated" not in text
