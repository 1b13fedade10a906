"""Compute and store every city's results of the published catalogue versions (or one).

The worker keeps results current after each data write; this is for when nothing was
written but the results must be (re)built: after upgrading a database that held data before
results were stored, or after restoring a backup.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meirim.catalogue.models import CatalogueVersion
from meirim.reports.computing import results_compute
from meirim.reports.relative import relative_compute, relative_request


class Command(BaseCommand):
    help = (
        "Compute and store the results of every city with data under the published catalogue "
        "versions (or --catalogue), then the comparison across cities (unless --no-relative)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--catalogue", dest="code", help="one catalogue version, by code")
        parser.add_argument(
            "--no-relative",
            action="store_true",
            help="leave the comparison across cities to the worker's 'relative' queue",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        versions = CatalogueVersion.objects.filter(status=CatalogueVersion.Status.PUBLISHED)
        if options["code"]:
            versions = CatalogueVersion.objects.filter(code=options["code"])
            if not versions.exists():
                raise CommandError(f"No catalogue version {options['code']!r}.")
        for version in versions.order_by("code"):
            started = time.monotonic()
            rows = results_compute(version)
            self.stdout.write(
                f"{version.code}: {rows} result rows stored in {time.monotonic() - started:.1f} s."
            )
            if not options["no_relative"]:
                relative_request(version.pk)
                compared = relative_compute(version)
                self.stdout.write(f"{version.code}: {compared} comparison rows stored.")
