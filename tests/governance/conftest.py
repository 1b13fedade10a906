"""Fixtures of the council and governance tests."""

from __future__ import annotations

import pytest

from meirim.geography.models import Municipality
from meirim.governance import services

TOWN = "KZ-AKM-KOKSHETAU"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def town(users, catalogue):
    return Municipality.objects.get(code=TOWN)


@pytest.fixture
def round_2026(town, users):
    return services.round_open(municipality=town, year=2026, actor=users["city_coordinator"])


def all_yes(codes):
    return [{"question": code, "answer": "yes"} for code in codes]
