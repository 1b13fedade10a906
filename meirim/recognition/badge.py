"""The SVG badge a recognised city may put on its website: the city, its level and
"valid until <date>", in the request's language. An accessible image: ``role="img"`` with a
``<title>`` and ``<desc>`` that screen readers announce.

A city without a current status gets no badge (404): a badge that said "not recognised"
could be shown out of context, and a removed status must stop being displayed.
"""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from meirim.recognition.models import Level, Recognition

WIDTH = 320
HEIGHT = 96


def badge_svg(recognition: Recognition, city_name: str) -> str:
    level = _("Level 2") if recognition.level == Level.L2 else _("Level 1")
    heading = _("Child-Friendly City")
    until = _("valid until %(date)s") % {"date": date_format(recognition.expires_on, "DATE_FORMAT")}
    title = f"{heading}: {city_name}, {level}, {until}"
    colour = "#1c5a8c" if recognition.level == Level.L2 else "#22704a"
    city, level_e, until_e = escape(city_name[:40]), escape(level), escape(until)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="badge-title badge-desc">'
        f'<title id="badge-title">{escape(title)}</title>'
        f'<desc id="badge-desc">{escape(heading)} — UNICEF</desc>'
        f'<rect width="{WIDTH}" height="{HEIGHT}" rx="10" fill="{colour}"/>'
        f'<g fill="#ffffff" font-family="Arial, Helvetica, sans-serif">'
        f'<text x="16" y="26" font-size="14">{escape(heading)}</text>'
        f'<text x="16" y="50" font-size="18" font-weight="bold">{city}</text>'
        f'<text x="16" y="74" font-size="14">{level_e} · {until_e}</text>'
        "</g></svg>"
    )
