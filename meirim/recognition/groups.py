"""Services of the community group (R-2.19–2.22, R-8.2) and of its confidential report's
writing (R-8.1). Audit rows of the report carry no text: the fact, and counts at most."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meirim.accounts.models import Role, RoleAssignment
from meirim.common import audit
from meirim.common.i18n import mail_language
from meirim.common.workflow import NotAllowed
from meirim.geography.models import Municipality
from meirim.recognition import confidential
from meirim.recognition.models import (
    Application,
    CommunityGroup,
    CommunityGroupMember,
    CommunityReport,
    CommunityReportFile,
    CommunityVerdict,
    Criterion,
    Cycle,
)
from meirim.recognition.review_flow import Invalid

YOUNG = (CommunityGroupMember.Kind.CHILD, CommunityGroupMember.Kind.YOUNG_PERSON)


def group_of(municipality: Municipality) -> CommunityGroup | None:
    return CommunityGroup.objects.filter(municipality=municipality).first()


def has_young_member(municipality: Municipality) -> bool:
    """Does the city's group count a child or a young person (R-2.19)?"""
    return CommunityGroupMember.objects.filter(
        group__municipality=municipality, kind__in=YOUNG
    ).exists()


def group_save(
    *, municipality: Municipality, formed_on: datetime.date, actor: Any
) -> CommunityGroup:
    with transaction.atomic():
        group, created = CommunityGroup.objects.get_or_create(
            municipality=municipality, defaults={"formed_on": formed_on}
        )
        if not created and group.formed_on != formed_on:
            group.formed_on = formed_on
            group.save(update_fields=["formed_on"])
        audit.record(
            actor=actor,
            action="recognition.group.save",
            obj=group,
            changes={"formed_on": formed_on.isoformat()},
        )
    return group


def member_problems(
    *, municipality: Municipality, username: str, member: CommunityGroupMember | None = None
) -> tuple[Any, list[str]]:
    """The account ``username`` names (None for none) and why it cannot be linked."""
    username = username.strip()
    if not username:
        return None, []
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return None, [_("There is no account “%(username)s”.") % {"username": username}]
    roles = RoleAssignment.objects.filter(user=user, municipality=municipality)
    problems = []
    if roles.filter(role__in=confidential.CITY_ADMINISTRATION).exists():
        problems.append(
            _(
                "“%(username)s” is registered as city-administration staff of %(city)s: "
                "the community group may not include city-administration staff."
            )
            % {"username": username, "city": municipality.name}
        )
    elif not roles.filter(role=Role.COMMUNITY_GROUP).exists():
        problems.append(
            _(
                "“%(username)s” does not hold the community group member role for %(city)s; "
                "give the account that role first."
            )
            % {"username": username, "city": municipality.name}
        )
    taken = CommunityGroupMember.objects.filter(group__municipality=municipality, user=user)
    if member is not None:
        taken = taken.exclude(pk=member.pk)
    if taken.exists():
        problems.append(
            _("“%(username)s” is already linked to a member of the group.") % {"username": username}
        )
    return user, problems


def member_save(
    *,
    municipality: Municipality,
    values: dict[str, Any],
    username: str,
    actor: Any,
    member: CommunityGroupMember | None = None,
) -> CommunityGroupMember:
    """Add or change a member; :class:`NotAllowed` with the reasons (R-2.19: no
    city-administration staff; a linked account holds the group role for the city)."""
    group = group_of(municipality)
    if group is None:
        raise NotAllowed([_("Record the group (the date it was formed) first.")])
    user, problems = member_problems(municipality=municipality, username=username, member=member)
    if problems:
        raise NotAllowed(problems)
    with transaction.atomic():
        if member is None:
            member = CommunityGroupMember(group=group)
        for name, value in values.items():
            setattr(member, name, value)
        member.user = user
        member.save()
        # Members' names are personal data of children: the audit row keeps only the kind.
        audit.record(
            actor=actor,
            action="recognition.group.member_save",
            obj=group,
            changes={"member": member.pk, "kind": member.kind, "linked": user is not None},
        )
    return member


def member_remove(*, member: CommunityGroupMember, actor: Any) -> None:
    with transaction.atomic():
        group = member.group
        pk = member.pk
        member.delete()
        audit.record(
            actor=actor, action="recognition.group.member_remove", obj=group, changes={"member": pk}
        )


def criteria_endorse(*, municipality: Municipality, cycle: Cycle, actor: Any) -> CommunityGroup:
    """D-9: the group endorses the cycle's published criteria."""
    group = group_of(municipality)
    if group is None:
        raise NotAllowed([_("Record the group (the date it was formed) first.")])
    if not cycle.criteria_frozen:
        raise NotAllowed([_("The cycle's criteria are not published yet.")])
    with transaction.atomic():
        group.criteria_endorsed_at = timezone.now()
        group.save(update_fields=["criteria_endorsed_at"])
        audit.record(
            actor=actor,
            action="recognition.group.criteria_endorse",
            obj=group,
            changes={"cycle": cycle.pk},
        )
    return group


# --- The report (writing) ---------------------------------------------------------------


@dataclass(frozen=True)
class VerdictIn:
    criterion: str
    verdict: str
    comment: str


def report_save(
    *,
    application: Application,
    actor: Any,
    text: str,
    verdicts: Iterable[VerdictIn],
    files: Iterable[tuple[str, Any]] = (),
    send: bool = False,
) -> CommunityReport:
    """Save the group's draft (``send``: and send it to the council). Refused once sent,
    to anyone but a member of the city's group, and before the portfolio is submitted."""
    if not confidential.may_write(actor, application):
        raise NotAllowed([_("Only the members of the city's community group write its report.")])
    if application.portfolio_submitted_at is None or application.state not in (
        Application.State.PORTFOLIO_SUBMITTED,
        Application.State.UNDER_REVIEW,
    ):
        raise NotAllowed([_("The report can be written once the city's portfolio is submitted.")])
    verdicts = list(verdicts)
    criteria = {c.code: c for c in Criterion.objects.filter(cycle=application.cycle)}
    problems = []
    unknown = sorted({v.criterion for v in verdicts} - set(criteria))
    if unknown:
        problems.append(_("Unknown criteria: %(codes)s") % {"codes": ", ".join(unknown)})
    bad = sorted({v.verdict for v in verdicts} - set(CommunityVerdict.Verdict.values))
    if bad:
        problems.append(_("Unknown verdicts: %(codes)s") % {"codes": ", ".join(bad)})
    if not text.strip():
        problems.append(_("Write the report."))
    if problems:
        raise Invalid(problems)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        report = CommunityReport.objects.filter(application=locked).first()
        if report is not None and report.submitted_at is not None:
            raise NotAllowed([_("The report was sent; it can no longer be changed.")])
        if report is None:
            report = CommunityReport(application=locked)
        report.text = text
        if send:
            report.submitted_at = timezone.now()
            report.submitted_by = audit.acting_user(actor)
        report.save()
        for item in verdicts:
            CommunityVerdict.objects.update_or_create(
                report=report,
                criterion=criteria[item.criterion],
                defaults={"verdict": item.verdict, "comment": item.comment},
            )
        for title, upload in files:
            CommunityReportFile.objects.create(report=report, title=title, file=upload)
        # No text, no verdicts: the fact only.
        audit.record(
            actor=actor,
            action="recognition.community_report.send"
            if send
            else "recognition.community_report.save",
            obj=report,
            changes={},
        )
        if send:
            locked.community_report_received_at = report.submitted_at
            locked.save(update_fields=["community_report_received_at"])
            transaction.on_commit(lambda: _tell_received(locked))
    return report


def _tell_received(application: Application) -> None:
    """After the report is sent: the council hears that it arrived (a link, no content);
    the city's coordinators only that the council received it."""
    municipality = application.municipality
    language = mail_language(municipality.country)
    council = RoleAssignment.objects.filter(role=Role.NATIONAL_COUNCIL).select_related("user")
    coordinators = RoleAssignment.objects.filter(
        role=Role.CITY_COORDINATOR, municipality=municipality
    ).select_related("user")
    messages = []
    with translation.override(language):
        link = reverse(
            "recognition:review",
            kwargs={"municipality": municipality.code, "application": application.pk},
        )
        subject = _("A community report was received for %(city)s") % {"city": municipality.name}
        body = _(
            "A community report was received for %(city)s (%(cycle)s). Read it on the "
            "platform: %(link)s"
        ) % {"city": municipality.name, "cycle": application.cycle.name, "link": link}
        for address in sorted({a.user.email for a in council if a.user.email}):
            messages.append((subject, body, None, [address]))
        city_subject = _("The council received the community group's report")
        city_body = _(
            "The national council received the community group's report on the application "
            "of %(city)s (%(cycle)s)."
        ) % {"city": municipality.name, "cycle": application.cycle.name}
        for address in sorted({a.user.email for a in coordinators if a.user.email}):
            messages.append((city_subject, city_body, None, [address]))
    if messages:
        send_mass_mail(messages)
