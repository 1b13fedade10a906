"""The data pages: entry form, years and approval, upload, templates, evidence."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from meirim.common.models import AuditEvent
from meirim.data.models import DataYear, Observation
from meirim.data.services import (
    data_year_approve,
    evidence_add,
    observation_save,
)
from tests.data.conftest import TOWN, csv_bytes

YEAR = 2024
ENTRY = f"/en/data/{TOWN}/{YEAR}/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _entry_post(client: Client, changes: dict[str, str], section: str = "S01", url=ENTRY):
    """Post the section's form as a browser would: every row, with the given changes."""
    page = client.get(url, {"section": section})
    form = page.context["rows"]
    data = {}
    for _item, row_form in form:
        for field in row_form:
            value = field.value()
            data[field.html_name] = "" if value is None else str(value)
    data.update(changes)
    return client.post(f"{url}?section={section}", data)


# --- Entry ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_entry_page_lists_the_section_with_labelled_fields(users, version):
    response = _client(users["department_head"]).get(ENTRY)
    body = response.content.decode()
    assert response.status_code == 200
    for n in range(1, 16):  # S01 holds I01–I15
        assert f"<strong>I{n:02d}</strong>" in body
    assert '<label for="id_I01-numerator">' in body  # a rate with its denominator series
    assert '<label for="id_I03-value">' in body
    assert 'id="id_I03-numerator"' not in body  # a count has no numerator
    assert "S02" in body and 'href="?section=B' in body and 'href="?section=D' in body
    baseline = _client(users["department_head"]).get(ENTRY, {"section": "B"})
    assert "<strong>B46</strong>" in baseline.content.decode()
    series = _client(users["department_head"]).get(ENTRY, {"section": "D"})
    assert "<strong>D01</strong>" in series.content.decode()


@pytest.mark.django_db
def test_entry_saves_only_changed_rows(users, version, town):
    client = _client(users["department_head"])
    response = _entry_post(
        client,
        {
            "I03-value": "7",
            "I03-source": "Health department",
            "I01-numerator": "4",
            "I01-denominator": "2000",
            "I04-status": "no_data",
        },
    )
    assert response.status_code == 302
    saved = {o.code: o for o in Observation.objects.filter(municipality=town, year=YEAR)}
    assert set(saved) == {"I01", "I03", "I04"}
    assert saved["I01"].value == 2 and saved["I03"].source == "Health department"
    assert AuditEvent.objects.filter(action="data.observation_save").count() == 3
    # Posting the page again unchanged writes nothing.
    response = _entry_post(client, {})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="data.observation_save").count() == 3
    # The stored values come back in the form.
    page = client.get(ENTRY).content.decode()
    assert 'name="I03-value" value="7"' in page


@pytest.mark.django_db
def test_entry_shows_errors_next_to_the_field_and_saves_nothing(users, version, town):
    client = _client(users["city_coordinator"])
    response = _entry_post(
        client, {"I03-value": "7", "I06-value": "120"}, url=f"/ru/data/{TOWN}/{YEAR}/"
    )
    assert response.status_code == 200
    body = response.content.decode()
    with translation.override("ru"):
        message = gettext("a percentage must be between 0 and 100")
    assert message in body
    assert 'aria-invalid="true"' in body and 'href="#id_I06-value"' in body
    assert not Observation.objects.filter(municipality=town).exists()


@pytest.mark.django_db
def test_entry_of_an_approved_year_is_read_only(users, version, town):
    observation_save(
        version=version, municipality=town, code="I03", year=YEAR, values={"value": 5}, actor=None
    )
    data_year_approve(version=version, municipality=town, year=YEAR, actor=None)
    client = _client(users["department_head"])
    body = client.get(ENTRY).content.decode()
    assert (
        gettext("They can be read but not changed. The national council can reopen the year.")
        in body
    )
    assert 'name="I03-value"' not in body
    response = client.post(f"{ENTRY}?section=S01", {"I03-value": "9"})
    assert response.status_code == 302
    assert Observation.objects.get(municipality=town, code="I03").value == 5


@pytest.mark.django_db
def test_year_selector_moves_to_another_year(users, version):
    client = _client(users["department_head"])
    response = client.get(ENTRY, {"year": "2022", "section": "S03"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/en/data/{TOWN}/2022/?section=S03")
    assert client.get(f"/en/data/{TOWN}/1980/").status_code == 404
    assert client.get(ENTRY, {"section": "S99"}).status_code == 404


# --- Years, approval ------------------------------------------------------------------


@pytest.mark.django_db
def test_years_page_shows_state_completeness_and_actions(users, version, town):
    for code in ("I01", "I02"):
        observation_save(
            version=version,
            municipality=town,
            code=code,
            year=YEAR,
            values={"value": 3},
            actor=None,
        )
    observation_save(
        version=version,
        municipality=town,
        code="I03",
        year=YEAR,
        values={"status": "outside_competence"},
        actor=None,
    )
    coordinator = _client(users["city_coordinator"])
    body = coordinator.get(f"/en/data/{TOWN}/").content.decode()
    assert f'<th scope="row"><a href="/en/data/{TOWN}/{YEAR}/' in body
    assert "3 of 74" in body and "71 indicators missing" in body
    assert f"Approve and lock {YEAR}" in body
    assert f"/en/data/{TOWN}/{YEAR}/approve/" in body
    # Approving asks first, naming what is still missing; only the confirmation approves.
    with translation.override("ru"):
        confirm = coordinator.get(f"/ru/data/{TOWN}/{YEAR}/approve/").content.decode()
    assert "I74" in confirm and 'name="confirm"' in confirm
    assert (
        gettext_in("ru", "If you approve now, they are recorded as missing for this year.")
        in confirm
    )
    assert coordinator.post(f"/en/data/{TOWN}/{YEAR}/approve/").status_code == 200
    assert DataYear.objects.filter(municipality=town, year=YEAR, state="approved").count() == 0
    response = coordinator.post(f"/en/data/{TOWN}/{YEAR}/approve/", {"confirm": "yes"})
    assert response.status_code == 302
    assert DataYear.objects.get(municipality=town, year=YEAR).state == "approved"
    body = coordinator.get(f"/en/data/{TOWN}/").content.decode()
    assert "Approved (locked)" in body and f"/{YEAR}/reopen/" not in body
    council = _client(users["national_council"])
    body = council.get(f"/en/data/{TOWN}/").content.decode()
    assert f"/en/data/{TOWN}/{YEAR}/reopen/" in body and 'id="reason-2024"' in body
    assert council.post(f"/en/data/{TOWN}/{YEAR}/reopen/", {"reason": ""}).status_code == 302
    assert DataYear.objects.get(municipality=town, year=YEAR).state == "approved"
    council.post(f"/en/data/{TOWN}/{YEAR}/reopen/", {"reason": "Typo in I01"})
    assert DataYear.objects.get(municipality=town, year=YEAR).state == "open"


def gettext_in(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


@pytest.mark.django_db
def test_readers_see_a_citys_values_read_only(version, town, users):
    """The council, a reviewer and the region officer read submitted values; no form."""
    observation_save(
        version=version, municipality=town, code="I03", year=YEAR, values={"value": 7}, actor=None
    )
    for role in ("national_council", "reviewer", "region_officer"):
        body = _client(users[role]).get(f"/en/data/{TOWN}/{YEAR}/?section=S01").content.decode()
        assert "I03" in body and ">7<" in body.replace(" ", ""), role
        assert "Save the changes" not in body and "Attach the file" not in body, role
        refused = _client(users[role]).post(
            f"/en/data/{TOWN}/{YEAR}/?section=S01", {"I03-value": "8"}
        )
        assert refused.status_code == 403, role
    assert Observation.objects.get(municipality=town, code="I03", year=YEAR).value == 7


# --- Upload ---------------------------------------------------------------------------


def _upload(client: Client, data: bytes, name: str = "data.csv", lang: str = "en"):
    return client.post(
        f"/{lang}/data/{TOWN}/upload/", {"file": SimpleUploadedFile(name, data)}, follow=True
    )


@pytest.mark.django_db
def test_upload_errors_are_listed_by_row_and_field_and_nothing_imported(users, version, town):
    data = csv_bytes(
        [
            {"code": "I03", "year": YEAR, "value": "5"},
            {"code": "I06", "year": YEAR, "value": "120"},
            {"code": "I99", "year": YEAR, "value": "1"},
        ]
    )
    response = _upload(_client(users["city_coordinator"]), data, lang="ru")
    body = response.content.decode()
    with translation.override("ru"):
        assert gettext("a percentage must be between 0 and 100") in body
        assert gettext("Nothing was imported") in body
    assert "<td>3</td><td>value</td>" in body and "<td>4</td><td>code</td>" in body
    assert not Observation.objects.filter(municipality=town).exists()


@pytest.mark.django_db
def test_upload_imports_and_shows_the_summary_with_outliers(users, version, town):
    rows = [{"code": "I03", "year": y, "value": str(20 + y % 2)} for y in range(2018, 2023)]
    rows.append({"code": "I03", "year": 2023, "value": "300"})
    response = _upload(_client(users["city_coordinator"]), csv_bytes(rows))
    body = response.content.decode()
    assert "The file was imported" in body
    assert "6 new values" in body
    assert "<td>I03</td><td>2023</td><td>300</td>" in body
    assert Observation.objects.filter(municipality=town).count() == 6


# --- Templates ------------------------------------------------------------------------


@pytest.mark.django_db
def test_csv_template_round_trips(users, version, town):
    observation_save(
        version=version, municipality=town, code="I03", year=YEAR, values={"value": 8}, actor=None
    )
    client = _client(users["city_coordinator"])
    response = client.get(f"/ru/data/{TOWN}/template.csv", {"year": YEAR})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 74 + 46 + 2
    by_code = {row["code"]: row for row in rows}
    assert by_code["I03"]["value"] == "8" and by_code["I03"]["year"] == str(YEAR)
    assert by_code["I01"]["name"].startswith("Младенческая") or "[" in by_code["I01"]["name"]
    by_code["I06"]["value"] = "55,5"
    by_code["B01"]["value"] = "120 000"
    by_code["I04"]["status"] = "no_data"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    response = _upload(client, out.getvalue().encode("utf-8-sig"), "filled.csv")
    assert "The file was imported" in response.content.decode()
    values = dict(Observation.objects.filter(municipality=town).values_list("code", "value"))
    assert values == {"I03": 8, "I06": Decimal("55.5"), "B01": 120000, "I04": None}


@pytest.mark.django_db
def test_xlsx_template_has_instructions_and_round_trips(users, version, town):
    client = _client(users["department_head"])
    response = client.get(f"/en/data/{TOWN}/template.xlsx", {"year": YEAR})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    data, guide = workbook.worksheets
    header = [cell.value for cell in data[1]]
    assert header[:4] == ["code", "name", "year", "value"]
    assert guide.title == "Instructions"
    guide_text = "\n".join(
        str(cell.value) for row in guide.iter_rows() for cell in row if cell.value
    )
    for allowed in ("outside_competence", "children_self_assessment", "female", "without"):
        assert allowed in guide_text
    assert "per 1000" in guide_text  # the unit of a rate
    for row in data.iter_rows(min_row=2):
        if row[0].value == "I03":
            row[3].value = 11
        if row[0].value == "I26":
            row[3].value = "yes"
    out = io.BytesIO()
    workbook.save(out)
    coordinator = _client(users["city_coordinator"])
    response = _upload(coordinator, out.getvalue(), "filled.xlsx")
    assert "The file was imported" in response.content.decode()
    values = dict(Observation.objects.filter(municipality=town).values_list("code", "value"))
    assert values == {"I03": 11, "I26": 1}


# --- Evidence -------------------------------------------------------------------------


@pytest.mark.django_db
def test_evidence_upload_on_the_entry_page_and_private_download(
    users, version, town, media, other_users
):
    observation_save(
        version=version, municipality=town, code="I03", year=YEAR, values={"value": 8}, actor=None
    )
    client = _client(users["department_head"])
    response = client.post(
        f"/en/data/{TOWN}/{YEAR}/evidence/",
        {
            "code": "I03",
            "section": "S01",
            "file": SimpleUploadedFile("minutes.pdf", b"%PDF minutes"),
        },
    )
    assert response.status_code == 302
    observation = Observation.objects.get(municipality=town, code="I03")
    evidence = observation.evidence.get()
    assert (media / evidence.file.name).read_bytes() == b"%PDF minutes"
    page = client.get(ENTRY).content.decode()
    url = f"/en/data/{TOWN}/evidence/{evidence.pk}/"
    assert url in page and "minutes.pdf" in page
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF minutes"
    assert "attachment" in download["Content-Disposition"]
    assert _client(users["region_officer"]).get(url).status_code == 200
    for refused in ("community_group", "no_role"):
        assert _client(users[refused]).get(url).status_code in {403, 404}
    for refused in other_users.values():
        assert _client(refused).get(url).status_code in {403, 404}
    # Through another municipality's address: not found either.
    other = _client(other_users["other_city_coordinator"])
    assert other.get(f"/en/data/KZ-AKM-STEPNOGORSK/evidence/{evidence.pk}/").status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    # Removing it from the page: a confirmation names the file first.
    remove = f"/en/data/{TOWN}/evidence/{evidence.pk}/remove/"
    assert remove in page
    confirm = client.get(remove + "?section=S01")
    assert confirm.status_code == 200 and "Yes, remove minutes.pdf" in confirm.content.decode()
    assert client.post(remove, {"section": "S01"}).status_code == 200  # not confirmed
    assert observation.evidence.exists()
    response = client.post(remove, {"section": "S01", "confirm": "yes"})
    assert response.status_code == 302 and not observation.evidence.exists()


@pytest.mark.django_db
def test_evidence_form_refuses_files_of_an_approved_year(users, version, town, media):
    observation = observation_save(
        version=version, municipality=town, code="I03", year=YEAR, values={"value": 8}, actor=None
    )
    evidence = evidence_add(
        observation=observation, file=SimpleUploadedFile("a.pdf", b"%PDF"), actor=None
    )
    data_year_approve(version=version, municipality=town, year=YEAR, actor=None)
    client = _client(users["department_head"])
    client.post(
        f"/en/data/{TOWN}/{YEAR}/evidence/",
        {"code": "I03", "file": SimpleUploadedFile("b.pdf", b"%PDF")},
    )
    client.post(f"/en/data/{TOWN}/evidence/{evidence.pk}/remove/", {"confirm": "yes"})
    assert observation.evidence.count() == 1


# --- Templates never carry live formulas ------------------------------------------------

FORMULA = '=HYPERLINK("http://example.org/x","click")'


@pytest.mark.django_db
def test_templates_write_formula_like_texts_as_text_and_numbers_as_numbers(users, version, town):
    observation_save(
        version=version,
        municipality=town,
        code="I03",
        year=YEAR,
        values={"value": 8, "comment": FORMULA, "source": "+7 701 000 00 00"},
        actor=None,
    )
    observation_save(
        version=version,
        municipality=town,
        code="B02",
        year=YEAR,
        values={"value": "-5"},
        actor=None,
    )
    client = _client(users["city_coordinator"])
    text = client.get(f"/en/data/{TOWN}/template.csv", {"year": YEAR}).content.decode("utf-8-sig")
    by_code = {row["code"]: row for row in csv.DictReader(io.StringIO(text))}
    assert by_code["I03"]["comment"] == "'" + FORMULA
    assert by_code["I03"]["source"] == "'+7 701 000 00 00"
    assert by_code["B02"]["value"] == "-5"  # a number stays a number

    content = client.get(f"/en/data/{TOWN}/template.xlsx", {"year": YEAR}).content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    comment = rows["I03"][header.index("comment")]
    assert comment.value == FORMULA and comment.data_type == "s"
    value = rows["B02"][header.index("value")]
    assert value.value == -5 and value.data_type == "n"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)

    # Uploaded back, the texts are what was saved.
    response = _upload(client, text.encode("utf-8-sig"), "back.csv")
    assert "The file was imported" in response.content.decode()
    stored = Observation.objects.get(municipality=town, code="I03")
    assert (stored.comment, stored.source) == (FORMULA, "+7 701 000 00 00")


@pytest.mark.django_db
def test_saving_one_value_says_so_in_the_singular(users, version, town):
    client = _client(users["department_head"])
    response = _entry_post(client, {"I03-value": "7"})
    page = client.get(response["Location"]).content.decode()
    assert "1 value was saved." in page
    response = _entry_post(client, {"I03-value": "8", "I05-value": "3"})
    assert "2 values were saved." in client.get(response["Location"]).content.decode()
