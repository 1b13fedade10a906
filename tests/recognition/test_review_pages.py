"""The review part's pages, through HTTP: the group, the report (404 to others, sent
read-only), reviewers, conflicts, scores, site visits, the side by side and the decision."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from meirim.accounts.models import Role
from meirim.recognition import reviews
from meirim.recognition.models import (
    Application,
    CommunityGroup,
    CommunityReport,
    PortfolioAttachment,
    Recognition,
    ReviewAssignment,
    SiteVisit,
)
from tests.factories import role_give, user_with_role
from tests.recognition.factories import TOWN, group_make
from tests.recognition.test_review_setup import MARKER, report_send, submitted_application

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _app_url(application, tail: str) -> str:
    return f"/en/recognition/{application.municipality.code}/applications/{application.pk}/{tail}"


def test_group_page_records_the_group_and_refuses_city_staff(users):
    client = _as(users["city_coordinator"])
    url = f"/en/recognition/{TOWN}/group/"
    assert client.get(url).status_code == 200
    client.post(url, {"form": "group", "formed_on": "2026-01-10"})
    assert CommunityGroup.objects.get().formed_on == datetime.date(2026, 1, 10)
    role_give(users["department_head"], Role.COMMUNITY_GROUP, municipality=TOWN)
    response = client.post(
        url,
        {"form": "member", "name": "Asel", "kind": "child", "username": "department_head"},
        follow=True,
    )
    assert "registered as city-administration staff" in response.content.decode()
    assert 'value="Asel"' in response.content.decode()  # nothing lost on a refused form
    response = client.post(
        url,
        {"form": "member", "name": "Asel", "kind": "child", "username": "community_group"},
        follow=True,
    )
    page = response.content.decode()
    assert "Includes children or young people" in page and "Asel" in page
    # Members' names are never public: the group page needs a role.
    assert Client().get(url).status_code == 302


def test_the_group_member_reads_the_copy_and_sends_the_report(users):
    application = submitted_application()
    group_make(TOWN, user=users["community_group"])
    client = _as(users["community_group"])
    copy = client.get(_app_url(application, "group-copy/"))
    assert copy.status_code == 200
    page = copy.content.decode()
    assert "The city&#x27;s claim for K1" in page and "Aruzhan S." in page
    assert "is expected by" in page
    url = _app_url(application, "community-report/")
    form = {
        "text": f"We see it differently {MARKER}",
        "verdict_K1": "partly",
        "comment_K1": "Only in the centre",
        "verdict_K2": "disagree",
        "comment_K2": "",
        "file_title": "Photos",
        "file": SimpleUploadedFile("photos.pdf", b"%PDF-1.4 photos"),
    }
    client.post(url, {**form, "save": "1"})
    report = CommunityReport.objects.get()
    assert report.submitted_at is None and report.files.count() == 1
    response = client.post(url, {**form, "file": "", "send": "1"}, follow=True)
    assert "sent to the national council" in response.content.decode()
    report.refresh_from_db()
    assert report.submitted_at is not None and report.verdicts.count() == 2
    page = client.get(url).content.decode()
    assert "<textarea" not in page and MARKER in page
    client.post(url, {**form, "text": "changed", "send": "1"})
    report.refresh_from_db()
    assert MARKER in report.text


def test_the_group_downloads_the_portfolio_attachments(users):
    application = submitted_application()
    group_make(TOWN, user=users["community_group"])
    attachment = PortfolioAttachment.objects.create(
        application=application,
        kind="photo",
        title="Playground",
        file=SimpleUploadedFile("playground.txt", b"a playground"),
    )
    snapshot = application.snapshots.get()
    snapshot.content["attachments"] = [
        {"id": attachment.pk, "kind": "photo", "title": "Playground", "criterion": None}
    ]
    snapshot.save()
    copy = _as(users["community_group"]).get(_app_url(application, "group-copy/")).content
    url = _app_url(application, f"group-copy/attachments/{attachment.pk}/")
    assert url.encode() in copy
    response = _as(users["community_group"]).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"a playground"
    assert _as(users["city_coordinator"]).get(url).status_code == 403


def test_others_get_404_on_the_report_page_never_403(users):
    application = submitted_application()
    group_make(TOWN, user=users["community_group"])
    report_send(application, users["community_group"])
    for key in ("city_coordinator", "department_head", "reviewer", "national_admin", "no_role"):
        response = _as(users[key]).get(_app_url(application, "community-report/"))
        assert response.status_code == 404, key
    assert (
        _as(users["national_council"]).get(_app_url(application, "community-report/")).status_code
        == 200
    )
    # A group-role holder who is not a linked member: 404 too.
    stranger = user_with_role(Role.COMMUNITY_GROUP, "unlinked", municipality=TOWN)
    assert _as(stranger).get(_app_url(application, "community-report/")).status_code == 404
    assert _as(stranger).get(_app_url(application, "group-copy/")).status_code == 404


def test_reviewers_conflict_scores_and_the_side_by_side(users):
    application = submitted_application(disagreement_points=2)
    council = _as(users["national_council"])
    council.post(_app_url(application, "reviewers/"), {"reviewer": "reviewer"})
    application.refresh_from_db()
    assert application.state == Application.State.UNDER_REVIEW
    reviewer = _as(users["reviewer"])
    assert reviewer.get("/en/recognition/reviews/").status_code == 200
    scores = {"score_K1": "4", "comment_K1": "Strong", "evidence_K1": "Annex",
              "score_K2": "1", "comment_K2": "Weak", "evidence_K2": ""}  # fmt: skip
    page = reviewer.post(_app_url(application, "score/"), scores, follow=True).content.decode()
    assert "Declare first whether you have a conflict of interest" in page
    reviewer.post(_app_url(application, "conflict/"), {"conflict": "no", "note": ""})
    reviewer.post(_app_url(application, "score/"), scores)
    # A second reviewer (a council member) scores far apart on K1.
    council.post(_app_url(application, "reviewers/"), {"reviewer": "national_council"})
    assignment = ReviewAssignment.objects.get(reviewer=users["national_council"])
    reviews.conflict_declare(
        assignment=assignment, conflict=False, note="", actor=users["national_council"]
    )
    council.post(_app_url(application, "score/"), {**scores, "score_K1": "1"})
    page = council.get(_app_url(application, "review/")).content.decode()
    assert "Disagreement between reviewers" in page and 'class="disagreement"' in page
    assert "Recommended: not recognised." in page and 'name="level"' in page
    assert "The city&#x27;s claim for K2" in page and "Strong" in page
    # An unassigned reviewer has no score page.
    other = user_with_role(Role.REVIEWER, "other-reviewer")
    assert _as(other).get(_app_url(application, "score/")).status_code == 404


def test_a_declared_conflict_is_shown_blocked(users):
    application = submitted_application()
    _as(users["national_council"]).post(
        _app_url(application, "reviewers/"), {"reviewer": "reviewer"}
    )
    _as(users["reviewer"]).post(
        _app_url(application, "conflict/"), {"conflict": "yes", "note": "Relative"}
    )
    page = (
        _as(users["national_council"])
        .get(f"/en/recognition/cycles/{application.cycle_id}/applications/")
        .content.decode()
    )
    assert "blocked: conflict of interest" in page
    score = _as(users["reviewer"]).get(_app_url(application, "score/")).content.decode()
    assert "blocked from scoring" in score and "<form" not in score.split("</header>")[-1].split(
        "portfolio-h"
    )[0].replace('<form id="language', "")


def test_site_visit_with_a_private_file(users):
    application = submitted_application()
    council = _as(users["national_council"])
    council.post(
        _app_url(application, "visits/"),
        {"visited_on": "2026-03-01", "members": "A. B.", "findings": "Playgrounds visited",
         "file": SimpleUploadedFile("notes.txt", b"notes")},
    )  # fmt: skip
    visit = SiteVisit.objects.get()
    assert visit.findings == "Playgrounds visited"
    url = _app_url(application, f"visits/{visit.pk}/file/")
    assert council.get(url).status_code == 200
    assert _as(users["city_coordinator"]).get(url).status_code == 403


def test_decide_page_refuses_then_decides_level_1(users):
    application = submitted_application()
    council = _as(users["national_council"])
    page = council.get(_app_url(application, "decide/")).content.decode()
    assert "review period runs until" in page
    post = {"level": "L1", "reasons": "Good evidence", "recommendations": "More data",
            "reason_K1": "Strong", "reason_K2": ""}  # fmt: skip
    council.post(_app_url(application, "decide/"), post)
    assert not Recognition.objects.exists()
    application.community_report_received_at = timezone.now()
    application.save()
    page = council.post(_app_url(application, "decide/"), post, follow=True).content.decode()
    assert "The decision was recorded" in page and "valid until" in page
    recognition = Recognition.objects.get()
    assert recognition.level == "L1" and recognition.decision.criterion_reasons.count() == 1
