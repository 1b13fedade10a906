"""`manage.py bootstrap`: reference data and the first administrator, no demo; idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from meirim.accounts.models import Role, User
from meirim.catalogue.models import CatalogueVersion
from meirim.data.models import Observation
from meirim.geography.models import Municipality
from meirim.portal.demo import DEMO_USERS

PASSWORD = "a-sturdy-administrator-passphrase-2026"


@pytest.fixture
def password_file(tmp_path):
    path = tmp_path / "password"
    path.write_text(PASSWORD + "\n")
    return path


def _bootstrap(password_file, username: str = "root-admin") -> None:
    call_command(
        "bootstrap",
        "--username",
        username,
        "--email",
        "admin@example.kz",
        "--password-file",
        str(password_file),
    )


@pytest.mark.django_db
def test_bootstrap_creates_the_administrator_and_no_demo(password_file, capsys):
    _bootstrap(password_file)
    _bootstrap(password_file)  # idempotent
    admin = User.objects.get(username="root-admin")
    assert admin.email == "admin@example.kz" and admin.is_staff and admin.is_superuser
    assert list(admin.role_assignments.values_list("role", flat=True)) == [Role.NATIONAL_ADMIN]
    assert User.objects.count() == 1
    assert not User.objects.filter(username__in=[d.username for d in DEMO_USERS]).exists()
    assert not Observation.objects.exists()
    assert CatalogueVersion.objects.filter(code="2026.1").exists()
    assert Municipality.objects.exists()
    assert "already existed" in capsys.readouterr().out
    client = Client()
    login = client.post("/en/accounts/login/", {"username": "root-admin", "password": PASSWORD})
    assert login.status_code == 302
    assert client.get("/en/admin/").status_code == 200


@pytest.mark.django_db
def test_bootstrap_keeps_an_existing_password(password_file, tmp_path):
    _bootstrap(password_file)
    other = tmp_path / "other"
    other.write_text("a-different-passphrase-for-the-admin")
    _bootstrap(other)
    assert User.objects.get(username="root-admin").check_password(PASSWORD)


@pytest.mark.django_db
def test_bootstrap_refuses_a_weak_password(tmp_path):
    weak = tmp_path / "weak"
    weak.write_text("12345")
    with pytest.raises(CommandError, match="too short"):
        _bootstrap(weak)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_demo_setup_needs_debug_or_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="MEIRIM_DEBUG=1"):
        call_command("demo_setup")
    assert not User.objects.exists()
