"""Mark failed the file imports whose worker died (running, with no progress for a while)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meirim.data.services import import_jobs_recover_stale
from meirim.data.services.jobs import STALE_AFTER


class Command(BaseCommand):
    help = (
        "Mark failed the file imports still running with no progress for --minutes "
        "(their worker stopped); their municipalities may then upload again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--minutes",
            type=int,
            default=int(STALE_AFTER.total_seconds() // 60),
            help="Minutes without progress after which a running import is failed.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        marked = import_jobs_recover_stale(older_than=timedelta(minutes=options["minutes"]))
        self.stdout.write(f"{marked} stalled import(s) marked failed.")
