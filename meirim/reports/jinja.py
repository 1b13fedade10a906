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
from markupsafe import Markup

from meirim.common.i18n import current_language
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
    put in with ``|format`` are escaped, unless already safe (a name with its language)."""
    return Markup(gettext(message))  # noqa: S704 - the project's own catalogues


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
            "tr": tr,
            "tr_text": tr_text,
            "score": results.score,
            "number": results.number,
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
