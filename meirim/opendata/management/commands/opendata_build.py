"""Build the open data release of the current data revision now (the demo runs it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meirim.opendata.services import release_build


class Command(BaseCommand):
    help = "Build the open data files (CSV, XLSX, JSON, Parquet) of the approved data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Build again even if this revision is built."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        release = release_build(force=options["force"])
        if release is None:
            self.stdout.write("No published catalogue version: nothing to build.")
            return
        rows = ", ".join(f"{name} {count}" for name, count in release.rows.items())
        self.stdout.write(
            f"Open data release {release.label}: {release.state}"
            + (f" in {release.seconds:.2f} s ({rows})" if release.seconds is not None else "")
        )
