"""Releases of the open data: every file of one data revision, built together.

A release is built by the task worker after each data revision (:mod:`meirim.opendata.tasks`)
and its files are kept under ``MEDIA_ROOT/opendata/<label>/``. The latest complete release
is served while the next one builds; older ones stay reachable by their label until pruned.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from meirim.catalogue.models import CatalogueVersion


class OpenDataRelease(models.Model):
    class State(models.TextChoices):
        BUILDING = "building", _("Being prepared")
        COMPLETE = "complete", _("Complete")
        FAILED = "failed", _("Failed")

    version = models.ForeignKey(
        CatalogueVersion, on_delete=models.CASCADE, related_name="+", verbose_name=_("catalogue")
    )
    revision = models.PositiveBigIntegerField(_("data revision"))
    # "<catalogue version>-<revision>", the release's name in URLs and file names.
    label = models.CharField(_("release"), max_length=48, unique=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.BUILDING
    )
    started_at = models.DateTimeField(_("started"))
    built_at = models.DateTimeField(_("built"), null=True, blank=True)
    seconds = models.FloatField(_("build time (seconds)"), null=True, blank=True)
    # {dataset: {format: {"name": storage name, "size": bytes, "etag": sha256 hex}}}
    files = models.JSONField(_("files"), default=dict, blank=True)
    # {dataset: number of rows}
    rows = models.JSONField(_("rows"), default=dict, blank=True)
    failure_reason = models.TextField(_("reason for the failure"), blank=True)

    class Meta:
        verbose_name = _("open data release")
        verbose_name_plural = _("open data releases")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "revision"], name="opendata_release_one_per_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.state})"

    def file(self, dataset: str, fmt: str) -> dict[str, Any] | None:
        found = self.files.get(dataset, {}).get(fmt)
        return found if isinstance(found, dict) else None
