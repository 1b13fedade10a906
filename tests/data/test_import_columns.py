"""A CSV file is checked by columns: the same rows, values and messages as row by row."""

from __future__ import annotations

import io

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from meirim.common.tabular import ImportRejected
from meirim.data import selectors as data_selectors
from meirim.data.models import Observation
from meirim.data.services import observations_import
from meirim.data.validation import msg_duplicate
from tests.data.conftest import HEADER, csv_bytes

YEAR = 2024
CELLS = {
    "code": ["I03", "I06", " i06 ", "I01", "B01", "D01", "I04", "X99", "", "YESNO", "TEXT"],
    "year": ["2024", "2023", " 2022 ", "2024.0", "1989", "20x4", "", "2999"],
    "value": ["12", "45,5", "12 000", "-3", "100.5", "1e3", "", "", "abc", "0,000001", "yes", "иә"],
    "numerator": ["", "", "", "", "9", "-1", "250", "0", "1234567", "007"],
    "denominator": ["", "", "", "", "3 000", "0", "1000", "7", "3", "1234567"],
    "status": ["", "", "reported", "NO_DATA", "bogus"],
    "sex": ["", "female", "Male", "all", "other"],
    "age_band": ["", "0-4", "x" * 17],
    "disability": ["", "with", "nope"],
    "district": ["", "Centre"],
    "data_type": ["", "quantitative", "odd"],
    "collection_method": ["", "survey", "guess"],
    "source": ["", "Health department", "'+1 source"],
    "comment": ["", "fine", "'=1+1"],
}


def _xlsx(rows: list[dict[str, str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append([row.get(name, "") or None for name in HEADER])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _outcome(version, town, data: bytes, filename: str):
    """(problems, summary numbers, stored cells) of one import, then rolled back."""
    result = None
    try:
        with transaction.atomic():
            try:
                summary = observations_import(
                    version=version, municipality=town, data=data, filename=filename, actor=None
                )
            except ImportRejected as rejected:
                result = ([(p.row, p.field, p.message) for p in rejected.problems], None, None)
            else:
                cells = sorted(
                    Observation.objects.filter(municipality=town).values_list(
                        "code",
                        "year",
                        "sex",
                        "age_band",
                        "disability",
                        "district",
                        "value",
                        "numerator",
                        "denominator",
                        "text_value",
                        "status",
                        "data_type",
                        "collection_method",
                        "source",
                        "comment",
                    )
                )
                counts = (summary.rows, summary.created, summary.skipped, summary.years)
                result = ([], counts, cells)
            raise _RollBack
    except _RollBack:
        pass
    return result


class _RollBack(Exception):
    pass


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_columns_and_rows_agree_on_random_files(version, town, data):
    specs = data_selectors.item_specs(version)
    by_unit = {}
    for code, spec in specs.items():
        by_unit.setdefault(spec.unit, code)
    cells = {**CELLS, "code": [by_unit.get(c.lower(), c) for c in CELLS["code"]]}
    rows = data.draw(
        st.lists(
            st.fixed_dictionaries(
                {name: st.sampled_from(values) for name, values in cells.items()}
            ),
            min_size=1,
            max_size=12,
        )
    )
    by_columns = _outcome(version, town, csv_bytes(rows), "data.csv")
    by_rows = _outcome(version, town, _xlsx(rows), "data.xlsx")
    assert by_columns == by_rows


@pytest.mark.django_db
def test_large_file_reports_each_bad_row_by_its_number(version, town):
    good = [
        {"code": "I03", "year": YEAR, "value": str(n), "district": f"D{n}"} for n in range(3000)
    ]
    rows = list(good)
    bad_at = {17: "year", 1200: "value", 2999: "status"}
    rows[17] = {**rows[17], "year": "20x4"}
    rows[1200] = {**rows[1200], "value": "abc"}
    rows[2999] = {**rows[2999], "status": "bogus"}
    rows.append(dict(good[5]))  # the same cell again
    with pytest.raises(ImportRejected) as caught:
        observations_import(
            version=version, municipality=town, data=csv_bytes(rows), filename="d.csv", actor=None
        )
    found = [(p.row, p.field) for p in caught.value.problems]
    expected = [(index + 2, name) for index, name in sorted(bad_at.items())]
    assert found == [*expected, (len(rows) + 1, "code")]
    assert caught.value.problems[-1].message == msg_duplicate(7)
    assert not Observation.objects.exists()


GOOD = {
    "code": ["I03", "I06", " i06 ", "B01", "D01", "I04", "YESNO", "TEXT"],
    "year": ["2024", "2023", " 2022 ", "2024.0"],
    "value": ["12", "45,5", "12 000", "0,5", "1", "0", "yes", "иә"],
    "status": ["", "reported", "no_data"],
    "sex": ["", "female", "Male", "all"],
    "disability": ["", "with"],
    "source": ["", "Health department", "'+1 source"],
    "comment": ["", "fine", "'=1+1"],
}


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_columns_and_rows_store_the_same_cells(version, town, data):
    by_unit = {}
    for code, spec in data_selectors.item_specs(version).items():
        by_unit.setdefault(spec.unit, code)
    cells = {**GOOD, "code": [by_unit.get(c.lower(), c) for c in GOOD["code"]]}
    rows = data.draw(
        st.lists(
            st.fixed_dictionaries(
                {name: st.sampled_from(values) for name, values in cells.items()}
            ),
            min_size=1,
            max_size=6,
            unique_by=lambda row: (row["code"].strip().upper(), row["year"].strip(), row["sex"]),
        )
    )
    assert _outcome(version, town, csv_bytes(rows), "data.csv") == _outcome(
        version, town, _xlsx(rows), "data.xlsx"
    )
