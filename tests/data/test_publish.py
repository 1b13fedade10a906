"""Publishing a new catalogue version carries the cities' data over to it.

2026.1 → copy 2026.2 → change it → publish: the values of unchanged items (indicators,
baseline figures, denominator series) are there under 2026.2, approved years stay approved,
changed items are left to report, and the publish page says all that before it acts.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from meirim.catalogue.changes import version_changes
from meirim.catalogue.models import BaselineFigure, CatalogueVersion, DenominatorSeries, Indicator
from meirim.catalogue.services import catalogue_copy_version, indicator_set_target
from meirim.common.models import AuditEvent
from meirim.data.models import (
    DataRevision,
    DataYear,
    Observation,
    ObservationEvidence,
    ObservationStatus,
)
from meirim.data.services import evidence_add, evidence_remove
from meirim.data.services.publish import catalogue_version_publish
from tests.factories import DataYearFactory, ObservationFactory

pytestmark = pytest.mark.django_db

APPROVED_AT = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)


def observe(version, place, code, year, value=None, **extra):
    return ObservationFactory(
        version=version, municipality=place, code=code, year=year, value=value, **extra
    )


@pytest.fixture
def seeded(version, town, other_town, users, media):
    """Kokshetau: 2023 and 2024 approved, 2025 open; Stepnogorsk: 2024 open."""
    observe(version, town, "I16", 2023, 40)
    observe(version, town, "I16", 2023, 45, sex="female")
    i16 = observe(version, town, "I16", 2024, 60)
    observe(version, town, "I02", 2024, 12)  # changed below (factor)
    observe(version, town, "I17", 2024, status=ObservationStatus.NO_DATA)
    observe(version, town, "B01", 2024, 123456)  # baseline figure
    observe(version, town, "D03", 2024, 41)  # denominator series
    observe(version, town, "I16", 2025, 70)
    observe(version, other_town, "I16", 2024, 50)
    evidence = evidence_add(
        observation=i16,
        file=SimpleUploadedFile("report.pdf", b"%PDF-1.4 evidence"),
        actor=None,
    )
    council = users["national_council"]
    for year in (2023, 2024):
        DataYearFactory(
            version=version,
            municipality=town,
            year=year,
            state=DataYear.State.APPROVED,
            approved_at=APPROVED_AT,
            approved_by=council,
        )
    DataYearFactory(version=version, municipality=town, year=2025)
    DataYearFactory(version=version, municipality=other_town, year=2024)
    return {"evidence": evidence}


@pytest.fixture
def draft(version):
    """2026.2: I16 gets a national target, I02 a new factor (it measures something else)."""
    draft = catalogue_copy_version(source=version, code="2026.2", actor=None)
    indicator_set_target(
        indicator=Indicator.objects.get(version=draft, code="I16"), target=Decimal("75"), actor=None
    )
    Indicator.objects.filter(version=draft, code="I02").update(factor=Decimal("100"))
    return draft


def test_publishing_carries_unchanged_data_over(version, town, other_town, users, seeded, draft):
    before = Observation.objects.filter(version=version).count()
    result = catalogue_version_publish(version=draft, actor=users["national_council"])

    draft.refresh_from_db()
    assert draft.is_published and result.source == version
    # Everything but I02 (changed): I16 (its target changed only), its breakdown, I17's
    # "no data", the baseline figure and the denominator series.
    assert result.observations == before - 1 == 8
    assert result.evidence == 1 and result.data_years == 4 and result.approved_years == 2
    assert result.municipalities == 2
    carried = Observation.objects.filter(version=draft, municipality=town)
    assert set(carried.values_list("code", flat=True)) == {"I16", "I17", "B01", "D03"}
    assert carried.get(code="I16", year=2023, sex="").value == Decimal("40")
    assert carried.get(code="I16", year=2023, sex="female").value == Decimal("45")
    assert carried.get(code="I17").status == ObservationStatus.NO_DATA
    assert not carried.filter(code="I02").exists()
    assert Observation.objects.filter(version=draft, municipality=other_town).count() == 1
    # The old version keeps all its data.
    assert Observation.objects.filter(version=version).count() == before

    # Approved stays approved, with who and when; open stays open.
    years = {
        (y.municipality_id, y.year): y
        for y in DataYear.objects.filter(version=draft).select_related("approved_by")
    }
    assert years[(town.pk, 2024)].state == DataYear.State.APPROVED
    assert years[(town.pk, 2024)].approved_at == APPROVED_AT
    assert years[(town.pk, 2024)].approved_by == users["national_council"]
    assert years[(town.pk, 2025)].state == DataYear.State.OPEN
    assert years[(other_town.pk, 2024)].state == DataYear.State.OPEN

    # The evidence follows its observation, with the same stored file.
    copy = carried.get(code="I16", year=2024, sex="").evidence.get()
    assert copy.file.name == seeded["evidence"].file.name
    assert copy.original_name == "report.pdf"

    assert DataRevision.objects.get(version=draft).revision >= 1
    event = AuditEvent.objects.get(action="data.carry_forward")
    assert event.object_id == str(draft.pk)
    assert event.changes["from"] == "2026.1"
    assert event.changes["observations"] == 8 and event.changes["approved_years"] == 2
    assert event.changes["changed"] == {"I02": ["factor"]}


def test_what_counts_as_changed(version):
    draft = catalogue_copy_version(source=version, code="2026.2", actor=None)
    # Not a change of what is measured: target, note, direction, a corrected translation.
    Indicator.objects.filter(version=draft, code="I10").update(
        target=Decimal("5"), note_en="new note", direction=0, name_ru="исправлено", order=999
    )
    # Changes: the source definition, the unit, the data type; a redefined D-series
    # changes every indicator taken of it.
    Indicator.objects.filter(version=draft, code="I11").update(name_kk="жаңа анықтама")
    Indicator.objects.filter(version=draft, code="I12").update(
        unit="count", data_type="qualitative"
    )
    DenominatorSeries.objects.filter(version=draft, code="D01").update(name_kk="жаңа")
    BaselineFigure.objects.filter(version=draft, code="B02").update(unit="percent")
    BaselineFigure.objects.filter(version=draft, code="B46").delete()
    i75 = Indicator.objects.get(version=draft, code="I74")
    i75.pk, i75.code = None, "I75"
    i75.save()

    changes = version_changes(source=version, target=draft)
    changed = {item.code: item.fields for item in changes.changed}
    over_d01 = set(
        Indicator.objects.filter(version=draft, denominator="D01").values_list("code", flat=True)
    )
    assert {"I01", "I02", "I07"} <= over_d01
    assert changed == {
        "I11": ("name_kk",),
        "I12": ("unit", "data_type"),
        "B02": ("unit",),
        "D01": ("name_kk",),
        **dict.fromkeys(over_d01, ("denominator_definition",)),
    }
    assert [item.code for item in changes.added] == ["I75"]
    assert [item.code for item in changes.removed] == ["B46"]
    assert "I10" in changes.unchanged and "B01" in changes.unchanged
    assert "I75" not in changes.unchanged and "B46" not in changes.unchanged


def test_removing_carried_evidence_keeps_the_file_of_the_old_version(
    version, town, seeded, draft, media, django_capture_on_commit_callbacks
):
    DataYear.objects.filter(version=version, municipality=town, year=2024).update(
        state=DataYear.State.OPEN
    )
    catalogue_version_publish(version=draft, actor=None)
    path = media / seeded["evidence"].file.name
    copy = ObservationEvidence.objects.get(observation__version=draft)
    with django_capture_on_commit_callbacks(execute=True):
        evidence_remove(evidence=copy, actor=None)
    assert path.exists()  # 2026.1 still names it
    with django_capture_on_commit_callbacks(execute=True):
        evidence_remove(evidence=ObservationEvidence.objects.get(), actor=None)
    assert not path.exists()


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _reported_of_74(body: str, year: int) -> int:
    rows = [
        row
        for row in body.split("<tr>")
        if re.match(rf'\s*<th scope="row">(<a [^>]*>)?{year}<', row)
    ]
    assert len(rows) == 1, year
    match = re.search(r"(\d+) of 74", rows[0])
    assert match, rows[0]
    return int(match.group(1))


def test_data_page_counts_the_carried_indicators(users, seeded, draft):
    coordinator = _logged_in(users["city_coordinator"])
    before = coordinator.get("/en/data/KZ-AKM-KOKSHETAU/").content.decode()
    assert _reported_of_74(before, 2024) == 3  # I16, I02, I17

    council = _logged_in(users["national_council"])
    response = council.post("/en/catalogue/2026.2/publish/", {"confirm": "on"})
    assert response.status_code == 302
    assert CatalogueVersion.objects.get(code="2026.2").is_published

    after = coordinator.get("/en/data/KZ-AKM-KOKSHETAU/").content.decode()
    assert "2026.2" in after
    assert _reported_of_74(after, 2024) == 2  # I02 changed: to be reported
    assert _reported_of_74(after, 2023) == 1
    assert "Approved (locked)" in after


def test_publish_page_states_the_consequences_in_russian(users, seeded, draft):
    BaselineFigure.objects.filter(version=draft, code="B46").delete()
    council = _logged_in(users["national_council"])
    detail = council.get("/ru/catalogue/2026.2/").content.decode()
    assert 'href="/ru/catalogue/2026.2/publish/"' in detail

    response = council.get("/ru/catalogue/2026.2/publish/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Опубликовать версию 2026.2" in body
    # 8 values carry over: 7 of Kokshetau, 1 of Stepnogorsk.
    assert re.search(r"Кокшетау</th><td>7</td><td>3</td><td>2</td>", body), body
    assert re.search(r"Степногорск</th><td>1</td><td>1</td><td>0</td>", body)
    assert "<td>8</td>" in body
    # I02 needs new data, and why; B46 is removed.
    assert re.search(r"<th scope=\"row\">I02</th>.*?коэффициент</td>", body, re.DOTALL)
    assert "B46" in body[body.index('id="removed"') :]
    assert "I16" not in body  # only its target changed: its data carry over

    # Without the confirmation nothing is published.
    refused = council.post("/ru/catalogue/2026.2/publish/", {})
    assert refused.status_code == 400
    assert "ничего не опубликовано" in refused.content.decode()
    assert not CatalogueVersion.objects.get(code="2026.2").is_published
    assert not Observation.objects.filter(version__code="2026.2").exists()

    done = council.post("/ru/catalogue/2026.2/publish/", {"confirm": "on"})
    assert done.status_code == 302
    assert CatalogueVersion.objects.get(code="2026.2").is_published
    assert Observation.objects.filter(version__code="2026.2").count() == 8
