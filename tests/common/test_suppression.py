"""Small-group suppression: no hidden figure can be worked out from the shown ones."""

from __future__ import annotations

import itertools

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from meirim.common.suppression import label, shown, suppress_table

THRESHOLD = 5
# A large hidden cell could be anything from 5 up; the enumeration stops here, past every
# total the strategy makes, so the search is exhaustive for these tables.
CEILING = 50


def feasible_values(table):
    """Every value each hidden cell can take, given the shown cells and (if shown) the total.

    The attacker knows that a hidden cell is never zero while the total is shown. Without the
    total nothing ties the hidden cells together: each could be any count.
    """
    hidden = [key for key, value in table.cells.items() if value is None]
    if not hidden:
        return {}
    if table.total is None:
        return {key: set(range(CEILING)) for key in hidden}
    rest = table.total - sum(value for value in table.cells.values() if value is not None)
    values = {key: set() for key in hidden}
    # Enumerate all but the last hidden cell; the total fixes the last one.
    for combination in itertools.product(range(1, CEILING), repeat=len(hidden) - 1):
        last = rest - sum(combination)
        if last < 1:
            continue
        for key, value in zip(hidden, (*combination, last), strict=True):
            values[key].add(value)
    return values


@given(st.dictionaries(st.sampled_from("abcd"), st.integers(0, 12), min_size=1, max_size=4))
def test_no_hidden_cell_is_recovered_by_differencing(counts):
    table = suppress_table(counts)
    total = sum(counts.values())
    for key, value in counts.items():
        if 0 < value < THRESHOLD:
            assert table.cells[key] is None, "a small cell is shown"
    if 0 < total < THRESHOLD:
        assert table.total is None
    for key, possible in feasible_values(table).items():
        assert counts[key] in possible
        assert len(possible) > 1, f"{key}={counts[key]} recovered from {table}"


def test_a_small_part_with_its_total_hides_another_part_too():
    # 16 = 7 + 3 + 6: showing 16, 7 and 6 would give the 3 back.
    table = suppress_table({"play": 7, "school": 3, "other": 6})
    assert table.cells["school"] is None
    assert table.cells["other"] is None  # the smallest other part, hidden with it
    assert table.cells["play"] == 7
    assert table.total == 16


def test_two_small_parts_that_would_pin_each_other():
    # 4 + 4 = 8 is the only way two small parts make 8: the total goes too.
    table = suppress_table({"a": 4, "b": 4})
    assert table.cells == {"a": None, "b": None}
    assert table.total is None


def test_a_small_total_hides_everything_and_zero_is_shown():
    assert suppress_table({"a": 3, "b": 0}).as_json() == {
        "total": None,
        "counts": {"a": None, "b": None},
        "suppressed": ["a", "b", "total"],
        "threshold": 5,
    }
    assert suppress_table({"a": 0, "b": 9}).cells == {"a": 0, "b": 9}


def test_parts_that_do_not_add_up_hide_only_small_ones():
    table = suppress_table({"x": 3, "y": 8}, total=9, additive=False)
    assert table.cells == {"x": None, "y": 8}
    assert table.total == 9


def test_a_single_count_and_its_label():
    assert shown(4) is None
    assert shown(0) == 0
    assert shown(5) == 5
    with translation.override("en"):
        assert label(None) == "fewer than 5"
    with translation.override("ru"):
        assert label(None) == "менее 5"
    assert label(12) == "12"
