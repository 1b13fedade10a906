"""Children's suggestions: the box, the receipt, moderation, safeguarding, the API, privacy."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from meirim.accounts.models import Role
from meirim.common.audit import AuditEvent
from meirim.geography.models import Municipality
from meirim.planning.models import Action
from meirim.voice import receipts
from meirim.voice.models import Suggestion
from tests.factories import user_with_role

TOWN = "KZ-AKM-KOKSHETAU"
FAR = "KZ-PAV-PAVLODAR"
BOX = f"/en/voice/{TOWN}/"
API = f"/api/v1/municipalities/{TOWN}/suggestions"

pytestmark = pytest.mark.django_db


def send(client: Client, text: str, **extra: str):
    return client.post(BOX, {"text": text, **extra})


def receipt_of(response) -> str:
    assert response.status_code == 303, response.status_code
    match = re.search(r"/receipt/([0-9A-Z-]+)/", response["Location"])
    assert match
    return match.group(1)


def api_send(client: Client, body: dict, **meta: str):
    return client.post(API, json.dumps(body), content_type="application/json", **meta)


@pytest.fixture
def town(geography):
    return Municipality.objects.get(code=TOWN)


# --- The box and the receipt --------------------------------------------------------------


def test_a_child_sends_a_message_and_reads_its_receipt(town):
    client = Client()
    page = client.get(BOX)
    assert page.status_code == 200
    assert b"<script" not in page.content
    response = send(
        client, "Please build a skate park near school 7", topic="play", age_band="10_13"
    )
    code = receipt_of(response)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}", code)
    stored = Suggestion.objects.get()
    assert stored.receipt == code.replace("-", "")
    assert (stored.topic, stored.age_band, stored.state) == ("play", "10_13", "new")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert code in page.content.decode()


def test_the_box_refuses_an_empty_or_too_long_message_or_an_unknown_choice(town):
    client = Client()
    for data, field in (
        ({"text": "   "}, "Please write your message."),
        ({"text": "x" * 2001}, "too long"),
        ({"text": "ok", "topic": "nonsense"}, "Please choose a topic from the list."),
        ({"text": "ok", "age_band": "99"}, "Please choose an age from the list."),
    ):
        response = client.post(BOX, data)
        assert response.status_code == 200
        assert field in response.content.decode()
    assert not Suggestion.objects.exists()


def test_the_box_is_narrowed_only_to_the_citys_own_facility_or_action(town):
    action = Action.objects.create(municipality=town, code="1.1.a", title="Skate park")
    far_action = Action.objects.create(
        municipality=Municipality.objects.get(code=FAR), code="1.1.a", title="Elsewhere"
    )
    client = Client()
    assert client.get(f"{BOX}?action={far_action.pk}").status_code == 404
    assert client.get(f"{BOX}?facility=999999").status_code == 404
    page = client.get(f"{BOX}?action={action.pk}&department=Youth+office")
    assert "Skate park" in page.content.decode()
    receipt_of(client.post(f"{BOX}?action={action.pk}&department=Youth+office", {"text": "Yes!"}))
    stored = Suggestion.objects.get()
    assert stored.action == action and stored.department == "Youth office"
    assert Client().get("/en/voice/NO-SUCH-TOWN/").status_code == 404


def test_a_receipt_is_found_however_it_is_typed(town):
    code = receipt_of(send(Client(), "More trees"))
    plain = code.replace("-", "")
    fuzzy = plain.lower().replace("0", "o").replace("1", "l")
    for typed in (code, plain, code.lower(), f" {plain[:5]} {plain[5:]} ", fuzzy):
        response = Client().get("/en/voice/receipt/", {"code": typed})
        assert response.status_code == 302, typed
        assert response["Location"].endswith(f"/receipt/{code}/")
    assert Client().get(f"/en/voice/receipt/{fuzzy}/").status_code == 200
    missing = Client().get("/en/voice/receipt/", {"code": "ZZZZ-ZZZZ-ZZ"})
    assert missing.status_code == 404
    assert "could not find" in missing.content.decode()
    bad = Client().get("/en/voice/receipt/", {"code": "hello"})
    assert "10 letters and numbers" in bad.content.decode()


def test_receipt_codes_are_crockford_and_distinct():
    codes = {receipts.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{10}", c) for c in codes)
    assert receipts.grouped("K7QD4MXA9T") == "K7QD-4MXA-9T"
    assert receipts.normalise("k7qd-4mxa-9t") == "K7QD4MXA9T"
    assert receipts.normalise("OIL0000000") == "0110000000"
    assert receipts.normalise("K7QD-4MXA") is None


def test_a_message_that_looks_personal_is_held_and_public_only_redacted(town, users):
    code = receipt_of(send(Client(), "Call me on +7 701 123 45 67, the yard is dark"))
    stored = Suggestion.objects.get()
    assert stored.state == Suggestion.State.HELD
    assert not Client().get(f"/en/voice/{TOWN}/you-said-we-did/").content.decode().count("dark")
    coordinator = Client()
    coordinator.force_login(users[Role.CITY_COORDINATOR])
    url = f"/en/voice/{TOWN}/moderation/{stored.pk}/"
    form = coordinator.get(url).content.decode()
    assert "701 123 45 67, the yard" not in form.split("public_text")[1]  # prefilled redacted
    assert "[removed]" in form
    assert "a phone number" in form
    response = coordinator.post(
        url,
        {
            "publication": "publish",
            "public_text": "Call me on [removed], the yard is dark",
            "answer": "We will put up lights in the yard.",
            "outcome": "answered",
        },
    )
    assert response.status_code == 302
    public = Client().get(f"/en/voice/{TOWN}/you-said-we-did/").content.decode()
    assert "the yard is dark" in public and "701" not in public
    assert "We will put up lights" in public
    api = Client().get(API).json()
    assert [i["text"] for i in api["items"]] == ["Call me on [removed], the yard is dark"]
    assert "701" not in json.dumps(api)
    receipt_page = Client().get(f"/en/voice/receipt/{code}/").content.decode()
    assert "We will put up lights" in receipt_page


# --- Moderation -----------------------------------------------------------------------------


def test_moderation_tags_answers_and_requires_a_reason_for_cannot(town, users, catalogue):
    receipt_of(send(Client(), "A swimming pool in every yard"))
    stored = Suggestion.objects.get()
    action = Action.objects.create(municipality=town, code="2.1.a", title="Pools")
    client = Client()
    client.force_login(users[Role.DEPARTMENT_HEAD])
    listing = client.get(f"/en/voice/{TOWN}/moderation/")
    assert "A swimming pool" in listing.content.decode()
    assert (
        "A swimming pool"
        not in client.get(f"/en/voice/{TOWN}/moderation/?state=published").content.decode()
    )
    url = f"/en/voice/{TOWN}/moderation/{stored.pk}/"
    refused = client.post(url, {"outcome": "cannot", "answer": "Sorry"})
    assert refused.status_code == 200
    assert "Say why it cannot be done" in refused.content.decode()
    assert Suggestion.objects.get().outcome == ""
    client.post(
        url,
        {
            "tag_topic": "play",
            "linked_action": action.pk,
            "linked_indicator": "I01",
            "outcome": "cannot",
            "outcome_reason": "There is no money for pools this year",
            "answer": "We cannot this year.",
            "internal_note": "Budget office said no. SECRET-NOTE",
        },
    )
    stored.refresh_from_db()
    assert (stored.tag_topic, stored.linked_action, stored.linked_indicator) == (
        "play",
        action,
        "I01",
    )
    assert stored.outcome == "cannot" and stored.answered_on is not None
    event = AuditEvent.objects.filter(action="voice.moderate").get()
    text = json.dumps(event.changes)
    for secret in ("swimming", "SECRET-NOTE", "no money", "We cannot"):
        assert secret not in text
    assert event.changes["outcome"] == "cannot"


def test_moderation_pages_belong_to_the_citys_people(town, users):
    receipt_of(send(Client(), "Hello"))
    stored = Suggestion.objects.get()
    far = user_with_role(Role.CITY_COORDINATOR, "far", municipality=FAR)
    for user, status in (
        (users[Role.CITY_COORDINATOR], 200),
        (users[Role.PROTECTION_OFFICER], 403),
        (far, 403),
    ):
        client = Client()
        client.force_login(user)
        assert client.get(f"/en/voice/{TOWN}/moderation/{stored.pk}/").status_code == status
    client = Client()
    client.force_login(users[Role.CITY_COORDINATOR])
    assert client.get(f"/en/voice/{FAR}/moderation/{stored.pk}/").status_code == 403
    assert Client().get(f"/en/voice/{TOWN}/moderation/").status_code == 302


# --- Safeguarding ---------------------------------------------------------------------------


def test_safeguarding_tells_the_officers_is_never_published_and_shows_the_helpline(
    town, users, django_capture_on_commit_callbacks
):
    officer = user_with_role(
        Role.PROTECTION_OFFICER, "officer2", municipality=TOWN, email="officer@example.org"
    )
    user_with_role(
        Role.PROTECTION_OFFICER, "far-officer", municipality=FAR, email="far@example.org"
    )
    code = receipt_of(send(Client(), "Someone at home hurts me UNIQUE-WORDS"))
    stored = Suggestion.objects.get()
    moderator = Client()
    moderator.force_login(users[Role.CITY_COORDINATOR])
    url = f"/en/voice/{TOWN}/moderation/{stored.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(url, {"safeguarding": "1"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["officer@example.org"]
    assert "UNIQUE-WORDS" not in message.body + message.subject
    assert f"/voice/{TOWN}/safeguarding/#suggestion-{stored.pk}" in message.body
    # A moderator cannot publish it afterwards.
    refused = moderator.post(url, {"publication": "publish", "public_text": "UNIQUE-WORDS"})
    assert "never published" in refused.content.decode()
    Suggestion.objects.filter(pk=stored.pk).update(state="published", public_text="UNIQUE-WORDS")
    for body in (
        Client().get(f"/en/voice/{TOWN}/you-said-we-did/").content.decode(),
        json.dumps(Client().get(API).json()),
    ):
        assert "UNIQUE-WORDS" not in body
    receipt = Client().get(f"/en/voice/receipt/{code}/").content.decode()
    assert "150" in receipt and "helpline" in receipt
    status = Client().get(f"/api/v1/suggestions/{code}").json()
    assert status["status"] == "safeguarding" and status["helpline"] == "150"
    officer_client = Client()
    officer_client.force_login(officer)
    assert "UNIQUE-WORDS" in officer_client.get(f"/en/voice/{TOWN}/safeguarding/").content.decode()
    assert moderator.get(f"/en/voice/{TOWN}/safeguarding/").status_code == 403
    event = AuditEvent.objects.get(action="voice.safeguarding")
    assert "UNIQUE-WORDS" not in json.dumps(event.changes)


def test_a_safeguarding_concern_reaches_only_the_citys_own_people(town, users):
    # Another city's protection officer, the national and regional levels and the community
    # group never read the concern, its internal note or the receipt, on any voice page.
    receipt_of(send(Client(), "Someone at home hurts me CONCERN-7731"))
    stored = Suggestion.objects.get()
    moderator = Client()
    moderator.force_login(users[Role.CITY_COORDINATOR])
    url = f"/en/voice/{TOWN}/moderation/{stored.pk}/"
    moderator.post(url, {"internal_note": "NOTE-7731"})
    moderator.post(url, {"safeguarding": "1"})
    stored.refresh_from_db()
    assert stored.safeguarding and stored.internal_note == "NOTE-7731"
    far_officer = user_with_role(Role.PROTECTION_OFFICER, "far-officer", municipality=FAR)
    others = [
        far_officer,
        *(
            users[role]
            for role in (
                Role.NATIONAL_COUNCIL,
                Role.NATIONAL_ADMIN,
                Role.REVIEWER,
                Role.REGION_OFFICER,
                Role.COMMUNITY_GROUP,
            )
        ),
    ]
    pages = [
        *(
            f"/en/voice/{city}/{page}"
            for city in (TOWN, FAR)
            for page in ("safeguarding/", "moderation/", "moderation/?state=all", "")
        ),
        url,
        f"/en/voice/{FAR}/moderation/{stored.pk}/",
        f"/en/voice/{TOWN}/you-said-we-did/",
        "/en/accounts/me/",
    ]
    for user in others:
        client = Client()
        client.force_login(user)
        for page in pages:
            body = client.get(page).content.decode()
            for secret in ("CONCERN-7731", "NOTE-7731", stored.receipt):
                assert secret not in body, (user.username, page, secret)
    officer = Client()
    officer.force_login(users[Role.PROTECTION_OFFICER])
    assert "CONCERN-7731" in officer.get(f"/en/voice/{TOWN}/safeguarding/").content.decode()


# --- The API --------------------------------------------------------------------------------


def test_the_api_takes_a_message_and_answers_its_status_without_internal_notes(town, users):
    response = api_send(
        Client(enforce_csrf_checks=True), {"text": "Bike lanes", "topic": "transport"}
    )
    assert response.status_code == 201
    code = response.json()["receipt"]
    stored = Suggestion.objects.get()
    stored.internal_note = "INTERNAL-ONLY"
    stored.answer = "We are drawing the lanes."
    stored.outcome = "planned"
    stored.updated_by = users[Role.CITY_COORDINATOR]
    stored.save()
    status = Client().get(f"/api/v1/suggestions/{code.lower()}")
    assert status.status_code == 200
    body = status.json()
    assert body["status"] == "planned" and body["answer"] == "We are drawing the lanes."
    assert body["helpline"] is None
    assert "INTERNAL-ONLY" not in status.content.decode()
    assert "internal_note" not in body and "updated_by" not in body
    assert users[Role.CITY_COORDINATOR].username not in status.content.decode()
    assert Client().get("/api/v1/suggestions/ZZZZZZZZZZ").status_code == 404
    listing = Client().get(API).json()
    assert listing["items"] == []  # not published
    assert "INTERNAL-ONLY" not in json.dumps(listing)


def test_the_api_refuses_bad_messages_and_unknown_cities(town):
    client = Client()
    bad = api_send(client, {"text": "", "topic": "nope"})
    assert bad.status_code == 400
    fields = {e["field"] for e in bad.json()["errors"]}
    assert fields == {"text", "topic"}
    assert api_send(client, {"text": "x" * 2001}).status_code == 400
    missing = client.post(
        "/api/v1/municipalities/NOPE/suggestions",
        json.dumps({"text": "hi"}),
        content_type="application/json",
    )
    assert missing.status_code == 404
    assert not Suggestion.objects.exists()


def test_published_counts_are_suppressed_under_five(town, users):
    for n in range(10):
        receipt_of(send(Client(), f"Message {n}", topic="play" if n < 5 else "school"))
    Suggestion.objects.update(state="published", public_text="x")
    body = Client().get(API).json()
    assert (body["by_topic"]["counts"]["play"], body["by_topic"]["counts"]["school"]) == (5, 5)
    assert body["by_topic"]["total"] == 10
    receipt_of(send(Client(), "One more", topic="health"))
    Suggestion.objects.update(state="published", public_text="x")
    body = Client().get(API).json()
    assert body["by_topic"]["counts"]["health"] is None
    assert "health" in body["by_topic"]["suppressed"]
    page = Client().get(f"/en/voice/{TOWN}/you-said-we-did/").content.decode()
    assert "fewer than 5" in page


# --- Abuse limiting -------------------------------------------------------------------------


def test_over_the_daily_limit_a_friendly_page_and_a_json_429(town, settings):
    settings.VOICE_DAILY_LIMITS = {"suggestion": 2}
    client = Client(REMOTE_ADDR="203.0.113.9")
    receipt_of(send(client, "one"))
    receipt_of(send(client, "two"))
    page = send(client, "three")
    assert page.status_code == 429
    assert "try again tomorrow" in page.content.decode()
    kk = client.post(f"/kk/voice/{TOWN}/", {"text": "four"})
    assert kk.status_code == 429 and '<html lang="kk"' in kk.content.decode()
    api = api_send(client, {"text": "five"}, REMOTE_ADDR="203.0.113.9", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 429 and "tomorrow" in api.json()["detail"]
    assert (
        api_send(Client(), {"text": "other place"}, REMOTE_ADDR="198.51.100.1").status_code == 201
    )
    assert Suggestion.objects.count() == 3


# --- Nothing about the sender is stored -----------------------------------------------------

ADDRESS = "198.51.100.77"
FORWARDED = "203.0.113.250"
AGENT = "DistinctAgent/9.9 (Spyphone; Q7KX)"


def _every_stored_value() -> list[tuple[str, str, str]]:
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - table names from the schema
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is not None:
                        found.append((table, column, str(value)))
    return found


def test_no_stored_row_holds_the_senders_address_or_agent(town, settings):
    settings.PROXY_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.PROXY_COUNT = 1
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT, HTTP_X_FORWARDED_FOR=FORWARDED)
    client.get(BOX)
    response = client.post(BOX, {"text": "A bench by the river", "topic": "streets"})
    code = receipt_of(response)
    client.get(response["Location"])
    api = api_send(
        client,
        {"text": "A slide in the park"},
        REMOTE_ADDR=ADDRESS,
        HTTP_USER_AGENT=AGENT,
        HTTP_X_FORWARDED_FOR=FORWARDED,
    )
    assert api.status_code == 201
    assert Suggestion.objects.count() == 2
    values = _every_stored_value()
    assert any(code.replace("-", "") in value for _t, _c, value in values)  # the scan sees rows
    for needle in (ADDRESS, FORWARDED, AGENT, "Spyphone"):
        leaks = [(t, c) for t, c, value in values if needle in value]
        assert not leaks, (needle, leaks)
    assert set(client.cookies) <= {"csrftoken"}
    assert "sessionid" not in response.cookies and "sessionid" not in api.cookies
    row = Suggestion.objects.values().first()
    assert set(row) >= {"received_on"} and not any(
        name in row for name in ("ip", "address", "user_agent", "created_at")
    )


def test_the_receipt_page_never_shows_the_internal_note_and_the_city_page_links_here(town, users):
    code = receipt_of(send(Client(), "A library open on Sundays"))
    Suggestion.objects.update(internal_note="STAFF-ONLY-NOTE", answer="Yes, from May.")
    page = Client().get(f"/en/voice/receipt/{code}/").content.decode()
    assert "Yes, from May." in page and "STAFF-ONLY-NOTE" not in page
    city = Client().get(f"/en/municipalities/{TOWN}/").content.decode()
    assert f"/en/voice/{TOWN}/you-said-we-did/" in city
    box = Client().get(BOX).content.decode()
    assert f"/en/voice/{TOWN}/you-said-we-did/" in box and "/en/voice/receipt/" in box


def test_the_api_answers_malformed_bodies_with_a_client_error(town):
    client = Client()
    broken = client.post(API, "{not json", content_type="application/json")
    assert broken.status_code in (400, 422)
    wrong_type = client.post(API, json.dumps({"text": ["a"]}), content_type="application/json")
    assert wrong_type.status_code in (400, 422)
    assert not Suggestion.objects.exists()


def test_the_days_count_starts_again_once_its_cache_entry_expires(town, settings):
    settings.VOICE_DAILY_LIMITS = {"suggestion": 1}
    client = Client(REMOTE_ADDR="203.0.113.44")
    assert api_send(client, {"text": "one"}, REMOTE_ADDR="203.0.113.44").status_code == 201
    assert api_send(client, {"text": "two"}, REMOTE_ADDR="203.0.113.44").status_code == 429
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE meirim_cache SET expires = now() - interval '1 minute' WHERE cache_key LIKE %s",
            ["%voice-limit:suggestion:%"],
        )
        assert cursor.rowcount == 1  # one hashed key for the address, nothing else
    assert api_send(client, {"text": "three"}, REMOTE_ADDR="203.0.113.44").status_code == 201
    assert Suggestion.objects.count() == 2
