"""The PDFs of Phase 2: a submitted recognition portfolio and a decision summary, rendered
by WeasyPrint in the reader's language, never carrying the community report."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.test import Client
from django.utils import timezone

from meirim.recognition.models import (
    Application,
    CommunityReport,
    Decision,
    DecisionReason,
    Level,
    PortfolioSnapshot,
    Recognition,
)
from tests.recognition.factories import TOWN, application_make, cycle_make, today

pytestmark = pytest.mark.django_db

SECRET = "SECRET-COMMUNITY-MARKER-7431"


def _text(data: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def _content(application: Application) -> dict:
    return {
        "schema": 1,
        "municipality": {"code": TOWN, "name": {"en": "Kokshetau", "ru": "Кокшетау"}},
        "cycle": {"id": application.cycle_id, "name": application.cycle.name},
        "introduction": "Kokshetau lies between lakes and hills.",
        "index": {"baseline_year": 2021, "latest_year": 2025, "commentary": "", "indicators": []},
        "facilities": {"improvement": "", "users_evaluation": "", "items": []},
        "participation": {"summary": "", "evidence": []},
        "actions": {"summary": "", "items": []},
        "criteria": [],
        "attachments": [],
        "phase1": {"version": None},
    }


@pytest.fixture
def decided(catalogue, users):
    cycle = cycle_make()
    application = application_make(cycle, TOWN, state=Application.State.DECIDED)
    CommunityReport.objects.create(
        application=application, text=SECRET, submitted_at=timezone.now()
    )
    decision = Decision.objects.create(
        application=application,
        level=Level.L1,
        reasons="Устойчивый прогресс по индексу.",
        recommendations="Доступность площадок.",
        decided_on=today(),
    )
    DecisionReason.objects.create(
        decision=decision, criterion=cycle.criteria.get(code="K1"), reason="Цели достигнуты."
    )
    Recognition.objects.create(
        municipality=application.municipality,
        cycle=cycle,
        decision=decision,
        level=Level.L1,
        granted_on=today(),
        expires_on=today().replace(year=today().year + 2),
    )
    PortfolioSnapshot.objects.create(
        application=application,
        number=1,
        content=_content(application),
        submitted_at=timezone.now(),
    )
    return application


def test_the_decision_summary_is_a_public_pdf_in_the_readers_language(decided):
    response = Client().get(f"/ru/recognition/decisions/{decided.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(b"".join(response.streaming_content))
    assert "Устойчивый прогресс по индексу." in text
    assert "Цели достигнуты." in text
    assert "Уровень 1" in text
    assert SECRET not in text


def test_no_decision_no_pdf(catalogue, geography):
    application = application_make(cycle_make(), TOWN)
    assert Client().get(f"/en/recognition/decisions/{application.pk}/pdf/").status_code == 404


def test_the_submitted_portfolio_pdf_is_for_those_who_read_the_application(decided, users):
    url = f"/en/recognition/{TOWN}/applications/{decided.pk}/snapshots/1/pdf/"
    assert Client().get(url).status_code == 302  # to the login page
    coordinator = Client()
    coordinator.force_login(users["city_coordinator"])
    response = coordinator.get(url)
    assert response.status_code == 200
    text = _text(b"".join(response.streaming_content))
    assert "Kokshetau lies between lakes and hills." in text
    assert SECRET not in text
    assert coordinator.get(url.replace("/1/pdf/", "/2/pdf/")).status_code == 404
