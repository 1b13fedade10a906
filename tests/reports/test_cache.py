"""Results are computed once per data revision, even when several requests arrive together."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from meirim.geography.models import Municipality
from meirim.reports import adapter
from meirim.reports import cache as results_cache
from meirim.reports.adapter import Scope


@pytest.mark.django_db
def test_second_request_reuses_the_cached_results(cfci, monkeypatch):
    first = results_cache.index_results(cfci["version"], Scope.public())
    monkeypatch.setattr(adapter, "compute_results", pytest.fail)
    again = results_cache.index_results(cfci["version"], Scope.public())
    assert again.revision == first.revision and again.scope_key == first.scope_key


@pytest.mark.django_db
def test_a_request_waits_for_the_process_already_computing(cfci, monkeypatch):
    computed = results_cache.index_results(cfci["version"], Scope.public())
    key = results_cache.key_of(computed)
    stored = cache.get(key)
    cache.delete(key)
    # Another process holds the lock and finishes while this request waits.
    assert cache.add(f"{key}:computing", 1, 60)
    monkeypatch.setattr(adapter, "compute_results", pytest.fail)
    monkeypatch.setattr(results_cache.time, "sleep", lambda seconds: cache.set(key, stored))
    waited = results_cache.index_results(cfci["version"], Scope.public())
    assert waited.revision == computed.revision


@pytest.mark.django_db
def test_a_stale_lock_does_not_block_forever(cfci, monkeypatch):
    computed = results_cache.index_results(cfci["version"], Scope.public())
    key = results_cache.key_of(computed)
    cache.delete(key)
    assert cache.add(f"{key}:computing", 1, 60)
    monkeypatch.setattr(results_cache, "WAIT_SECONDS", 0)
    recomputed = results_cache.index_results(cfci["version"], Scope.public())
    assert recomputed.revision == computed.revision
    assert cache.get(f"{key}:computing") is None


@pytest.mark.django_db
def test_a_data_write_has_the_results_of_its_revision_computed_after_commit(
    cfci, django_capture_on_commit_callbacks, monkeypatch
):
    from meirim.data.services import observation_save

    version, town = cfci["version"], Municipality.objects.get(code="KZ-AKM-KOKSHETAU")
    with django_capture_on_commit_callbacks(execute=True):  # the task runs immediately
        observation_save(
            version=version,
            municipality=town,
            code="I16",
            year=2025,
            values={"value": 55},
            actor=None,
        )
    revision = adapter.data_revision(version)
    for scope in (Scope.public(), Scope.preview(town)):
        assert cache.get(results_cache.results_key(version.code, revision, scope.key))
    # The pages read them: nothing is computed on the way.
    monkeypatch.setattr(adapter, "compute_results", pytest.fail)
    assert results_cache.index_results(version, Scope.preview(town)).revision == revision
