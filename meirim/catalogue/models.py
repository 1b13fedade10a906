"""The national Child-Friendly City Index catalogue, as versioned data.

Every item keeps its stable catalogue code (C1, S01, I07, B12, G23, A4…). A version is
immutable once published: changing targets or indicators means copying it to a new draft.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meirim.common.i18n import localized


class CatalogueVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    code = models.CharField(_("version"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("copied from")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")

    def __str__(self) -> str:
        return self.code

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class CatalogueEntry(models.Model):
    """Fields every coded catalogue entry shares."""

    version = models.ForeignKey(CatalogueVersion, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("code"), max_length=16)
    order = models.PositiveIntegerField(_("order"), default=0)
    name_kk = models.TextField(_("name (Kazakh)"))
    name_ru = models.TextField(_("name (Russian)"), blank=True)
    name_en = models.TextField(_("name (English)"), blank=True)
    name_ky = models.TextField(_("name (Kyrgyz)"), blank=True)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {localized(self, 'name').text}"

    @property
    def name(self) -> str:
        return localized(self, "name").text


def _unique_code(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=["version", "code"], name=f"{name}_code_unique")


def _weight_field() -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(
        _("weight"),
        max_digits=7,
        decimal_places=3,
        default=1,
        help_text=_("Relative weight of this entry within its parent (0 leaves it out)."),
    )


class Category(CatalogueEntry):
    weight = _weight_field()

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [_unique_code("category")]


class SubDomain(CatalogueEntry):
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="subdomains", verbose_name=_("category")
    )
    weight = _weight_field()

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("sub-domain")
        verbose_name_plural = _("sub-domains")
        constraints = [_unique_code("subdomain")]


class Unit(models.TextChoices):
    PERCENT = "percent", _("percent (0–100)")
    RATE = "rate", _("rate per population")
    COUNT = "count", _("count")
    RATIO = "ratio", _("ratio")
    CURRENCY = "currency", _("money")
    NUMBER = "number", _("number")
    YESNO = "yesno", _("yes / no with description")
    TEXT = "text", _("description")


class PostsBasis(models.TextChoices):
    """Where an indicator's goalposts come from (shown on the method page)."""

    SCALE = "scale", _("the ends of the percentage scale")
    YESNO = "yesno", _("no (0) and yes (1)")
    NATIONAL = "national", _("the national distribution and the national target")
    COUNCIL = "council", _("set by the national council")


class Indicator(CatalogueEntry):
    class Type(models.TextChoices):
        IMPACT = "impact", _("Impact")
        PROCESS = "process", _("Process")

    class Direction(models.IntegerChoices):
        HIGHER = 1, _("Higher is better")
        LOWER = -1, _("Lower is better")
        NEUTRAL = 0, _("Contextual (no direction)")

    class DataType(models.TextChoices):
        QUANTITATIVE = "quantitative", _("Quantitative")
        QUALITATIVE = "qualitative", _("Qualitative")

    subdomain = models.ForeignKey(
        SubDomain, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("sub-domain")
    )
    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    source_mdg = models.BooleanField(_("MDG"), default=False)
    source_mtsp = models.BooleanField(_("UNICEF MTSP"), default=False)
    source_gci = models.BooleanField(_("GCI"), default=False)
    source_kaz = models.BooleanField(_("Kazakhstan-specific"), default=False)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    denominator = models.CharField(_("denominator series"), max_length=16, blank=True)
    factor = models.DecimalField(
        _("factor"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    direction = models.SmallIntegerField(_("direction"), choices=Direction.choices)
    direction_basis = models.CharField(_("direction basis"), max_length=16, blank=True)
    data_type = models.CharField(_("data type"), max_length=16, choices=DataType.choices)
    target = models.DecimalField(
        _("national target"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    note_en = models.TextField(_("note"), blank=True)
    # Translations of the note (its source is English); shown through meirim.common.i18n.
    note_kk = models.TextField(_("note (Kazakh)"), blank=True)
    note_ru = models.TextField(_("note (Russian)"), blank=True)
    note_ky = models.TextField(_("note (Kyrgyz)"), blank=True)
    # The scoring method, set by the national council for the version (see ScoringMethod):
    # a city's value is placed between two fixed goalposts, so its score depends only on its
    # own data. No posts: the indicator is shown but not scored.
    weight = _weight_field()
    lower_post = models.DecimalField(
        _("lower goalpost"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    upper_post = models.DecimalField(
        _("upper goalpost"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    posts_basis = models.CharField(
        _("goalposts basis"), max_length=16, choices=PostsBasis.choices, blank=True
    )

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            _unique_code("indicator"),
            models.CheckConstraint(
                condition=models.Q(direction__in=[-1, 0, 1]), name="indicator_direction_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(lower_post__isnull=True, upper_post__isnull=True)
                | models.Q(lower_post__lt=models.F("upper_post")),
                name="indicator_posts_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0), name="indicator_weight_not_negative"
            ),
        ]

    @property
    def posts(self) -> tuple[float, float] | None:
        if self.lower_post is None or self.upper_post is None:
            return None
        return float(self.lower_post), float(self.upper_post)

    @property
    def sources(self) -> list[str]:
        flags = [
            ("MDG", self.source_mdg),
            ("MTSP", self.source_mtsp),
            ("GCI", self.source_gci),
            ("KAZ", self.source_kaz),
        ]
        return [label for label, on in flags if on]


class DenominatorSeries(CatalogueEntry):
    """A population series used only to compute rates (live births, children under 5…)."""

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("denominator series")
        verbose_name_plural = _("denominator series")
        constraints = [_unique_code("denominatorseries")]


class BaselineSection(CatalogueEntry):
    class Meta(CatalogueEntry.Meta):
        verbose_name = _("baseline section")
        verbose_name_plural = _("baseline sections")
        constraints = [_unique_code("baselinesection")]


class BaselineFigure(CatalogueEntry):
    section = models.ForeignKey(
        BaselineSection, on_delete=models.CASCADE, related_name="figures", verbose_name=_("section")
    )
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    note_en = models.TextField(_("note"), blank=True)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("baseline figure")
        verbose_name_plural = _("baseline figures")
        constraints = [_unique_code("baselinefigure")]


class GovernanceSection(CatalogueEntry):
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="subsections"
    )

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("governance section")
        verbose_name_plural = _("governance sections")
        constraints = [_unique_code("governancesection")]


class GovernanceQuestion(CatalogueEntry):
    section = models.ForeignKey(
        GovernanceSection,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("section"),
    )
    subsection = models.ForeignKey(
        GovernanceSection,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subsection_questions",
        verbose_name=_("subsection"),
    )

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("governance question")
        verbose_name_plural = _("governance questions")
        constraints = [_unique_code("governancequestion")]


class CatalogueItem(CatalogueEntry):
    """An entry of the smaller coded lists: commitments A, participation P/H/T/Q, BQ, M, R…"""

    class List(models.TextChoices):
        COMMITMENTS = "A", _("Application commitments")
        PARTICIPATION_EVIDENCE = "P", _("Participation evidence")
        HART_LADDER = "H", _("Hart's ladder of participation")
        PARTICIPATION_TYPES = "T", _("Participation types")
        QUALITY_STANDARDS = "Q", _("Participation quality standards")
        BUDGET_QUESTIONS = "BQ", _("Budget transparency questions")
        MONITORING_PRINCIPLES = "M", _("Monitoring principles")
        RIGHTS = "R", _("Children's rights in a child-friendly city")
        LEVELS = "L", _("Recognition levels")
        PHASE1_STEPS = "PH1", _("Phase 1 steps")
        PHASE2_STEPS = "PH2", _("Phase 2 steps")

    list = models.CharField(_("list"), max_length=8, choices=List.choices)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ky = models.TextField(_("description (Kyrgyz)"), blank=True)
    extra = models.JSONField(_("attributes"), default=dict, blank=True)

    class Meta(CatalogueEntry.Meta):
        ordering = ["list", "order", "code"]
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        constraints = [_unique_code("catalogueitem")]


class ScoringMethod(models.Model):
    """How a catalogue version turns one city's data into scores: data set by the national
    council, editable while the version is a draft, frozen with it when it is published.

    Goalposts and weights live on the entries (``Indicator.lower_post`` / ``upper_post``,
    ``weight``); this row holds the version-wide choices.
    """

    class Aggregation(models.TextChoices):
        AMEAN = "amean", _("arithmetic mean")
        GMEAN = "gmean", _("geometric mean")

    version = models.OneToOneField(
        CatalogueVersion, on_delete=models.CASCADE, related_name="scoring"
    )
    aggregation = models.CharField(
        _("aggregation"), max_length=8, choices=Aggregation.choices, default=Aggregation.AMEAN
    )
    min_coverage = models.DecimalField(
        _("minimum coverage"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.5"),
        help_text=_("Share of a node's weight that must have values for it to get a score."),
    )
    indicator_tolerance_relative = models.DecimalField(
        _("no-change band of an indicator (share of its baseline)"),
        max_digits=6,
        decimal_places=4,
        default=Decimal("0.01"),
    )
    indicator_tolerance_absolute = models.DecimalField(
        _("no-change band of an indicator (absolute)"),
        max_digits=12,
        decimal_places=4,
        default=Decimal("0"),
    )
    score_tolerance_absolute = models.DecimalField(
        _("no-change band of a score (points)"),
        max_digits=6,
        decimal_places=3,
        default=Decimal("1"),
    )

    class Meta:
        verbose_name = _("scoring method")
        verbose_name_plural = _("scoring methods")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_coverage__gt=0, min_coverage__lte=1),
                name="scoring_min_coverage_share",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version.code}: {self.aggregation}"
