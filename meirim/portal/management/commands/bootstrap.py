from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from meirim.accounts.models import User
from meirim.portal.bootstrap import platform_bootstrap


class Command(BaseCommand):
    help = (
        "Set up a real deployment: load the municipalities and publish the national catalogue, "
        "and create the first national administrator. No demo users or data. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True, help="the administrator's login")
        parser.add_argument("--email", required=True, help="the administrator's e-mail address")
        parser.add_argument(
            "--password-file",
            type=Path,
            help="read the password from this file (first line); without it, it is asked for",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"].strip()
        password: str | None = None
        if not User.objects.filter(username=username).exists():
            password = self._password(options["password_file"])
        try:
            result = platform_bootstrap(
                username=username, email=options["email"].strip(), password=password
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Catalogue {result.catalogue.code} is loaded and published.")
        state = "created" if result.administrator_created else "already existed, kept as it is"
        self.stdout.write(f"National administrator {username!r}: {state}.")

    def _password(self, path: Path | None) -> str:
        if path is not None:
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except OSError as error:
                raise CommandError(f"Cannot read the password file: {error}") from error
            if not lines or not lines[0]:
                raise CommandError("The password file is empty.")
            return lines[0]
        if not sys.stdin.isatty():
            raise CommandError("Give --password-file, or run the command in a terminal.")
        first = getpass.getpass("Password for the administrator: ")
        if first != getpass.getpass("The same password again: "):
            raise CommandError("The passwords differ.")
        return first
