"""The daily task of the registry (R-6.10, R-6.11): statuses past their expiry are ended, and
the city and the council are told 90 and 30 days ahead — each notice exactly once; then the
reminders ahead of the cycles' deadlines (``meirim.recognition.reminders``).

``recognition_daily`` schedules its own next run for the next day (``run_after``); the
management command ``recognition_schedule`` enqueues the first run. The registry's pages do
not depend on it: they filter by dates.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from meirim.accounts.models import Role, RoleAssignment
from meirim.common import audit
from meirim.common.i18n import mail_language
from meirim.recognition.models import Level, Recognition
from meirim.recognition.reminders import reminders_send

log = logging.getLogger(__name__)

NOTICES = ((90, "notice_90_sent_at"), (30, "notice_30_sent_at"))
#: The hour (local time) at which the daily run happens.
RUN_HOUR = 3


def _addresses(recognition: Recognition) -> list[str]:
    people = RoleAssignment.objects.filter(
        Q(role=Role.NATIONAL_COUNCIL)
        | Q(role=Role.CITY_COORDINATOR, municipality_id=recognition.municipality_id)
    )
    return sorted({a.user.email for a in people.select_related("user") if a.user.email})


def _notice(recognition: Recognition, days: int) -> tuple[str, str, None, list[str]] | None:
    addresses = _addresses(recognition)
    if not addresses:
        return None
    municipality = recognition.municipality
    language = mail_language(municipality.country)
    with translation.override(language):
        level = _("Level 2") if recognition.level == Level.L2 else _("Level 1")
        subject = _("%(municipality)s: the recognition expires in %(days)s days") % {
            "municipality": municipality,
            "days": days,
        }
        body = _(
            "The recognition of %(municipality)s as a child-friendly city (%(level)s) expires "
            "on %(date)s. To keep a status, the city applies in an open cycle before then."
        ) % {
            "municipality": municipality,
            "level": level,
            "date": date_format(recognition.expires_on, "DATE_FORMAT"),
        }
    return (subject, body, None, addresses)


def daily_run(today: datetime.date | None = None) -> dict[str, int]:
    """End expired statuses and send the notices that are due; what was done, counted."""
    today = today or timezone.localdate()
    done = {"expired": 0, "notice_90": 0, "notice_30": 0}
    mail: list[tuple[str, str, None, list[str]]] = []
    with transaction.atomic():
        expired = Recognition.objects.select_for_update().filter(
            expires_on__lte=today, ended_on__isnull=True
        )
        for recognition in expired:
            recognition.ended_on = recognition.expires_on
            recognition.end_reason = Recognition.End.EXPIRED
            recognition.save(update_fields=["ended_on", "end_reason"])
            audit.record(
                actor=None,
                action="recognition.recognition.expire",
                obj=recognition,
                changes={"ended_on": recognition.ended_on.isoformat(), "end_reason": "expired"},
            )
            done["expired"] += 1
        for days, field in NOTICES:
            due = (
                Recognition.objects.select_for_update()
                .select_related("municipality")
                .filter(
                    ended_on__isnull=True,
                    expires_on__gt=today,
                    expires_on__lte=today + datetime.timedelta(days=days),
                    **{f"{field}__isnull": True},
                )
            )
            for recognition in due:
                # A status found within 30 days has missed the 90-day notice: only the
                # nearer one is sent, and the other is marked so that it never follows.
                if days == 90 and recognition.expires_on <= today + datetime.timedelta(days=30):
                    continue
                now = timezone.now()
                setattr(recognition, field, now)
                fields = [field]
                if days == 30 and recognition.notice_90_sent_at is None:
                    recognition.notice_90_sent_at = now
                    fields.append("notice_90_sent_at")
                recognition.save(update_fields=fields)
                message = _notice(recognition, days)
                audit.record(
                    actor=None,
                    action=f"recognition.recognition.notice_{days}",
                    obj=recognition,
                    changes={"expires_on": recognition.expires_on.isoformat(),
                             "recipients": len(message[3]) if message else 0},
                )  # fmt: skip
                if message:
                    mail.append(message)
                done[f"notice_{days}"] += 1
        if mail:
            transaction.on_commit(lambda: send_mass_mail(mail))
    return done


def next_run_at(now: datetime.datetime | None = None) -> datetime.datetime:
    """Tomorrow at :data:`RUN_HOUR`, local time (aware)."""
    local = timezone.localtime(now or timezone.now())
    tomorrow = local.date() + datetime.timedelta(days=1)
    return timezone.make_aware(
        datetime.datetime.combine(tomorrow, datetime.time(RUN_HOUR)), local.tzinfo
    )


TASK_PATH = "meirim.recognition.tasks.recognition_daily"


def pending_runs() -> int:
    """Runs of the daily task waiting in the database queue."""
    return DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.READY).count()


def schedule(run_after: datetime.datetime | None = None) -> bool:
    """Enqueue a run unless one is already waiting; whether one was enqueued. Only a backend
    that can defer (the database one) keeps the daily chain going."""
    backend = recognition_daily.get_backend()
    if not backend.supports_defer:
        return False
    if isinstance(backend, DatabaseBackend) and pending_runs():
        return False
    recognition_daily.using(run_after=run_after or next_run_at()).enqueue()
    return True


@task()
def recognition_daily() -> dict[str, Any]:
    """The daily run (expiry, notices, deadline reminders), then the next day's run."""
    done = daily_run()
    done["reminders"] = reminders_send()
    log.info("recognition daily run: %s", done)
    schedule()
    return done
