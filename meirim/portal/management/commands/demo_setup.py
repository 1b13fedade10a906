from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from meirim.portal.demo import DEMO_PASSWORD, demo_setup


class Command(BaseCommand):
    help = "Load the catalogue, municipalities and one demo user per role (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        users = demo_setup()
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for demo in users:
            scope = demo.municipality or demo.region or "national"
            self.stdout.write(f"  {demo.username:<12} {demo.role:<18} {scope}")
