"""Small-group suppression for every public figure that counts children or respondents.

A count between 1 and ``SMALL_GROUP_THRESHOLD - 1`` is never shown: it reads "fewer than 5".
Hiding the small cell alone is not enough when the table also shows its total — the total
minus the other parts would give it back. So a table is suppressed as a whole:

1. if its total itself is small, every figure of it is hidden;
2. the small cells are hidden (primary suppression);
3. while any hidden cell could still be worked out exactly from the total and the shown cells,
   the smallest shown non-zero cell is hidden too (secondary suppression); when no cell is
   left to hide, the total is hidden.

The test for (3) is exact for one table: with the total known, the hidden cells sum to a known
figure, and each hidden cell lies in a known box (1..4 for a small one, 5.. for a large one), so
its feasible range is ``[max(lo, S - Σ others' hi), min(hi, S - Σ others' lo)]``. A cell is safe
when that range holds more than one value.

Zero is shown: it tells nothing about any child. Tables whose cells do not add up to the total
(a question with several answers per respondent) pass ``additive=False``: then no part can be
derived from the others, and only the small cells (and a small total) are hidden.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.utils.translation import gettext_lazy as _

from meirim.common.programme import SMALL_GROUP_THRESHOLD

K = TypeVar("K", bound=Hashable)

#: What a public page shows in place of a suppressed count.
FEWER_THAN = _("fewer than %(threshold)s")

_UNBOUNDED = 10**12


def is_small(count: int, threshold: int = SMALL_GROUP_THRESHOLD) -> bool:
    return 0 < count < threshold


def shown(count: int | None, threshold: int = SMALL_GROUP_THRESHOLD) -> int | None:
    """One count on its own (no parts, no total): the count, or None when small."""
    if count is None or is_small(count, threshold):
        return None
    return count


def label(count: int | None, threshold: int = SMALL_GROUP_THRESHOLD) -> str:
    """The text of a count already passed through suppression (None → "fewer than 5")."""
    if count is None:
        return str(FEWER_THAN % {"threshold": threshold})
    return str(count)


@dataclass(frozen=True)
class SuppressedTable(Generic[K]):
    """A table's public figures: None wherever a figure is hidden."""

    cells: dict[K, int | None]
    total: int | None
    threshold: int = SMALL_GROUP_THRESHOLD

    @property
    def hidden(self) -> list[K]:
        return [key for key, value in self.cells.items() if value is None]

    @property
    def any_hidden(self) -> bool:
        return self.total is None or bool(self.hidden)

    def as_json(self) -> dict[str, Any]:
        """For an API answer or an export: keys as strings, hidden figures as null."""
        return {
            "total": self.total,
            "counts": {str(key): value for key, value in self.cells.items()},
            "suppressed": [str(key) for key in self.hidden]
            + (["total"] if self.total is None else []),
            "threshold": self.threshold,
        }


def _pinned(counts: Mapping[K, int], hidden: set[K], threshold: int, total: int) -> bool:
    """Whether some hidden cell's exact value follows from the total and the shown cells."""
    if not hidden:
        return False
    hidden_sum = total - sum(value for key, value in counts.items() if key not in hidden)
    bounds = {
        key: (1, threshold - 1) if is_small(counts[key], threshold) else (threshold, _UNBOUNDED)
        for key in hidden
    }
    low_sum = sum(low for low, _high in bounds.values())
    high_sum = sum(high for _low, high in bounds.values())
    for low, high in bounds.values():
        feasible_low = max(low, hidden_sum - (high_sum - high))
        feasible_high = min(high, hidden_sum - (low_sum - low))
        if feasible_low >= feasible_high:
            return True
    return False


def suppress_table(
    counts: Mapping[K, int],
    *,
    total: int | None = None,
    additive: bool = True,
    threshold: int = SMALL_GROUP_THRESHOLD,
) -> SuppressedTable[K]:
    """Suppress a table of counts (see the module's rules).

    ``total`` defaults to the sum of the cells; give it when the cells do not add up to it
    (``additive=False``), e.g. the respondents of a question with several answers each.
    """
    table = dict(counts)
    whole = sum(table.values()) if total is None else total
    if is_small(whole, threshold):
        return SuppressedTable(dict.fromkeys(table), None, threshold)
    hidden = {key for key, value in table.items() if is_small(value, threshold)}
    show_total = True
    if additive:
        while _pinned(table, hidden, threshold, whole):
            candidates = sorted(
                (value, str(key), key)
                for key, value in table.items()
                if key not in hidden and value > 0
            )
            if not candidates:
                show_total = False
                break
            hidden.add(candidates[0][2])
    return SuppressedTable(
        {key: (None if key in hidden else value) for key, value in table.items()},
        whole if show_total else None,
        threshold,
    )
