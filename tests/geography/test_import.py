"""Importing and exporting municipalities: all rows or nothing, errors by row and field."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from meirim.common.models import AuditEvent
from meirim.common.tabular import ImportRejected
from meirim.geography.models import Municipality, Region
from meirim.geography.selectors import municipalities_export_csv
from meirim.geography.services import municipalities_import
from meirim.portal.demo import MUNICIPALITIES_FILE

HEADER = (
    "code,kind,parent,country,name_kk,name_ru,name_en,name_ky,latitude,longitude,child_population\n"
)


def _import(text: str, encoding: str = "utf-8"):
    return municipalities_import(data=text.encode(encoding), filename="test.csv", actor=None)


def _clear_geography() -> None:
    while Municipality.objects.exists():  # leaves first: parents are protected
        Municipality.objects.filter(children__isnull=True).delete()
    Region.objects.all().delete()


@pytest.fixture
def no_geography(db):
    """Start from an empty territory table (the suite preloads the shipped file)."""
    _clear_geography()


def test_shipped_file_covers_kazakhstan_and_kyrgyzstan(no_geography):
    summary = municipalities_import(
        data=MUNICIPALITIES_FILE.read_bytes(), filename="municipalities.csv", actor=None
    )
    assert summary.regions_created == Region.objects.count()
    # 17 oblystar in Kazakhstan, 7 oblasts in Kyrgyzstan.
    assert Region.objects.filter(country="KZ").count() == 17
    assert Region.objects.filter(country="KG").count() == 7
    republican = Municipality.objects.filter(kind="city_republican")
    assert set(republican.filter(country="KZ").values_list("name_en", flat=True)) == {
        "Astana",
        "Almaty",
        "Shymkent",
    }
    # Every Kazakh region has its regional centre below it.
    for region in Region.objects.filter(country="KZ"):
        assert region.municipalities.filter(kind="city_regional").exists(), region.code
    # The 22 municipalities of the Kyrgyz child- and youth-friendly municipality project.
    codes = (MUNICIPALITIES_FILE.parent / "kg_cyfm_2017.csv").read_text().split()[1:]
    assert len(codes) == 22
    assert Municipality.objects.filter(code__in=codes).count() == 22
    assert not Municipality.objects.filter(country="KG", name_ky="").exists()
    assert not Municipality.objects.filter(country="KZ", name_kk="").exists()
    # Kazakh, Russian and English pages name every place in their own language.
    for field in ("name_kk", "name_ru", "name_en"):
        assert not Municipality.objects.filter(**{field: ""}).exists(), field
        assert not Region.objects.filter(**{field: ""}).exists(), field


@pytest.mark.django_db
def test_import_creates_tree_with_parent_declared_later():
    _import(
        HEADER
        + "XX-A-TOWN,city_regional,XX-A,XX,,,Town,,,,1200\n"
        + "XX-A,region,,XX,,,Region A,,,,\n"
        + "XX-A-TOWN-OK,rural_okrug,XX-A-TOWN,XX,,,Okrug,,,,\n"
    )
    okrug = Municipality.objects.get(code="XX-A-TOWN-OK")
    assert okrug.parent.code == "XX-A-TOWN"
    assert okrug.region.code == "XX-A"
    assert Municipality.objects.get(code="XX-A-TOWN").child_population == 1200


@pytest.mark.django_db
def test_bad_file_reports_every_error_by_row_and_field_and_imports_nothing():
    _import(HEADER + "XX-OLD,region,,XX,,,Old region,,,,\n")
    before_regions = list(Region.objects.values_list("code", "name_en"))
    before_events = AuditEvent.objects.count()
    text = (
        HEADER
        + "XX-B,region,,XX,,,Region B,,,,\n"  # row 2: fine
        + "XX-B-T,city_regional,XX-NOPE,XX,,,Town,,,,\n"  # row 3: unknown parent
        + "XX-B,region,,XX,,,Again,,,,\n"  # row 4: duplicate code
        + "XX-B-U,district,XX-B,XX,,,,,,,\n"  # row 5: missing name
        + "XX-B-V,castle,XX-B,XX,,,Castle,,,,\n"  # row 6: unknown kind
        + "XX-B-W,district,XX-B,XX,,,W,,95,0,-3\n"  # row 7: latitude, population
        + "XX-OLD,region,,XX,,,Renamed,,,,\n"  # row 8: fine (update)
    )
    with pytest.raises(ImportRejected) as caught:
        _import(text)
    found = {(p.row, p.field) for p in caught.value.problems}
    assert found == {
        (3, "parent"),
        (4, "code"),
        (5, "name_en"),
        (6, "kind"),
        (7, "latitude"),
        (7, "child_population"),
    }
    assert list(Region.objects.values_list("code", "name_en")) == before_regions
    assert not Municipality.objects.filter(code__startswith="XX-B").exists()
    assert AuditEvent.objects.count() == before_events


def test_wrong_encoding_is_rejected_with_a_clear_message(no_geography):
    with pytest.raises(ImportRejected) as caught:
        _import(HEADER + "XX-C,region,,XX,Облыс,,,,,,\n", encoding="cp1251")
    assert "UTF-8" in str(caught.value.problems[0])
    assert not Region.objects.exists()


@pytest.mark.django_db
def test_missing_required_column_is_reported_on_the_header_row():
    with pytest.raises(ImportRejected) as caught:
        _import("code,name_en\nXX,Somewhere\n")
    assert {(p.row, p.field) for p in caught.value.problems} == {(1, "kind"), (1, "country")}


@pytest.mark.django_db
def test_export_round_trips_through_import(geography):
    exported = municipalities_export_csv()
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert len(rows) == Region.objects.count() + Municipality.objects.count()
    snapshot = sorted(Municipality.objects.values_list("code", "parent__code", "region__code"))
    _clear_geography()
    municipalities_import(data=exported.encode(), filename="export.csv", actor=None)
    assert (
        sorted(Municipality.objects.values_list("code", "parent__code", "region__code")) == snapshot
    )


@pytest.mark.django_db
def test_commands_import_and_export(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "XX-D,region,,XX,,,Region D,,,,\n", encoding="utf-8")
    call_command("import_municipalities", str(good))
    assert Region.objects.filter(code="XX-D").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "XX-E-T,district,XX-NONE,XX,,,T,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_municipalities", str(bad))
    out = tmp_path / "out.csv"
    call_command("export_municipalities", str(out))
    assert "XX-D,region,,XX" in out.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_export_writes_formula_like_names_as_text_and_import_reads_them_back():
    town = Municipality.objects.filter(parent__isnull=False).first()
    town.name_en = "=cmd|' /C calc'!A0"
    town.name_ru = "-Минус"
    town.save()
    text = municipalities_export_csv()
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["code"] == town.code)
    assert row["name_en"] == "'=cmd|' /C calc'!A0" and row["name_ru"] == "'-Минус"
    assert not row["latitude"].startswith("'")
    municipalities_import(data=text.encode(), filename="back.csv", actor=None)
    town.refresh_from_db()
    assert (town.name_en, town.name_ru) == ("=cmd|' /C calc'!A0", "-Минус")


@pytest.mark.django_db
def test_semicolon_file_with_a_decimal_comma_and_an_unclosed_quote():
    header = HEADER.replace(",", ";")
    good = header + "XX-R;region;;XX;Облыс;Область;Region;Облус;51,5;71,25;\n"
    municipalities_import(data=good.encode(), filename="ru.csv", actor=None)
    assert Region.objects.get(code="XX-R").latitude == Decimal("51.5")
    bad = header + 'XX-S;region;;XX;"Облыс;Область;Region;Облус;;;\nXX-T;region;;XX;A;B;C;D;;;\n'
    with pytest.raises(ImportRejected) as caught:
        municipalities_import(data=bad.encode(), filename="ru.csv", actor=None)
    assert [(p.row, p.field) for p in caught.value.problems] == [(2, "name_kk")]


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["NaN", "sNaN", "Infinity", "-inf"])
def test_a_coordinate_that_is_not_a_finite_number_is_reported_by_row(raw):
    with pytest.raises(ImportRejected) as caught:
        _import(HEADER + f"XX-N,region,,XX,,,North,,{raw},10,\n")
    assert {(p.row, p.field) for p in caught.value.problems} == {(2, "latitude")}
    assert not Region.objects.filter(code="XX-N").exists()
