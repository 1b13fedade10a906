"""Importing the audit from CSV and XLSX: all rows or none, problems by row and column,
re-import by name and address, templates that come back unchanged."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from meirim.common.tabular import ImportRejected
from meirim.facilities.models import Facility
from meirim.facilities.services import facilities_import
from tests.facilities.conftest import TOWN, client_for, make

pytestmark = pytest.mark.django_db

HEADER = "name,type,address,latitude,longitude,target_ages,availability,barriers,groups_affected,adult_rating,children_rating,children_asked_by,evidence,audited_on"  # noqa: E501
GOOD = (
    HEADER + "\n"
    "Детская поликлиника,health,ул. Абая 1,53.287,69.389,E;M,not_accessible,physical;cost,disability,3,2,focus_group,Акт,2026-03-12\n"  # noqa: E501
    "Park,PLAY,,,,e;m;y,available,,,5,,,,\n"
)


def url(name: str, **kwargs: object) -> str:
    with translation.override("en"):
        return reverse(f"facilities:{name}", kwargs={"municipality": TOWN, **kwargs})


def run(town, text: str | bytes, filename: str = "audit.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return facilities_import(municipality=town, data=data, filename=filename, actor=None)


def test_a_good_csv_is_imported(town):
    summary = run(town, GOOD)
    assert summary.as_dict() == {"created": 2, "updated": 0}
    clinic = Facility.objects.get(name="Детская поликлиника")
    assert clinic.kind == "health" and clinic.availability == "not_accessible"
    assert clinic.target_ages == ["E", "M"]
    assert clinic.barriers == ["physical", "cost"]
    assert clinic.groups_affected == ["disability"]
    assert (clinic.adult_rating, clinic.children_rating) == (3, 2)
    assert str(clinic.audited_on) == "2026-03-12"
    park = Facility.objects.get(name="Park")
    assert park.kind == "play" and park.target_ages == ["E", "M", "Y"]
    assert park.latitude is None


def test_a_good_xlsx_is_imported(town):
    workbook = Workbook()
    sheet = workbook.active
    for line in csv.reader(io.StringIO(GOOD)):
        sheet.append([int(c) if c.isdigit() else c for c in line])
    out = io.BytesIO()
    workbook.save(out)
    summary = run(town, out.getvalue(), "audit.xlsx")
    assert summary.created == 2
    assert Facility.objects.get(name="Детская поликлиника").adult_rating == 3


def test_every_problem_is_reported_by_row_and_column_and_nothing_is_written(town):
    make(town, name="Existing", adult_rating=2)
    bad = (
        HEADER + "\n"
        "Ok,health,,,,,available,,,,,,,\n"
        ",zoo,,95,69.3,E;X,maybe,physical;noise,,7,0,by_phone,,2026-13-01\n"
        "Half,sport,,53.2,,,absent,,,,,,,\n"
        "Existing,play,,,,,available,,,5,,,,\n"
    )
    with pytest.raises(ImportRejected) as caught:
        run(town, bad)
    found = {(p.row, p.field) for p in caught.value.problems}
    assert found == {
        (3, "name"),
        (3, "type"),
        (3, "availability"),
        (3, "latitude"),
        (3, "target_ages"),
        (3, "barriers"),
        (3, "adult_rating"),
        (3, "children_rating"),
        (3, "children_asked_by"),
        (3, "audited_on"),
        (4, "longitude"),
    }
    message = next(p.message for p in caught.value.problems if p.field == "barriers")
    assert "noise" in message
    assert list(Facility.objects.values_list("name", flat=True)) == ["Existing"]
    assert Facility.objects.get(name="Existing").adult_rating == 2


def test_problems_are_in_the_users_language(town):
    with translation.override("ru"), pytest.raises(ImportRejected) as caught:
        run(town, "name,type,availability\nPark,zoo,available\n")
    assert caught.value.problems[0].field == "type"
    assert "zoo" in caught.value.problems[0].message
    assert "unknown code" not in caught.value.problems[0].message


def test_reimport_updates_by_name_and_address(town):
    run(town, GOOD)
    first = Facility.objects.get(name="Park")
    again = "name,address,type,availability,adult_rating\n PARK ,,play,absent,2\nNew,Somewhere,sport,available,\n"  # noqa: E501
    summary = run(town, again)
    assert summary.as_dict() == {"created": 1, "updated": 1}
    first.refresh_from_db()
    assert first.availability == "absent" and first.adult_rating == 2
    assert first.target_ages == ["E", "M", "Y"]  # a column the file lacks keeps its value
    assert Facility.objects.filter(municipality=town).count() == 3


def test_the_same_facility_twice_in_a_file_is_refused(town):
    with pytest.raises(ImportRejected) as caught:
        run(town, "name,address,type,availability\nPark,A,play,available\npark,a,play,absent\n")
    assert [(p.row, p.field) for p in caught.value.problems] == [(3, "name")]
    assert not Facility.objects.exists()


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"", "audit.csv"),
        (b"name,type,availability\n", "audit.csv"),
        ("name,type,availability\nПарк,play,available\n".encode("cp1251"), "audit.csv"),
        (b"PK\x03\x04garbage" + bytes(range(256)), "audit.xlsx"),
        (b"name,kind\nPark,play\n", "audit.csv"),
        (b"name,type,availability,colour\nPark,play,available,red\n", "audit.csv"),
        (b"name,type,availability\nPa\x00rk,play,available\n", "audit.csv"),
        (bytes(range(256)) * 4, "audit.csv"),
    ],
    ids=[
        "empty",
        "header-only",
        "not-utf8",
        "garbage-xlsx",
        "missing-columns",
        "unknown-column",
        "nul",
        "binary",
    ],
)
def test_bad_files_are_refused(town, data, filename):
    with pytest.raises(ImportRejected):
        run(town, data, filename)
    assert not Facility.objects.exists()


def test_a_file_over_the_size_limit_is_refused(town, users, settings):
    settings.MEIRIM_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ImportRejected):
        run(town, GOOD)
    response = client_for(users["city_coordinator"]).post(
        url("import"), {"file": SimpleUploadedFile("audit.csv", GOOD.encode())}
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not Facility.objects.exists()


def test_the_import_page_lists_problems_and_imports_good_files(town, users):
    client = client_for(users["department_head"])
    page = client.get(url("import"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "children_asked_by" in text and "social_protection" in text
    response = client.post(
        url("import"),
        {"file": SimpleUploadedFile("audit.csv", b"name,type,availability\nPark,zoo,no\n")},
    )
    text = response.content.decode()
    assert "Nothing was imported" in text
    assert "<td>2</td><td>type</td>" in text and "<td>2</td><td>availability</td>" in text
    assert not Facility.objects.exists()
    response = client.post(url("import"), {"file": SimpleUploadedFile("audit.txt", b"x")})
    assert "Upload a .csv or .xlsx file." in response.content.decode()
    response = client.post(url("import"), {"file": SimpleUploadedFile("a.csv", GOOD.encode())})
    assert "2 facilities added, 0 updated" in response.content.decode()
    assert Facility.objects.count() == 2


def test_the_templates_come_back_unchanged_and_neutralise_formulas(town, users):
    make(town, name="=HYPERLINK(\"http://x\")", address="@home", barriers=["cost"],
         target_ages=["E"], adult_rating=4, evidence="-3 visits")  # fmt: skip
    make(town, name="Clinic", kind="health", latitude="53.28", longitude="69.39")
    client = client_for(users["city_coordinator"])
    csv_file = client.get(url("template", fmt="csv"))
    assert csv_file.status_code == 200
    text = csv_file.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["name", "type", "address"]
    assert any(row[0] == '\'=HYPERLINK("http://x")' and row[2] == "'@home" for row in rows)
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    xlsx_file = client.get(url("template", fmt="xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx_file.content)).worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    before = list(Facility.objects.order_by("pk").values())
    for data, filename in ((csv_file.content, "a.csv"), (xlsx_file.content, "a.xlsx")):
        summary = run(town, data, filename)
        assert summary.as_dict() == {"created": 0, "updated": 2}
        after = list(Facility.objects.order_by("pk").values())
        assert [{k: v for k, v in row.items() if k != "updated_at"} for row in after] == [
            {k: v for k, v in row.items() if k != "updated_at"} for row in before
        ]


def test_a_cell_longer_than_the_reader_takes_is_reported_by_row(town, users):
    client = client_for(users["department_head"])
    content = b"name,type,availability\nPark,park,yes\n" + b'"' + b"x" * 200_000 + b'",park,yes\n'
    response = client.post(url("import"), {"file": SimpleUploadedFile("audit.csv", content)})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing was imported" in text and "<td>3</td>" in text and "131072" in text
    assert not Facility.objects.exists()


def test_a_column_given_twice_is_refused_by_name(town):
    # Which of the two "availability" columns counts? Neither: the file is refused.
    text = "name,type,availability,availability\nPark,park,yes,no\n"
    with pytest.raises(ImportRejected) as refused:
        run(town, text)
    assert [(p.row, p.field) for p in refused.value.problems] == [(1, "availability")]
    assert not Facility.objects.exists()
