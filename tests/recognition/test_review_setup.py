"""Building blocks shared by the review's tests (no tests here): a submitted application with
its frozen portfolio, a linked group member, a sent community report."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from meirim.accounts.models import Role
from meirim.recognition import groups
from meirim.recognition.models import (
    Application,
    CommunityReport,
    CommunityReportFile,
    Cycle,
    PortfolioSnapshot,
)
from tests.factories import user_with_role
from tests.recognition.factories import TOWN, application_make, cycle_make, group_make

MARKER = "ZQX-CONFIDENTIAL-7731"


def snapshot_make(application: Application) -> PortfolioSnapshot:
    criteria = [
        {"code": c.code, "name": {"en": c.name_en}, "statement": f"The city's claim for {c.code}",
         "attachments": []}
        for c in application.cycle.criteria.all()
    ]  # fmt: skip
    return PortfolioSnapshot.objects.create(
        application=application,
        number=1,
        submitted_at=application.portfolio_submitted_at or timezone.now(),
        content={
            "schema": 1,
            "municipality": {"code": application.municipality.code, "name": {}},
            "cycle": {"id": application.cycle_id, "name": application.cycle.name},
            "introduction": "Our city's introduction",
            "criteria": criteria,
            "attachments": [],
        },
    )


def submitted_application(
    municipality: str = TOWN, *, cycle: Cycle | None = None, days_ago: int = 0, **cycle_fields: Any
) -> Application:
    """An application whose portfolio was submitted ``days_ago`` days ago, with a snapshot."""
    cycle = cycle or cycle_make(Cycle.State.APPLICATIONS_CLOSED, **cycle_fields)
    application = application_make(
        cycle,
        municipality,
        Application.State.PORTFOLIO_SUBMITTED,
        portfolio_submitted_at=timezone.now() - datetime.timedelta(days=days_ago),
    )
    snapshot_make(application)
    return application


def group_member_make(username: str, municipality: str = TOWN, **fields: Any) -> Any:
    user = user_with_role(Role.COMMUNITY_GROUP, username, municipality=municipality, **fields)
    group_make(municipality, user=user)
    return user


def report_send(
    application: Application, member: Any, marker: str = MARKER, *, send: bool = True
) -> CommunityReport:
    codes = list(application.cycle.criteria.values_list("code", flat=True))
    report = groups.report_save(
        application=application,
        actor=member,
        text=f"Our view {marker}",
        verdicts=[
            groups.VerdictIn(code, "disagree" if i else "partly", f"comment {marker}")
            for i, code in enumerate(codes)
        ],
        files=[(f"file {marker}", ContentFile(f"content {marker}".encode(), name="view.txt"))],
        send=send,
    )
    return report


def first_file(report: CommunityReport) -> CommunityReportFile:
    found = report.files.first()
    assert found is not None
    return found
