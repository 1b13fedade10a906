from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meirim.geography.selectors import municipalities_export_csv


class Command(BaseCommand):
    help = "Export regions and municipalities as CSV (the format import_municipalities reads)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default="-", help="output file, or - for stdout")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        text = municipalities_export_csv()
        if path == "-":
            self.stdout.write(text, ending="")
        else:
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
