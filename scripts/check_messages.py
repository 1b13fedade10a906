"""Keep the gettext catalogues complete and in step with the code.

    python scripts/check_messages.py           # check: exit 1 if a catalogue is stale or incomplete
    python scripts/check_messages.py --update  # regenerate .po (keeping translations) and .mo

English is the source language of interface strings, so its catalogue mirrors msgid.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["kk", "ru", "en", "ky"]
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


def po_path(code: str) -> Path:
    return ROOT / "locale" / code / "LC_MESSAGES" / "django.po"


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


def update() -> None:
    subprocess.run(MAKEMESSAGES, cwd=ROOT, check=True)
    mirror_english()
    for code in LANGUAGES:
        polib.pofile(str(po_path(code))).save_as_mofile(str(po_path(code).with_suffix(".mo")))


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
