"""The city's Phase 2 pages through HTTP: refusals shown in the reader's language, nothing
typed lost, the portfolio's drawn sections, submission and the frozen view."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from meirim.accounts.models import Role
from meirim.catalogue.models import CatalogueItem
from meirim.catalogue.selectors import published_version
from meirim.geography.models import Municipality
from meirim.recognition.models import (
    Application,
    CriterionEvidence,
    PortfolioAttachment,
    PortfolioSnapshot,
    RecognitionPortfolio,
)
from tests.recognition.factories import (
    ALL_COMMITMENTS,
    TOWN,
    application_make,
    cycle_make,
    group_make,
    phase1_feedback_received,
    today,
)
from tests.recognition.test_city_services import fill_indicators

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(geography, catalogue):
    return Municipality.objects.get(code=TOWN)


@pytest.fixture
def coordinator(users):
    client = Client()
    client.force_login(users[Role.CITY_COORDINATOR])
    return client


def _eoi_data(**overrides):
    data = {
        "commitments": list(ALL_COMMITMENTS),
        "signatory": "Нурлан Абенов",
        "signatory_position": "Аким города",
        "signed_on": today().isoformat(),
    }
    data.update(overrides)
    return data


def test_city_home_lists_open_calls_and_applications(town, coordinator):
    cycle = cycle_make(name="Цикл 2026")
    response = coordinator.get(f"/ru/recognition/{TOWN}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Цикл 2026" in text
    with override("ru"):
        assert date_format(cycle.eoi_deadline, "DATE_FORMAT") in text
    assert "K1" in text


def test_apply_shows_the_commitments_in_the_readers_language(town, coordinator):
    phase1_feedback_received(town)
    cycle = cycle_make()
    item = CatalogueItem.objects.get(version=published_version(), list="A", code="A1")
    response = coordinator.get(f"/kk/recognition/{TOWN}/apply/{cycle.pk}/")
    assert response.status_code == 200
    assert item.name_kk in response.content.decode()


def test_apply_refused_for_a_missing_commitment_keeps_what_was_typed(town, coordinator):
    phase1_feedback_received(town)
    cycle = cycle_make()
    data = _eoi_data(commitments=[c for c in ALL_COMMITMENTS if c != "A4"])
    response = coordinator.post(f"/ru/recognition/{TOWN}/apply/{cycle.pk}/", data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Подтвердите каждое обязательство; не подтверждены: A4." in text
    assert "Нурлан Абенов" in text and "Аким города" in text
    assert 'value="A1" checked' in text or "checked" in text
    assert not Application.objects.exists()


def test_apply_refused_after_the_deadline_states_it(town, coordinator):
    phase1_feedback_received(town)
    deadline = today() - datetime.timedelta(days=2)
    cycle = cycle_make(eoi_deadline=deadline)
    response = coordinator.post(f"/ru/recognition/{TOWN}/apply/{cycle.pk}/", _eoi_data())
    assert response.status_code == 409
    text = response.content.decode()
    with override("ru"):
        deadline_text = date_format(deadline, "DATE_FORMAT")
    # The long Russian date ends in "г.", which ends the sentence too.
    assert f"Срок подачи заявлений о заинтересованности истёк {deadline_text}" in text
    assert f"{deadline_text}." not in text
    assert "Нурлан Абенов" in text
    assert not Application.objects.exists()


def test_apply_refused_before_phase1_links_to_the_progress_page(town, coordinator):
    cycle = cycle_make()
    response = coordinator.get(f"/en/recognition/{TOWN}/apply/{cycle.pk}/")
    assert f"/en/preparation/{TOWN}/progress/" in response.content.decode()


def test_apply_with_a_scan_and_download_it(town, coordinator, users):
    phase1_feedback_received(town)
    cycle = cycle_make()
    data = _eoi_data(signed_scan=SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed"))
    response = coordinator.post(f"/en/recognition/{TOWN}/apply/{cycle.pk}/", data)
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/applications/{application.pk}/")
    scan = coordinator.get(f"/en/recognition/{TOWN}/applications/{application.pk}/eoi-scan/")
    assert scan.status_code == 200 and b"".join(scan.streaming_content) == b"%PDF-1.4 signed"
    assert scan["Cache-Control"] == "private, no-store"
    far = Client()
    from tests.factories import user_with_role

    far.force_login(
        user_with_role(Role.CITY_COORDINATOR, "pavlodar", municipality="KZ-PAV-PAVLODAR")
    )
    assert (
        far.get(f"/en/recognition/{TOWN}/applications/{application.pk}/eoi-scan/").status_code
        == 403
    )


def test_an_application_of_another_city_is_not_found(town, coordinator):
    cycle = cycle_make()
    other = application_make(cycle, "KZ-PAV-PAVLODAR")
    response = coordinator.get(f"/en/recognition/{TOWN}/applications/{other.pk}/")
    assert response.status_code == 404


def test_portfolio_page_draws_the_sections_and_saves_the_texts(town, coordinator):
    cycle = cycle_make()
    application = application_make(cycle, town)
    fill_indicators(town, 2025, only=["I01"])
    url = f"/en/recognition/{TOWN}/applications/{application.pk}/portfolio/"
    text = coordinator.get(url).content.decode()
    assert "I01" in text and "I74" in text
    assert f"/en/data/{TOWN}/2025/" in text
    assert "Missing data in the latest year" in text
    response = coordinator.post(url, {"introduction": "Our city.", "impact_summary": "Impact."})
    assert response.status_code == 302
    portfolio = RecognitionPortfolio.objects.get(application=application)
    assert (portfolio.introduction, portfolio.impact_summary) == ("Our city.", "Impact.")


def test_evidence_and_attachments(town, coordinator):
    cycle = cycle_make()
    application = application_make(cycle, town)
    base = f"/en/recognition/{TOWN}/applications/{application.pk}/"
    assert coordinator.post(base + "evidence/", {"K1": "We did it.", "K2": ""}).status_code == 302
    assert CriterionEvidence.objects.get(application=application).statement == "We did it."
    refused = coordinator.post(
        base + "attachments/",
        {
            "action": "add",
            "kind": "photo",
            "title": "Playground opening",
            "criterion": "K2",
            "file": SimpleUploadedFile("x.exe", b"MZ"),
        },
    )
    assert refused.status_code == 400
    assert "Playground opening" in refused.content.decode()
    assert "not accepted" in refused.content.decode()
    added = coordinator.post(
        base + "attachments/",
        {
            "action": "add",
            "kind": "photo",
            "title": "Playground opening",
            "criterion": "K2",
            "file": SimpleUploadedFile("photo.jpg", b"\xff\xd8jpeg"),
        },
    )
    assert added.status_code == 302
    item = PortfolioAttachment.objects.get()
    assert item.criterion.code == "K2"
    download = coordinator.get(base + f"attachments/{item.pk}/")
    assert download.status_code == 200


def test_submit_refused_lists_the_missing_then_succeeds_and_is_frozen(town, coordinator, users):
    phase1_feedback_received(town)
    cycle = cycle_make()
    application = application_make(cycle, town)
    base = f"/en/recognition/{TOWN}/applications/{application.pk}/"
    refused = coordinator.post(base + "submit/", follow=True)
    text = refused.content.decode()
    assert "The portfolio cannot be submitted yet" in text
    assert "I01, I02" in text
    assert "Write the portfolio" in text
    fill_indicators(town, 2025)
    coordinator.post(base + "portfolio/", {"introduction": "Our city."})
    coordinator.post(base + "evidence/", {"K1": "One.", "K2": "Two."})
    group_make(town)
    coordinator.post(
        base + "attachments/",
        {"action": "add", "kind": "report", "title": "Survey", "criterion": "",
         "file": SimpleUploadedFile("survey.pdf", b"%PDF-1.4")},
    )  # fmt: skip
    done = coordinator.post(base + "submit/")
    assert done.status_code == 302 and done["Location"].endswith("/snapshots/1/")
    page = coordinator.get(done["Location"]).content.decode()
    assert "Our city." in page and "Two." in page
    attachment = PortfolioAttachment.objects.get()
    assert f'{base}attachments/{attachment.pk}/">Survey</a>' in page
    snapshot = PortfolioSnapshot.objects.get()
    assert snapshot.content["introduction"] == "Our city."
    # Edits are refused after the submission; nothing changes the frozen copy.
    coordinator.post(base + "portfolio/", {"introduction": "Changed."})
    snapshot.refresh_from_db()
    assert snapshot.content["introduction"] == "Our city."
    assert "Changed." not in coordinator.get(done["Location"]).content.decode()


def test_a_reapplication_shows_what_changed(town, coordinator):
    earlier = cycle_make(name="2024", starts_on=today() - datetime.timedelta(days=800))
    old = application_make(earlier, town, state=Application.State.DECIDED)
    PortfolioSnapshot.objects.create(
        application=old,
        number=1,
        content={"introduction": "Before.", "criteria": [{"code": "K1", "statement": "Old"}]},
        submitted_at=timezone.now(),
    )
    cycle = cycle_make()
    current = application_make(cycle, town, state=Application.State.PORTFOLIO_SUBMITTED)
    PortfolioSnapshot.objects.create(
        application=current,
        number=1,
        content={"introduction": "After.", "criteria": [{"code": "K1", "statement": "New"}]},
        submitted_at=timezone.now(),
    )
    text = coordinator.get(
        f"/en/recognition/{TOWN}/applications/{current.pk}/snapshots/1/"
    ).content.decode()
    assert "What changed since the previous portfolio" in text
    assert "Before." in text and "After." in text and "K1" in text


def test_readiness_page(town, coordinator):
    cycle = cycle_make()
    application = application_make(cycle, town)
    text = coordinator.get(
        f"/ru/recognition/{TOWN}/applications/{application.pk}/readiness/"
    ).content.decode()
    assert "K1" in text and "K2" in text
    assert f"/ru/preparation/{TOWN}/participation/evidence/" in text


def test_withdraw_page(town, coordinator):
    cycle = cycle_make()
    application = application_make(cycle, town)
    url = f"/en/recognition/{TOWN}/applications/{application.pk}/"
    assert coordinator.post(url, {"action": "withdraw"}).status_code == 302
    application.refresh_from_db()
    assert application.state == Application.State.WITHDRAWN
