"""Small counts on the public results pages and in the public API.

An indicator whose catalogue unit is ``count`` (deaths of children under five, …) is never
shown publicly between 1 and ``SMALL_GROUP_THRESHOLD - 1``: the value reads "fewer than 5",
and its score and progress are hidden too, since fixed goalposts would give the value back
(as in the open-data exports, :mod:`meirim.opendata.datasets`). The city's own staff, who
may read its drafts, see the figures as entered. Scores of sub-domains, categories and the
index are shown as they are: they mix several indicators.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from meirim.catalogue.models import Unit
from meirim.common.programme import SMALL_GROUP_THRESHOLD


def counted(unit: str) -> bool:
    """Whether an indicator of this unit counts children (small values are hidden)."""
    return unit == Unit.COUNT


def hidden(unit: str, value: Any) -> bool:
    """Whether the public may not see ``value`` of an indicator of ``unit``."""
    if value is None or not counted(unit):
        return False
    number = float(value)
    if number != number:  # NaN: no value
        return False
    return 0 < number < SMALL_GROUP_THRESHOLD


def mask(units: tuple[str, ...], values: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """Of ``values`` shaped (places, indicators, years), the cells the public may not see:
    ``units[i]`` is the unit of indicator ``i``."""
    counting = np.array([counted(u) for u in units], dtype=bool)
    with np.errstate(invalid="ignore"):
        small = (values > 0) & (values < SMALL_GROUP_THRESHOLD)
    hidden: npt.NDArray[np.bool_] = small & counting[None, :, None]
    return hidden
