"""Load observations from a CSV or XLSX file: every row or none.

    manage.py import_observations --municipality KZ-AKM-KOKSHETAU --version 2026.1 data.csv
    manage.py import_observations --all-municipalities --version 2026.1 national.csv

With ``--all-municipalities`` the file has a ``municipality`` column (codes). Problems are
printed by row and field; the command then exits with status 1 and nothing is imported.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meirim.common.tabular import ImportRejected
from meirim.data import selectors as data_selectors
from meirim.data.services import observations_import, observations_import_all
from meirim.geography.models import Municipality


class Command(BaseCommand):
    help = "Import observations (the cities' data) from a CSV or XLSX file: all rows or none."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Our --version names the catalogue version; it replaces Django's --version flag.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="CSV (UTF-8) or XLSX file")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--municipality", help="code of the municipality the file is for")
        target.add_argument(
            "--all-municipalities",
            action="store_true",
            help="the file has a 'municipality' column with each row's municipality code",
        )
        parser.add_argument(
            "--version",
            dest="catalogue_version",
            help="catalogue version code (default: the latest published version)",
        )

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        version = data_selectors.published_version(options.get("catalogue_version"))
        if version is None:
            raise CommandError(
                f"no published catalogue version {options.get('catalogue_version') or ''}".strip()
            )
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from error
        started = time.perf_counter()
        # A running count on a terminal, for large files; nothing in logs and pipes.
        show_progress = options.get("verbosity", 1) >= 1 and sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if show_progress:
                self.stderr.write(f"\r{done:,} / {total:,} rows written", ending="")
                if done == total:
                    self.stderr.write("")
                sys.stderr.flush()

        try:
            if options.get("all_municipalities"):
                summary = observations_import_all(
                    version=version, data=data, filename=path.name, actor=None, progress=progress
                )
            else:
                try:
                    municipality = Municipality.objects.get(code=options["municipality"])
                except Municipality.DoesNotExist:
                    raise CommandError(f"unknown municipality {options['municipality']}") from None
                summary = observations_import(
                    version=version,
                    municipality=municipality,
                    data=data,
                    filename=path.name,
                    actor=None,
                    progress=progress,
                )
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError(
                f"{len(rejected.problems)} problem(s); nothing was imported."
            ) from None
        seconds = time.perf_counter() - started
        for outlier in summary.outliers:
            self.stdout.write(
                f"warning: row {outlier.row}: {outlier.municipality} {outlier.code} "
                f"{outlier.year} = {outlier.value} is an unusual change (z = {outlier.z})"
            )
        self.stdout.write(
            f"{summary.rows:,} rows in {seconds:.1f} s: {summary.created:,} created, "
            f"{summary.updated:,} updated, {summary.unchanged:,} unchanged, "
            f"{summary.skipped:,} skipped (no data), {len(summary.outliers):,} unusual changes; "
            f"catalogue {version.code}"
        )
