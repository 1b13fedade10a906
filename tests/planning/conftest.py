from __future__ import annotations

import pytest

from meirim.catalogue.models import GovernanceQuestion
from meirim.catalogue.selectors import published_version
from meirim.geography.models import Municipality
from meirim.governance.models import AssessmentRound, GovernanceAnswer

TOWN = "KZ-AKM-KOKSHETAU"


@pytest.fixture
def town(geography, catalogue):
    return Municipality.objects.get(code=TOWN)


@pytest.fixture
def coordinator(users):
    return users["city_coordinator"]


def make_answer(town, year, code, answer, **fields):
    """A governance round of ``year`` (created if needed) with one answer."""
    round_, _ = AssessmentRound.objects.get_or_create(municipality=town, year=year)
    question = GovernanceQuestion.objects.get(version=published_version(), code=code)
    return GovernanceAnswer.objects.create(
        round=round_, question=question, code=code, answer=answer, **fields
    )
