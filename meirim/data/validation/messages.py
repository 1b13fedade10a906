"""Problem messages shared by the checks and the data services, translated when called."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from meirim.data.validation.enums import _allowed

# Kept as functions so that each message is translated in the language of the request.


def msg_unknown_value(value: str, allowed: Sequence[str], total: bool = False) -> str:
    if total:
        return _(
            "unknown value '%(value)s'; allowed values: %(allowed)s, or leave it empty for all"
        ) % {"value": value, "allowed": _allowed(allowed)}
    return _("unknown value '%(value)s'; allowed values: %(allowed)s") % {
        "value": value,
        "allowed": _allowed(allowed),
    }


def msg_not_a_number(value: str) -> str:
    return _("'%(value)s' is not a number") % {"value": value}


def msg_locked(year: int) -> str:
    return _(
        "The data for %(year)s are approved and locked. Ask the national council to reopen "
        "the year before changing them."
    ) % {"year": year}


def msg_duplicate(first: int | None) -> str:
    return _(
        "the same indicator, year and breakdown is already on row %(first)s; keep one row per value"
    ) % {"first": first}
