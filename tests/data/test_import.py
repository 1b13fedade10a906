"""Importing the cities' data from files: every row checked, all or nothing, upserts."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook

from meirim.common.models import AuditEvent
from meirim.common.tabular import ImportRejected, msg_file_too_large
from meirim.data import services as data_services
from meirim.data.models import DataRevision, Observation
from meirim.data.services import (
    data_year_approve,
    data_year_reopen,
    observation_save,
    observations_import,
    observations_import_all,
    reading,
    writers,
)
from tests.data.conftest import HEADER, csv_bytes, import_city

YEAR = 2024


def _revision(version) -> int:
    found = DataRevision.objects.filter(version=version).first()
    return found.revision if found else 0


def _snapshot():
    return sorted(
        Observation.objects.values_list(
            "municipality__code", "code", "year", "sex", "value", "status", "source", "updated_at"
        )
    )


GOOD_ROWS = [
    {"code": "I03", "year": YEAR, "value": "12", "source": "Health department"},
    {"code": "I01", "year": YEAR, "numerator": "9", "denominator": "3 000"},
    {"code": "I06", "year": YEAR, "value": "45,5", "sex": "female"},
    {"code": "I06", "year": YEAR, "value": "40,1", "sex": "male"},
    {"code": "B01", "year": YEAR, "value": "150 000"},
    {"code": "D01", "year": YEAR, "value": "2 100"},
    {"code": "I04", "year": YEAR, "status": "no_data", "comment": "Not collected"},
    {"code": "I09", "year": YEAR},  # an unfilled line: skipped
]


@pytest.mark.django_db
def test_good_csv_is_imported_with_computed_values(version, town):
    before = _revision(version)
    summary = import_city(version, town, GOOD_ROWS)
    assert (summary.rows, summary.created, summary.updated, summary.skipped) == (8, 7, 0, 1)
    assert summary.years == (YEAR,)
    cells = {
        (o.code, o.sex): o for o in Observation.objects.filter(municipality=town, version=version)
    }
    assert cells[("I03", "")].value == 12 and cells[("I03", "")].source == "Health department"
    assert cells[("I01", "")].value == Decimal(3)  # 9 / 3000 × 1000
    assert cells[("I06", "female")].value == Decimal("45.5")
    assert cells[("B01", "")].value == 150000
    assert cells[("I04", "")].status == "no_data" and cells[("I04", "")].value is None
    assert ("I09", "") not in cells
    assert _revision(version) == before + 1
    event = AuditEvent.objects.get(action="data.observations_import")
    assert event.changes["created"] == 7 and event.changes["rows"] == 8
    assert event.object_id == str(town.pk)


@pytest.mark.django_db
def test_bad_file_reports_every_error_by_row_and_field_and_changes_nothing(version, town):
    import_city(version, town, [{"code": "I03", "year": YEAR, "value": "10", "source": "Old"}])
    snapshot, events, revision = _snapshot(), AuditEvent.objects.count(), _revision(version)
    rows = [
        {"code": "I99", "year": YEAR, "value": "1"},  # row 2: unknown code
        {"code": "I03", "year": YEAR, "value": "11", "source": "New"},  # row 3: fine (update)
        {"code": "I03", "year": YEAR, "value": "12"},  # row 4: duplicate of row 3
        {"code": "I06", "year": YEAR, "value": "120"},  # row 5: percent over 100
        {"code": "I01", "year": YEAR, "numerator": "50", "denominator": "10"},  # row 6
        {"code": "B01", "year": YEAR, "value": "-5"},  # row 7: negative count
        {"code": "I06", "year": "1980", "value": "5", "sex": "girls"},  # row 8: two problems
    ]
    with pytest.raises(ImportRejected) as caught:
        import_city(version, town, rows)
    found = {(p.row, p.field) for p in caught.value.problems}
    assert found == {
        (2, "code"),
        (4, "code"),
        (5, "value"),
        (6, "numerator"),
        (7, "value"),
        (8, "year"),
        (8, "sex"),
    }
    messages = {(p.row, p.field): p.message for p in caught.value.problems}
    assert "I99" in messages[(2, "code")]
    assert messages[(4, "code")] == data_services.msg_duplicate(3)
    assert messages[(5, "value")] == gettext("a percentage must be between 0 and 100")
    assert _snapshot() == snapshot
    assert AuditEvent.objects.count() == events
    assert _revision(version) == revision


@pytest.mark.django_db
def test_problems_are_in_the_language_of_the_request(version, town):
    with translation.override("ru"), pytest.raises(ImportRejected) as caught:
        import_city(version, town, [{"code": "I06", "year": YEAR, "value": "120"}])
    with translation.override("ru"):
        assert caught.value.problems[0].message == gettext("a percentage must be between 0 and 100")


@pytest.mark.django_db
def test_wrong_encoding_is_rejected_and_nothing_imported(version, town):
    data = "code,year,value,comment\nI03,2024,5,Кокшетау\n".encode("cp1251")
    with pytest.raises(ImportRejected) as caught:
        observations_import(
            version=version, municipality=town, data=data, filename="x.csv", actor=None
        )
    assert "UTF-8" in caught.value.problems[0].message
    assert not Observation.objects.filter(municipality=town).exists()


@pytest.mark.django_db
def test_missing_and_repeated_columns_are_reported_on_the_header_row(version, town):
    with pytest.raises(ImportRejected) as caught:
        import_city(version, town, [{"code": "I03"}], header=["code", "value"])
    assert {(p.row, p.field) for p in caught.value.problems} == {(1, "year")}
    data = b"code,year,value,value\nI03,2024,1,2\n"
    with pytest.raises(ImportRejected) as caught:
        observations_import(
            version=version, municipality=town, data=data, filename="x.csv", actor=None
        )
    assert {(p.row, p.field) for p in caught.value.problems} == {(1, "value")}


@pytest.mark.django_db
def test_a_file_without_data_is_rejected(version, town):
    with pytest.raises(ImportRejected):
        import_city(version, town, [{"code": "I03", "year": YEAR}])
    with pytest.raises(ImportRejected):
        observations_import(
            version=version, municipality=town, data=b"", filename="x.csv", actor=None
        )


@pytest.mark.django_db
def test_name_and_unknown_columns_are_ignored(version, town):
    header = ["code", "name", "year", "value", "remarks"]
    summary = import_city(
        version, town, [{"code": "I03", "name": "Deaths", "year": YEAR, "value": "3"}], header
    )
    assert summary.created == 1


@pytest.mark.django_db
def test_xlsx_is_imported(version, town):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["I03", 2024, 7, None, None, "reported"])
    sheet.append(["I06", 2024.0, 55.25])
    sheet.append(["I01", 2024, None, 3, 1500])
    out = io.BytesIO()
    workbook.save(out)
    summary = observations_import(
        version=version, municipality=town, data=out.getvalue(), filename="data.xlsx", actor=None
    )
    assert summary.created == 3
    values = dict(Observation.objects.filter(municipality=town).values_list("code", "value"))
    assert values == {"I03": 7, "I06": Decimal("55.25"), "I01": Decimal(2)}


@pytest.mark.django_db
def test_reimport_updates_cells_and_counts_unchanged_ones(version, town):
    import_city(version, town, GOOD_ROWS)
    before = _revision(version)
    changed = [dict(row) for row in GOOD_ROWS]
    changed[0]["value"] = "13"
    summary = import_city(version, town, changed)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 6)
    assert Observation.objects.get(municipality=town, code="I03").value == 13
    assert Observation.objects.filter(municipality=town).count() == 7
    assert _revision(version) == before + 1


@pytest.mark.django_db
def test_import_into_an_approved_year_is_refused_until_reopened(version, town, users):
    import_city(version, town, [{"code": "I03", "year": YEAR, "value": "1"}])
    data_year_approve(
        version=version, municipality=town, year=YEAR, actor=users["city_coordinator"]
    )
    rows = [
        {"code": "I03", "year": YEAR, "value": "2"},
        {"code": "I03", "year": YEAR - 1, "value": "2"},
    ]
    with pytest.raises(ImportRejected) as caught:
        import_city(version, town, rows)
    assert [(p.row, p.field) for p in caught.value.problems] == [(2, "year")]
    with pytest.raises(ImportRejected) as caught:
        observation_save(
            version=version,
            municipality=town,
            code="I03",
            year=YEAR,
            values={"value": 3},
            actor=users["department_head"],
        )
    assert caught.value.problems[0].field == "year"
    assert Observation.objects.get(municipality=town, code="I03", year=YEAR).value == 1
    data_year_reopen(
        version=version,
        municipality=town,
        year=YEAR,
        actor=users["national_council"],
        reason="Corrected statistics",
    )
    summary = import_city(version, town, rows)
    assert (summary.created, summary.updated) == (1, 1)


@pytest.mark.django_db
def test_outliers_are_warnings_and_flag_the_value(version, town):
    history = [
        {"code": "I03", "year": year, "value": str(100 + year % 3)} for year in range(2018, 2023)
    ]
    import_city(version, town, history)
    summary = import_city(
        version,
        town,
        [
            {"code": "I03", "year": 2023, "value": "900"},
            {"code": "I06", "year": 2023, "value": "5"},
        ],
    )
    assert summary.created == 2
    assert [(o.row, o.code, o.year, o.value) for o in summary.outliers] == [
        (2, "I03", 2023, Decimal(900))
    ]
    assert summary.outliers[0].z > 3.5
    assert Observation.objects.get(municipality=town, code="I03", year=2023).is_outlier
    assert not Observation.objects.get(municipality=town, code="I06", year=2023).is_outlier


@pytest.mark.django_db
def test_progress_is_reported_per_batch(version, town, monkeypatch):
    monkeypatch.setattr(writers, "POSTGRES_BATCH", 2)
    monkeypatch.setattr(writers, "OTHER_BATCH", 2)
    calls = []
    import_city(version, town, GOOD_ROWS, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 7), (2, 7), (4, 7), (6, 7), (7, 7)]


@pytest.mark.django_db
def test_the_orm_writer_used_on_sqlite_gives_the_same_result(version, town, monkeypatch):
    monkeypatch.setattr(writers, "_write_postgres", writers._write_orm)
    summary = import_city(version, town, GOOD_ROWS)
    assert summary.created == 7
    again = [dict(row) for row in GOOD_ROWS]
    again[0]["value"] = "99"
    summary = import_city(version, town, again)
    assert summary.created == 0 and summary.updated + summary.unchanged == 7
    assert Observation.objects.get(municipality=town, code="I03").value == 99


@pytest.mark.django_db
def test_import_for_all_municipalities(version, town, other_town):
    header = ["municipality", *HEADER]
    rows = [
        {"municipality": town.code, "code": "I03", "year": YEAR, "value": "1"},
        {"municipality": other_town.code, "code": "I03", "year": YEAR, "value": "2"},
        {"municipality": "NOWHERE", "code": "I03", "year": YEAR, "value": "3"},
    ]
    with pytest.raises(ImportRejected) as caught:
        observations_import_all(
            version=version, data=csv_bytes(rows, header), filename="all.csv", actor=None
        )
    assert [(p.row, p.field) for p in caught.value.problems] == [(4, "municipality")]
    summary = observations_import_all(
        version=version, data=csv_bytes(rows[:2], header), filename="all.csv", actor=None
    )
    assert summary.created == 2 and summary.municipalities == 2
    assert Observation.objects.get(municipality=other_town).value == 2


@pytest.mark.django_db
def test_command_imports_and_reports_problems(version, town, other_town, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([{"code": "I03", "year": YEAR, "value": "4"}]))
    call_command("import_observations", str(good), municipality=town.code, version="2026.1")
    assert Observation.objects.get(municipality=town, code="I03").value == 4
    assert "1 created" in capsys.readouterr().out

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([{"code": "I03", "year": YEAR, "value": "-4"}]))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_observations", str(bad), municipality=town.code, version="2026.1")
    err = capsys.readouterr().err
    assert "bad.csv" in err and "value" in err
    assert Observation.objects.get(municipality=town, code="I03").value == 4

    national = tmp_path / "national.csv"
    national.write_bytes(
        csv_bytes(
            [{"municipality": other_town.code, "code": "I06", "year": YEAR, "value": "7"}],
            ["municipality", *HEADER],
        )
    )
    call_command("import_observations", str(national), all_municipalities=True)
    assert Observation.objects.get(municipality=other_town, code="I06").value == 7

    with pytest.raises(CommandError):
        call_command("import_observations", str(good), municipality="NOWHERE")


@pytest.mark.django_db
def test_command_exits_non_zero_on_errors(version, town, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([{"code": "I77", "year": YEAR, "value": "1"}]))
    # The command's exit status, as a shell would see it (CommandError → status 1).
    from django.core.management import ManagementUtility

    utility = ManagementUtility(
        ["manage.py", "import_observations", str(bad), "--municipality", town.code]
    )
    with pytest.raises(SystemExit) as exited:
        utility.execute()
    assert exited.value.code == 1


# --- Hostile and foreign files ----------------------------------------------------------


def _xlsx_with_sheet_xml(edit) -> bytes:
    """A tiny openpyxl workbook (header + one row) whose sheet XML is edited by ``edit``."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "year", "value"])
    sheet.append(["I03", YEAR, 7])
    plain = io.BytesIO()
    workbook.save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = edit(body.decode()).encode()
            archive.writestr(info.filename, body)
    return out.getvalue()


def _declare_whole_sheet(xml: str) -> str:
    return re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)


def _far_away_cell(xml: str) -> str:
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return _declare_whole_sheet(xml).replace("</sheetData>", far + "</sheetData>")


def _import_bytes(version, town, data: bytes, filename: str):
    return observations_import(
        version=version, municipality=town, data=data, filename=filename, actor=None
    )


@pytest.mark.django_db
def test_xlsx_declaring_the_largest_sheet_is_read_by_its_cells_only(version, town):
    data = _xlsx_with_sheet_xml(_declare_whole_sheet)
    assert len(data) < 10_000 and b"XFD1048576" in zipfile.ZipFile(io.BytesIO(data)).read(
        "xl/worksheets/sheet1.xml"
    )
    summary = _import_bytes(version, town, data, "huge.xlsx")
    assert summary.created == 1
    assert Observation.objects.get(municipality=town, code="I03").value == 7


@pytest.mark.django_db
def test_xlsx_with_a_far_away_cell_is_refused_on_that_cell(version, town):
    snapshot = _snapshot()
    with pytest.raises(ImportRejected) as caught:
        _import_bytes(version, town, _xlsx_with_sheet_xml(_far_away_cell), "far.xlsx")
    [problem] = caught.value.problems
    assert (problem.row, problem.field) == (1_048_576, "XFD")
    assert "100" in problem.message
    assert _snapshot() == snapshot


@pytest.mark.django_db
def test_csv_with_too_many_columns_is_refused(version, town):
    header = ["code", "year", "value", *[f"extra{n}" for n in range(120)]]
    with pytest.raises(ImportRejected) as caught:
        import_city(version, town, [{"code": "I03", "year": YEAR, "value": "1"}], header)
    [problem] = caught.value.problems
    assert problem.row == 1 and "100" in problem.message


@pytest.mark.django_db
def test_rows_beyond_the_limit_are_refused(version, town, monkeypatch):
    monkeypatch.setattr(reading, "OBSERVATIONS_MAX_ROWS", 2)
    rows = [{"code": code, "year": YEAR, "value": "1"} for code in ("I03", "I04", "I05")]
    with pytest.raises(ImportRejected) as caught:
        import_city(version, town, rows)
    assert [problem.row for problem in caught.value.problems] == [4]
    assert not Observation.objects.filter(municipality=town).exists()


@pytest.mark.django_db
def test_files_over_the_size_limit_are_refused_by_the_service_and_the_form(
    version, town, users, settings
):
    settings.MEIRIM_UPLOAD_MAX_BYTES = 100
    data = csv_bytes([{"code": "I03", "year": YEAR, "value": "1", "comment": "x" * 200}])
    with pytest.raises(ImportRejected) as caught:
        _import_bytes(version, town, data, "big.csv")
    assert caught.value.problems[0].message == msg_file_too_large(100)
    client = Client()
    client.force_login(users["city_coordinator"])
    response = client.post(
        f"/en/data/{town.code}/upload/", {"file": SimpleUploadedFile("big.csv", data)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Observation.objects.filter(municipality=town).exists()


@pytest.mark.django_db
def test_semicolon_csv_with_decimal_commas_is_imported(version, town):
    text = (
        "code;year;value;numerator;denominator;source\r\n"
        f"I06;{YEAR};12,5;;;Health department; 2024\r\n"
        f"I01;{YEAR};;9;3\u00a0000;\r\n"
        f"B01;{YEAR};1 234;;;\r\n"
    )
    summary = _import_bytes(version, town, text.encode("utf-8-sig"), "excel-ru.csv")
    assert summary.created == 3
    values = dict(Observation.objects.filter(municipality=town).values_list("code", "value"))
    assert values == {"I06": Decimal("12.5"), "I01": Decimal(3), "B01": Decimal(1234)}


@pytest.mark.django_db
def test_tab_separated_file_is_imported(version, town):
    text = f"code\tyear\tvalue\nI03\t{YEAR}\t4\n"
    assert _import_bytes(version, town, text.encode(), "data.tsv").created == 1


@pytest.mark.django_db
def test_an_unterminated_quote_is_refused_on_the_row_where_it_opened(version, town):
    text = (
        "code,year,value,comment\n"
        f"I03,{YEAR},1,fine\n"
        f'I04,{YEAR},2,"opened here\n'
        f"I05,{YEAR},3,swallowed\n"
        f"I06,{YEAR},4,swallowed too\n"
    )
    with pytest.raises(ImportRejected) as caught:
        _import_bytes(version, town, text.encode(), "quote.csv")
    [problem] = caught.value.problems
    assert (problem.row, problem.field) == (3, "comment")
    assert problem.message == gettext("a quotation mark opened here is never closed")
    assert not Observation.objects.filter(municipality=town).exists()


@pytest.mark.django_db
def test_an_unbalanced_quote_closed_rows_later_is_refused(version, town):
    text = (
        "code,year,value,comment\n"
        f'I03,{YEAR},1,"opened here\n'
        f"I05,{YEAR},3,swallowed\n"
        f'I06,{YEAR},4,"closed"\n'
    )
    with pytest.raises(ImportRejected) as caught:
        _import_bytes(version, town, text.encode(), "quote.csv")
    assert [(p.row, p.field) for p in caught.value.problems] == [(2, "comment")]


@pytest.mark.django_db
def test_a_comment_over_several_lines_is_still_fine(version, town):
    text = f'code,year,value,comment\nI03,{YEAR},1,"first line\nsecond, line"\nI04,{YEAR},2,\n'
    summary = _import_bytes(version, town, text.encode(), "lines.csv")
    assert summary.created == 2
    assert Observation.objects.get(code="I03").comment == "first line\nsecond, line"


@pytest.mark.django_db
def test_nul_characters_are_refused_by_row_and_column(version, town):
    text = f"code,year,value,comment\nI03,{YEAR},1,ok\nI04,{YEAR},2,bad\x00text\n"
    with pytest.raises(ImportRejected) as caught:
        _import_bytes(version, town, text.encode(), "nul.csv")
    assert [(p.row, p.field) for p in caught.value.problems] == [(3, "comment")]
    assert "NUL" in caught.value.problems[0].message
    assert not Observation.objects.filter(municipality=town).exists()


# --- Partial files ----------------------------------------------------------------------


@pytest.mark.parametrize("writer", ["postgres", "orm"])
@pytest.mark.django_db
def test_absent_columns_leave_stored_fields_and_empty_cells_clear_them(
    version, town, monkeypatch, writer
):
    if writer == "orm":
        monkeypatch.setattr(writers, "_write_postgres", writers._write_orm)
    full = {
        "code": "I03",
        "year": YEAR,
        "value": "5",
        "source": "Health department",
        "comment": "Checked",
        "collection_method": "survey",
        "data_type": "qualitative",
    }
    import_city(version, town, [full])
    summary = import_city(
        version, town, [{"code": "I03", "year": YEAR, "value": "6"}], ["code", "year", "value"]
    )
    assert summary.updated == 1
    cell = Observation.objects.get(municipality=town, code="I03")
    assert (cell.value, cell.source, cell.comment) == (6, "Health department", "Checked")
    assert (cell.collection_method, cell.data_type) == ("survey", "qualitative")
    # Unchanged value and no other column: nothing to rewrite.
    summary = import_city(
        version, town, [{"code": "I03", "year": YEAR, "value": "6"}], ["code", "year", "value"]
    )
    assert summary.unchanged == 1 or writer == "orm"
    # A column that is there but empty clears its field; the others are still kept.
    import_city(
        version,
        town,
        [{"code": "I03", "year": YEAR, "value": "6", "source": ""}],
        ["code", "year", "value", "source"],
    )
    cell.refresh_from_db()
    assert (cell.source, cell.comment, cell.collection_method) == ("", "Checked", "survey")
    # A new cell gets the defaults.
    import_city(
        version, town, [{"code": "I04", "year": YEAR, "value": "1"}], ["code", "year", "value"]
    )
    new = Observation.objects.get(municipality=town, code="I04")
    assert (new.source, new.collection_method) == ("", "official_statistics")


@pytest.mark.django_db
def test_a_municipality_column_naming_another_city_is_refused(version, town, other_town):
    header = ["municipality", "code", "year", "value"]
    rows = [
        {"municipality": town.code, "code": "I03", "year": YEAR, "value": "1"},
        {"municipality": town.code.lower(), "code": "I04", "year": YEAR, "value": "1"},
        {"municipality": "", "code": "I05", "year": YEAR, "value": "1"},
        {"municipality": other_town.code, "code": "I06", "year": YEAR, "value": "1"},
    ]
    with pytest.raises(ImportRejected) as caught:
        import_city(version, town, rows, header)
    [problem] = caught.value.problems
    assert (problem.row, problem.field) == (5, "municipality")
    assert town.name in problem.message and other_town.code in problem.message
    assert not Observation.objects.filter(municipality__in=[town, other_town]).exists()
    assert import_city(version, town, rows[:3], header).created == 3
