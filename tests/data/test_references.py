"""An observation never names a version or municipality that does not exist, whatever writes it."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from meirim.data.models import Observation
from meirim.data.services import observation_save

TABLE = Observation._meta.db_table


def _insert(version_id: int, municipality_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (version_id, municipality_id, code, year, sex, age_band, "  # noqa: S608
            "disability, district, text_value, status, data_type, collection_method, source, "
            "comment, is_outlier, is_demo, updated_at, value) VALUES (%s, %s, 'I03', 2024, '', "
            "'', '', '', '', 'reported', 'quantitative', 'survey', '', '', false, false, now(), 1)",
            [version_id, municipality_id],
        )


@pytest.mark.django_db
def test_a_row_naming_a_missing_municipality_or_version_is_refused(version, town):
    with pytest.raises(IntegrityError, match="municipality"), transaction.atomic():
        _insert(version.pk, 987_654)
    with pytest.raises(IntegrityError, match="version"), transaction.atomic():
        _insert(987_654, town.pk)
    _insert(version.pk, town.pk)
    with pytest.raises(IntegrityError, match="municipality"), transaction.atomic():
        Observation.objects.filter(municipality=town).update(municipality_id=987_654)


@pytest.mark.django_db
def test_a_named_municipality_or_version_cannot_be_deleted_by_sql(version, town):
    observation_save(
        version=version, municipality=town, code="I03", year=2024, values={"value": 4}, actor=None
    )
    with connection.cursor() as cursor:
        for sql, pk in (
            ("DELETE FROM geography_municipality WHERE id = %s", town.pk),
            ("UPDATE geography_municipality SET id = id + 100000 WHERE id = %s", town.pk),
            ("DELETE FROM catalogue_catalogueversion WHERE id = %s", version.pk),
        ):
            with pytest.raises(IntegrityError, match="referenced"), transaction.atomic():
                cursor.execute(sql, [pk])
    assert Observation.objects.filter(municipality=town).count() == 1
