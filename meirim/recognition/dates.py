"""Calendar arithmetic of cycles and statuses: months, as the model counts validity."""

from __future__ import annotations

import calendar
import datetime

from meirim.recognition.models import MAX_VALIDITY_MONTHS, Cycle, Level


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def validity_months(cycle: Cycle, level: str) -> int:
    """How long a status of ``level`` granted in ``cycle`` lasts: the cycle's setting, never
    more than the hard limit of R-6.10 whatever the setting says."""
    months = cycle.level2_months if level == Level.L2 else cycle.level1_months
    return min(months, MAX_VALIDITY_MONTHS)


def expiry(cycle: Cycle, level: str, granted_on: datetime.date) -> datetime.date:
    return add_months(granted_on, validity_months(cycle, level))
