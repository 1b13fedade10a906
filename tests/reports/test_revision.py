"""Results are cached per data revision: computed once, fresh after every data write."""

from __future__ import annotations

import pytest

from meirim.data.models import DataYear, Observation
from meirim.reports import adapter, cache

from .conftest import A, B, bump_revision, observe, set_year
from .helpers import row_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def count_computations(monkeypatch):
    calls: list[str] = []
    original = adapter.compute_results

    def counting(version, revision, scope):
        calls.append(f"{revision}:{scope.key}")
        return original(version, revision, scope)

    monkeypatch.setattr(adapter, "compute_results", counting)
    return calls


def test_computed_once_per_revision(client, cfci, count_computations):
    for url in (f"/en/results/{A}/", "/en/results/indicator/I16/", f"/en/results/{A}/"):
        assert client.get(url).status_code == 200
    assert count_computations == ["1:public"]
    bump_revision(cfci["version"])
    client.get(f"/en/results/{A}/")
    assert count_computations == ["1:public", "2:public"]


def test_a_data_write_changes_the_dashboard(client, cfci):
    before = client.get(f"/en/results/{A}/").content.decode()
    assert "computed from data revision 1" in before
    # A data write: Kokshetau's 2024 figure for I16 is corrected, in one transaction with
    # the revision bump (as the data services do).
    Observation.objects.filter(municipality=cfci["a"], code="I16", year=2024, sex="").update(
        value=30
    )
    stale = client.get(f"/en/results/{A}/").content.decode()
    assert row_of(stale, "I16") == row_of(before, "I16")  # same revision: cached results
    bump_revision(cfci["version"])
    after = client.get(f"/en/results/{A}/").content.decode()
    assert "computed from data revision 2" in after
    # I16 went 40 → 30 (posts now 30..80): worse instead of improved.
    assert "Improved" in row_of(before, "I16")
    assert "Worse" in row_of(after, "I16")


def test_approving_a_year_publishes_it(client, cfci):
    assert "2025" not in client.get("/en/results/indicator/I16/").content.decode()
    set_year(cfci["version"], cfci["a"], 2025, DataYear.State.APPROVED)
    bump_revision(cfci["version"])
    assert "2025" in client.get("/en/results/indicator/I16/").content.decode()


def test_scopes_are_cached_apart(cfci):
    public = cache.index_results(cfci["version"], adapter.Scope.public())
    preview = cache.index_results(cfci["version"], adapter.Scope.preview(cfci["a"]))
    assert public.data.years == (2023, 2024)
    assert preview.data.years == (2023, 2024, 2025)
    again = cache.index_results(cfci["version"], adapter.Scope.public())
    assert again.data.years == (2023, 2024) and again.revision == public.revision


def test_cache_round_trip_keeps_the_engine_result(cfci):
    results = cache.index_results(cfci["version"], adapter.Scope.public())
    copy = cache.loads(cache.dumps(results))
    assert copy.result.value(A, 2024, "CFCI") == results.result.value(A, 2024, "CFCI")
    observe(cfci["version"], cfci["b"], "I74", 2024, 10)  # no bump: not visible yet
    assert cache.index_results(cfci["version"], adapter.Scope.public()).data.values.shape == (
        results.data.values.shape
    )


def test_the_data_services_refresh_the_results(client, cfci):
    """End to end with the data entry services: a saved value, then the year approved."""
    from meirim.data.services import data_year_approve, observation_save

    version, b = cfci["version"], cfci["b"]
    observation_save(
        version=version, municipality=b, code="I16", year=2025, values={"value": "90"}, actor=None
    )
    body = client.get(f"/en/results/{B}/").content.decode()
    assert '<th scope="col" class="num">2025</th>' not in body  # entered, not approved
    data_year_approve(version=version, municipality=b, year=2025, actor=None)
    body = client.get(f"/en/results/{B}/").content.decode()
    assert '<th scope="col" class="num">2025</th>' in body
    assert "computed from data revision 3" in body
