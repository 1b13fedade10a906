"""R-8.1: a community report's text never reaches anyone but the national council and the
city's own group. With a sent report whose every text carries a marker, every page of the
site (the recognition namespace with the report's objects, every other route as the access
matrix calls it), every API GET operation, the audit list and the mail outbox are
fetched as every other role; the marker never appears. The council member and the group
member do read it, and each of their reads is audited."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from meirim.accounts.models import Role
from meirim.common.models import AuditEvent
from meirim.recognition import confidential, reviews
from meirim.recognition.models import CommunityGroupMember, SiteVisit
from tests.factories import user_with_role
from tests.recognition.factories import TOWN, group_make
from tests.recognition.test_review_setup import (
    MARKER,
    first_file,
    group_member_make,
    report_send,
    submitted_application,
)

pytestmark = pytest.mark.django_db

OTHERS = [
    "anonymous",
    "no_role",
    "national_admin",
    "reviewer",
    "region_officer",
    "city_coordinator",
    "department_head",
    "other_city_member",
    "far_coordinator",
]


def _recognition_routes():
    for pattern in get_resolver().url_patterns:
        if not isinstance(pattern, URLResolver):
            continue
        for inner in pattern.url_patterns:
            if isinstance(inner, URLResolver) and inner.namespace == "recognition":
                for route in inner.url_patterns:
                    if isinstance(route, URLPattern) and route.name:
                        yield route


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.fixture
def world(users, catalogue, django_capture_on_commit_callbacks):
    for user in users.values():
        user.email = f"{user.username}@example.org"
        user.save()
    application = submitted_application()
    group_make(TOWN, user=users["community_group"])
    reviews.reviewer_assign(
        application=application, username="reviewer", actor=users["national_council"]
    )
    assignment = application.review_assignments.get()
    reviews.conflict_declare(
        assignment=assignment, conflict=False, note="", actor=users["reviewer"]
    )
    reviews.scores_save(
        assignment=assignment,
        scores=[reviews.ScoreIn("K1", 3, "fine"), reviews.ScoreIn("K2", 1, "weak")],
        actor=users["reviewer"],
    )
    visit = SiteVisit.objects.create(
        application=application, visited_on=application.signed_on, members="A", findings="B"
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = report_send(application, users["community_group"])
    application.refresh_from_db()
    member = CommunityGroupMember.objects.get(user=users["community_group"])
    people = {
        **users,
        "anonymous": None,
        "other_city_member": group_member_make("pav-member", "KZ-PAV-PAVLODAR"),
        "far_coordinator": user_with_role(
            Role.CITY_COORDINATOR, "far-coordinator", municipality="KZ-PAV-PAVLODAR"
        ),
    }
    values = {
        "municipality": TOWN,
        "application": application.pk,
        "cycle": application.cycle_id,
        "member": member.pk,
        "visit": visit.pk,
        "file": first_file(report).pk,
        "number": 1,
    }
    return {"application": application, "report": report, "people": people, "values": values}


def _page_urls(values):
    """Every page of the recognition namespace with the report's own objects, and every other
    named page of the site as the access matrix calls it (the city's public page, the home
    page, the personal page, Phase 1, the results…)."""
    from tests.accounts.test_access_table import SAMPLES

    urls = []
    with translation.override("en"):
        for route in _recognition_routes():
            names = re.findall(r"<(?:\w+:)?(\w+)>", str(route.pattern))
            kwargs = {name: values.get(name, 1) for name in names}
            urls.append(reverse(f"recognition:{route.name}", kwargs=kwargs))
        for name, (kwargs, query, _town, methods) in SAMPLES.items():
            if name.startswith("recognition:") or "get" not in methods:
                continue
            urls.append(reverse(name, kwargs=kwargs) + (f"?{query}" if query else ""))
    return urls


def _api_urls(client, application_id):
    schema = client.get("/api/v1/openapi.json").json()
    parameters = {"id": application_id, "code": TOWN, "municipality": TOWN, "year": 2025,
                  "indicator": "I01"}  # fmt: skip
    urls = []
    for path, operations in schema["paths"].items():
        if "get" in operations:
            urls.append(re.sub(r"\{(\w+)\}", lambda m: str(parameters.get(m.group(1), 1)), path))
    return urls


@pytest.mark.parametrize("who", OTHERS)
def test_no_trace_of_the_report_for_anyone_else(world, who, client):
    person = world["people"][who]
    caller = Client()
    if person is not None:
        caller.force_login(person)
    urls = [
        *_page_urls(world["values"]),
        *_api_urls(client, world["application"].pk),
        "/en/audit/",
        "/en/admin/",
        "/en/admin/recognition/",
    ]
    assert any("community-report" in url for url in urls)
    for url in urls:
        response = caller.get(url)
        assert MARKER not in _body(response), (who, url)
        if "community-report" in url and person is not None:
            assert response.status_code == 404, (who, url, response.status_code)
    assert (
        not AuditEvent.objects.filter(
            action=confidential.READ_ACTION, actor=person if person else None
        )
        .exclude(actor=None)
        .exists()
    )
    for message in mail.outbox:
        assert MARKER not in message.subject + message.body
    for row in AuditEvent.objects.all():
        assert MARKER not in str(row.changes) + row.object_label


@pytest.mark.parametrize("who", ["national_council", "community_group"])
def test_the_council_and_the_group_read_it_and_each_read_is_audited(world, who):
    person = world["people"][who]
    caller = Client()
    caller.force_login(person)
    values = world["values"]
    before = AuditEvent.objects.filter(action=confidential.READ_ACTION, actor=person).count()
    with translation.override("en"):
        page = reverse(
            "recognition:community_report",
            kwargs={"municipality": TOWN, "application": values["application"]},
        )
        download = reverse(
            "recognition:community_report_file",
            kwargs={"municipality": TOWN, "application": values["application"],
                    "file": values["file"]},
        )  # fmt: skip
    reads = [page, f"/api/v1/applications/{values['application']}/community-report", download]
    if who == "national_council":
        with translation.override("en"):
            reads.append(
                reverse(
                    "recognition:review",
                    kwargs={"municipality": TOWN, "application": values["application"]},
                )
            )
    for n, url in enumerate(reads, start=1):
        response = caller.get(url)
        assert response.status_code == 200, url
        assert MARKER in _body(response), url
        after = AuditEvent.objects.filter(action=confidential.READ_ACTION, actor=person)
        assert after.count() == before + n, url
        assert all(row.changes == {} for row in after)
