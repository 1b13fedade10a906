"""Set translations from a small JSON file: {"kk": {"msgid": "text"}, "ru": {...}, "ky": {...}}.

    python scripts/po_fill.py translations.json

Used when a handful of new interface strings need translating; clears the fuzzy flag of
every entry it sets and recompiles the .mo files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main(path: str) -> None:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    for code, texts in data.items():
        po_file = ROOT / "locale" / code / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(po_file))
        for entry in catalogue:
            if entry.msgid not in texts:
                continue
            value = texts[entry.msgid]
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value]
                entry.msgstr_plural = dict(enumerate(forms))
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
        catalogue.save()
        catalogue.save_as_mofile(str(po_file.with_suffix(".mo")))


if __name__ == "__main__":
    main(sys.argv[1])
