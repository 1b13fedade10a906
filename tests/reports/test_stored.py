"""Results are stored by the worker after each data write; pages only read them."""

from __future__ import annotations

import pytest

from meirim.data.models import DataYear, Observation
from meirim.reports import store
from meirim.reports.adapter import Scope
from meirim.reports.computing import results_compute, results_mark_stale
from meirim.reports.models import ResultState, YearResult

from .conftest import A, B, set_year
from .helpers import row_of

pytestmark = pytest.mark.django_db


def _score(version, place: str, year: int, code: str) -> float | None:
    result = store.read(version, Scope.public()).result
    assert result is not None
    stage = "normalised" if code.startswith("I") else "score"
    return result.value(place, year, code, stage=stage)


def test_one_citys_data_never_change_another_citys_score(cfci):
    version, b = cfci["version"], cfci["b"]
    before = {(y, c): _score(version, A, y, c) for y in (2023, 2024) for c in ("I16", "CFCI")}
    # Stepnogorsk's figures move to the extremes; then the whole version is recomputed.
    Observation.objects.filter(version=version, municipality=b, code="I16", sex="").update(
        value=100
    )
    Observation.objects.filter(version=version, municipality=b, code="I60", sex="").update(value=0)
    results_compute(version)
    after = {(y, c): _score(version, A, y, c) for y in (2023, 2024) for c in ("I16", "CFCI")}
    assert after == before
    assert _score(version, B, 2024, "I16") == 100.0  # the other city's own score did move


def test_pages_read_stored_results_and_say_when_newer_data_wait(client, cfci):
    version, a = cfci["version"], cfci["a"]
    before = client.get(f"/en/results/{A}/").content.decode()
    assert "results computed on" in before
    assert "Newer data are being processed" not in before
    # A write without the worker: the page keeps showing the stored results, and says so.
    Observation.objects.filter(version=version, municipality=a, code="I16", year=2024).filter(
        sex=""
    ).update(value=30)
    results_mark_stale(version.pk, [a.pk])
    waiting = client.get(f"/en/results/{A}/").content.decode()
    assert "Newer data are being processed" in waiting
    assert row_of(waiting, "I16") == row_of(before, "I16")
    # The worker's run: I16 went 40 → 30, worse instead of improved.
    results_compute(version, [a.pk], [2024])
    after = client.get(f"/en/results/{A}/").content.decode()
    assert "Newer data are being processed" not in after
    assert "Improved" in row_of(before, "I16")
    assert "Worse" in row_of(after, "I16")


def test_only_the_changed_city_years_are_recomputed(cfci):
    version, a, b = cfci["version"], cfci["a"], cfci["b"]
    stamp_b = ResultState.objects.get(version=version, municipality=b).computed_at
    results_compute(version, [a.pk], [2024])
    assert ResultState.objects.get(version=version, municipality=b).computed_at == stamp_b
    assert ResultState.objects.get(version=version, municipality=a).computed_at > stamp_b
    # A's other years keep their rows; a recompute of one year writes that year only.
    assert YearResult.objects.filter(version=version, municipality=a, year=2023).exists()
    years = set(YearResult.objects.filter(version=version).values_list("year", flat=True))
    assert years == {2023, 2024, 2025}


def test_approving_a_year_publishes_it_without_recomputing(client, cfci):
    assert "2025" not in client.get("/en/results/indicator/I16/").content.decode()
    set_year(cfci["version"], cfci["a"], 2025, DataYear.State.APPROVED)
    assert "2025" in client.get("/en/results/indicator/I16/").content.decode()


def test_the_data_services_refresh_the_results(client, cfci, django_capture_on_commit_callbacks):
    """End to end with the data entry services and the task they queue on commit."""
    from meirim.data.services import data_year_approve, observation_save

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
    body = client.get(f"/en/results/{B}/").content.decode()
    assert '<th scope="col" class="num">2025</th>' not in body  # entered, not approved
    preview = store.read(version, Scope.preview(b)).result
    assert preview is not None and preview.value(B, 2025, "I16", stage="normalised") == 90.0
    with django_capture_on_commit_callbacks(execute=True):
        data_year_approve(version=version, municipality=b, year=2025, actor=None)
    body = client.get(f"/en/results/{B}/").content.decode()
    assert '<th scope="col" class="num">2025</th>' in body


def test_a_saved_value_recomputes_that_city_year_only(cfci, django_capture_on_commit_callbacks):
    from meirim.data.services import observation_save
    from meirim.reports.models import YearResult

    version, a = cfci["version"], cfci["a"]

    def stamps():
        rows = YearResult.objects.filter(version=version).values_list(
            "municipality__code", "year", "computed_at"
        )
        return {(code, year): at for code, year, at in rows}

    before = stamps()
    with django_capture_on_commit_callbacks(execute=True):  # A's open year
        observation_save(
            version=version,
            municipality=a,
            code="I17",
            year=2025,
            values={"value": "95"},
            actor=None,
        )
    after = stamps()
    assert after[A, 2025] > before[A, 2025]
    assert after[A, 2023] == before[A, 2023] and after[A, 2024] == before[A, 2024]
    assert all(after[B, year] == before[B, year] for year in (2023, 2024))
    preview = store.read(version, Scope.preview(a)).result
    assert preview is not None and preview.value(A, 2025, "I17", stage="normalised") == 95.0
    assert ResultState.objects.get(version=version, municipality=a).stale_since is None


def test_the_command_rebuilds_every_stored_result(cfci):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from meirim.reports.models import RelativeResult

    version = cfci["version"]
    expected = _score(version, A, 2024, "CFCI")
    YearResult.objects.filter(version=version).delete()
    RelativeResult.objects.filter(version=version).delete()
    assert store.read(version, Scope.public()).result is None
    out = StringIO()
    call_command("recompute_results", stdout=out)
    assert f"{version.code}: " in out.getvalue()
    assert _score(version, A, 2024, "CFCI") == expected
    assert RelativeResult.objects.filter(version=version).exists()
    with pytest.raises(CommandError):
        call_command("recompute_results", "--catalogue", "nope")
