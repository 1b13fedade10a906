from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meirim.common.tabular import ImportRejected
from meirim.geography.services import municipalities_import


class Command(BaseCommand):
    help = "Import regions and municipalities from a CSV or XLSX file (all rows or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            summary = municipalities_import(data=path.read_bytes(), filename=path.name, actor=None)
        except OSError as error:
            raise CommandError(str(error)) from error
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError(
                f"{len(rejected.problems)} problem(s); nothing was imported."
            ) from None
        self.stdout.write(
            f"regions: {summary.regions_created} created, {summary.regions_updated} updated; "
            f"municipalities: {summary.municipalities_created} created, "
            f"{summary.municipalities_updated} updated"
        )
