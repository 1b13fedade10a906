"""Shared fixtures: the real catalogue, the real municipality file, one user per role."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings as hypothesis_settings

from meirim.accounts.models import Role
from meirim.geography.models import Municipality
from meirim.portal.demo import CATALOGUE_VERSION, MUNICIPALITIES_FILE
from tests.factories import PASSWORD, user_with_role

__all__ = ["PASSWORD"]

# Property-based tests explore new examples on developers' machines; in CI they replay a
# fixed set, so a run is reproducible and a red build always means a change broke something.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def _ensure_geography() -> None:
    from meirim.geography.services import municipalities_import

    if not Municipality.objects.exists():
        municipalities_import(
            data=MUNICIPALITIES_FILE.read_bytes(), filename=MUNICIPALITIES_FILE.name, actor=None
        )


def _ensure_catalogue():
    from meirim.catalogue.services import catalogue_load_version

    return catalogue_load_version(code=CATALOGUE_VERSION, actor=None, publish=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped catalogue and municipalities once per test database.

    Ordinary tests roll back to this state; tests that flush the database (live server)
    get it back through the idempotent ``geography`` / ``catalogue`` fixtures.
    """
    with django_db_blocker.unblock():
        _ensure_geography()
        _ensure_catalogue()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, _media_root):
    # Uploads, PDFs and open-data releases that tests make never land in the checkout.
    settings.MEDIA_ROOT = str(_media_root)


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    # Tasks run in the process that enqueues them; tests/data/test_worker.py runs the real
    # database backend and worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fresh_version_memo():
    # Pages memoise a published version's reads per process, keyed by its data revision;
    # each test starts without them.
    from meirim.reports import adapter

    adapter.memo_clear()


@pytest.fixture
def geography(db):
    _ensure_geography()


@pytest.fixture
def catalogue(db):
    return _ensure_catalogue()


ROLE_SCOPES = {
    Role.NATIONAL_COUNCIL: {},
    Role.NATIONAL_ADMIN: {},
    Role.REVIEWER: {},
    Role.REGION_OFFICER: {"region": "KZ-AKM"},
    Role.CITY_COORDINATOR: {"municipality": "KZ-AKM-KOKSHETAU"},
    Role.DEPARTMENT_HEAD: {"municipality": "KZ-AKM-KOKSHETAU"},
    Role.COMMUNITY_GROUP: {"municipality": "KZ-AKM-KOKSHETAU"},
    Role.PROTECTION_OFFICER: {"municipality": "KZ-AKM-KOKSHETAU"},
}


@pytest.fixture
def users(geography):
    """One user per role (scoped as in the demo), plus a user with no role."""
    result = {role.value: user_with_role(role, **scope) for role, scope in ROLE_SCOPES.items()}
    result["no_role"] = user_with_role(None, username="norole")
    return result
