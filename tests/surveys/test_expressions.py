"""The server's evaluator of XLSForm's relevance and constraints."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meirim.surveys.expressions import ExpressionError, holds, parse, references

ANSWERS = {"plays": "yes", "age": 12, "things": ["ball", "swing"], "empty": None}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${plays} = 'yes'", True),
        ("${plays} != 'yes'", False),
        ('${plays} = "no"', False),
        ("${age} < 13", True),
        ("${age} > 13", False),
        ("${age} <= 12", True),
        ("${age} >= 12.5", False),
        ("${age} = 12", True),
        ("${age} < 13 and ${plays} = 'yes'", True),
        ("${age} > 13 or ${plays} = 'yes'", True),
        ("not(${plays} = 'yes')", False),
        ("selected(${things}, 'ball')", True),
        ("selected(${things}, 'slide')", False),
        ("count-selected(${things}) = 2", True),
        ("count-selected(${things}) >= 3", False),
        ("(${age} > 13 or ${age} < 10) and ${plays} = 'yes'", False),
        ("${age} > 13 or (${age} < 13 and ${plays} = 'yes')", True),
        ("${empty} = ''", True),
        ("${empty} > 3", False),
        ("${empty} != 3", True),
        ("${missing} = ''", True),
        ("string-length(${plays}) = 3", True),
        ("true() and not(false())", True),
    ],
)
def test_the_common_subset_is_evaluated(text, expected):
    assert holds(text, ANSWERS) is expected


def test_a_constraint_reads_the_current_answer():
    assert holds(". >= 5 and . <= 24", {}, current=12)
    assert not holds(". >= 5 and . <= 24", {}, current=30)


def test_references_are_listed():
    assert references(parse("selected(${a}, 'x') and ${b} > 1 or not(${c} = '')")) == {
        "a",
        "b",
        "c",
    }


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os')",
        "${a} = ",
        "${a} + 1 = 2",
        "today() > 1",
        "(${a} = 'x'",
        "${a} = 'x')",
        "selected(${a})",
        "${a} == 'x'",
        "position(..) = 1",
    ],
)
def test_anything_else_is_refused(text):
    with pytest.raises(ExpressionError):
        parse(text)


@given(
    st.integers(min_value=-1000, max_value=1000),
    st.integers(min_value=-1000, max_value=1000),
    st.sampled_from(["=", "!=", "<", ">", "<=", ">="]),
)
def test_numeric_comparisons_agree_with_python(a, b, op):
    python = {
        "=": a == b,
        "!=": a != b,
        "<": a < b,
        ">": a > b,
        "<=": a <= b,
        ">=": a >= b,
    }[op]
    assert holds(f"${{x}} {op} {b}", {"x": a}) is python
    assert holds(f"{a} {op} ${{y}}", {"y": str(b)}) is python


@given(st.booleans(), st.booleans(), st.booleans())
def test_boolean_logic_agrees_with_python(p, q, r):
    answers = {"p": "y" if p else "n", "q": "y" if q else "n", "r": "y" if r else "n"}
    text = "(${p} = 'y' or ${q} = 'y') and not(${r} = 'y')"
    assert holds(text, answers) is ((p or q) and not r)


@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True))
def test_selected_and_count_selected_agree_with_python(chosen):
    answers = {"m": chosen}
    assert holds("selected(${m}, 'b')", answers) is ("b" in chosen)
    assert holds(f"count-selected(${{m}}) = {len(chosen)}", answers)


@given(st.text(max_size=40))
def test_arbitrary_text_never_raises_anything_but_an_expression_error(text):
    with contextlib.suppress(ExpressionError):
        parse(text)
