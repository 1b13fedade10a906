"""Comments on a published decision summary: anonymous or signed, held when they carry
personal data, published redacted by the city's people or the council, limited per day."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.forms.models import model_to_dict
from django.test import Client
from django.utils import timezone

from meirim.common.models import AuditEvent
from meirim.recognition.decisions import decide
from meirim.recognition.models import Application, DecisionComment
from tests.factories import user_with_role
from tests.recognition.factories import TOWN, application_make, cycle_make

pytestmark = pytest.mark.django_db

ADDRESS = "198.51.100.77"
AGENT = "Mozilla/5.0 (cheap-phone-Z9)"


@pytest.fixture
def decided(geography, catalogue, users):
    for each in caches.all():
        each.clear()
    cycle = cycle_make()
    application = application_make(
        cycle, TOWN, Application.State.UNDER_REVIEW, community_report_received_at=timezone.now()
    )
    decide(
        application=application,
        level="L1",
        reasons="Хорошая работа",
        actor=user_with_role("national_council", "council-comments"),
    )
    return application


def _urls(application):
    page = f"/ru/recognition/decisions/{application.pk}/"
    return page, page + "comments/"


def test_a_comment_with_an_email_is_held_and_published_redacted(decided, users):
    page, post = _urls(decided)
    writer = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT)
    assert "Ваш комментарий" in writer.get(page).content.decode()
    response = writer.post(
        post,
        {"text": "Отличное решение! Пишите: aigerim.s@example.kz", "author_name": "Жительница"},
    )
    assert response.status_code == 302
    comment = DecisionComment.objects.get()
    assert comment.state == "held"
    assert "aigerim.s@example.kz" not in comment.public_text
    assert "Отличное решение!" not in writer.get(page).content.decode()
    # Nothing about the writer's connection is stored, and the audit row has no text.
    stored = " ".join(str(v) for v in model_to_dict(comment).values())
    event = AuditEvent.objects.get(action="recognition.comment_add")
    stored += " ".join(str(v) for v in model_to_dict(event).values())
    assert ADDRESS not in stored and "cheap-phone" not in stored
    assert "Отличное" not in str(event.changes)
    # A region officer may not moderate; the city's coordinator may.
    officer = Client()
    officer.force_login(users["region_officer"])
    moderate = {"action": "moderate", "comment": comment.pk, "state": "published"}
    assert officer.post(post, moderate).status_code == 403
    coordinator = Client()
    coordinator.force_login(users["city_coordinator"])
    assert "aigerim.s@example.kz" in coordinator.get(page).content.decode()
    assert coordinator.post(post, moderate).status_code == 302
    body = writer.get(page).content.decode()
    assert "Отличное решение!" in body and "Жительница" in body
    assert "aigerim.s@example.kz" not in body


def test_the_council_moderates_too(decided, users):
    _page, post = _urls(decided)
    Client().post(post, {"text": "Спасибо совету."})
    comment = DecisionComment.objects.get()
    assert comment.state == "pending"
    council = Client()
    council.force_login(users["national_council"])
    council.post(post, {"action": "moderate", "comment": comment.pk, "state": "hidden"})
    comment.refresh_from_db()
    assert comment.state == "hidden"


def test_too_many_comments_from_one_address_get_a_friendly_429(decided, settings):
    settings.VOICE_DAILY_LIMITS = {"comment": 2}
    _page, post = _urls(decided)
    writer = Client(REMOTE_ADDR=ADDRESS)
    for n in range(2):
        assert writer.post(post, {"text": f"Комментарий {n}"}).status_code == 302
    refused = writer.post(post, {"text": "Ещё"})
    assert refused.status_code == 429
    assert "приходите завтра" in refused.content.decode()
    assert DecisionComment.objects.count() == 2
    assert Client(REMOTE_ADDR="198.51.100.78").post(post, {"text": "Другой"}).status_code == 302


def test_no_comment_on_an_undecided_application(geography, catalogue):
    application = application_make(cycle_make(), TOWN)
    assert Client().post(_urls(application)[1], {"text": "Рано"}).status_code == 404
