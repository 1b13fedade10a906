"""Public comments follow the rules of children's suggestions: personal data held and
removed from the public text, nothing about the writer's connection stored, a daily limit."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.forms.models import model_to_dict
from django.test import Client

from meirim.common.models import AuditEvent
from meirim.portfolio import services
from meirim.portfolio.models import PublicComment
from tests.factories import user_with_role
from tests.portfolio import builders

pytestmark = pytest.mark.django_db

TOWN = builders.TOWN
URL = f"/ru/preparation/{TOWN}/portfolio/v1/"
ADDRESS = "198.51.100.23"
AGENT = "Mozilla/5.0 (Linux; Android 9; cheap-phone-model-X1)"
PHONE = "+7 701 123 45 67"


@pytest.fixture
def submitted(geography, catalogue):
    for each in caches.all():
        each.clear()
    town = builders.town()
    builders.complete(town)
    services.portfolio_submit(municipality=town, actor=None)
    return town


def _send(text: str, name: str = "") -> PublicComment:
    writer = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT)
    response = writer.post(URL, {"action": "comment", "author_name": name, "text": text})
    assert response.status_code == 302
    return PublicComment.objects.latest("pk")


def test_a_comment_with_a_phone_is_held_and_published_only_without_it(submitted, users):
    comment = _send(f"Больше площадок во дворах! Звоните {PHONE}", name="Мама из 5 мкр")
    assert comment.state == "held"
    assert PHONE not in comment.public_text and "Больше площадок во дворах!" in comment.public_text
    public = Client()
    assert "Больше площадок" not in public.get(URL).content.decode()
    # The city's coordinator moderates: sees what was written and what would be public.
    coordinator = Client()
    coordinator.force_login(users["city_coordinator"])
    page = coordinator.get(URL).content.decode()
    assert PHONE in page and comment.public_text in page
    response = coordinator.post(
        URL, {"action": "moderate", "comment": comment.pk, "state": "published"}
    )
    assert response.status_code == 302
    page = public.get(URL).content.decode()
    assert "Больше площадок во дворах!" in page
    assert PHONE not in page
    assert "Мама из 5 мкр" in page  # the name the writer chose to give


def test_a_plain_comment_waits_for_a_moderator(submitted):
    comment = _send("Сделайте больше кружков робототехники.")
    assert comment.state == "pending"
    assert comment.public_text == comment.text


def test_nothing_about_the_writers_connection_is_stored(submitted):
    comment = _send("Нужен свет в парке у школы.")
    stored = " ".join(str(v) for v in model_to_dict(comment).values())
    for event in AuditEvent.objects.filter(object_type__icontains="comment"):
        stored += " " + " ".join(str(v) for v in model_to_dict(event).values())
    assert ADDRESS not in stored
    assert AGENT not in stored and "cheap-phone" not in stored
    # The audit row says a comment was written, never what it says.
    event = AuditEvent.objects.get(action="portfolio.comment_add")
    assert "свет" not in str(event.changes)


def test_another_citys_coordinator_cannot_moderate(submitted):
    comment = _send("Больше скамеек.")
    other = user_with_role(
        "city_coordinator", "pavlodar-coordinator", municipality="KZ-PAV-PAVLODAR"
    )
    client = Client()
    client.force_login(other)
    response = client.post(URL, {"action": "moderate", "comment": comment.pk, "state": "published"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.state == "pending"
