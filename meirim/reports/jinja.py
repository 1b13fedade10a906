"""The Jinja2 environment, for the page parts that are large tables of figures.

Django's own templates are used everywhere else; a results dashboard prints about a
thousand cells, which Jinja2 renders several times faster (it compiles templates to Python).
Interface text is written as ``_("…")``, which ``makemessages`` finds in these templates as
it does in Django's, so the same catalogues translate both; placeholders are filled with
``|format(name=…)`` after translation.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable
from typing import Any

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext
from jinja2 import Environment
from markupsafe import Markup, escape

from meirim.catalogue.models import Indicator
from meirim.common import suppression
from meirim.common.i18n import current_language, localized
from meirim.common.templatetags.meirim import tr, tr_text
from meirim.reports.templatetags import results


def url(name: str, *args: object) -> str:
    """``reverse`` for templates; the same link repeats in a table, so it is kept per
    language (URLs carry the language prefix)."""
    key = (current_language(), name, args)
    found = _URLS.get(key)
    if found is None:
        if len(_URLS) > URL_MEMO:
            _URLS.clear()
        found = _URLS[key] = reverse(name, args=args)
    return found


URL_MEMO = 20_000
_URLS: dict[tuple[str, str, tuple[object, ...]], str] = {}


def regroup(items: Iterable[Any], attribute: str) -> list[tuple[Any, list[Any]]]:
    """Consecutive items sharing ``attribute`` (dotted), like Django's ``{% regroup %}``
    (Jinja's ``groupby`` sorts first, and catalogue entries have no order of their own)."""
    key = operator.attrgetter(attribute)
    return [(grouper, list(group)) for grouper, group in itertools.groupby(items, key)]


def translated(message: str) -> Markup:
    """The catalogue's text, trusted as HTML like ``{% blocktranslate %}`` trusts it: values
    put in with ``|format`` are escaped, unless already safe (a name with its language).
    Kept per language: the messages are the templates' constants."""
    key = (current_language(), message)
    found = _TRANSLATED.get(key)
    if found is None:
        found = _TRANSLATED[key] = Markup(gettext(message))  # noqa: S704 - own catalogues
    return found


_TRANSLATED: dict[tuple[str, str], Markup] = {}


def name(obj: object, field: str = "name") -> Markup:
    """``tr`` for the tables: the translated text escaped; a fallback (rare) is marked by
    ``tr`` itself."""
    value = localized(obj, field)
    if value.is_fallback:
        return Markup(tr(obj, field))  # noqa: S704 - tr escapes what it puts in
    return escape(value.text)


def indicator_cells(line: Any, baseline_year: int | None) -> Markup:
    """The cells of a row of the dashboard's scored indicators after its heading, written
    here in one call: the table has about seventy rows of eight cells, and a template spends
    more on each cell's lookups and escaping than on its content."""
    p = line.progress
    latest: str = fewer_than() if line.latest_suppressed else results.number(line.latest_value)
    if line.latest_year:
        latest += f' <span class="meta">({int(line.latest_year)})</span>'
    if p.gap_closed is not None:
        gap = f"{results.percent(p.gap_closed)} %"
    else:
        gap = results.not_applicable()
    reason = results.change_reason("value", line.why, baseline_year, line.latest_year)
    return Markup(  # noqa: S704 - every piece is escaped or built from numbers
        f"<td>{escape(direction(line.indicator))}</td>"
        f'<td class="num">{results.number(p.baseline)}</td>'
        f'<td class="num">{latest}</td>'
        f'<td class="num">{results.score(line.score)}</td>'
        f"<td>{results.change_state(p.change)}{reason}</td>"
        f'<td class="num">{results.number(p.target)}</td>'
        f"<td>{results.target_state(p.target_state)}</td>"
        f'<td class="num">{gap}</td>'
    )


def fewer_than() -> str:
    """What a public page shows in place of a small count (see
    :mod:`meirim.reports.suppression`)."""
    return str(escape(suppression.label(None)))


def value_cells(line: Any) -> Markup:
    """A row of an indicator's values by year, small counts hidden from the public shown
    as "fewer than 5"."""
    hidden = line.suppressed or (False,) * len(line.values)
    return Markup(  # noqa: S704 - numbers and an escaped message
        "".join(
            f'<td class="num">{fewer_than() if small else results.number(value)}</td>'
            for value, small in zip(line.values, hidden, strict=True)
        )
    )


def direction(indicator: Indicator) -> str:
    """ "Better when …" of an indicator, looked up once per language and direction (the
    model's ``get_direction_display`` works through its choices on every call)."""
    key = (current_language(), indicator.direction)
    found = _DIRECTIONS.get(key)
    if found is None:
        found = _DIRECTIONS[key] = str(indicator.get_direction_display())
    return found


_DIRECTIONS: dict[tuple[str, int], str] = {}


def environment(**options: Any) -> Environment:
    env = Environment(**options)  # noqa: S701 - Django's backend passes autoescape=True
    # Only ``_``: messages with a plural or a context are built in Python, where
    # ``makemessages`` finds them.
    env.globals["_"] = translated
    # Filters, not globals: Jinja2 calls a filter directly, a global through its context. A
    # filter on a constant is applied once when the template is compiled, so translated
    # pieces with a constant argument are called as globals (``r.change_state("worse")``).
    env.filters.update(
        {
            "floatformat": floatformat,
            "regroup": regroup,
            "url": url,
            "tr": name,
            "direction": direction,
            "tr_text": tr_text,
            "score": results.score,
            "number": results.number,
            "indicator_cells": indicator_cells,
            "score_cells": results.score_cells,
            "number_cells": results.number_cells,
            "value_cells": value_cells,
            "band": results.band,
            "percent": results.percent,
            "change_state": results.change_state,
            "target_state": results.target_state,
            "data_status": results.data_status,
            "not_scored_reason": results.not_scored_reason,
            "node_name": lambda code, entry: results.node_name(code, entry),
            "change_reason": lambda reason, kind, baseline, year: results.change_reason(
                kind, reason, baseline, year
            ),
        }
    )
    return env
