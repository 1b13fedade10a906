"""The city coordination council (R-2.10–2.13, R-4.1.1) and the governance self-assessment
(Annex 2, G01–G61; R-4.2.x, R-15.x)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meirim.catalogue.models import GovernanceQuestion, GovernanceSection
from meirim.geography.models import Municipality

# --- Coordination council ----------------------------------------------------------------


class CoordinationCouncil(models.Model):
    """A municipality's coordination council for the initiative, with its terms of reference."""

    class ChairRole(models.TextChoices):
        AKIM = "akim", _("Akim")
        DEPUTY_AKIM = "deputy_akim", _("Deputy akim")

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="coordination_council",
        verbose_name=_("municipality"),
    )
    chair_name = models.CharField(_("chair"), max_length=200, blank=True)
    chair_role = models.CharField(
        _("chair's office"), max_length=16, choices=ChairRole.choices, blank=True
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    # Terms of reference: functions, responsibilities, targets, deadlines.
    tor_functions = models.TextField(_("functions"), blank=True)
    tor_responsibilities = models.TextField(_("responsibilities"), blank=True)
    tor_targets = models.TextField(_("targets"), blank=True)
    tor_deadlines = models.TextField(_("deadlines"), blank=True)
    tor_document = models.FileField(
        _("terms of reference (document)"), upload_to="council/tor/%Y/", blank=True
    )
    # How residents are kept informed about the initiative.
    information_programme = models.TextField(_("information programme for residents"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("coordination council")
        verbose_name_plural = _("coordination councils")

    def __str__(self) -> str:
        return str(self.municipality)


class CouncilMember(models.Model):
    class CouncilRole(models.TextChoices):
        CHAIR = "chair", _("Chair")
        DEPUTY_CHAIR = "deputy_chair", _("Deputy chair")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")
        CHILDREN_REPRESENTATIVE = "children", _("Children's or youth representative")

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        APPROVED = "approved", _("Approved")
        LEFT = "left", _("Left the council")

    council = models.ForeignKey(
        CoordinationCouncil, on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200)
    council_role = models.CharField(
        _("role in the council"), max_length=16, choices=CouncilRole.choices
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.INVITED
    )
    invited_on = models.DateField(_("invited on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["council_role", "name"]
        verbose_name = _("council member")
        verbose_name_plural = _("council members")

    def __str__(self) -> str:
        return self.name


class CouncilMeeting(models.Model):
    council = models.ForeignKey(
        CoordinationCouncil, on_delete=models.CASCADE, related_name="meetings"
    )
    held_on = models.DateField(_("date"))
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_document = models.FileField(
        _("minutes (document)"), upload_to="council/minutes/%Y/", blank=True
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")

    def __str__(self) -> str:
        return f"{self.council} {self.held_on}"


# --- Governance self-assessment ----------------------------------------------------------


class AssessmentRound(models.Model):
    """One year's governance self-assessment of a municipality (Annex 2)."""

    class Mode(models.TextChoices):
        # the three ways the checklist may be worked through.
        GROUP_DISCUSSION = "group_discussion", _("Group discussion")
        INTERVIEWS = "interviews", _("Interviews")
        CHECKLIST = "checklist", _("Checklist")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="assessment_rounds",
        verbose_name=_("municipality"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.CHECKLIST)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    # The two-component report.
    agreed_assessment = models.TextField(_("agreed assessment"), blank=True)
    rights_summary = models.TextField(_("summary of the child-rights situation"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["municipality", "-year"]
        verbose_name = _("governance assessment round")
        verbose_name_plural = _("governance assessment rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="one_assessment_round_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"


class RoundParticipant(models.Model):
    """A participant of the assessment (GP-1..3: name, agency or NGO, position)."""

    round = models.ForeignKey(
        AssessmentRound, on_delete=models.CASCADE, related_name="participants"
    )
    name = models.CharField(_("full name"), max_length=200)
    agency = models.CharField(_("agency or NGO"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("assessment participant")
        verbose_name_plural = _("assessment participants")

    def __str__(self) -> str:
        return self.name


class SectionAssignment(models.Model):
    """A section of the checklist given to a department head to answer."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="assignments")
    section = models.ForeignKey(GovernanceSection, on_delete=models.CASCADE, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="governance_sections"
    )

    class Meta:
        verbose_name = _("section assignment")
        verbose_name_plural = _("section assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "section", "assignee"], name="one_section_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.section.code}"


class AdditionalQuestion(models.Model):
    """A free-form question the city adds under GS-II.10 ("Additional questions")."""

    round = models.ForeignKey(
        AssessmentRound, on_delete=models.CASCADE, related_name="additional_questions"
    )
    # GX1, GX2…: stable within the round, so answers can be keyed like the catalogue's.
    code = models.CharField(_("code"), max_length=8)
    text = models.TextField(_("question"))

    class Meta:
        ordering = ["round", "code"]
        verbose_name = _("additional question")
        verbose_name_plural = _("additional questions")
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="unique_additional_code")
        ]

    def __str__(self) -> str:
        return self.code


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    PLANNED = "planned", _("Planned")
    NO = "no", _("No")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class GovernanceAnswer(models.Model):
    """The answer to one question (a catalogue G-code, or one of the round's own)."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        GovernanceQuestion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    additional_question = models.ForeignKey(
        AdditionalQuestion, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    # The question's code (G07, GX1), kept with the answer: the API's key and the link that
    # survives a new catalogue version.
    code = models.CharField(_("question"), max_length=8)
    answer = models.CharField(_("answer"), max_length=16, choices=Answer.choices, blank=True)
    # Why the question does not apply (required for "not applicable").
    reason = models.TextField(_("reason"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    responsible = models.CharField(_("responsible agency"), max_length=200, blank=True)
    future_action = models.TextField(_("future action"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_file = models.FileField(
        _("evidence file"), upload_to="governance/evidence/%Y/", blank=True
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["round", "code"]
        verbose_name = _("governance answer")
        verbose_name_plural = _("governance answers")
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="one_answer_per_question"),
            models.CheckConstraint(
                name="answer_has_one_question",
                condition=Q(question__isnull=False, additional_question__isnull=True)
                | Q(question__isnull=True, additional_question__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.code}"
