"""Checks of a row's figures: a plain value, numerator and denominator, or a qualitative answer."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from meirim.catalogue.models import Unit
from meirim.common.tabular import Problem
from meirim.data.models import ObservationStatus
from meirim.data.validation.columns import DESCRIPTION
from meirim.data.validation.messages import msg_not_a_number
from meirim.data.validation.numbers import (
    _SIX_PLACES,
    NotANumber,
    fits_six_places,
    format_number,
    parse_number,
    yes_no,
)
from meirim.data.validation.units import ItemSpec, _range_problem


class ValueChecks:
    """The part of :class:`~meirim.data.validation.rows.RowChecker` that reads figures."""

    def _plain_value(
        self, number: int | None, unit: str, raw: str, problems: list[Problem]
    ) -> Decimal | None:
        """The value of a quantitative item given without numerator and denominator."""
        if not raw:
            problems.append(Problem(number, "value", _("a reported figure needs a value")))
            return None
        value = self._number(number, "value", raw, problems)
        if value is None:
            return None
        message = _range_problem(unit, value)
        if message:
            problems.append(Problem(number, "value", message))
            return None
        return value.quantize(_SIX_PLACES)

    def _nothing_reported(
        self,
        number: int | None,
        status: str,
        value_raw: str,
        numerator_raw: str,
        denominator_raw: str,
        description: str,
        problems: list[Problem],
    ) -> None:
        label = ObservationStatus(status).label
        for name, raw in (
            ("value", value_raw),
            ("numerator", numerator_raw),
            ("denominator", denominator_raw),
            (DESCRIPTION, description),
        ):
            if raw:
                problems.append(
                    Problem(
                        number,
                        name,
                        _("leave this empty when the status is '%(status)s'") % {"status": label},
                    )
                )

    def _qualitative(
        self,
        number: int | None,
        item: ItemSpec,
        value_raw: str,
        numerator_raw: str,
        denominator_raw: str,
        description: str,
        problems: list[Problem],
    ) -> tuple[Decimal | None, str]:
        for name, raw in (("numerator", numerator_raw), ("denominator", denominator_raw)):
            if raw:
                problems.append(
                    Problem(
                        number,
                        name,
                        _("numerator and denominator apply only to percentages and rates"),
                    )
                )
        if item.unit == Unit.TEXT:
            text = description or value_raw
            if not text:
                problems.append(
                    Problem(number, DESCRIPTION, _("a reported answer needs a description"))
                )
            return None, text
        if not value_raw:
            problems.append(
                Problem(number, "value", _("a reported answer needs yes (1) or no (0)"))
            )
            return None, description
        answer = yes_no(value_raw)
        if answer is None:
            problems.append(
                Problem(
                    number,
                    "value",
                    _("'%(value)s' is not an answer; write yes (1) or no (0)")
                    % {"value": value_raw},
                )
            )
        return answer, description

    def _number(
        self, number: int | None, name: str, raw: str, problems: list[Problem]
    ) -> Decimal | None:
        try:
            parsed = parse_number(raw)
        except NotANumber:
            problems.append(Problem(number, name, msg_not_a_number(raw)))
            return None
        if not fits_six_places(parsed):
            problems.append(Problem(number, name, _("the number is too large")))
            return None
        return parsed

    def _quantitative(
        self,
        number: int | None,
        item: ItemSpec,
        value_raw: str,
        numerator_raw: str,
        denominator_raw: str,
        problems: list[Problem],
    ) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        """A value given as numerator and denominator (and perhaps the value as well)."""
        start = len(problems)
        value = self._number(number, "value", value_raw, problems) if value_raw else None
        numerator, denominator = self._ratio(number, item, numerator_raw, denominator_raw, problems)
        if numerator is None or denominator is None:
            return None, None, None
        computed = numerator / denominator * item.multiplier
        if not fits_six_places(computed):
            problems.append(Problem(number, "value", _("the number is too large")))
            return None, None, None
        if value is not None and not _agrees(value, computed):
            problems.append(
                Problem(
                    number,
                    "value",
                    _(
                        "the value %(value)s does not match numerator / denominator "
                        "(%(computed)s); leave the value empty to have it computed"
                    )
                    % {"value": value_raw, "computed": format_number(_six(computed))},
                )
            )
        value = computed
        if len(problems) > start or value is None:
            return None, None, None
        message = _range_problem(item.unit, value)
        if message:
            problems.append(Problem(number, "value", message))
            return None, None, None
        return _six(value), numerator, denominator

    def _ratio(
        self,
        number: int | None,
        item: ItemSpec,
        numerator_raw: str,
        denominator_raw: str,
        problems: list[Problem],
    ) -> tuple[Decimal | None, Decimal | None]:
        if not item.takes_ratio:
            for name, raw in (("numerator", numerator_raw), ("denominator", denominator_raw)):
                if raw:
                    problems.append(
                        Problem(
                            number,
                            name,
                            _("numerator and denominator apply only to percentages and rates"),
                        )
                    )
            return None, None
        start = len(problems)
        if not numerator_raw:
            problems.append(
                Problem(number, "numerator", _("give both the numerator and the denominator"))
            )
        if not denominator_raw:
            problems.append(
                Problem(number, "denominator", _("give both the numerator and the denominator"))
            )
        numerator = (
            self._number(number, "numerator", numerator_raw, problems) if numerator_raw else None
        )
        denominator = (
            self._number(number, "denominator", denominator_raw, problems)
            if denominator_raw
            else None
        )
        if numerator is not None and numerator < 0:
            problems.append(Problem(number, "numerator", _("the numerator must be 0 or more")))
        if denominator is not None and denominator <= 0:
            problems.append(
                Problem(number, "denominator", _("the denominator must be more than 0"))
            )
        elif denominator is not None and _six(denominator) == 0:
            # Stored with six decimals, it would be 0: the value could not be computed.
            problems.append(
                Problem(
                    number,
                    "denominator",
                    _("the denominator must be at least 0.000001 (figures keep six decimals)"),
                )
            )
        if (
            len(problems) == start
            and numerator is not None
            and denominator is not None
            and numerator > denominator
        ):
            problems.append(
                Problem(
                    number,
                    "numerator",
                    _(
                        "the numerator (%(numerator)s) is larger than the denominator "
                        "(%(denominator)s)"
                    )
                    % {"numerator": numerator_raw, "denominator": denominator_raw},
                )
            )
        if len(problems) > start or numerator is None or denominator is None:
            return None, None
        return _six(numerator), _six(denominator)


def _six(value: Decimal) -> Decimal:
    return value.quantize(_SIX_PLACES)


def _agrees(given: Decimal, computed: Decimal) -> bool:
    """True when ``given`` is ``computed`` rounded to the decimals the person wrote."""
    exponent = given.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    tolerance = Decimal(5) * Decimal(10) ** -(places + 1)
    return abs(given - computed) <= tolerance + _SIX_PLACES
