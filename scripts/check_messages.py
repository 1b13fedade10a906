"""Keep the gettext catalogues complete and in step with the code.

    python scripts/check_messages.py           # check: exit 1 if a catalogue is stale or incomplete
    python scripts/check_messages.py --update  # regenerate .po (keeping translations) and .mo

English is the source language of interface strings, so its catalogue mirrors msgid.

``locale_overrides/`` holds Kazakh, Russian and Kyrgyz entries for Django's and django-axes' own
messages that their catalogues lack (makemessages never touches it). It is checked here too: every
entry translated, its .mo compiled, each msgid still one of Django's or django-axes', and none
contradicting an entry of the project's own catalogue (which comes first in LOCALE_PATHS).
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["kk", "ru", "en", "ky"]
OVERRIDE_LANGUAGES = ["kk", "ru", "ky"]
# Packages whose own catalogues the overrides complete.
OVERRIDDEN_PACKAGES = ["django", "axes", "django_tasks", "django_tasks_db"]
MAKEMESSAGES = [
    sys.executable,
    "manage.py",
    "makemessages",
    "--settings=config.testing",
    "--no-location",
    "--no-obsolete",
    "--ignore=.venv/*",
    "--ignore=var/*",
    "--ignore=tests/*",
    "--ignore=bench/*",
    *[f"--locale={code}" for code in LANGUAGES],
]


def po_path(code: str, directory: str = "locale") -> Path:
    return ROOT / directory / code / "LC_MESSAGES" / "django.po"


def override_path(code: str) -> Path:
    return po_path(code, "locale_overrides")


def mirror_english() -> None:
    catalogue = polib.pofile(str(po_path("en")))
    for entry in catalogue:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalogue.save()


def entries_key(path: Path) -> list[tuple[str, str, str]]:
    return sorted((e.msgctxt or "", e.msgid, e.msgid_plural or "") for e in polib.pofile(str(path)))


def problems_in(code: str) -> list[str]:
    catalogue = polib.pofile(str(po_path(code)))
    found = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            found.append(f"{code}: fuzzy: {entry.msgid!r}")
        elif not entry.translated():
            found.append(f"{code}: untranslated: {entry.msgid!r}")
    return found


def key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


class LibraryMessages:
    """The (context, msgid) pairs of the overridden packages: their catalogues, else their code."""

    def __init__(self) -> None:
        self.directories = [
            Path(importlib.import_module(package).__file__ or "").parent
            for package in OVERRIDDEN_PACKAGES
        ]
        self.catalogued = {
            key(entry)
            for directory in self.directories
            for path in directory.glob("**/locale/*/LC_MESSAGES/django.po")
            for entry in polib.pofile(str(path))
        }
        self._sources: str | None = None

    def __contains__(self, message: tuple[str, str]) -> bool:
        if message in self.catalogued:
            return True
        # A package's catalogues can lag behind its code (django-axes ships few of them).
        if self._sources is None:
            self._sources = "\n".join(
                path.read_text(encoding="utf-8", errors="replace")
                for directory in self.directories
                for path in directory.glob("**/*.py")
                if "migrations" not in path.parts
            )
        context, msgid = message
        if context:
            return f'pgettext_lazy("{context}", "{msgid}")' in self._sources
        return f'_("{msgid}")' in self._sources


def override_problems(code: str, known: LibraryMessages) -> list[str]:
    overrides = polib.pofile(str(override_path(code)))
    plurals = int(overrides.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])
    project = {key(entry): entry for entry in polib.pofile(str(po_path(code)))}
    found = []
    for entry in overrides:
        where = f"{code} (locale_overrides): {entry.msgid!r}"
        if "fuzzy" in entry.flags:
            found.append(f"{where}: fuzzy")
        elif not entry.translated():
            found.append(f"{where}: untranslated")
        elif entry.msgid_plural and len(entry.msgstr_plural) != plurals:
            found.append(f"{where}: needs {plurals} plural form(s)")
        if key(entry) not in known:
            found.append(f"{where}: not a message of {', '.join(OVERRIDDEN_PACKAGES)}; remove it")
        mine = project.get(key(entry))
        if mine is not None and (mine.msgstr, mine.msgstr_plural) != (
            entry.msgstr,
            entry.msgstr_plural,
        ):
            found.append(f"{where}: locale/ translates it differently and wins; make them agree")
    mo = override_path(code).with_suffix(".mo")
    with tempfile.NamedTemporaryFile(suffix=".mo") as fresh:
        overrides.save_as_mofile(fresh.name)
        if not mo.exists() or Path(fresh.name).read_bytes() != mo.read_bytes():
            found.append(f"{code}: locale_overrides django.mo is not compiled from django.po")
    return found


def update() -> None:
    subprocess.run(MAKEMESSAGES, cwd=ROOT, check=True)
    mirror_english()
    for code in LANGUAGES:
        polib.pofile(str(po_path(code))).save_as_mofile(str(po_path(code).with_suffix(".mo")))
    for code in OVERRIDE_LANGUAGES:
        path = override_path(code)
        polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))


def check() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        backup = Path(tmp) / "locale"
        shutil.copytree(ROOT / "locale", backup)
        before = {code: entries_key(po_path(code)) for code in LANGUAGES}
        try:
            subprocess.run(MAKEMESSAGES, cwd=ROOT, check=True, capture_output=True)
            after = {code: entries_key(po_path(code)) for code in LANGUAGES}
        finally:
            shutil.rmtree(ROOT / "locale")
            shutil.copytree(backup, ROOT / "locale")
    failures = []
    for code in LANGUAGES:
        if before[code] != after[code]:
            failures.append(f"{code}: catalogue is out of date; run `make messages`")
        failures.extend(problems_in(code))
        mo = po_path(code).with_suffix(".mo")
        compiled = polib.pofile(str(po_path(code)))
        with tempfile.NamedTemporaryFile(suffix=".mo") as fresh:
            compiled.save_as_mofile(fresh.name)
            if not mo.exists() or Path(fresh.name).read_bytes() != mo.read_bytes():
                failures.append(f"{code}: django.mo is not compiled from django.po")
    known = LibraryMessages()
    for code in OVERRIDE_LANGUAGES:
        failures.extend(override_problems(code, known))
    for failure in failures:
        print(failure)
    print("translations:", "OK" if not failures else f"{len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--update", action="store_true")
    args = parser.parse_args()
    if args.update:
        update()
        sys.exit(0)
    sys.exit(check())
