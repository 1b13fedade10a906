"""The one door to the community group's confidential report (R-8.1, R-2.23).

Only national-council members and the members of that city's community group read a report,
its verdicts and its files: a group member holds the ``community_group`` role for the city,
is linked to a :class:`CommunityGroupMember` row of the city's group and holds no
city-administration role (coordinator, department head) there. Every read goes through
:func:`report_for`, which writes an audit row without any of the report's content.
Everyone else is answered as if there were no report at all (404), never 403.
"""

from __future__ import annotations

from typing import Any

from meirim.accounts import access
from meirim.accounts.models import Role
from meirim.common import audit
from meirim.geography.models import Municipality
from meirim.recognition.models import (
    Application,
    CommunityGroupMember,
    CommunityReport,
    CommunityReportFile,
)

READ_ACTION = "recognition.community_report.read"
CITY_ADMINISTRATION = (Role.CITY_COORDINATOR, Role.DEPARTMENT_HEAD)


def is_council_member(user: Any) -> bool:
    return any(a.role == Role.NATIONAL_COUNCIL for a in access.roles_of(user))


def is_city_staff(user: Any, municipality: Municipality) -> bool:
    """Does ``user`` hold a city-administration role for ``municipality``?"""
    return any(
        a.role in CITY_ADMINISTRATION and a.municipality_id == municipality.pk
        for a in access.roles_of(user)
    )


def is_group_member(user: Any, municipality: Municipality) -> bool:
    """A linked member of the city's group, with the role there and no city-staff role."""
    if not getattr(user, "is_authenticated", False):
        return False
    has_role = any(
        a.role == Role.COMMUNITY_GROUP and a.municipality_id == municipality.pk
        for a in access.roles_of(user)
    )
    if not has_role or is_city_staff(user, municipality):
        return False
    return CommunityGroupMember.objects.filter(group__municipality=municipality, user=user).exists()


def may_read(user: Any, application: Application) -> bool:
    return is_council_member(user) or is_group_member(user, application.municipality)


def may_write(user: Any, application: Application) -> bool:
    """Only the group's own members write (and send) its report."""
    return is_group_member(user, application.municipality)


def report_for(user: Any, application: Application) -> CommunityReport | None:
    """The report on ``application`` as ``user`` may read it, or None (not allowed, none
    written, or — for a council member — not sent yet). Every read is audited, with no
    content in the row."""
    if not may_read(user, application):
        return None
    report = CommunityReport.objects.filter(application=application).first()
    if report is None:
        return None
    if report.submitted_at is None and not is_group_member(user, application.municipality):
        return None
    audit.record(actor=user, action=READ_ACTION, obj=report, changes={})
    return report


def file_for(user: Any, application: Application, file_id: int) -> CommunityReportFile | None:
    report = report_for(user, application)
    if report is None:
        return None
    return report.files.filter(pk=file_id).first()
