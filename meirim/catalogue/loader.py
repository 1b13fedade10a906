"""Reading the catalogue data files shipped with the project (``data/``).

The files hold the Kazakh source text, English, and attributes; Russian and Kyrgyz live in
``i18n_ru.csv`` / ``i18n_ky.csv`` as ``code,field,text`` rows merged in here. Indicator notes are
written in English: their Kazakh, Russian and Kyrgyz translations are ``note`` rows of
``i18n_kk.csv`` / ``i18n_ru.csv`` / ``i18n_ky.csv``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
TRANSLATED_LANGUAGES = ("kk", "ru", "ky")


@dataclass
class CatalogueFiles:
    """Rows of every file, keyed by file stem, with translations merged into each row."""

    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def rows(self, stem: str) -> list[dict[str, str]]:
        return self.tables.get(stem, [])


def _read(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [dict(row) for row in csv.DictReader(handle)]


def read_catalogue_files(directory: Path = DATA_DIR) -> CatalogueFiles:
    stems = [
        "categories",
        "subdomains",
        "indicators",
        "denominator_series",
        "baseline_sections",
        "baseline_figures",
        "governance_sections",
        "governance_questions",
        "items",
    ]
    files = CatalogueFiles({stem: _read(directory / f"{stem}.csv") for stem in stems})
    translations: dict[tuple[str, str, str], str] = {}
    for language in TRANSLATED_LANGUAGES:
        for row in _read(directory / f"i18n_{language}.csv"):
            translations[(row["code"], row["field"], language)] = row["text"]
    for rows in files.tables.values():
        for row in rows:
            for language in TRANSLATED_LANGUAGES:
                for name in ("name", "description", "note"):
                    if name != "note" and language == "kk":
                        continue  # Kazakh is the source of names and descriptions
                    text = translations.get((row["code"], name, language))
                    if text:
                        row[f"{name}_{language}"] = text
    return files
