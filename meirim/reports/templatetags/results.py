"""Presentation of results: states with a symbol, a word and a colour class (never colour
alone), scores and score bands, and the names of index nodes."""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Container, Sequence
from typing import Any

from django import template
from django.utils.formats import get_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from meirim.common import suppression
from meirim.common.i18n import current_language, language_pinned, localized
from meirim.common.templatetags.meirim import tr

register = template.Library()

# state -> (symbol, words); the symbol is decorative, the words carry the meaning.
CHANGE_STATES: dict[str, tuple[str, Any]] = {
    "improved": ("▲", _("Improved")),
    "no_change": ("=", _("No change")),
    "worse": ("▼", _("Worse")),
    "no_data": ("–", _("No data to compare")),
}
TARGET_STATES: dict[str, tuple[str, Any]] = {
    "met": ("✓", _("Target met")),
    "not_met": ("✗", _("Target not yet met")),
    "no_target": ("·", _("No national target")),
    "no_data": ("–", _("No data")),
}
DATA_STATUSES: dict[str, tuple[str, Any]] = {
    "reported": ("●", _("Reported")),
    "no_data": ("○", _("No data")),
    "outside_competence": ("◇", _("Outside the city's competence")),
    "not_applicable": ("◇", _("Not applicable")),
    "missing": ("?", _("Missing")),
}
NOT_SCORED: dict[str, Any] = {
    "contextual": _("Shown for context: it has no better or worse direction."),
    "text": _("A description, not a number."),
    "no_posts": _("The national council has not set its goalposts yet, so it is not scored."),
}


def _separator() -> str:
    """The decimal separator of the active language, looked up once per language."""
    language = current_language()
    separator = _SEPARATORS.get(language)
    if separator is None:
        separator = _SEPARATORS[language] = str(get_format("DECIMAL_SEPARATOR"))
    return separator


_SEPARATORS: dict[str, str] = {}


def decimal(value: float, digits: int, strip_zeros: bool = False) -> str:
    """A localised decimal (comma or point as the language writes it), quick enough for
    tables of hundreds of cells."""
    text = f"{value:.{digits}f}"
    if strip_zeros and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.lstrip("-").strip("0.") == "":
        text = text.lstrip("-")  # no "-0"
    separator = _separator()
    return text if separator == "." else text.replace(".", separator)


def _per_language(build: Callable[[], SafeString]) -> Callable[[], SafeString]:
    """A fixed piece of translated HTML, built once per language (a table repeats it)."""
    built: dict[str, SafeString] = {}

    def get() -> SafeString:
        language = current_language()
        html = built.get(language)
        if html is None:
            html = built[language] = build()
        return html

    return get


def _nodata(words: Any) -> Callable[[], SafeString]:
    return _per_language(lambda: format_html('<span class="nodata">{}</span>', words))


_NO_SCORE = _nodata(_("no score"))
_NO_VALUE = _nodata(_("no value"))
_NO_BAND = _nodata(_("no band"))
not_applicable = _nodata(_("not applicable"))


def _state(kind: str, table: dict[str, tuple[str, Any]], state: str) -> SafeString:
    key = (kind, state, current_language())
    html = _STATES.get(key)
    if html is None:
        symbol, words = table.get(state, ("", state))
        html = _STATES[key] = format_html(
            '<span class="state {}-{}"><span class="symbol" aria-hidden="true">{}</span> {}</span>',
            kind,
            state,
            symbol,
            words,
        )
    return html


_STATES: dict[tuple[str, str, str], SafeString] = {}


@register.simple_tag
def change_state(state: str) -> SafeString:
    return _state("change", CHANGE_STATES, state)


@register.simple_tag
def target_state(state: str) -> SafeString:
    return _state("target", TARGET_STATES, state)


@register.simple_tag
def data_status(status: str) -> SafeString:
    return _state("status", DATA_STATUSES, status)


# Why a row of the dashboard states no change: what the row compares ("score" or "value")
# -> reason -> a sentence with the years.
CHANGE_REASONS: dict[str, dict[str, Any]] = {
    "score": {
        "same_year": _("The baseline is the latest year: there is nothing later to compare."),
        "no_current": _("No score in %(year)s: too few of its parts have data that year."),
        "no_baseline": _("No score in %(baseline)s, the baseline year, to compare with."),
        "no_values": _("No score in %(baseline)s or in %(year)s."),
    },
    "value": {
        "no_current": _("No value after %(baseline)s, the baseline year."),
        "no_baseline": _("No value in %(baseline)s, the baseline year, to compare with."),
    },
}


@register.simple_tag
def change_reason(kind: str, reason: str, baseline: int | None, year: int | None) -> SafeString:
    """The sentence saying why no change is stated (empty when there is nothing to add)."""
    text = CHANGE_REASONS.get(kind, {}).get(reason)
    if not reason or text is None:
        return _EMPTY
    return format_html(
        '<span class="reason">{}</span>', str(text) % {"baseline": baseline, "year": year}
    )


_EMPTY = SafeString("")


@register.simple_tag
def not_scored_reason(reason: str) -> str:
    return str(NOT_SCORED.get(reason, ""))


@register.simple_tag
def score(value: float | None, digits: int = 1) -> SafeString:
    """A number, or the words "no score" (never an empty cell)."""
    if value is None:
        return _NO_SCORE()
    # SafeString, as mark_safe makes it: mark_safe first checks for lazy text, which costs
    # more than the number on a table's cells.
    return SafeString(decimal(value, digits))


@register.simple_tag
def number(value: float | None) -> SafeString:
    """A reported value with up to four decimals, or the words "no value"."""
    if value is None:
        return _NO_VALUE()
    return SafeString(decimal(value, 4, strip_zeros=True))


def score_cells(values: Sequence[float | None]) -> SafeString:
    """A row of scores by year, one ``<td class="num">`` each: one call a row (the dashboard
    has hundreds of these cells)."""
    return SafeString("".join(f'<td class="num">{score(value)}</td>' for value in values))


def number_cells(values: Sequence[float | None]) -> SafeString:
    """A row of reported values by year, as :func:`score_cells`."""
    return SafeString("".join(f'<td class="num">{number(value)}</td>' for value in values))


@register.simple_tag
def band(value: tuple[int, int] | None) -> SafeString:
    if value is None:
        return _NO_BAND()
    low, high = int(value[0]), int(value[1])
    return SafeString(f'<span class="band band-{low}">{low}–{high}</span>')


@register.simple_tag
def node_name(code: str, entry: Any) -> SafeString:
    """The translated name of a node; the overall index has no catalogue entry."""
    if entry is None:
        return format_html("{}", _("Child-Friendly City Index (overall)"))
    return format_html("{}", tr(entry))


@register.filter
def percent(share: float | None) -> str:
    if share is None:
        return ""
    return decimal(100 * share, 0)


# Used by the dashboard's Jinja2 part (jinja_templates/reports/dashboard_results.html), whose
# ``_("…")`` calls cover plain messages only.
CHANGE_HEADING = pgettext_lazy("progress since the baseline year", "Change")


def indicators_intro(baseline: int | None) -> SafeString:
    return format_html(
        "{}",
        _(
            "Each indicator's latest value is compared with its value in %(baseline)s, the "
            'baseline year, and with the national target. "Improved" and "Worse" take '
            "into account whether a higher or a lower value is better."
        )
        % {"baseline": baseline},
    )


def completeness_caption(rows: Sequence[Any]) -> str:
    total = rows[0].total if rows else 0
    return ngettext(
        "Status of the %(total)s index indicator by year",
        "Status of the %(total)s index indicators by year",
        total,
    ) % {"total": total}


@register.simple_tag
def municipality_options(places: Sequence[Any], chosen: Container[str]) -> SafeString:
    """The ``<option>``s of a list of hundreds of municipalities, written here: a template
    loop would take ten times longer. The same text as ``{% tr_text place %}``, escaped."""
    with language_pinned():
        return mark_safe(  # noqa: S308 - every value escaped
            "".join(
                f'<option value="{html.escape(place.code)}"'
                f"{' selected' if place.code in chosen else ''}>"
                f"{html.escape(localized(place, 'name').text)}</option>"
                for place in places
            )
        )


@register.simple_tag
def node_options(nodes: Sequence[Any], chosen: str) -> SafeString:
    """The ``<option>``s of the index's nodes (about ninety, indented by level), written
    here for the same reason as :func:`municipality_options`."""
    indent = {"subdomain": "&ensp;", "indicator": "&emsp;"}
    with language_pinned():
        return mark_safe(  # noqa: S308 - every value escaped
            "".join(
                f'<option value="{html.escape(node.code)}"'
                f"{' selected' if node.code == chosen else ''}>{indent.get(node.kind, '')}"
                + (
                    f"{html.escape(node.code)} · {html.escape(localized(node.entry, 'name').text)}"
                    if node.entry
                    else str(node_name(node.code, node.entry))
                )
                + "</option>"
                for node in nodes
            )
        )


@register.simple_tag
def compare_cells(cells: Sequence[Any]) -> SafeString:
    """A comparison row's cells: band, score, the value in brackets, the relative score.
    One tag a row instead of four a cell (the table has up to 12 × the years)."""
    relative = format_html('<br><span class="meta">{} ', gettext("relative:"))
    with language_pinned():
        return mark_safe(  # noqa: S308 - built from escaped pieces
            "".join(
                f"<td>{band(cell.band)} {score(cell.score)}"
                + (
                    f' <span class="meta">({number(cell.value)})</span>'
                    if cell.value is not None
                    else (
                        f' <span class="meta">({escape(suppression.label(None))})</span>'
                        if cell.suppressed
                        else ""
                    )
                )
                + (f"{relative}{score(cell.relative)}</span>" if cell.relative is not None else "")
                + "</td>"
                for cell in cells
            )
        )


def _whole(value: float) -> str:
    """A rank rounded half up, as ``floatformat(value, 0)`` writes it (ranks are >= 0)."""
    return str(math.floor(value + 0.5))


@register.simple_tag
def rank_cells(cells: Sequence[Any]) -> SafeString:
    """A comparison row's likely rank ranges, one tag a row."""
    with language_pinned():
        words = gettext("rank between %(low)s and %(high)s of %(total)s")
        return mark_safe(  # noqa: S308 - numbers and escaped text
            "".join(
                "<td>"
                + (
                    html.escape(
                        words
                        % {
                            "low": _whole(cell.rank_low),
                            "high": _whole(cell.rank_high),
                            "total": cell.ranked,
                        }
                    )
                    if cell.rank_low is not None
                    else str(_NO_SCORE())
                )
                + "</td>"
                for cell in cells
            )
        )
