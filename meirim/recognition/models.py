"""Phase 2, assessment and recognition (model §2.1, §2.5, §5–§9, §17).

The national council's roster and its biennial cycles (each with its settings, its criteria
and rubric, frozen when the call opens); a city's application (the expression of interest,
Annex 3) and its recognition portfolio, frozen at submission; the community-level group and
its confidential report; reviewers, their scores and site visits; the council's decision and
the recognition status it grants, with its expiry.

Confidentiality (R-8.1): :class:`CommunityReport`, :class:`CommunityVerdict` and
:class:`CommunityReportFile` are read only through ``meirim.recognition.confidential``; they
are never registered in the Django admin, never exported and never written into an audit row.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from meirim.common.programme import AgeBand
from meirim.geography.models import Municipality

#: R-6.10, a hard rule: no status is valid for longer than this, whatever the settings say.
MAX_VALIDITY_MONTHS = 48

_User = settings.AUTH_USER_MODEL


class Level(models.TextChoices):
    """The council's decision (R-5.9.1, R-6.9, D-3): the codes the API uses."""

    NONE = "none", _("Not recognised")
    L1 = "L1", _("Level 1")
    L2 = "L2", _("Level 2")


class _Translated(models.Model):
    """Text the council writes in one or more of the four languages; shown in the reader's
    language, else in the first language it was written in."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    name_ky = models.CharField(_("name (Kyrgyz)"), max_length=300, blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ky = models.TextField(_("description (Kyrgyz)"), blank=True)

    LANGUAGE_ORDER = ("kk", "ru", "en", "ky")

    class Meta:
        abstract = True

    def _pick(self, field: str) -> str:
        wanted = (get_language() or "en").split("-")[0]
        for language in (wanted, *self.LANGUAGE_ORDER):
            value = getattr(self, f"{field}_{language}", "")
            if value:
                return str(value)
        return ""

    @property
    def name(self) -> str:
        return self._pick("name")

    @property
    def description(self) -> str:
        return self._pick("description")


# --- The national council ---------------------------------------------------------------


class CouncilMember(models.Model):
    """A member of the National CFC Coordination Council (R-2.2), with the constituency
    they represent. ``user`` links the member to their account, when they have one."""

    class Constituency(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        CHILDREN_YOUTH = "children_youth", _("Children's or youth organisation")
        NGO = "ngo", _("Non-governmental organisation")
        MEDIA = "media", _("Media")
        PARENTS = "parents", _("Parents")
        UNICEF = "unicef", _("UNICEF")
        INTERNATIONAL_PRIVATE = "international_private", _("International or private sector")
        OTHER = "other", _("Other organisation or community representative")

    name = models.CharField(_("name"), max_length=200)
    constituency = models.CharField(_("constituency"), max_length=24, choices=Constituency.choices)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    user = models.ForeignKey(
        _User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("account"),
    )  # fmt: skip
    joined_on = models.DateField(_("member since"), null=True, blank=True)
    left_on = models.DateField(_("member until"), null=True, blank=True)
    is_demo = models.BooleanField(_("demonstration data"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("national council member")
        verbose_name_plural = _("national council members")

    def __str__(self) -> str:
        return self.name


# --- Cycles, criteria and rubric ----------------------------------------------------------


class Cycle(models.Model):
    """A biennial assessment and recognition cycle (R-2.4, R-6.1–6.5, R-6.13).

    The settings default to the seed's majority reading and are the council's to change while
    the cycle is a draft (D-1, D-2); the rubric's thresholds are percentages of the highest
    possible weighted score (R-9.6, D-10: nothing about scoring is written in the code).
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CALL_OPEN = "call_open", _("Call open")
        APPLICATIONS_CLOSED = "applications_closed", _("Applications closed")
        DECISIONS_PUBLISHED = "decisions_published", _("Decisions published")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=120)
    call_text = models.TextField(_("call for expressions of interest"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    eoi_deadline = models.DateField(_("deadline for expressions of interest"))
    portfolio_deadline = models.DateField(_("deadline for portfolios"))
    community_report_deadline = models.DateField(_("deadline for community reports"))
    decision_date = models.DateField(_("decision date"))
    # Settings, defaults from the seed.
    cycle_months = models.PositiveSmallIntegerField(
        _("cycle length (months)"), default=24, validators=[MinValueValidator(1)]
    )
    level1_months = models.PositiveSmallIntegerField(
        _("Level 1 valid for (months)"), default=24,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_VALIDITY_MONTHS)],
    )  # fmt: skip
    level2_months = models.PositiveSmallIntegerField(
        _("Level 2 valid for (months)"), default=48,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_VALIDITY_MONTHS)],
    )  # fmt: skip
    min_assessment_months = models.PositiveSmallIntegerField(
        _("minimum assessment period (months)"), default=12
    )
    community_review_days = models.PositiveSmallIntegerField(
        _("community group's minimum review period (days)"), default=30,
        validators=[MinValueValidator(1)],
    )  # fmt: skip
    # The rubric: the weighted mean of the reviewers' scores, as a percentage of the maximum,
    # from which the council is offered "Level 1" and "Level 2".
    level1_threshold = models.DecimalField(
        _("Level 1 from (% of the maximum score)"), max_digits=5, decimal_places=2,
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)],
    )  # fmt: skip
    level2_threshold = models.DecimalField(
        _("Level 2 from (% of the maximum score)"), max_digits=5, decimal_places=2,
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)],
    )  # fmt: skip
    # Reviewers' scores of one criterion whose highest and lowest differ by at least this
    # many points are highlighted as a disagreement.
    disagreement_points = models.PositiveSmallIntegerField(
        _("disagreement from (points apart)"), default=2, validators=[MinValueValidator(1)]
    )
    state = models.CharField(_("state"), max_length=24, choices=State.choices, default=State.DRAFT)
    call_opened_at = models.DateTimeField(_("call opened at"), null=True, blank=True)
    decisions_published_at = models.DateTimeField(
        _("decisions published at"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        _User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(_("demonstration data"), default=False)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")

    def __str__(self) -> str:
        return self.name

    @property
    def criteria_frozen(self) -> bool:
        """Criteria are published with the call and frozen when it opens (R-9.4)."""
        return self.state != self.State.DRAFT


class Criterion(_Translated):
    """One criterion cities evidence and reviewers score (R-2.3, R-9.x), with what it rests
    on: index indicators, governance questions, participation evidence P1–P9, the facilities
    audit and the strategy's impact."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=16)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    governance_questions = models.JSONField(_("governance questions"), default=list, blank=True)
    participation_evidence = models.JSONField(_("participation evidence"), default=list, blank=True)
    uses_facilities = models.BooleanField(_("facilities and services"), default=False)
    uses_strategy_impact = models.BooleanField(_("impact of the strategy"), default=False)
    # Scoring scale: whole points from 0 to ``scale_max``.
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"), default=4, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, default=1,
        validators=[MinValueValidator(0)],
    )  # fmt: skip

    class Meta:
        ordering = ["cycle", "order", "code"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="unique_criterion_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# --- The city's application and recognition portfolio ------------------------------------


class Application(models.Model):
    """A city's application in a cycle: its expression of interest (Annex 3), then its
    recognition portfolio, the review and the decision."""

    class State(models.TextChoices):
        EOI_SUBMITTED = "eoi_submitted", _("Expression of interest submitted")
        PORTFOLIO_SUBMITTED = "portfolio_submitted", _("Portfolio submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        DECIDED = "decided", _("Decided")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="applications")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="recognition_applications"
    )
    state = models.CharField(
        _("state"), max_length=24, choices=State.choices, default=State.EOI_SUBMITTED
    )
    # Annex 3: the A-codes confirmed (all seven), the signatory and the date signed.
    commitments = models.JSONField(_("commitments"), default=list)
    signatory_name = models.CharField(_("signatory"), max_length=200)
    signatory_position = models.CharField(_("signatory's position"), max_length=200, blank=True)
    signed_on = models.DateField(_("signed on"))
    signed_scan = models.FileField(
        _("signed application (scan)"), upload_to="recognition/eoi/%Y/", blank=True
    )
    eoi_submitted_at = models.DateTimeField(_("expression of interest submitted at"))
    eoi_submitted_by = models.ForeignKey(
        _User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    portfolio_submitted_at = models.DateTimeField(
        _("portfolio submitted at"), null=True, blank=True
    )
    # The city may know that the community report arrived, never what it says.
    community_report_received_at = models.DateTimeField(
        _("community report received at"), null=True, blank=True
    )
    is_demo = models.BooleanField(_("demonstration data"), default=False)

    class Meta:
        ordering = ["cycle", "municipality"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "municipality"], name="one_application_per_cycle"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} — {self.cycle}"


class RecognitionPortfolio(models.Model):
    """The sections the city writes (§7.2); the index, facilities, participation and actions
    sections are drawn from the Phase 1 workspaces and the city's data when it is frozen."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="portfolio"
    )
    introduction = models.TextField(_("introduction"), blank=True)
    index_commentary = models.TextField(_("commentary on the index results"), blank=True)
    facilities_improvement = models.TextField(
        _("improvement of facilities and services since the audit"), blank=True
    )
    users_evaluation = models.TextField(
        _("users' evaluation of facilities and services"), blank=True
    )
    participation_summary = models.TextField(
        _("children's and young people's participation"), blank=True
    )
    impact_summary = models.TextField(_("impact of the strategy and action plan"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        _User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("recognition portfolio")
        verbose_name_plural = _("recognition portfolios")

    def __str__(self) -> str:
        return str(self.application)


class CriterionEvidence(models.Model):
    """The city's evidence for one criterion of the cycle, in its own words."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="criterion_evidence"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    statement = models.TextField(_("evidence"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["criterion__order", "criterion__code"]
        verbose_name = _("evidence for a criterion")
        verbose_name_plural = _("evidence for criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="one_evidence_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.criterion.code}"


class PortfolioAttachment(models.Model):
    """A supporting document of the recognition portfolio (R-5.7.1): photos, testimonials…"""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        TESTIMONIAL = "testimonial", _("Testimonial")
        REPORT = "report", _("Report or study")
        OTHER = "other", _("Other document")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("criterion"),
    )  # fmt: skip
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="recognition/attachments/%Y/")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        _User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["application", "kind", "title"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


class PortfolioSnapshot(models.Model):
    """The recognition portfolio as submitted, frozen: plain JSON, never changed later."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="snapshots")
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("content"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        _User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["application", "-number"]
        verbose_name = _("submitted recognition portfolio")
        verbose_name_plural = _("submitted recognition portfolios")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="unique_recognition_snapshot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} v{self.number}"


# --- The community-level group and its confidential report --------------------------------


class CommunityGroup(models.Model):
    """A city's community-level (youth) group (R-2.19–2.22)."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="community_group"
    )
    formed_on = models.DateField(_("formed on"))
    # D-9: the group may endorse the cycle's published criteria before the portfolio is done.
    criteria_endorsed_at = models.DateTimeField(_("criteria endorsed at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demonstration data"), default=False)

    class Meta:
        verbose_name = _("community group")
        verbose_name_plural = _("community groups")

    def __str__(self) -> str:
        return str(self.municipality)


class CommunityGroupMember(models.Model):
    """A member of the group: children and young people among them, never a person
    registered as city-administration staff (R-2.19, R-8.2)."""

    class Kind(models.TextChoices):
        CHILD = "child", _("Child (under 18)")
        YOUNG_PERSON = "young_person", _("Young person (18–24)")
        ADULT = "adult", _("Adult representative of a youth group or organisation")

    group = models.ForeignKey(CommunityGroup, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("member"), max_length=16, choices=Kind.choices)
    age_band = models.CharField(_("age band"), max_length=16, choices=AgeBand.choices, blank=True)
    organisation = models.CharField(_("youth group or organisation"), max_length=200, blank=True)
    user = models.ForeignKey(
        _User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("account"),
    )  # fmt: skip
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demonstration data"), default=False)

    class Meta:
        ordering = ["group", "name"]
        verbose_name = _("community group member")
        verbose_name_plural = _("community group members")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"], condition=Q(user__isnull=False),
                name="one_membership_per_account",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name


class CommunityReport(models.Model):
    """CONFIDENTIAL (R-8.1, R-2.23). The group's report on an application: free text plus a
    verdict per criterion. Read it only through ``meirim.recognition.confidential``."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="community_report"
    )
    text = models.TextField(_("report"))
    submitted_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        _User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("community report")
        verbose_name_plural = _("community reports")

    def __str__(self) -> str:
        # Never the text: a report's str() may end up in a log line or an error page.
        return f"community report #{self.pk}"


class CommunityVerdict(models.Model):
    """CONFIDENTIAL. The group's view of the city's claim for one criterion."""

    class Verdict(models.TextChoices):
        AGREE = "agree", _("Agree")
        PARTLY = "partly", _("Partly agree")
        DISAGREE = "disagree", _("Disagree")

    report = models.ForeignKey(CommunityReport, on_delete=models.CASCADE, related_name="verdicts")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["criterion__order", "criterion__code"]
        verbose_name = _("community verdict")
        verbose_name_plural = _("community verdicts")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "criterion"], name="one_verdict_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"community verdict #{self.pk}"


class CommunityReportFile(models.Model):
    """CONFIDENTIAL. A file attached to the community report."""

    report = models.ForeignKey(CommunityReport, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="recognition/community/%Y/")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("community report file")
        verbose_name_plural = _("community report files")

    def __str__(self) -> str:
        return f"community report file #{self.pk}"


# --- Review -------------------------------------------------------------------------------


class ReviewAssignment(models.Model):
    """A reviewer given an application by the council. A declared conflict of interest
    blocks the assignment: the reviewer cannot score it."""

    class Conflict(models.TextChoices):
        UNDECLARED = "undeclared", _("Not declared yet")
        NONE = "none", _("No conflict of interest")
        DECLARED = "declared", _("Conflict of interest declared")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="review_assignments"
    )
    reviewer = models.ForeignKey(_User, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    assigned_by = models.ForeignKey(
        _User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    conflict = models.CharField(
        _("conflict of interest"), max_length=12, choices=Conflict.choices,
        default=Conflict.UNDECLARED,
    )  # fmt: skip
    conflict_note = models.TextField(_("conflict of interest (details)"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "assigned_at"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="one_assignment_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.reviewer}"


class ReviewScore(models.Model):
    """A reviewer's score of one criterion, with a comment and the evidence cited."""

    assignment = models.ForeignKey(
        ReviewAssignment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"))
    evidence_cited = models.TextField(_("evidence cited"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["assignment", "criterion__order", "criterion__code"]
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="one_score_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.criterion.code}"


class SiteVisit(models.Model):
    """A visit of council members to the city (R-2.7)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="site_visits"
    )
    visited_on = models.DateField(_("date"))
    members = models.TextField(_("members"))
    findings = models.TextField(_("findings"))
    file = models.FileField(_("file"), upload_to="recognition/visits/%Y/", blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        _User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["application", "visited_on"]
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")

    def __str__(self) -> str:
        return f"{self.application}: {self.visited_on}"


# --- Decisions and the registry -----------------------------------------------------------


class Decision(models.Model):
    """The council's decision on an application (R-5.9.1, R-6.6–6.12). Its reasons and
    recommendations are the published decision summary; never the community report."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="decision"
    )
    level = models.CharField(_("decision"), max_length=8, choices=Level.choices)
    reasons = models.TextField(_("reasons"))
    recommendations = models.TextField(_("recommendations"), blank=True)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        _User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # the level the city held when it was re-assessed ("" for a first assessment).
    previous_level = models.CharField(
        _("level held before"), max_length=8, choices=Level.choices, blank=True
    )

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.application}: {self.get_level_display()}"


class DecisionReason(models.Model):
    """The council's reason for one criterion."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="criterion_reasons"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["criterion__order", "criterion__code"]
        verbose_name = _("reason for a criterion")
        verbose_name_plural = _("reasons for criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "criterion"], name="one_reason_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision}: {self.criterion.code}"


class Recognition(models.Model):
    """A recognition status granted by a decision: its level, start and expiry (R-6.6–6.10).

    Current while ``granted_on <= today < expires_on`` and not ended early (a later decision
    supersedes it); the daily task marks expiry and sends the 90- and 30-day notices."""

    class End(models.TextChoices):
        EXPIRED = "expired", _("Expired")
        SUPERSEDED = "superseded", _("Replaced by a later decision")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="recognitions"
    )
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="recognitions")
    decision = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="recognition"
    )
    level = models.CharField(
        _("level"), max_length=8, choices=[(Level.L1, Level.L1.label), (Level.L2, Level.L2.label)]
    )
    granted_on = models.DateField(_("granted on"))
    expires_on = models.DateField(_("expires on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("ended because"), max_length=12, choices=End.choices, blank=True
    )
    notice_90_sent_at = models.DateTimeField(_("90-day notice sent"), null=True, blank=True)
    notice_30_sent_at = models.DateTimeField(_("30-day notice sent"), null=True, blank=True)
    is_demo = models.BooleanField(_("demonstration data"), default=False)

    class Meta:
        ordering = ["-granted_on", "-pk"]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        constraints = [
            models.CheckConstraint(
                name="recognition_expires_after_grant", condition=Q(expires_on__gt=F("granted_on"))
            ),
        ]
        indexes = [models.Index(fields=["municipality", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.get_level_display()}"


class RecognitionDocument(models.Model):
    """A PDF built by a task, cached per application × kind × language: the submitted
    recognition portfolio (``snapshot`` number) or the published decision summary. Never the
    community report."""

    class Kind(models.TextChoices):
        PORTFOLIO = "portfolio", _("Recognition portfolio")
        DECISION = "decision", _("Decision summary")

    class State(models.TextChoices):
        PENDING = "pending", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=16, choices=Kind.choices)
    # The snapshot's number for a portfolio; 0 for a decision summary.
    number = models.PositiveSmallIntegerField(_("version"), default=0)
    language = models.CharField(_("language"), max_length=8)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    file = models.FileField(_("file"), upload_to="recognition/pdf/%Y/", blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recognition document")
        verbose_name_plural = _("recognition documents")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "number", "language"],
                name="one_recognition_document_per_language",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.kind} {self.number} {self.language}"


class DeadlineReminder(models.Model):
    """A reminder the daily task sent ahead of a cycle's deadline to one city (its
    coordinators, or its community group): recorded so that each is sent once."""

    class Kind(models.TextChoices):
        EOI = "eoi", _("Expression of interest")
        PORTFOLIO = "portfolio", _("Recognition portfolio")
        COMMUNITY_REPORT = "community_report", _("Community report")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="reminders")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("reminder"), max_length=20, choices=Kind.choices)
    deadline = models.DateField(_("deadline"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "municipality", "kind"], name="one_reminder_per_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cycle} {self.municipality} {self.kind}"


class DecisionComment(models.Model):
    """A resident's comment on a published decision summary (R-2.25), shown once moderated.

    The same rules as children's suggestions and comments on Phase 1 portfolios: a text that
    looks like it carries personal data is held; the public only reads ``public_text``;
    nothing about the writer's connection or account is stored.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        HELD = "held", _("Held: may carry personal data")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="comments")
    # Optional, and only what the writer chooses to give; never an address or account.
    author_name = models.CharField(_("name (optional)"), max_length=100, blank=True)
    text = models.TextField(_("comment"))
    public_text = models.TextField(_("public text"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["decision", "created_at", "id"]
        verbose_name = _("comment on a decision")
        verbose_name_plural = _("comments on decisions")

    def __str__(self) -> str:
        return f"{self.decision} #{self.pk}"
