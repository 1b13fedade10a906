"""A national file is compared with what is stored and written a group of cities at a time:
the outcome is that of one write, and a failure in any group leaves nothing behind."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection, transaction

from meirim.common.models import AuditEvent
from meirim.data.models import DataRevision, Observation
from meirim.data.services import imports
from tests.data.conftest import import_national

HISTORY = range(2018, 2023)


def _rows(*towns):
    """Five steady years per city, then 2023: a jump for the last city, steady for the rest."""
    rows = []
    for town in towns:
        for year in HISTORY:
            rows.append(
                {"municipality": town.code, "code": "I03", "year": year, "value": 100 + year % 3}
            )
    for town in towns:
        value = 900 if town == towns[-1] else 101
        rows.append({"municipality": town.code, "code": "I03", "year": 2023, "value": value})
    return rows


def _cells():
    return sorted(
        Observation.objects.values_list(
            "municipality__code", "code", "year", "value", "is_outlier", "updated_at"
        )
    )


def _outcome(version, rows):
    """(summary figures, outliers, stored cells) of a first import and a re-import."""
    outcomes = []
    with transaction.atomic():
        for _time in range(2):
            summary = import_national(version, rows)
            outliers = [(o.row, o.municipality, o.year) for o in summary.outliers]
            figures = (summary.created, summary.updated, summary.unchanged, summary.years)
            outcomes.append((figures, outliers, [cell[:5] for cell in _cells()]))
        transaction.set_rollback(True)
    return outcomes


@pytest.mark.django_db
def test_groups_of_cities_give_the_outcome_of_one_write(version, town, other_town, monkeypatch):
    rows = _rows(town, other_town)
    whole = _outcome(version, rows)
    monkeypatch.setattr(imports, "GROUP_ROWS", 1)  # each city a group of its own
    assert _outcome(version, rows) == whole
    (figures, outliers, cells), (again, again_outliers, _cells_again) = whole
    assert figures == (12, 0, 0, (*HISTORY, 2023))
    assert outliers == [(13, other_town.code, 2023)]
    assert again == (0, 0, 12, (*HISTORY, 2023)) and again_outliers == outliers
    assert [cell[4] for cell in cells].count(True) == 1


@pytest.mark.django_db(transaction=True)
def test_a_failure_in_a_late_group_rolls_back_the_groups_written_before(
    version, town, other_town, monkeypatch
):
    monkeypatch.setattr(imports, "GROUP_ROWS", 1)
    # The second city's rows are refused by the database itself, after the first is written.
    table = Observation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_late() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF NEW.municipality_id = {int(other_town.pk)} THEN RAISE EXCEPTION 'refused'; "
            "END IF; RETURN NEW; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER refuse_late BEFORE INSERT ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION refuse_late()"
        )
    try:
        audits = AuditEvent.objects.count()
        with pytest.raises(psycopg.Error, match="refused"):
            import_national(version, _rows(town, other_town))
        assert not Observation.objects.exists()
        assert AuditEvent.objects.count() == audits
        assert not DataRevision.objects.filter(version=version).exists()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER refuse_late ON {table}")
            cursor.execute("DROP FUNCTION refuse_late()")
