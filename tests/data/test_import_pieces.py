"""A file is checked a piece at a time and written a group of cities at a time, by a second
thread, in the text format of COPY: none of it shows in what is stored or reported."""

from __future__ import annotations

import threading

import pytest

from meirim.common.tabular import ImportRejected
from meirim.data.models import Observation
from meirim.data.services import imports, observations_import_all, reading
from meirim.data.validation import msg_duplicate
from tests.data.conftest import HEADER, csv_bytes, import_city

# Texts the text format of COPY escapes, and one that reads as its null when not escaped.
AWKWARD = ("tab\there", "back\\slash", "\\N", "two\\tchars", "end\\")


@pytest.mark.django_db
def test_a_cell_repeated_in_a_later_piece_of_the_file_is_reported_with_its_first_row(
    version, town, monkeypatch
):
    monkeypatch.setattr(reading, "FRAME_ROWS", 2)  # rows 2-3, 4-5, 6-7 …
    rows = [
        {"code": "I03", "year": 2020, "value": "1"},  # row 2
        {"code": "I03", "year": 2021, "value": "2"},
        {"code": "I03", "year": 2022, "value": "3"},
        {"code": "I03", "year": 2020, "value": "4", "sex": "female"},  # another cell
        {"code": "I03", "year": 2020, "value": "5"},  # row 6: the cell of row 2
        {"code": "I03", "year": 2022, "value": "6"},  # row 7: the cell of row 4
        {"code": "I03", "year": 2020, "value": "7"},  # row 8: the cell of row 2 again
    ]
    with pytest.raises(ImportRejected) as caught:
        import_city(version, town, rows)
    assert [(p.row, p.field, p.message) for p in caught.value.problems] == [
        (6, "code", msg_duplicate(2)),
        (7, "code", msg_duplicate(4)),
        (8, "code", msg_duplicate(2)),
    ]
    assert not Observation.objects.exists()


@pytest.mark.django_db
def test_texts_that_copy_escapes_are_stored_as_written_new_and_changed(version, town):
    rows = [
        {"code": "I03", "year": 2015 + index, "value": "1", "comment": text, "source": text}
        for index, text in enumerate(AWKWARD)
    ]
    # A quoted line end: such a file is read row by row, and written the same way.
    rows.append({"code": "I03", "year": 2014, "value": "1", "comment": "line\nnext"})
    import_city(version, town, rows)
    stored = dict(Observation.objects.values_list("year", "comment"))
    assert [stored[2015 + index] for index in range(len(AWKWARD))] == list(AWKWARD)
    assert stored[2014] == "line\nnext"
    assert Observation.objects.get(year=2015).source == AWKWARD[0]

    changed = [{**row, "comment": f"{row['comment']}\t\\N"} for row in rows]
    summary = import_city(version, town, changed)
    assert summary.updated == len(rows)
    stored = dict(Observation.objects.values_list("year", "comment"))
    assert stored == {row["year"]: row["comment"] for row in changed}


@pytest.mark.django_db
def test_the_progress_of_every_group_is_reported_in_order_from_the_calling_thread(
    version, town, other_town, monkeypatch
):
    monkeypatch.setattr(imports, "GROUP_ROWS", 1)  # each city a group of its own
    rows = [
        {"municipality": place.code, "code": "I03", "year": year, "value": "10"}
        for place in (town, other_town)
        for year in (2020, 2021, 2022)
    ]
    calls = []
    caller = threading.get_ident()

    def progress(done, total):
        calls.append((done, total, threading.get_ident() == caller))

    observations_import_all(
        version=version,
        data=csv_bytes(rows, ["municipality", *HEADER]),
        filename="all.csv",
        actor=None,
        progress=progress,
    )
    assert calls == [(0, 6, True), (3, 6, True), (6, 6, True)]
    assert Observation.objects.count() == 6
