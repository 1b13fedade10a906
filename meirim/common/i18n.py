"""Catalogue content stored with its translations, shown with a visible fallback.

Content models keep one column per language (``name_kk``, ``name_ru``, ...). When the
current language has no text, the source language is shown and marked, never an empty string.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

LANGUAGE_CODES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)

_PINNED: ContextVar[str | None] = ContextVar("meirim_pinned_language", default=None)


def current_language() -> str:
    """The active language; inside :func:`language_pinned`, without asking Django again."""
    return _PINNED.get() or translation.get_language() or settings.LANGUAGE_CODE


@contextmanager
def language_pinned() -> Iterator[None]:
    """Hold the active language while a large table is drawn: each of its thousand cells
    asks for it, and Django's lookup (a context-local) costs more than drawing the cell."""
    token = _PINNED.set(translation.get_language())
    try:
        yield
    finally:
        _PINNED.reset(token)


@dataclass(frozen=True)
class LocalizedText:
    text: str
    language: str
    is_fallback: bool

    def __str__(self) -> str:
        return self.text


def localized(obj: object, field: str, language: str | None = None) -> LocalizedText:
    """The text of ``obj.<field>_<language>``, falling back to the source language."""
    language = (language or current_language())[:2]
    wanted = getattr(obj, f"{field}_{language}", "") or ""
    if wanted:
        return LocalizedText(wanted, language, False)
    order = [settings.CONTENT_SOURCE_LANGUAGE, "en", "ru", "kk", "ky"]
    for fallback in order:
        text = getattr(obj, f"{field}_{fallback}", "") or ""
        if text:
            return LocalizedText(text, fallback, True)
    return LocalizedText("", language, True)


# The language of e-mails to a country's people, when it is not the platform's default.
_MAIL_LANGUAGE_BY_COUNTRY = {"KG": "ky"}


def mail_language(country: str) -> str:
    """The language e-mails to a municipality's people are written in, by its country."""
    return _MAIL_LANGUAGE_BY_COUNTRY.get(country, settings.LANGUAGE_CODE)
