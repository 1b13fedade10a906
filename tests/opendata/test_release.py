"""The open data: each dataset in each format equals the approved data, small counts are
suppressed, releases follow the data revisions, and the files are served with stable URLs."""

from __future__ import annotations

import polars as pl
import pytest
from django.core.management import call_command
from django_tasks import default_task_backend

from meirim.data.models import DataYear, Observation
from meirim.data.services import data_year_approve, observation_save
from meirim.opendata.services import release_build
from tests.reports.conftest import A, B, observe

from .helpers import body, parsed, same

pytestmark = pytest.mark.django_db

DATASETS = ("observations", "results", "dictionary", "municipalities")
FORMATS = ("csv", "xlsx", "json", "parquet")
KEY = ("municipality", "year", "code", "sex", "age_band", "disability", "district")


@pytest.fixture
def dummy_tasks(settings):
    """Tasks are queued, not run: what a busy worker looks like."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def _get(client, url, **headers):
    response = client.get(url, headers=headers)
    return response, body(response)


def _frame(client, dataset, fmt="parquet", prefix="/api/v1/open-data"):
    response, content = _get(client, f"{prefix}/{dataset}.{fmt}")
    assert response.status_code == 200, (dataset, fmt, response.status_code)
    schema = None
    if fmt != "parquet":
        schema = dict(_frame(client, dataset, "parquet", prefix).schema)
    return parsed(fmt, content, schema)


def _approved_values(version):
    """The approved observations, straight from the tables: key → value."""
    approved = set(
        DataYear.objects.filter(version=version, state=DataYear.State.APPROVED).values_list(
            "municipality__code", "year"
        )
    )
    out = {}
    for o in Observation.objects.filter(version=version).select_related("municipality"):
        if (o.municipality.code, o.year) in approved:
            key = (o.municipality.code, o.year, o.code, o.sex, o.age_band, o.disability, o.district)
            out[key] = None if o.value is None else float(o.value)
    return out


def test_each_format_reads_back_as_the_approved_data(client, cfci):
    release_build()
    observations = _frame(client, "observations")
    published = {
        tuple(row[k] for k in KEY): row["value"] for row in observations.iter_rows(named=True)
    }
    expected = _approved_values(cfci["version"])
    # Kokshetau's I28 (a count of children) is 3 in 2023 and 2024, Stepnogorsk's 3 in 2023.
    for key in expected:
        if key[2] == "I28":
            expected[key] = None
    assert published == expected
    assert 2025 not in observations["year"].to_list()  # the open year is a draft
    for dataset in DATASETS:
        reference = _frame(client, dataset)
        assert reference.height > 0
        for fmt in ("csv", "json", "xlsx"):
            assert same(_frame(client, dataset, fmt), reference), (dataset, fmt)


def test_results_carry_the_stored_scores_of_approved_years_only(client, cfci):
    release_build()
    results = _frame(client, "results")
    assert set(results["year"].to_list()) == {2023, 2024}
    index = results.filter(code="CFCI").sort("municipality", "year")
    assert index["level"].to_list() == ["index"] * 4
    i16 = results.filter(code="I16", municipality=A).sort("year")
    assert i16["value"].to_list() == [40.0, 60.0]
    assert i16["score"].to_list() == [40.0, 60.0]
    assert i16["band"].to_list() == ["40-60", "60-80"]
    assert i16["change_since_previous"].to_list() == [None, 20.0]
    assert i16["status"].to_list() == ["reported", "reported"]
    levels = set(results["level"].to_list())
    assert levels == {"index", "category", "subdomain", "indicator"}
    completeness = results.filter(municipality=A, year=2024).row(0, named=True)
    assert completeness["no_data"] == 1 and completeness["outside_competence"] == 1


def test_small_counts_are_suppressed_and_cannot_be_worked_out(client, cfci):
    version, a = cfci["version"], cfci["a"]
    # I28 (a count) for Kokshetau 2024 broken down by sex: 12 in all, 3 girls, 9 boys.
    Observation.objects.filter(version=version, municipality=a, code="I28", year=2024).update(
        value=12
    )
    observe(version, a, "I28", 2024, 3, sex="female")
    observe(version, a, "I28", 2024, 9, sex="male")
    release_build()
    observations = _frame(client, "observations")
    cells = {
        row["sex"]: row
        for row in observations.filter(code="I28", municipality=A, year=2024).iter_rows(named=True)
    }
    assert cells["female"]["value"] is None and cells["female"]["suppressed"] is True
    # With the total and the boys shown, the girls would be 12 − 9: one more is hidden.
    assert cells[""]["value"] is None or cells["male"]["value"] is None
    small = observations.filter(code="I28", municipality=B, year=2023).row(0, named=True)
    assert small["value"] is None and small["suppressed"] is True
    # A percentage of 3 is no count of people: shown.
    assert observations.filter(code="I66", municipality=A, year=2024)["value"].to_list() == [4.0]
    # The score of a suppressed count would give its value back (fixed goalposts): hidden too.
    results = _frame(client, "results")
    b_i28 = results.filter(code="I28", municipality=B, year=2023).row(0, named=True)
    assert b_i28["value"] is None and b_i28["score"] is None and b_i28["suppressed"] is True
    dictionary = _frame(client, "dictionary")
    assert dictionary.filter(code="I28")["small_counts_suppressed"].to_list() == [True]
    assert dictionary.filter(code="I16")["small_counts_suppressed"].to_list() == [False]


def test_the_dictionary_names_every_code_in_four_languages(client, cfci):
    release_build()
    dictionary = _frame(client, "dictionary")
    scored = dictionary.filter(
        dictionary["kind"].is_in(["index", "category", "subdomain", "indicator"])
    )
    assert set(scored["kind"].to_list()) == {"index", "category", "subdomain", "indicator"}
    for language in ("kk", "ru", "en", "ky"):
        assert all(name.strip() for name in scored[f"name_{language}"].to_list()), language
    i01 = dictionary.filter(code="I01").row(0, named=True)
    assert i01["unit"] == "rate" and i01["direction"] == -1
    assert i01["direction_label"] == "lower_is_better"
    assert i01["parent"] == "S01" and i01["category"]
    municipalities = _frame(client, "municipalities")
    kokshetau = municipalities.filter(code=A).row(0, named=True)
    assert kokshetau["region"] == "KZ-AKM" and kokshetau["latitude"] is not None
    assert all(kokshetau[f"name_{lang}"] for lang in ("kk", "ru", "en"))


def test_a_new_revision_makes_a_new_release_and_the_old_one_stays_served(
    client, cfci, dummy_tasks, django_capture_on_commit_callbacks
):
    version, a = cfci["version"], cfci["a"]
    first = release_build()
    assert first is not None and first.state == "complete"
    # The coordinator approves 2025: the data revision changes, a build is queued.
    with django_capture_on_commit_callbacks(execute=True):
        data_year_approve(version=version, municipality=a, year=2025, actor=None)
    queued = [r for r in dummy_tasks.results if r.task.name == "opendata_build"]
    assert queued, "the data revision queued no open data build"
    # Until the worker has built it, the previous release is served whole.
    response, _content = _get(client, "/api/v1/open-data/observations.csv")
    assert first.label in response["Content-Disposition"]
    assert 2025 not in _frame(client, "observations")["year"].to_list()
    index = client.get("/api/v1/open-data/").json()
    assert index["revision"] == first.label
    # The worker runs it.
    from meirim.reports.computing import results_compute

    results_compute(version)
    queued[0].task.call(*queued[0].args, **queued[0].kwargs)
    index = client.get("/api/v1/open-data/").json()
    assert index["revision"] != first.label
    assert 2025 in _frame(client, "observations")["year"].to_list()
    response, _content = _get(client, "/api/v1/open-data/results.json")
    assert index["revision"] in response["Content-Disposition"]
    # The previous release stays reachable at its own address, without the 2025 data.
    pinned = _frame(client, "observations", prefix=f"/api/v1/open-data/revisions/{first.label}")
    assert 2025 not in pinned["year"].to_list()


def test_the_data_services_build_the_release_once_the_results_are_stored(
    client, cfci, django_capture_on_commit_callbacks
):
    """End to end with the task backend running tasks at once (as the worker would)."""
    version, b = cfci["version"], cfci["b"]
    with django_capture_on_commit_callbacks(execute=True):
        observation_save(
            version=version,
            municipality=b,
            code="I16",
            year=2025,
            values={"value": "90"},
            actor=None,
        )
    with django_capture_on_commit_callbacks(execute=True):
        data_year_approve(version=version, municipality=b, year=2025, actor=None)
    results = _frame(client, "results")
    row = results.filter(code="I16", municipality=B, year=2025).row(0, named=True)
    assert row["score"] == 90.0


def test_old_releases_are_pruned_and_their_urls_answer_404(client, cfci):
    from tests.reports.conftest import bump_revision

    first = release_build()
    for _ in range(3):
        bump_revision(cfci["version"])
        release_build()
    response = client.get(f"/api/v1/open-data/revisions/{first.label}/results.csv")
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "revision"
    latest = client.get("/api/v1/open-data/").json()["revision"]
    response = client.get(f"/api/v1/open-data/revisions/{latest}/results.csv")
    assert response.status_code == 200


def test_files_carry_an_etag_and_answer_304_when_unchanged(client, cfci):
    release_build()
    response, _content = _get(client, "/api/v1/open-data/results.parquet")
    etag = response["ETag"]
    assert etag and response["Last-Modified"]
    assert response["Content-Type"] == "application/vnd.apache.parquet"
    again = client.get("/api/v1/open-data/results.parquet", headers={"If-None-Match": etag})
    assert again.status_code == 304
    other = client.get("/api/v1/open-data/results.parquet", headers={"If-None-Match": '"x"'})
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/open-data/budgets.csv", "dataset"),
        ("/api/v1/open-data/results.xml", "format"),
        ("/api/v1/open-data/revisions/2026.1-1/results.pdf", "format"),
    ],
)
def test_unknown_files_answer_404_saying_what_is_wrong(client, cfci, url, field):
    release_build()
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == field


def test_before_the_first_build_the_api_answers_503_and_queues_one(
    client, cfci, dummy_tasks, django_capture_on_commit_callbacks
):
    for url in ("/api/v1/open-data/", "/api/v1/open-data/results.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(url)
        assert response.status_code == 503
        assert int(response["Retry-After"]) > 0
        assert response.json()["detail"]
    assert [r.task.name for r in dummy_tasks.results] == ["opendata_build"]  # once, not twice
    page = client.get("/en/open-data/").content.decode()
    assert "The open data are being prepared." in page


def test_the_journalists_walk(client, cfci):
    """The index, then every dataset in every format: each opens and parses."""
    call_command("opendata_build")
    index = client.get("/api/v1/open-data/")
    assert index.status_code == 200
    payload = index.json()
    assert payload["licence"]["name"] == "CC BY 4.0"
    assert set(payload["licence"]["statement"]) == {"kk", "ru", "en", "ky"}
    assert [d["name"] for d in payload["datasets"]] == list(DATASETS)
    for dataset in payload["datasets"]:
        assert set(dataset["files"]) == set(FORMATS)
        for fmt, file in dataset["files"].items():
            response, content = _get(client, file["url"])
            assert response.status_code == 200, file["url"]
            assert len(content) == file["size"]
            assert (
                f"meirim-{dataset['name']}-{payload['revision']}.{fmt}"
                in response["Content-Disposition"]
            )
            assert parsed(fmt, content).height == dataset["rows"]
    response, content = _get(client, payload["dictionary_url"])
    assert parsed("csv", content).height > 100
    licence = client.get(payload["licence_url"]).json()
    assert licence["url"].startswith("https://creativecommons.org/licenses/by/4.0")
    assert len(set(licence["statement"].values())) == 4  # four translations
    assert payload["revision"] in licence["attribution"]["en"]


def test_the_page_lists_the_downloads_and_the_dictionary_in_the_readers_language(client, cfci):
    release = release_build()
    page = client.get("/ru/open-data/").content.decode()
    assert release.label in page
    for dataset in DATASETS:
        for fmt in FORMATS:
            assert f'href="/api/v1/open-data/{dataset}.{fmt}"' in page
    from meirim.catalogue.models import Indicator

    i16 = Indicator.objects.get(version=cfci["version"], code="I16")
    assert i16.name_ru in page and "CC BY 4.0" in page
    assert "KB" in page or "КБ" in page or "байт" in page


def test_the_csv_neutralises_formulas_a_city_typed_and_keeps_numbers(client, cfci):
    # OWASP, CSV injection: a text a spreadsheet would run as a formula gets an apostrophe.
    approved = Observation.objects.filter(
        version=cfci["version"], municipality__code="KZ-AKM-KOKSHETAU", year=2023
    ).exclude(code="I28")
    first, second = approved.order_by("id")[:2]
    Observation.objects.filter(pk=first.pk).update(source='=HYPERLINK("http://evil","x")')
    Observation.objects.filter(pk=second.pk).update(source="@SUM(A1)", text_value="-2+3")
    release_build()
    response, content = _get(client, "/api/v1/open-data/observations.csv")
    assert response.status_code == 200
    text = content.decode()
    assert "'=HYPERLINK(" in text and "'@SUM(A1)" in text and "'-2+3" in text
    assert ",=HYPERLINK(" not in text.replace('"', "")
    csv = parsed("csv", content, dict(_frame(client, "observations").schema))
    reference = _frame(client, "observations")
    # Only those texts changed: every number, and every other text, reads back as it is.
    assert csv["value"].to_list() == reference["value"].to_list()
    changed = csv.filter(pl.col("source") != reference["source"])
    evil = '\'=HYPERLINK("http://evil","x")'
    assert sorted(changed["source"].to_list()) == [evil, "'@SUM(A1)"]
    # The data formats keep what was typed.
    assert '=HYPERLINK("http://evil","x")' in reference["source"].to_list()
