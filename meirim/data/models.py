"""The cities' data: one observation per municipality × item × year × disaggregation.

An item is an index indicator (I-code), a baseline figure (B-code) or a denominator series
(D-code) of the catalogue version the observation names.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from meirim.catalogue.models import CatalogueVersion
from meirim.geography.models import Municipality


class ObservationStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    NO_DATA = "no_data", _("No data")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    OUTSIDE_COMPETENCE = "outside_competence", _("Outside the city's competence")


class DataType(models.TextChoices):
    QUANTITATIVE = "quantitative", _("Quantitative")
    QUALITATIVE = "qualitative", _("Qualitative")


class CollectionMethod(models.TextChoices):
    """How the figure was obtained (monitoring principle M1: say what kind of data it is)."""

    OFFICIAL_STATISTICS = "official_statistics", _("Official statistics")
    ADMINISTRATIVE = "administrative", _("Administrative records")
    SURVEY = "survey", _("Survey")
    EXTERNAL_STUDY = "external_study", _("Study by an external consultant")
    CHILDREN_SELF_ASSESSMENT = "children_self_assessment", _("Children's self-assessment")
    COMMUNITY_ASSESSMENT = "community_assessment", _("Community assessment")
    OTHER = "other", _("Other")


class Sex(models.TextChoices):
    ALL = "", _("All")
    FEMALE = "female", _("Girls / women")
    MALE = "male", _("Boys / men")


class Disability(models.TextChoices):
    ALL = "", _("All")
    WITH = "with", _("With disability")
    WITHOUT = "without", _("Without disability")


class Observation(models.Model):
    # A national file writes a million rows at once. The references have no index of their
    # own: the unique cell (version, municipality, …) and the index (municipality, version,
    # year) serve every query and every delete check. The version and the municipality are
    # checked by triggers once per statement (migration 0004) rather than by a foreign key's
    # query per row (~20 s of such a file): rows never point at nothing all the same.
    # ``updated_by`` is only an audit pointer: no constraint (Django's ``SET_NULL`` clears it
    # when a user is deleted).
    version = models.ForeignKey(
        CatalogueVersion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("catalogue"),
        db_index=False,
        db_constraint=False,
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("municipality"),
        db_index=False,
        db_constraint=False,
    )
    code = models.CharField(_("code"), max_length=16)
    year = models.PositiveSmallIntegerField(_("year"))
    # Disaggregation: an empty value means "all" (the total).
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True, default="")
    age_band = models.CharField(_("age band"), max_length=16, blank=True, default="")
    disability = models.CharField(
        _("disability"), max_length=8, choices=Disability.choices, blank=True, default=""
    )
    district = models.CharField(_("district"), max_length=64, blank=True, default="")
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6, null=True, blank=True)
    numerator = models.DecimalField(
        _("numerator"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("denominator"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    text_value = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ObservationStatus.choices,
        default=ObservationStatus.REPORTED,
    )
    data_type = models.CharField(
        _("data type"), max_length=16, choices=DataType.choices, default=DataType.QUANTITATIVE
    )
    collection_method = models.CharField(
        _("collection method"),
        max_length=32,
        choices=CollectionMethod.choices,
        default=CollectionMethod.OFFICIAL_STATISTICS,
    )
    source = models.CharField(_("source"), max_length=255, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # Flagged when the value jumps away from the city's own history (modified z-score).
    is_outlier = models.BooleanField(_("unusual change"), default=False)
    # Synthetic demonstration data is labelled wherever it appears.
    is_demo = models.BooleanField(_("demonstration data"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["municipality", "code", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "version",
                    "municipality",
                    "code",
                    "year",
                    "sex",
                    "age_band",
                    "disability",
                    "district",
                ],
                name="observation_unique_cell",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100), name="observation_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True)
                | Q(denominator__isnull=True)
                | Q(numerator__lte=F("denominator")),
                name="observation_numerator_within_denominator",
            ),
            models.CheckConstraint(
                condition=~Q(status="reported") | Q(value__isnull=False) | ~Q(text_value=""),
                name="observation_reported_has_value",
            ),
        ]
        # No index of (version, year): of every query, only the goalposts' totals of all
        # cities (an occasional admin action) used it, and it cost a national file ~1 s a
        # million rows. The unique cell serves (version, municipality, …); this one the
        # queries by municipality (and the check that a deleted municipality has no data).
        indexes = [
            models.Index(fields=["municipality", "version", "year"]),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.code} {self.code} {self.year}"

    @property
    def is_total(self) -> bool:
        return not (self.sex or self.age_band or self.disability or self.district)


class ObservationEvidence(models.Model):
    """A file backing an observation (report, scan, spreadsheet), kept on disk."""

    observation = models.ForeignKey(
        Observation,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("observation"),
    )
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name


class DataYear(models.Model):
    """A municipality's data for one year: open for entry, or approved and locked."""

    class State(models.TextChoices):
        OPEN = "open", _("Open for entry")
        APPROVED = "approved", _("Approved (locked)")

    version = models.ForeignKey(CatalogueVersion, on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="data_years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("data year")
        verbose_name_plural = _("data years")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "municipality", "year"], name="data_year_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality.code} {self.year} ({self.state})"


class DataRevision(models.Model):
    """A counter per catalogue version, bumped by every data write in the same transaction.

    Results are cached under (version, revision): any change to the data makes new results,
    in every process, without a nightly batch.
    """

    version = models.OneToOneField(CatalogueVersion, on_delete=models.CASCADE, related_name="+")
    revision = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("data revision")
        verbose_name_plural = _("data revisions")

    def __str__(self) -> str:
        return f"{self.version.code}@{self.revision}"


def revision_key(version_id: int) -> tuple[str, int]:
    """The key a request keeps a version's revision under (:mod:`meirim.common.request_memo`)."""
    return ("data-revision", version_id)


class ImportJob(models.Model):
    """An uploaded file imported in the background by the task worker (``data.tasks``).

    The row is the job's whole state: any app server (and a restarted one) shows it. The file
    waits under ``MEDIA_ROOT/imports/`` (never served) and is removed when the job ends. At
    most one job per municipality is queued or running (a partial unique constraint).
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(
        CatalogueVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("catalogue")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="import_jobs",
        verbose_name=_("municipality"),
    )
    filename = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows to write"), default=0)
    # ImportSummary.as_dict(): counts of new, changed, unchanged and skipped rows, years.
    summary = models.JSONField(_("summary"), null=True, blank=True)
    # The first problems ({row, field, message}) of a rejected file, and how many there were.
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("number of problems"), default=0)
    failure_reason = models.TextField(_("reason for the failure"), blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    progress_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    task_result_id = models.CharField(_("task"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("file import")
        verbose_name_plural = _("file imports")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(state__in=["queued", "running"]),
                name="import_job_one_active_per_municipality",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.filename} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES
