"""Shared set-up of the audit tests: private files in a temporary folder, a few helpers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from meirim.facilities.models import Facility
from meirim.facilities.services import facility_create
from meirim.geography.models import Municipality

TOWN = "KZ-AKM-KOKSHETAU"
OTHER = "KZ-PAV-PAVLODAR"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def town(geography) -> Municipality:
    return Municipality.objects.get(code=TOWN)


@pytest.fixture
def other_town(geography) -> Municipality:
    return Municipality.objects.get(code=OTHER)


def make(municipality: Municipality, **values: Any) -> Facility:
    base: dict[str, Any] = {"name": "Park", "kind": "play", "availability": "available"}
    base.update(values)
    return facility_create(municipality=municipality, values=base, actor=None)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
