from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from meirim.portal.demo import DEMO_PASSWORD, demo_setup


class Command(BaseCommand):
    help = "Load the catalogue, municipalities and one demo user per role (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even with MEIRIM_DEBUG off (the demo users have a public password)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "demo_setup creates users with a published password and synthetic data, so it "
                "only runs with MEIRIM_DEBUG=1 (as `make demo` does). For a real deployment use "
                "`manage.py bootstrap`; to add the demo anyway, pass --force."
            )
        users = demo_setup()
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for demo in users:
            scope = demo.municipality or demo.region or "national"
            self.stdout.write(f"  {demo.username:<12} {demo.role:<18} {scope}")
