"""An XLSForm file becomes the survey's definition; a file the platform cannot ask is
refused by sheet, row and column, in the reader's language, and leaves nothing behind."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from meirim.common.models import AuditEvent
from meirim.surveys.models import Survey
from meirim.surveys.xlsform import XLSFormRejected, parse_xlsform
from tests.surveys.helpers import BASIC_CHOICES, BASIC_SURVEY, TOWN, xlsx


def _by_name(definition):
    return {q["name"]: q for q in definition["questions"]}


def test_each_supported_type_is_read_with_its_labels_per_language():
    definition = parse_xlsform(xlsx())
    questions = _by_name(definition)
    assert [q["name"] for q in definition["questions"]] == [
        "hello",
        "plays",
        "things",
        "age",
        "why",
    ]
    assert questions["hello"]["type"] == "note"
    assert questions["plays"]["type"] == "select_one"
    assert questions["plays"]["required"] is True
    assert questions["plays"]["label"] == {
        "kk": "Ойнайсың ба?",
        "ru": "Играешь?",
        "default": "Do you play?",
    }
    assert [c["name"] for c in questions["plays"]["choices"]] == ["yes", "no"]
    assert questions["plays"]["choices"][1]["label"]["ru"] == "Нет"
    assert questions["things"]["type"] == "select_multiple"
    assert [c["name"] for c in questions["things"]["choices"]] == ["ball", "swing", "slide"]
    assert questions["age"]["type"] == "integer"
    assert questions["age"]["constraint"] == ". >= 5 and . <= 24"
    assert questions["age"]["hint"] == {"default": "years"}
    assert questions["why"]["type"] == "text"
    assert definition["title"] == "Basic"
    assert set(definition["languages"]) == {"kk", "ru", "default"}
    assert definition["period"] is None


def test_relevance_is_kept_and_a_group_is_flattened():
    rows = [
        ["select_one yesno", "plays", "", "", "Play?", "yes", "", "", ""],
        ["begin_group", "more", "", "", "More", "", "${plays} = 'yes'", "", ""],
        ["integer", "hours", "", "", "Hours?", "", "${plays} != 'no'", "", ""],
        ["end_group", "", "", "", "", "", "", "", ""],
    ]
    questions = _by_name(parse_xlsform(xlsx(rows)))
    assert questions["hours"]["group"] == "more"
    assert questions["hours"]["relevant"] == "(${plays} = 'yes') and (${plays} != 'no')"
    assert "meta" not in questions and "instanceID" not in questions


def test_a_period_question_marks_a_before_after_survey():
    rows = [["select_one period", "period", "", "", "When?", "yes", "", "", ""]]
    choices = [["period", "before", "", "", "Before"], ["period", "after", "", "", "After"]]
    definition = parse_xlsform(xlsx(rows, choices))
    assert definition["period"] == {"question": "period", "before": "before", "after": "after"}


def _problems(content):
    with pytest.raises(XLSFormRejected) as caught:
        parse_xlsform(content)
    return [(p.sheet, p.row, p.column) for p in caught.value.problems], caught.value


def test_an_unsupported_type_is_refused_by_sheet_row_and_column():
    rows = [*BASIC_SURVEY, ["geopoint", "where", "", "", "Where?", "", "", "", ""]]
    where, rejected = _problems(xlsx(rows))
    assert where == [("survey", 9, "type")]
    assert "geopoint" in str(rejected)


def test_an_unsupported_relevance_is_refused_by_row_and_column():
    rows = [*BASIC_SURVEY, ["text", "extra", "", "", "More?", "", "today() > ${age}", "", ""]]
    where, _rejected = _problems(xlsx(rows))
    assert where == [("survey", 9, "relevant")]


def test_a_missing_list_of_choices_is_refused():
    rows = [*BASIC_SURVEY, ["select_one colours", "colour", "", "", "Colour?", "", "", "", ""]]
    where, rejected = _problems(xlsx(rows))
    assert where == [("survey", 9, "type")]
    assert "colours" in str(rejected)


def test_pyxform_refusals_keep_their_row_and_column():
    rows = [*BASIC_SURVEY, ["text", "later", "", "", "Later?", "", "${nowhere} = 'x'", "", ""]]
    where, _rejected = _problems(xlsx(rows))
    assert where == [("survey", 9, "relevant")]
    rows = [*BASIC_SURVEY, ["integer", "age", "", "", "Again?", "", "", "", ""]]
    where, _rejected = _problems(xlsx(rows))
    assert where == [("survey", 9, "name")]


def test_a_file_that_is_not_a_workbook_is_refused():
    where, _rejected = _problems(b"not a spreadsheet at all")
    assert where == [("", None, "")]


@pytest.mark.django_db
def test_the_upload_page_refuses_in_the_readers_language_and_keeps_nothing(
    users, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = Client()
    client.force_login(users["city_coordinator"])
    rows = [*BASIC_SURVEY, ["geopoint", "where", "", "", "Where?", "", "", "", ""]]
    upload = SimpleUploadedFile("bad.xlsx", xlsx(rows))
    with translation.override("ru"):
        url = reverse("surveys:add", args=[TOWN])
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "geopoint" in page and "<td>survey</td><td>9</td><td>type</td>" in page
    assert "не поддерживается" in page  # the sentence is in Russian
    assert not Survey.objects.exists()
    assert not AuditEvent.objects.filter(action="surveys.create").exists()
    assert not list(tmp_path.rglob("*.xlsx"))


@pytest.mark.django_db
def test_the_upload_page_refuses_a_file_over_the_size_limit(users):
    client = Client()
    client.force_login(users["city_coordinator"])
    upload = SimpleUploadedFile("big.xlsx", b"x" * (2 * 1024 * 1024 + 1))
    with translation.override("en"):
        url = reverse("surveys:add", args=[TOWN])
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    assert "2 MB" in response.content.decode()
    assert not Survey.objects.exists()


@pytest.mark.django_db
def test_the_example_file_is_offered_and_is_a_valid_xlsform(client):
    response = client.get(reverse("surveys:example"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    definition = parse_xlsform(content)
    types = {q["type"] for q in definition["questions"]}
    assert types == {"select_one", "select_multiple", "integer", "text", "note"}
    assert set(definition["languages"]) == {"kk", "ru", "ky", "en"}
    assert any(q["relevant"] for q in definition["questions"])
    assert BASIC_CHOICES  # the helpers' form is another valid file


def _damaged(part: str) -> bytes:
    """A real workbook with one of its XML parts broken (a cut-off download, a hostile file)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        for info in source.infolist():
            data = b"<worksheet><sheetData><row><c" if info.filename == part else None
            book.writestr(info.filename, data or source.read(info.filename))
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "part", ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/workbook.xml"]
)
def test_a_workbook_with_a_damaged_part_is_refused_on_the_page(users, part):
    client = Client()
    client.force_login(users["city_coordinator"])
    upload = SimpleUploadedFile("damaged.xlsx", _damaged(part))
    with translation.override("ru"):
        url = reverse("surveys:add", args=[TOWN])
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    assert "Файл не является книгой .xlsx" in response.content.decode()
    assert not Survey.objects.exists()
