"""Fixtures for the cities' data: the catalogue version, towns, files, other towns' users."""

from __future__ import annotations

import csv
import io

import pytest

from meirim.accounts.models import Role
from meirim.catalogue.models import CatalogueVersion
from meirim.data.services import observations_import, observations_import_all
from meirim.geography.models import Municipality
from tests.factories import user_with_role

TOWN = "KZ-AKM-KOKSHETAU"
OTHER_TOWN = "KZ-AKM-STEPNOGORSK"  # same region as the town, another municipality
FAR_TOWN = "KZ-PAV-PAVLODAR"  # another region

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
]


def csv_bytes(rows: list[dict[str, object]], header: list[str] | None = None) -> bytes:
    """A CSV file (UTF-8) of ``rows``; missing columns are empty."""
    columns = header or HEADER
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in columns})
    return out.getvalue().encode("utf-8")


def import_city(version, town, rows, header=None, **kwargs):
    """``observations_import`` of ``rows`` as one town's CSV file, by nobody in particular."""
    return observations_import(
        version=version,
        municipality=town,
        data=csv_bytes(rows, header),
        filename="data.csv",
        actor=None,
        **kwargs,
    )


def import_national(version, rows):
    """``observations_import_all`` of ``rows`` (each with its ``municipality``)."""
    return observations_import_all(
        version=version,
        data=csv_bytes(rows, ["municipality", *HEADER]),
        filename="all.csv",
        actor=None,
    )


@pytest.fixture
def version(catalogue) -> CatalogueVersion:
    return catalogue


@pytest.fixture
def town(geography) -> Municipality:
    return Municipality.objects.get(code=TOWN)


@pytest.fixture
def other_town(geography) -> Municipality:
    return Municipality.objects.get(code=OTHER_TOWN)


@pytest.fixture
def far_town(geography) -> Municipality:
    return Municipality.objects.get(code=FAR_TOWN)


@pytest.fixture
def other_users(users):
    """The department head and coordinator of another municipality (same region)."""
    return {
        "other_department_head": user_with_role(
            Role.DEPARTMENT_HEAD, "other_department", municipality=OTHER_TOWN
        ),
        "other_city_coordinator": user_with_role(
            Role.CITY_COORDINATOR, "other_coordinator", municipality=OTHER_TOWN
        ),
    }


@pytest.fixture
def media(settings, tmp_path):
    """Evidence files go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def current_year() -> int:
    from meirim.data.selectors import current_year

    return current_year()
