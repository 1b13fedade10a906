"""Importing a KoBoToolbox/ODK CSV export: all rows or none, problems by row and column,
metadata never stored."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from meirim.common.models import AuditEvent
from meirim.surveys import importing, services
from meirim.surveys.models import SurveyResponse
from tests.surveys.helpers import TOWN, survey_make

pytestmark = pytest.mark.django_db

KOBO = (
    "start;end;deviceid;about/plays;about/things;about/things/ball;about/things/swing;"
    "about/things/slide;age;why;_id;_uuid;_submission_time;meta/instanceID\n"
    "2026-05-01T10:00;2026-05-01T10:05;dev1;yes;ball swing;1;1;0;11;;101;u-1;2026-05-01;uuid:1\n"
    "2026-05-01T10:06;2026-05-01T10:09;dev1;no;;0;0;0;14;Too far;102;u-2;2026-05-01;uuid:2\n"
    "2026-05-01T10:10;2026-05-01T10:15;dev2;yes;;0;1;1;9;;103;u-3;2026-05-01;uuid:3\n"
)


def _town():
    from meirim.geography.models import Municipality

    return Municipality.objects.get(code=TOWN)


def test_a_kobo_export_is_imported_without_its_metadata(geography):
    survey = survey_make()
    count = services.responses_import(
        survey, municipality=_town(), content=KOBO.encode(), actor=None
    )
    assert count == 3
    answers = [r.answers for r in SurveyResponse.objects.filter(survey=survey).order_by("pk")]
    assert answers == [
        {"plays": "yes", "things": ["ball", "swing"], "age": 11},
        {"plays": "no", "age": 14, "why": "Too far"},
        {"plays": "yes", "things": ["swing", "slide"], "age": 9},  # from the split columns
    ]
    stored = " ".join(str(r.answers) for r in SurveyResponse.objects.all())
    assert "dev1" not in stored and "u-1" not in stored and "2026-05-01T" not in stored
    assert SurveyResponse.objects.filter(source=SurveyResponse.Source.IMPORT).count() == 3


def test_an_odk_export_with_commas_and_plain_names_is_imported(geography):
    survey = survey_make()
    content = "plays,things,age,why,KEY\nno,,10,far,uuid:9\nyes,slide,8,,uuid:8\n"
    content = content.replace("KEY", "_key")
    count = services.responses_import(
        survey, municipality=_town(), content=content.encode(), actor=None
    )
    assert count == 2


def test_one_bad_row_imports_nothing_and_names_every_row_and_column(geography):
    survey = survey_make()
    bad = KOBO + (
        "s;e;d;maybe;;0;0;0;11;;104;u-4;x;uuid:4\n"  # not a choice
        "s;e;d;yes;;0;0;0;eleven;;105;u-5;x;uuid:5\n"  # not a whole number
        "s;e;d;yes;;0;0;0;;;106;u-6;x;uuid:6\n"  # age is required
        "s;e;d;yes;;0;0;0;12;Why;107;u-7;x;uuid:7\n"  # "why" is not asked after "yes"
    )
    with pytest.raises(importing.ImportRefused) as caught:
        services.responses_import(survey, municipality=_town(), content=bad.encode(), actor=None)
    where = [(p.row, p.column) for p in caught.value.problems]
    assert where == [(5, "about/plays"), (6, "age"), (7, "age"), (8, "why")]
    assert not SurveyResponse.objects.exists()
    assert not AuditEvent.objects.filter(action="surveys.import").exists()


def test_an_unknown_column_is_refused(geography):
    survey = survey_make()
    with pytest.raises(importing.ImportRefused) as caught:
        services.responses_import(
            survey, municipality=_town(), content=b"plays,colour\nyes,red\n", actor=None
        )
    assert [(p.row, p.column) for p in caught.value.problems] == [(1, "colour")]


def test_the_import_page_lists_problems_in_the_readers_language(users, geography):
    survey = survey_make()
    client = Client()
    client.force_login(users["city_coordinator"])
    with translation.override("ru"):
        url = reverse("surveys:import", args=[TOWN, survey.pk])
    upload = SimpleUploadedFile("export.csv", b"plays,age\nmaybe,11\nyes,12\n")
    response = client.post(url, {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<td>2</td><td>plays</td>" in page
    assert "Ничего не импортировано" in page
    assert not SurveyResponse.objects.exists()
    upload = SimpleUploadedFile("export.csv", b"plays,age\nno,11\nyes,12\n")
    response = client.post(url, {"file": upload})
    assert response.status_code == 302
    assert SurveyResponse.objects.count() == 2
    assert AuditEvent.objects.filter(action="surveys.import").count() == 1


@pytest.mark.parametrize(
    ("content", "where", "sentence"),
    [
        (b"plays,age,why\nno,11,far\nno,12,a\x00b\n", "<td>3</td><td>why</td>", "NUL"),
        (b"plays,age,why\nno,11," + b"x" * 200_000 + b"\n", "<td>2</td>", "131072"),
        (b'plays,age,why\nno,11,far\nno,12,"far\nno,13,near\n', "<td>3</td>", "never closed"),
        (b"plays,age,plays\nno,11,yes\n", "<td>1</td><td>plays</td>", "more than once"),
    ],
    ids=["nul", "long-cell", "unclosed-quote", "twice"],
)
def test_a_file_the_reader_refuses_is_named_by_row_and_nothing_is_kept(
    users, geography, content, where, sentence
):
    survey = survey_make()
    client = Client()
    client.force_login(users["city_coordinator"])
    with translation.override("en"):
        url = reverse("surveys:import", args=[TOWN, survey.pk])
    response = client.post(url, {"file": SimpleUploadedFile("export.csv", content)})
    page = response.content.decode()
    assert response.status_code == 200
    assert where in page and sentence in page
    assert not SurveyResponse.objects.exists()


def test_an_export_saved_as_unicode_text_is_read(geography):
    survey = survey_make()
    content = "plays\tage\twhy\nno\t11\tдалеко\n".encode("utf-16")
    count = services.responses_import(survey, municipality=_town(), content=content, actor=None)
    assert count == 1
    assert SurveyResponse.objects.get().answers["why"] == "далеко"
