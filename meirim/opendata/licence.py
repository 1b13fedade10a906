"""The licence of the open data and the attribution asked of those who reuse them."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LANGUAGES = ("kk", "ru", "en", "ky")


def statement() -> str:
    """The licence statement in the active language."""
    return _(
        "The open data of the Child-Friendly Cities programme are published under the "
        "Creative Commons Attribution 4.0 International licence (CC BY 4.0). You may copy, "
        "share and adapt them for any purpose, also commercially, provided you credit the "
        "source, link to the licence and say whether you changed the data. Only data years "
        "approved by each city are published. A count of people between 1 and 4 is never "
        "published: its value is empty and the column suppressed is true; an indicator "
        "suppressed so has no score either. Rows marked as demonstration data are synthetic."
    )


def attribution(release: str) -> str:
    """The credit line to print with reused data, naming the release."""
    return _(
        "Source: meirim, the platform of the Child-Friendly Cities programme — open data, "
        "release %(release)s, licensed under CC BY 4.0."
    ) % {"release": release}


def licence_payload(release: str) -> dict[str, object]:
    """The licence in the four languages (for the API and every file's envelope)."""
    statements, attributions = {}, {}
    for language in LANGUAGES:
        with translation.override(language):
            statements[language] = statement()
            attributions[language] = attribution(release)
    return {
        "name": LICENCE_NAME,
        "url": LICENCE_URL,
        "statement": statements,
        "attribution": attributions,
    }
