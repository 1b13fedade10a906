"""Countries' territorial units: regions and the municipalities below them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from meirim.common.i18n import localized


class KnownCountry(models.TextChoices):
    """Countries whose names the interface translates; others show their code."""

    KAZAKHSTAN = "KZ", _("Kazakhstan")
    KYRGYZSTAN = "KG", _("Kyrgyzstan")


class MunicipalityKind(models.TextChoices):
    CITY_REPUBLICAN = "city_republican", _("City of republican significance")
    CITY_REGIONAL = "city_regional", _("City of regional significance")
    CITY_DISTRICT = "city_district", _("City of district significance")
    DISTRICT = "district", _("District")
    RURAL_OKRUG = "rural_okrug", _("Rural okrug / aiyl aimak")


class NamedPlace(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)
    # ISO 3166-1 alpha-2; any country may add its own territories by import.
    country = models.CharField(_("country"), max_length=2, db_index=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_ky = models.CharField(_("name (Kyrgyz)"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return localized(self, "name").text or self.code

    @property
    def name(self) -> str:
        return localized(self, "name").text


class Region(NamedPlace):
    """An oblys / oblast: the level a region officer oversees."""

    class Meta:
        ordering = ["country", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name_en="") | ~models.Q(name_ru=""),
                name="region_has_a_name",
            )
        ]


class Municipality(NamedPlace):
    """A city, district or rural okrug that can take part in the programme."""

    kind = models.CharField(_("kind"), max_length=20, choices=MunicipalityKind.choices)
    # Cities of republican significance have no region above them.
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("region"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent municipality"),
    )
    child_population = models.PositiveIntegerField(
        _("child population (0–17)"), null=True, blank=True
    )

    class Meta:
        ordering = ["country", "code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name_en="") | ~models.Q(name_ru=""),
                name="municipality_has_a_name",
            )
        ]
