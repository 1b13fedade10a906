"""What the public sees: the programme API (no draft text), a submitted version open for
comment with moderation, its PDFs, and the status on the municipality's page."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.test import Client

from meirim.geography.models import Municipality
from meirim.portfolio import services
from meirim.portfolio.models import PortfolioDocument, PublicComment
from tests.portfolio import builders

pytestmark = pytest.mark.django_db

TOWN = builders.TOWN
COMMENTS_PER_DAY = 4
DRAFT_TEXT = "Черновик: секретная самооценка"


@pytest.fixture
def town(geography, catalogue):
    return builders.town()


def test_the_programme_api_is_public_and_carries_no_draft_text(town):
    services.portfolio_texts_save(
        municipality=town, introduction=DRAFT_TEXT, self_assessment=DRAFT_TEXT, actor=None
    )
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/api/v1/municipalities/{TOWN}/programme")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "PHASE1_IN_PREPARATION"
    assert [s["step"] for s in body["steps"]] == [f"PH1.S{n}" for n in range(1, 9)]
    s3 = body["steps"][2]
    assert s3 == {
        "step": "PH1.S3",
        "complete": False,
        "missing": ["No year of the city's data is approved."],
    }
    assert DRAFT_TEXT not in response.content.decode()
    other = Client().get("/api/v1/municipalities/KZ-PAV-PAVLODAR/programme").json()
    assert other["status"] == "NOT_ENROLLED"
    assert Client().get("/api/v1/municipalities/XX-NOPE/programme").status_code == 404


def test_drafts_are_never_public(town, users):
    services.portfolio_texts_save(
        municipality=town, introduction=DRAFT_TEXT, self_assessment="", actor=None
    )
    assert Client().get(f"/en/preparation/{TOWN}/portfolio/").status_code == 302
    assert Client().get(f"/en/preparation/{TOWN}/portfolio/v1/").status_code == 404
    assert Client().get(f"/en/preparation/{TOWN}/portfolio/v1/portfolio.pdf").status_code == 404
    page = Client().get(f"/en/municipalities/{TOWN}/").content.decode()
    assert "Phase 1: in preparation" in page
    assert DRAFT_TEXT not in page


def test_public_comments_are_held_for_moderation(town, users):
    builders.complete(town)
    services.portfolio_submit(municipality=town, actor=None)
    url = f"/en/preparation/{TOWN}/portfolio/v1/"
    public = Client()
    response = public.post(url, {"action": "comment", "author_name": "", "text": "Больше парков!"})
    assert response.status_code == 302
    comment = PublicComment.objects.get()
    assert comment.state == "pending"
    assert "Больше парков!" not in public.get(url).content.decode()
    # The council and the city's designated people moderate; a region officer does not.
    officer = Client()
    officer.force_login(users["region_officer"])
    assert (
        officer.post(
            url, {"action": "moderate", "comment": comment.pk, "state": "published"}
        ).status_code
        == 403
    )
    council = Client()
    council.force_login(users["national_council"])
    assert "Больше парков!" in council.get(url).content.decode()
    council.post(url, {"action": "moderate", "comment": comment.pk, "state": "published"})
    comment.refresh_from_db()
    assert comment.state == "published"
    assert "Больше парков!" in public.get(url).content.decode()
    page = public.get(f"/en/municipalities/{TOWN}/").content.decode()
    assert "Phase 1: portfolio submitted" in page
    assert url in page


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("kind", ["portfolio", "part_a", "easy_read"])
def test_a_submitted_version_has_its_pdfs_in_the_readers_language(town, kind):
    builders.complete(town)
    services.portfolio_submit(municipality=town, actor=None)
    response = Client().get(f"/kk/preparation/{TOWN}/portfolio/v1/{kind}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    document = PortfolioDocument.objects.get()
    assert (document.kind, document.language, document.state) == (kind, "kk", "ready")
    assert Municipality.objects.get(code=TOWN).name_kk in _pdf_text(data)
    # Cached: asking again serves the same file without building it again.
    again = Client().get(f"/kk/preparation/{TOWN}/portfolio/v1/{kind}.pdf")
    assert b"".join(again.streaming_content) == data
    assert PortfolioDocument.objects.count() == 1


def test_a_pdf_not_built_yet_shows_a_page_that_reloads(town, settings):
    builders.complete(town)
    version = services.portfolio_submit(municipality=town, actor=None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    response = Client().get(f"/ru/preparation/{TOWN}/portfolio/v1/part_a.pdf")
    assert response.status_code == 200
    assert '<meta http-equiv="refresh"' in response.content.decode()
    assert PortfolioDocument.objects.get(version=version).state == "pending"
    assert Client().get(f"/ru/preparation/{TOWN}/portfolio/v1/other.pdf").status_code == 404


def test_a_flood_of_comments_from_one_address_is_refused_politely(town, users, settings):
    settings.VOICE_DAILY_LIMITS = {"comment": COMMENTS_PER_DAY}
    builders.complete(town)
    services.portfolio_submit(municipality=town, actor=None)
    url = f"/ru/preparation/{town.code}/portfolio/v1/"
    public = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(COMMENTS_PER_DAY):
        response = public.post(url, {"action": "comment", "text": f"Комментарий {number}"})
        assert response.status_code == 302
    refused = public.post(url, {"action": "comment", "text": "Ещё один"})
    assert refused.status_code == 429
    assert "Пожалуйста, приходите завтра" in refused.content.decode()
    assert PublicComment.objects.count() == COMMENTS_PER_DAY
    # Another address is not affected.
    other = Client(REMOTE_ADDR="203.0.113.10")
    assert other.post(url, {"action": "comment", "text": "Другой житель"}).status_code == 302
