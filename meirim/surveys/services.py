"""Writing surveys: upload, publish, close, record an answer, import a CSV export."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meirim.accounts import access
from meirim.accounts.models import NATIONAL_ROLES
from meirim.common import audit
from meirim.facilities.models import Facility
from meirim.geography.models import Municipality
from meirim.planning.models import Action
from meirim.surveys import answers as answering
from meirim.surveys import importing, xlsform
from meirim.surveys.models import Survey, SurveyResponse


class Refused(Exception):
    """A translated reason why the change cannot be made."""


def may_manage_national(user: Any) -> bool:
    """Council and national administrators manage the national surveys."""
    return any(
        assignment.role in NATIONAL_ROLES
        and assignment.role in access.roles_allowed("surveys.manage")
        for assignment in access.roles_of(user)
    )


def may_manage(user: Any, survey: Survey) -> bool:
    if survey.municipality_id is None:
        return may_manage_national(user)
    return access.may(user, "surveys.manage", survey.municipality)


def _links(
    municipality: Municipality | None, facility: Facility | None, action: Action | None
) -> None:
    if municipality is None and (facility is not None or action is not None):
        raise Refused(_("A national survey cannot evaluate one city's facility or action."))
    if facility is not None and facility.municipality_id != municipality.pk:  # type: ignore[union-attr]
        raise Refused(_("The facility is not one of this city's."))
    if action is not None and action.municipality_id != municipality.pk:  # type: ignore[union-attr]
        raise Refused(_("The action is not one of this city's plan."))


def survey_create(
    *,
    municipality: Municipality | None,
    content: bytes,
    filename: str,
    actor: Any,
    title: str = "",
    facility: Facility | None = None,
    action: Action | None = None,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    is_demo: bool = False,
) -> Survey:
    """A draft survey from an XLSForm file (:class:`xlsform.XLSFormRejected` if it is not
    one the platform can ask; nothing is kept then)."""
    if os.path.splitext(filename)[1].lower() != ".xlsx":
        raise xlsform.XLSFormRejected(
            [xlsform.Problem("", None, "", _("Upload the XLSForm as an .xlsx file."))]
        )
    definition = xlsform.parse_xlsform(content)
    _links(municipality, facility, action)
    if opens_on and closes_on and closes_on < opens_on:
        raise Refused(_("The survey cannot close before it opens."))
    survey = Survey(
        municipality=municipality,
        title=(title.strip() or definition["title"] or filename)[:200],
        definition=definition,
        facility=facility,
        action=action,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor,
        is_demo=is_demo,
    )
    with transaction.atomic():
        survey.xlsform.save(os.path.basename(filename), ContentFile(content), save=False)
        try:
            survey.save()
            audit.record(
                actor=actor,
                action="surveys.create",
                obj=survey,
                changes={"title": survey.title, "questions": len(definition["questions"])},
            )
        except Exception:
            survey.xlsform.delete(save=False)
            raise
    return survey


def _transition(survey: Survey, *, actor: Any, source: str, target: str, verb: str) -> Survey:
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if locked.state != source:
            raise Refused(
                _("This cannot be done while the survey is “%(state)s”.")
                % {"state": locked.get_state_display()}
            )
        locked.state = target
        locked.save(update_fields=["state"])
        audit.record(
            actor=actor,
            action=f"surveys.{verb}",
            obj=locked,
            changes={"state": [source, target]},
        )
    return locked


def survey_publish(survey: Survey, *, actor: Any) -> Survey:
    return _transition(
        survey, actor=actor, source=Survey.State.DRAFT, target=Survey.State.OPEN, verb="publish"
    )


def survey_close(survey: Survey, *, actor: Any) -> Survey:
    return _transition(
        survey, actor=actor, source=Survey.State.OPEN, target=Survey.State.CLOSED, verb="close"
    )


def accepting_answers(survey: Survey, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    if survey.state != Survey.State.OPEN:
        return False
    if survey.opens_on and today < survey.opens_on:
        return False
    return not (survey.closes_on and today > survey.closes_on)


def answered_in(survey: Survey, municipality: Municipality) -> bool:
    """A city survey is answered in its city; a national one in any."""
    return survey.municipality_id in (None, municipality.pk)


def response_record(
    survey: Survey, *, municipality: Municipality, raw: dict[str, Any]
) -> SurveyResponse:
    """One anonymous response: only the answers, the city and the day (no time, no sender).
    ValidationError with the problems by question."""
    if not accepting_answers(survey):
        raise Refused(_("This survey is not open for answers."))
    if not answered_in(survey, municipality):
        raise Refused(_("This survey is not asked in this city."))
    clean, problems = answering.clean_all(survey.definition, raw)
    if problems:
        raise ValidationError({p.question: [p.message] for p in problems})
    if not clean:
        raise ValidationError({"answers": [_("Answer at least one question.")]})
    return SurveyResponse.objects.create(
        survey=survey,
        municipality=municipality,
        answers=clean,
        received_on=timezone.localdate(),
        source=SurveyResponse.Source.WEB,
    )


def responses_import(
    survey: Survey, *, municipality: Municipality, content: bytes, actor: Any
) -> int:
    """Every row of a KoBo/ODK CSV export, or none (:class:`importing.ImportRefused`)."""
    if survey.state == Survey.State.DRAFT:
        raise Refused(_("Publish the survey before importing answers."))
    if not answered_in(survey, municipality):
        raise Refused(_("This survey is not asked in this city."))
    rows = importing.parse_csv(survey.definition, content)
    today = timezone.localdate()
    with transaction.atomic():
        SurveyResponse.objects.bulk_create(
            SurveyResponse(
                survey=survey,
                municipality=municipality,
                answers=row,
                received_on=today,
                source=SurveyResponse.Source.IMPORT,
            )
            for row in rows
        )
        audit.record(
            actor=actor,
            action="surveys.import",
            obj=survey,
            changes={"municipality": municipality.code, "responses": len(rows)},
        )
    return len(rows)
