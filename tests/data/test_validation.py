"""The rules for the cities' data, one by one (pure functions: no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from meirim.catalogue.models import Unit
from meirim.data.validation import (
    SKIP,
    CleanRow,
    ItemKind,
    ItemSpec,
    NotANumber,
    RowChecker,
    check_history,
    modified_z_scores,
    parse_number,
)

ITEMS = {
    "I01": ItemSpec("I01", ItemKind.INDICATOR, Unit.RATE, Decimal(1000), "D01"),
    "I05": ItemSpec("I05", ItemKind.INDICATOR, Unit.PERCENT, Decimal(100), "B04"),
    "I03": ItemSpec("I03", ItemKind.INDICATOR, Unit.COUNT),
    "I70": ItemSpec("I70", ItemKind.INDICATOR, Unit.YESNO, data_type="qualitative"),
    "I71": ItemSpec("I71", ItemKind.INDICATOR, Unit.TEXT, data_type="qualitative"),
    "B02": ItemSpec("B02", ItemKind.BASELINE, Unit.NUMBER),
    "B09": ItemSpec("B09", ItemKind.BASELINE, Unit.RATIO),
    "D01": ItemSpec("D01", ItemKind.DENOMINATOR, Unit.COUNT),
}
YEAR = 2024
CURRENT = 2026
TOWN_ID = 7
HEADER = [
    "code",
    "year",
    "value",
    "numerator",
    "denominator",
    "status",
    "sex",
    "age_band",
    "disability",
    "district",
    "data_type",
    "collection_method",
    "source",
    "comment",
    "description",
]


def checker(**kwargs) -> RowChecker:
    options = {"municipality_id": TOWN_ID, **kwargs}
    return RowChecker(
        header=kwargs.pop("header", HEADER),
        items=ITEMS,
        version_code="2026.1",
        current_year=CURRENT,
        **{k: v for k, v in options.items() if k != "header"},
    )


def check(record: dict[str, object], number: int | None = 2, **kwargs):
    """(clean row or None, problems as (field, message))."""
    record = {"code": "I03", "year": YEAR, **record}
    rules = checker(**kwargs)
    problems: list = []
    header = kwargs.get("header", HEADER)
    result = rules.check(number, [str(record.get(name, "")) for name in header], problems)
    return result, [(p.field, p.message) for p in problems]


def fields(record: dict[str, object], **kwargs) -> set[str]:
    return {field for field, _message in check(record, **kwargs)[1]}


# --- Numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", "12"),
        ("12.5", "12.5"),
        ("12,5", "12.5"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234\u00a0567", "1234567"),
        ("1\u202f234", "1234"),
        ("-3", "-3"),
        ("1e-07", "1E-7"),
    ],
)
def test_numbers_accept_comma_decimals_and_space_thousands(raw, expected):
    assert parse_number(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["abc", "1,234.5", "1.234,5", "NaN", "Infinity", "1_000", "12%"])
def test_numbers_refuse_what_is_not_a_plain_number(raw):
    with pytest.raises(NotANumber):
        parse_number(raw)


def test_a_value_that_is_not_a_number_is_reported_on_its_field():
    _row, problems = check({"value": "lots"})
    assert problems == [("value", gettext("'%(value)s' is not a number") % {"value": "lots"})]


# --- Codes and years ------------------------------------------------------------------


def test_unknown_code_is_reported_with_the_code():
    _row, problems = check({"code": "I99", "value": "1"})
    message = gettext("unknown code '%(code)s' in catalogue version %(version)s") % {
        "code": "I99",
        "version": "2026.1",
    }
    assert problems == [("code", message)]
    assert "I99" in message


def test_code_is_case_insensitive():
    row, problems = check({"code": "i03", "value": "4"})
    assert problems == [] and isinstance(row, CleanRow) and row.code == "I03"


@pytest.mark.parametrize("year", ["1989", str(CURRENT + 2), "20x4", ""])
def test_year_must_be_a_year_between_1990_and_next_year(year):
    assert fields({"year": year, "value": "1"}) == {"year"}


@pytest.mark.parametrize("year", ["1990", str(CURRENT + 1), "2024.0"])
def test_year_bounds_are_inclusive(year):
    row, problems = check({"year": year, "value": "1"})
    assert problems == [] and isinstance(row, CleanRow)


def test_a_locked_year_is_refused_with_a_clear_message():
    with translation.override("ru"):
        _row, problems = check({"value": "1"}, locked={(TOWN_ID, YEAR)})
        expected = gettext(
            "The data for %(year)s are approved and locked. Ask the national council to reopen "
            "the year before changing them."
        ) % {"year": YEAR}
    assert problems == [("year", expected)]


# --- Units and ranges -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "value", "ok"),
    [
        ("I05", "0", True),
        ("I05", "100", True),
        ("I05", "120", False),
        ("I05", "-1", False),
        ("I03", "1 000", True),
        ("I03", "2.5", False),
        ("I03", "-1", False),
        ("I01", "-0.1", False),
        ("I01", "4.7", True),
        ("B09", "-2", False),
        ("B02", "-2", True),
    ],
)
def test_ranges_by_unit(code, value, ok):
    _row, problems = check({"code": code, "value": value})
    assert (problems == []) is ok, problems
    if not ok:
        assert [field for field, _m in problems] == ["value"]


def test_percent_over_100_says_so():
    _row, problems = check({"code": "I05", "value": "120"})
    assert problems == [("value", gettext("a percentage must be between 0 and 100"))]


def test_negative_count_says_so():
    _row, problems = check({"code": "I03", "value": "-4"})
    assert problems == [("value", gettext("a count must be a whole number, 0 or more"))]


def test_values_are_kept_to_six_decimals():
    row, _problems = check({"code": "B02", "value": "3,14159265"})
    assert row.value == Decimal("3.141593")


# --- Numerator and denominator --------------------------------------------------------


def test_rate_is_computed_from_numerator_and_denominator_with_the_factor():
    row, problems = check({"code": "I01", "numerator": "5", "denominator": "2 000"})
    assert problems == []
    assert row.value == Decimal("2.5")  # 5 / 2000 × 1000
    assert (row.numerator, row.denominator) == (Decimal(5), Decimal(2000))


def test_percent_is_computed_times_100():
    row, _problems = check({"code": "I05", "numerator": "1", "denominator": "3"})
    assert row.value == Decimal("33.333333")


def test_a_given_value_must_match_numerator_and_denominator():
    row, problems = check({"code": "I05", "value": "33.3", "numerator": "1", "denominator": "3"})
    assert problems == [] and row.value == Decimal("33.333333")
    _row, problems = check({"code": "I05", "value": "40", "numerator": "1", "denominator": "3"})
    assert [field for field, _m in problems] == ["value"]


def test_numerator_larger_than_denominator_is_refused():
    _row, problems = check({"code": "I05", "numerator": "12", "denominator": "10"})
    message = gettext(
        "the numerator (%(numerator)s) is larger than the denominator (%(denominator)s)"
    ) % {"numerator": "12", "denominator": "10"}
    assert problems == [("numerator", message)]


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        ("-1", "10", {"numerator"}),
        ("1", "0", {"denominator"}),
        ("1", "-5", {"denominator"}),
        ("1", "", {"denominator"}),
        ("", "10", {"numerator"}),
        ("x", "10", {"numerator"}),
    ],
)
def test_numerator_and_denominator_rules(numerator, denominator, expected):
    assert fields({"code": "I01", "numerator": numerator, "denominator": denominator}) == expected


def test_numerator_and_denominator_only_for_percentages_and_rates():
    assert fields({"code": "I03", "numerator": "1", "denominator": "2"}) == {
        "numerator",
        "denominator",
    }


# --- Status ---------------------------------------------------------------------------


def test_reported_needs_a_value():
    _row, problems = check({"code": "I03", "status": "reported"})
    assert problems == [("value", gettext("a reported figure needs a value"))]


@pytest.mark.parametrize("status", ["no_data", "not_applicable", "outside_competence"])
def test_other_statuses_have_no_value(status):
    row, problems = check({"status": status})
    assert problems == [] and row.value is None and row.status == status
    assert fields({"status": status, "value": "3"}) == {"value"}
    assert fields({"code": "I01", "status": status, "numerator": "1", "denominator": "2"}) == {
        "numerator",
        "denominator",
    }


def test_status_defaults_to_reported_when_a_value_is_given():
    row, _problems = check({"value": "3"})
    assert row.status == "reported"


def test_enum_fields_list_the_allowed_values():
    _row, problems = check({"value": "1", "status": "done"})
    assert problems == [
        (
            "status",
            gettext("unknown value '%(value)s'; allowed values: %(allowed)s")
            % {"value": "done", "allowed": "reported, no_data, not_applicable, outside_competence"},
        )
    ]
    for field, bad in (
        ("sex", "girls"),
        ("disability", "some"),
        ("data_type", "numbers"),
        ("collection_method", "guess"),
    ):
        _row, problems = check({"value": "1", field: bad})
        assert [f for f, _m in problems] == [field]
        assert bad in problems[0][1]
    _row, problems = check({"value": "1", "sex": "girls"})
    assert "female, male" in problems[0][1]
    _row, problems = check({"value": "1", "collection_method": "guess"})
    assert "official_statistics" in problems[0][1] and "children_self_assessment" in problems[0][1]


def test_breakdowns_and_defaults():
    row, problems = check(
        {
            "value": "4",
            "sex": "Female",
            "age_band": "0-4",
            "disability": "with",
            "district": "North",
            "collection_method": "survey",
            "source": "Akimat",
        }
    )
    assert problems == []
    assert (row.sex, row.age_band, row.disability, row.district) == (
        "female",
        "0-4",
        "with",
        "North",
    )
    assert (row.collection_method, row.data_type, row.source) == (
        "survey",
        "quantitative",
        "Akimat",
    )
    row, _problems = check({"value": "4", "sex": "all"})
    assert row.sex == ""
    row, _problems = check({"value": "4"})
    assert row.collection_method == "official_statistics"


def test_text_columns_have_a_maximum_length():
    assert fields({"value": "1", "source": "x" * 256}) == {"source"}
    assert fields({"value": "1", "age_band": "x" * 17}) == {"age_band"}
    assert fields({"value": "1", "district": "x" * 65}) == {"district"}


# --- Qualitative items ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        ("yes", 1),
        ("no", 0),
        ("иә", 1),
        ("жоқ", 0),
        ("да", 1),
        ("нет", 0),
        ("ооба", 1),
        ("жок", 0),
        ("1", 1),
        ("0", 0),
        ("Да", 1),
    ],
)
def test_yes_no_answers_in_every_language(answer, value):
    row, problems = check({"code": "I70", "value": answer, "description": "A council exists"})
    assert problems == []
    assert row.value == value and row.text_value == "A council exists"
    assert row.data_type == "qualitative"


def test_yes_no_refuses_other_answers_and_needs_an_answer():
    assert fields({"code": "I70", "value": "maybe"}) == {"value"}
    assert fields({"code": "I70", "description": "only words"}) == {"value"}


def test_text_items_need_a_description():
    row, problems = check({"code": "I71", "description": "A plan was adopted"})
    assert problems == [] and row.text_value == "A plan was adopted" and row.value is None
    row, problems = check({"code": "I71", "value": "Written in the value column"})
    assert problems == [] and row.text_value == "Written in the value column"


# --- Rows without data, several problems, several municipalities --------------------


def test_a_row_without_data_is_skipped_in_a_file_but_refused_in_a_form():
    row, problems = check({"source": "only a source"})
    assert row is SKIP and problems == []
    _row, problems = check({}, number=None)
    assert problems == [("value", gettext("Enter a value or choose a status."))]


def test_every_problem_of_a_row_is_reported():
    assert fields(
        {"code": "I03", "year": "1900", "value": "-1", "sex": "x", "collection_method": "y"}
    ) == {"year", "value", "sex", "collection_method"}


def test_municipality_column_when_importing_for_all_municipalities():
    header = ["municipality", *HEADER]
    towns = {"KZ-A": 1, "KZ-B": 2}
    row, problems = check(
        {"municipality": "KZ-B", "value": "1"},
        header=header,
        municipalities=towns,
        municipality_id=None,
    )
    assert problems == [] and row.municipality_id == 2
    assert fields(
        {"municipality": "KZ-Z", "value": "1"},
        header=header,
        municipalities=towns,
        municipality_id=None,
    ) == {"municipality"}


def test_messages_follow_the_active_language():
    with translation.override("ru"):
        _row, problems = check({"code": "I05", "value": "120"})
        assert problems == [("value", gettext("a percentage must be between 0 and 100"))]


# --- Year-on-year outliers ------------------------------------------------------------


def test_modified_z_scores_follow_iglewicz_and_hoaglin():
    scores = modified_z_scores([10.0, 11.0, 12.0, 13.0, 50.0])
    # median 12, MAD median(|-2|,|-1|,0,1,38) = 1
    assert scores == pytest.approx([-1.349, -0.6745, 0.0, 0.6745, 25.631])
    assert modified_z_scores([1.0, 2.0, 3.0]) is None  # fewer than 4 points
    assert modified_z_scores([5.0, 5.0, 5.0, 9.0]) is None  # MAD = 0


def _clean(year: int, value: str, code: str = "I03") -> CleanRow:
    row, problems = check({"code": code, "year": year, "value": value})
    assert problems == []
    return row


def test_outliers_are_flagged_against_the_stored_series_including_the_new_value():
    key = (TOWN_ID, "I03", "", "", "", "")
    stored = {key: {2019: 100.0, 2020: 104.0, 2021: 98.0, 2022: 101.0}}
    jump, normal = _clean(2023, "900"), _clean(2024, "103")
    result = check_history([jump, normal], stored)
    assert jump.is_outlier and not normal.is_outlier
    assert [(w.code, w.year, w.value) for w in result.warnings] == [("I03", 2023, Decimal(900))]
    assert result.warnings[0].z > 3.5
    assert result.replaced == 0


def test_no_outlier_with_a_short_series_and_replaced_years_count():
    key = (TOWN_ID, "I03", "", "", "", "")
    stored = {key: {2022: 100.0, 2023: None}}
    row = _clean(2023, "900")
    result = check_history([row], stored)
    assert not row.is_outlier and result.warnings == [] and result.replaced == 1


# --- Numbers people may type, and what the row check makes of them ---------------------


def test_a_denominator_that_rounds_to_zero_is_refused_on_its_field():
    for numerator, denominator in (("0", "0.0000001"), ("0.0000001", "0.0000004")):
        row, problems = check({"code": "I01", "numerator": numerator, "denominator": denominator})
        assert row is None
        assert [field for field, _message in problems] == ["denominator"]


def test_a_value_that_rounds_beyond_the_stored_digits_is_too_large():
    row, problems = check({"code": "B02", "value": "99999999999999.9999999"})
    assert row is None and problems == [("value", gettext("the number is too large"))]


def test_a_year_with_a_huge_exponent_is_not_a_year():
    assert fields({"value": "1", "year": "1e999999999"}) == {"year"}


_NUMBER_TEXT = st.one_of(
    st.just(""),
    st.text(alphabet="0123456789.,-+eE _\u00a0", max_size=12),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.builds(
        lambda mantissa, exponent: f"{mantissa}e{exponent}",
        st.integers(min_value=-(10**6), max_value=10**6),
        st.integers(min_value=-(10**9), max_value=10**9),
    ),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["NaN", "Infinity", "-0", "1_000", "0.0000001", "4e-7", "1 234,5"]),
)


@given(
    code=st.sampled_from(sorted(ITEMS)),
    value=_NUMBER_TEXT,
    numerator=_NUMBER_TEXT,
    denominator=_NUMBER_TEXT,
    year=st.one_of(st.just(str(YEAR)), _NUMBER_TEXT),
)
@hypothesis_settings(max_examples=400, deadline=None)
def test_the_row_check_never_raises_and_keeps_what_the_database_holds(
    code, value, numerator, denominator, year
):
    rules = checker()
    problems: list = []
    record = {
        "code": code,
        "year": year,
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
    }
    result = rules.check(2, [record.get(name, "") for name in HEADER], problems)
    if isinstance(result, CleanRow):
        assert problems == []
        for number in (result.value, result.numerator, result.denominator):
            if number is not None:
                assert abs(number) < Decimal(10) ** 14
                assert number == number.quantize(Decimal("0.000001"))
        if result.denominator is not None:
            assert result.denominator > 0
    else:
        assert result is SKIP or problems
        assert all(isinstance(problem.message, str) and problem.field for problem in problems)
