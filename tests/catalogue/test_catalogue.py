"""The national index catalogue: counts as in the model's catalogue, versions, immutability."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from meirim.catalogue.models import (
    BaselineFigure,
    BaselineSection,
    CatalogueItem,
    Category,
    GovernanceQuestion,
    Indicator,
    SubDomain,
)
from meirim.catalogue.services import (
    CatalogueLocked,
    TargetInvalid,
    catalogue_copy_version,
    catalogue_publish,
    indicator_set_target,
)
from meirim.common.models import AuditEvent

# The counts of the catalogue of coded items ("Counts" table and its breakdowns).
EXPECTED_COUNTS = {"C": 6, "S": 11, "I": 74, "BS": 8, "B": 46, "G": 61}
EXPECTED_LISTS = {"A": 7, "P": 9, "H": 8, "T": 5, "Q": 9, "BQ": 4, "M": 5, "R": 11, "L": 2}
INDICATORS_PER_SUBDOMAIN = {
    "S01": 15, "S02": 2, "S03": 12, "S04": 10, "S05": 4, "S06": 16,
    "S07": 3, "S08": 3, "S09": 1, "S10": 5, "S11": 3,
}  # fmt: skip
BASELINE_PER_SECTION = {
    "BS1": 9, "BS2": 6, "BS3": 7, "BS4": 3, "BS5": 4, "BS6": 6, "BS7": 9, "BS8": 2,
}  # fmt: skip


@pytest.mark.django_db
def test_counts_match_the_catalogue(catalogue):
    assert Category.objects.filter(version=catalogue).count() == EXPECTED_COUNTS["C"]
    assert SubDomain.objects.filter(version=catalogue).count() == EXPECTED_COUNTS["S"]
    assert Indicator.objects.filter(version=catalogue).count() == EXPECTED_COUNTS["I"]
    assert BaselineSection.objects.filter(version=catalogue).count() == EXPECTED_COUNTS["BS"]
    assert BaselineFigure.objects.filter(version=catalogue).count() == EXPECTED_COUNTS["B"]
    assert GovernanceQuestion.objects.filter(version=catalogue).count() == EXPECTED_COUNTS["G"]
    lists = Counter(CatalogueItem.objects.filter(version=catalogue).values_list("list", flat=True))
    assert {k: lists[k] for k in EXPECTED_LISTS} == EXPECTED_LISTS
    per_subdomain = Counter(
        Indicator.objects.filter(version=catalogue).values_list("subdomain__code", flat=True)
    )
    assert dict(per_subdomain) == INDICATORS_PER_SUBDOMAIN
    types = Counter(Indicator.objects.filter(version=catalogue).values_list("type", flat=True))
    assert types == {"impact": 42, "process": 32}
    per_section = Counter(
        BaselineFigure.objects.filter(version=catalogue).values_list("section__code", flat=True)
    )
    assert dict(per_section) == BASELINE_PER_SECTION
    sections = Counter(
        GovernanceQuestion.objects.filter(version=catalogue).values_list("section__code", flat=True)
    )
    assert sections == {"GS-I": 20, "GS-II": 41}


@pytest.mark.django_db
def test_codes_are_contiguous_and_kazakh_text_is_the_source(catalogue):
    codes = list(
        Indicator.objects.filter(version=catalogue).order_by("order").values_list("code", flat=True)
    )
    assert codes == [f"I{n:02d}" for n in range(1, 75)]
    i02 = Indicator.objects.get(version=catalogue, code="I02")
    assert i02.name_kk == "1000 тірі туылғандарға шаққанда 5 жасқа дейінгі балалар өлімі деңгейі"
    assert i02.direction == -1 and i02.factor == Decimal("1000")
    g60 = GovernanceQuestion.objects.get(version=catalogue, code="G60")
    assert g60.name_kk.startswith("Өкімдіктің")  # the source's typo is kept verbatim


@pytest.mark.django_db
def test_every_item_has_every_language(catalogue):
    for model in (Category, SubDomain, Indicator, BaselineFigure, GovernanceQuestion):
        for lang in ("kk", "ru", "en", "ky"):
            assert not model.objects.filter(version=catalogue, **{f"name_{lang}": ""}).exists(), (
                model.__name__,
                lang,
            )


@pytest.mark.django_db
def test_indicator_attributes(catalogue):
    i01 = Indicator.objects.get(version=catalogue, code="I01")
    assert (i01.type, i01.unit, i01.denominator) == ("impact", "rate", "D01")
    assert i01.sources == ["MDG", "GCI"]
    assert i01.target is None  # the model gives no national targets
    units = set(Indicator.objects.filter(version=catalogue).values_list("unit", flat=True))
    assert {"percent", "rate", "count", "yesno"} <= units
    assert set(Indicator.objects.values_list("direction", flat=True)) <= {-1, 0, 1}


@pytest.mark.django_db
def test_published_version_is_immutable_and_copy_makes_an_editable_draft(catalogue):
    i07 = Indicator.objects.get(version=catalogue, code="I07")
    with pytest.raises(CatalogueLocked):
        indicator_set_target(indicator=i07, target=Decimal("10"), actor=None)
    draft = catalogue_copy_version(source=catalogue, code="2027.1", actor=None)
    assert draft.based_on == catalogue and not draft.is_published
    assert Indicator.objects.filter(version=draft).count() == 74
    assert (
        CatalogueItem.objects.filter(version=draft).count()
        == CatalogueItem.objects.filter(version=catalogue).count()
    )
    copy_i07 = Indicator.objects.get(version=draft, code="I07")
    assert copy_i07.name_ru == i07.name_ru and copy_i07.factor == i07.factor
    indicator_set_target(indicator=copy_i07, target=Decimal("12.5"), actor=None)
    assert Indicator.objects.get(version=catalogue, code="I07").target is None
    assert Indicator.objects.get(version=draft, code="I07").target == Decimal("12.5")
    event = AuditEvent.objects.filter(action="catalogue.set_target").get()
    assert event.changes == {"target": [None, "12.5"]}
    catalogue_publish(version=draft, actor=None)
    with pytest.raises(CatalogueLocked):
        indicator_set_target(indicator=copy_i07, target=Decimal("1"), actor=None)
    with pytest.raises(ValueError):
        catalogue_copy_version(source=catalogue, code="2027.1", actor=None)


@pytest.mark.parametrize(
    ("code", "target", "ok"),
    [
        ("I06", "150", False),  # percent
        ("I06", "-20", False),
        ("I06", "100", True),
        ("I06", "0", True),
        ("I01", "-1", False),  # rate per 1,000
        ("I01", "2500", True),
        ("I03", "-3", False),  # count
        ("I03", "0", True),
    ],
)
@pytest.mark.django_db
def test_targets_are_checked_against_the_indicator_unit(catalogue, code, target, ok):
    draft = catalogue_copy_version(source=catalogue, code="2027.1", actor=None)
    indicator = Indicator.objects.get(version=draft, code=code)
    if ok:
        indicator_set_target(indicator=indicator, target=Decimal(target), actor=None)
        assert Indicator.objects.get(pk=indicator.pk).target == Decimal(target)
    else:
        with pytest.raises(TargetInvalid):
            indicator_set_target(indicator=indicator, target=Decimal(target), actor=None)
        assert Indicator.objects.get(pk=indicator.pk).target is None
        assert not AuditEvent.objects.filter(action="catalogue.set_target").exists()


@pytest.mark.django_db
def test_the_council_sees_a_refused_target_on_the_field_in_its_language(catalogue, users):
    draft = catalogue_copy_version(source=catalogue, code="2027.1", actor=None)
    client = Client()
    client.force_login(users["national_council"])
    url = f"/ru/catalogue/{draft.code}/indicators/I06/target/"
    response = client.post(url, {"target": "150"})
    assert response.status_code == 400
    with translation.override("ru"):
        message = gettext("a target in percent must be between 0 and 100")
    assert message in response.content.decode()
    assert response.context["target_form"].errors["target"] == [message]
    assert Indicator.objects.get(version=draft, code="I06").target is None
    response = client.post(url, {"target": "95"})
    assert response.status_code == 302
    assert Indicator.objects.get(version=draft, code="I06").target == Decimal(95)
