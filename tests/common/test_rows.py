"""The plain single-row reads give exactly what the ORM gives (times, JSON, relations)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.forms.models import model_to_dict

from meirim.catalogue.models import CatalogueVersion
from meirim.common import rows
from meirim.geography.models import Municipality
from meirim.reports.models import RelativeRun


def _fields(instance) -> dict[str, object]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.mark.django_db
def test_a_row_read_plainly_equals_the_orms_row(geography, catalogue):
    town = Municipality.objects.exclude(region=None).order_by("code").first()
    found = rows.first(Municipality, "code = %s", [town.code])
    assert _fields(found) == _fields(town)
    assert found.region == town.region  # the relation is read when asked for
    version = rows.first(CatalogueVersion, "id = %s", [catalogue.pk])
    assert _fields(version) == _fields(CatalogueVersion.objects.get(pk=catalogue.pk))
    assert version.published_at is None or version.published_at.tzinfo is not None


@pytest.mark.django_db
def test_json_and_times_come_back_converted(catalogue):
    moment = datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC)
    RelativeRun.objects.create(version=catalogue, computed_at=moment, draws=7, ranked={"2024": 12})
    run = rows.first(RelativeRun, "version_id = %s", [catalogue.pk])
    assert (run.computed_at, run.draws, run.ranked) == (moment, 7, {"2024": 12})
    assert model_to_dict(run) == model_to_dict(RelativeRun.objects.get(version=catalogue))
    assert rows.converted(RelativeRun, "computed_at", None) is None


@pytest.mark.django_db
def test_no_row_is_none_and_the_order_is_kept(geography):
    assert rows.first(Municipality, "code = %s", ["NO-SUCH-PLACE"]) is None
    first_code = Municipality.objects.order_by("-code").values_list("code", flat=True)[0]
    assert rows.first(Municipality, "code <> %s", [""], order_by="code DESC").code == first_code
