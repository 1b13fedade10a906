"""A national file is written city by city while the rest of it is checked: the outcome is
that of checking it all first, and a file refused late leaves nothing of what was written."""

from __future__ import annotations

import pytest

from meirim.common.models import AuditEvent
from meirim.common.tabular import ImportRejected
from meirim.data.models import DataRevision, Observation
from meirim.data.services import imports, reading
from meirim.data.validation import msg_duplicate
from meirim.geography.models import Municipality
from tests.data.conftest import import_national
from tests.data.test_import_groups import _cells, _outcome, _rows


@pytest.fixture
def small_pieces(monkeypatch):
    """Pieces of two rows and a group per city: cities are written during the check."""
    monkeypatch.setattr(reading, "FRAME_ROWS", 2)
    monkeypatch.setattr(imports, "GROUP_ROWS", 1)


def _by_city(rows):
    """The rows city after city, in the order of their ids (the order written during the check)."""
    ids = dict(Municipality.objects.values_list("code", "pk"))
    return sorted(rows, key=lambda row: (ids[row["municipality"]], row["year"]))


def _without_rows(outcomes):
    return [(figures, [o[1:] for o in outliers], cells) for figures, outliers, cells in outcomes]


@pytest.mark.django_db
def test_cities_written_while_checked_give_the_outcome_of_the_whole_file(
    version, town, other_town, monkeypatch
):
    ordered = _by_city(_rows(town, other_town))
    whole = _outcome(version, ordered)
    monkeypatch.setattr(reading, "FRAME_ROWS", 2)
    monkeypatch.setattr(imports, "GROUP_ROWS", 1)
    assert _outcome(version, ordered) == whole
    # Cities out of order, or mixed: written the usual way, with the same outcome (but for
    # the rows' numbers).
    for rows in (list(reversed(ordered)), _rows(town, other_town)):
        assert _without_rows(_outcome(version, rows)) == _without_rows(whole)
    (figures, outliers, _stored), (again, _outliers, _again) = whole
    assert figures[:3] == (12, 0, 0) and again[:3] == (0, 0, 12)
    assert len(outliers) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("small_pieces")
def test_a_value_refused_after_cities_were_written_leaves_nothing_and_names_row_and_field(
    version, town, other_town
):
    rows = _by_city(_rows(town, other_town))
    rows[-1] = {**rows[-1], "value": "twelve"}
    audits = AuditEvent.objects.count()
    with pytest.raises(ImportRejected) as refused:
        import_national(version, rows)
    assert [(problem.row, problem.field) for problem in refused.value.problems] == [
        (len(rows) + 1, "value")
    ]
    assert not Observation.objects.exists()
    assert AuditEvent.objects.count() == audits
    assert not DataRevision.objects.filter(version=version).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("small_pieces")
def test_a_cell_repeated_after_cities_were_written_leaves_the_stored_cells_as_they_were(
    version, town, other_town
):
    rows = _by_city(_rows(town, other_town))
    import_national(version, rows)
    before = _cells()
    changed = [{**row, "value": 105} for row in rows] + [{**rows[0], "value": 7}]
    with pytest.raises(ImportRejected) as refused:
        import_national(version, changed)
    assert [(p.row, p.field, p.message) for p in refused.value.problems] == [
        (len(changed) + 1, "code", msg_duplicate(2))
    ]
    assert _cells() == before
