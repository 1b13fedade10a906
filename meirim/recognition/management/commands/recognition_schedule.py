"""Enqueue the registry's daily task (expiry and the 90- and 30-day notices) unless a run is
already waiting; safe to call at every start."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from meirim.recognition import tasks


class Command(BaseCommand):
    help = "Schedule the daily recognition task (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--now", action="store_true", help="run as soon as a worker is free, not tomorrow"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        when = timezone.now() if options["now"] else None
        if tasks.schedule(when):
            self.stdout.write("recognition_daily scheduled")
        else:
            self.stdout.write("recognition_daily already pending (or the backend cannot defer)")
