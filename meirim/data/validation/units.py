"""Catalogue items as the rules see them, and the rules of their units (ranges, ratios)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from django.utils.translation import gettext as _

from meirim.catalogue.models import Unit
from meirim.data.models import DataType
from meirim.data.validation.numbers import _HUNDRED, _ONE, _ZERO

QUANTITATIVE_UNITS: Final = frozenset(
    {Unit.PERCENT, Unit.RATE, Unit.COUNT, Unit.RATIO, Unit.CURRENCY, Unit.NUMBER}
)
QUALITATIVE_UNITS: Final = frozenset({Unit.YESNO, Unit.TEXT})
# Units whose value may be given as numerator / denominator × factor.
RATIO_UNITS: Final = frozenset({Unit.PERCENT, Unit.RATE})


class ItemKind:
    INDICATOR: Final = "indicator"
    BASELINE: Final = "baseline"
    DENOMINATOR: Final = "denominator"


@dataclass(frozen=True, slots=True)
class ItemSpec:
    """What the rules need to know about one catalogue item (I-, B- or D-code)."""

    code: str
    kind: str
    unit: str
    factor: Decimal | None = None
    denominator: str = ""
    data_type: str = DataType.QUANTITATIVE

    @property
    def is_qualitative(self) -> bool:
        return self.unit in QUALITATIVE_UNITS

    @property
    def takes_ratio(self) -> bool:
        """Percentages and rates may be given as numerator and denominator."""
        return self.unit in RATIO_UNITS

    @property
    def multiplier(self) -> Decimal:
        if self.factor:
            return self.factor
        return _HUNDRED if self.unit == Unit.PERCENT else _ONE


def _range_problem(unit: str, value: Decimal) -> str:
    """The message for a value outside its unit's range, or ''."""
    if unit == Unit.PERCENT:
        if not _ZERO <= value <= _HUNDRED:
            return _("a percentage must be between 0 and 100")
    elif unit == Unit.COUNT:
        if value < 0 or value != value.to_integral_value():
            return _("a count must be a whole number, 0 or more")
    elif unit in (Unit.RATE, Unit.RATIO, Unit.CURRENCY) and value < 0:
        return _("the value must be 0 or more")
    return ""
