"""Catalogue content stored with its translations, shown with a visible fallback.

Content models keep one column per language (``name_kk``, ``name_ru``, ...). When the
current language has no text, the source language is shown and marked, never an empty string.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

LANGUAGE_CODES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)


@dataclass(frozen=True)
class LocalizedText:
    text: str
    language: str
    is_fallback: bool

    def __str__(self) -> str:
        return self.text


def localized(obj: object, field: str, language: str | None = None) -> LocalizedText:
    """The text of ``obj.<field>_<language>``, falling back to the source language."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    wanted = getattr(obj, f"{field}_{language}", "") or ""
    if wanted:
        return LocalizedText(wanted, language, False)
    order = [settings.CONTENT_SOURCE_LANGUAGE, "en", "ru", "kk", "ky"]
    for fallback in order:
        text = getattr(obj, f"{field}_{fallback}", "") or ""
        if text:
            return LocalizedText(text, fallback, True)
    return LocalizedText("", language, True)
