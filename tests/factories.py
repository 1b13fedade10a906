"""Factories for the models tests build: places, people with roles, catalogues, data.

Plain ``factory_boy`` factories, plus two helpers that go through the services where the
services hold rules: :func:`user_with_role` (``role_assign``: audit row, Django admin rights)
and :func:`draft_catalogue` (a small, valid draft catalogue version).

A factory's defaults are synthetic (country ``XX``); tests that need the shipped
municipalities or the published catalogue ``2026.1`` use the ``geography`` and
``catalogue`` fixtures of ``tests/conftest.py`` and pass the objects in.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from meirim.accounts.models import User
from meirim.accounts.services import role_assign, user_create
from meirim.catalogue.models import (
    CatalogueVersion,
    Category,
    Indicator,
    ScoringMethod,
    SubDomain,
    Unit,
)
from meirim.catalogue.scoring import default_posts
from meirim.data.models import DataYear, ImportJob, Observation
from meirim.geography.models import Municipality, MunicipalityKind, Region

PASSWORD = "a-long-test-password-42"


# --- Geography ---------------------------------------------------------------------------


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"XX-R{n:03d}")
    country = "XX"
    name_en = factory.LazyAttribute(lambda o: f"Region {o.code}")


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"XX-M{n:03d}")
    country = factory.SelfAttribute("region.country")
    kind = MunicipalityKind.CITY_REGIONAL
    name_en = factory.LazyAttribute(lambda o: f"Town {o.code}")


# --- People ------------------------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    """A user who signs in with :data:`PASSWORD`, created by ``user_create`` (audited).

    Tests hash with a fast hasher (``tests/conftest.py``); other ``User`` fields given to
    the factory (``is_active``, ``first_name``…) are set after creation.
    """

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = ""
    password = PASSWORD

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        user = user_create(
            username=kwargs.pop("username"),
            password=kwargs.pop("password"),
            email=kwargs.pop("email"),
            actor=None,
        )
        if kwargs:
            for field, value in kwargs.items():
                setattr(user, field, value)
            user.save(update_fields=list(kwargs))
        return user


def _place(model: type[Region] | type[Municipality], place: Any) -> Any:
    """A region or municipality given as an object or by its code."""
    if place is None or isinstance(place, model):
        return place
    return model.objects.get(code=place)


def role_give(
    user: User,
    role: str,
    *,
    region: Region | str | None = None,
    municipality: Municipality | str | None = None,
) -> User:
    """Give ``user`` a role through ``role_assign`` (audited; admin rights follow the role)."""
    role_assign(
        user=user,
        role=role,
        actor=None,
        region=_place(Region, region),
        municipality=_place(Municipality, municipality),
    )
    return user


def user_with_role(
    role: str | None,
    username: str | None = None,
    *,
    region: Region | str | None = None,
    municipality: Municipality | str | None = None,
    **fields: Any,
) -> User:
    """A new user holding ``role`` (None: no role) in its scope, given as objects or codes."""
    user = UserFactory(username=username or (role or "plain"), **fields)
    if role:
        role_give(user, role, region=region, municipality=municipality)
    return user


# --- Catalogue ---------------------------------------------------------------------------


class ScoringMethodFactory(DjangoModelFactory):
    """The default scoring method of a version (every version has one)."""

    class Meta:
        model = ScoringMethod

    version = factory.SubFactory("tests.factories.CatalogueVersionFactory", scoring=None)


class CatalogueVersionFactory(DjangoModelFactory):
    """A catalogue version, a draft unless ``status`` says otherwise; empty until filled,
    with the default scoring method."""

    class Meta:
        model = CatalogueVersion
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"2090.{n}-test")
    title = "Test catalogue"
    status = CatalogueVersion.Status.DRAFT
    scoring = factory.RelatedFactory(ScoringMethodFactory, factory_related_name="version")


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category

    version = factory.SubFactory(CatalogueVersionFactory)
    code = factory.Sequence(lambda n: f"C{n + 1}")
    order = factory.Sequence(lambda n: n + 1)
    name_kk = factory.LazyAttribute(lambda o: f"Санат {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Category {o.code}")


class SubDomainFactory(DjangoModelFactory):
    class Meta:
        model = SubDomain

    category = factory.SubFactory(CategoryFactory)
    version = factory.SelfAttribute("category.version")
    code = factory.Sequence(lambda n: f"S{n + 1:02d}")
    order = factory.Sequence(lambda n: n + 1)
    name_kk = factory.LazyAttribute(lambda o: f"Кіші сала {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Sub-domain {o.code}")


class IndicatorFactory(DjangoModelFactory):
    """A quantitative impact indicator in percent, higher is better."""

    class Meta:
        model = Indicator

    subdomain = factory.SubFactory(SubDomainFactory)
    version = factory.SelfAttribute("subdomain.version")
    code = factory.Sequence(lambda n: f"I{n + 1:02d}")
    order = factory.Sequence(lambda n: n + 1)
    name_kk = factory.LazyAttribute(lambda o: f"Көрсеткіш {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Indicator {o.code}")
    type = Indicator.Type.IMPACT
    unit = Unit.PERCENT
    direction = Indicator.Direction.HIGHER
    data_type = Indicator.DataType.QUANTITATIVE
    # The loader's defaults: the ends of the scale for percentages and yes/no, else none.
    lower_post = factory.LazyAttribute(lambda o: default_posts(o.unit, o.direction)[0])
    upper_post = factory.LazyAttribute(lambda o: default_posts(o.unit, o.direction)[1])
    posts_basis = factory.LazyAttribute(lambda o: default_posts(o.unit, o.direction)[2])


def draft_catalogue(
    code: str | None = None, indicators: Iterable[str] = ("I01",), **version_fields: Any
) -> CatalogueVersion:
    """A small draft version: one category (C1), one sub-domain (S01), the given indicators."""
    fields = {"code": code, **version_fields} if code else version_fields
    version = CatalogueVersionFactory(**fields)
    subdomain = SubDomainFactory(
        version=version, code="S01", category=CategoryFactory(version=version, code="C1")
    )
    for order, indicator in enumerate(indicators, start=1):
        IndicatorFactory(subdomain=subdomain, code=indicator, order=order)
    return version


# --- The cities' data --------------------------------------------------------------------


class ObservationFactory(DjangoModelFactory):
    """A reported total (no disaggregation) of an indicator for one year."""

    class Meta:
        model = Observation

    version = factory.SubFactory(CatalogueVersionFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    code = "I01"
    year = 2024
    value = Decimal("50")

    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        value = kwargs.get("value")
        if value is not None and not isinstance(value, Decimal):
            kwargs["value"] = Decimal(str(value))
        return kwargs


class DataYearFactory(DjangoModelFactory):
    """A municipality's year, open unless ``state`` says otherwise."""

    class Meta:
        model = DataYear

    version = factory.SubFactory(CatalogueVersionFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    year = 2024
    state = DataYear.State.OPEN


class ImportJobFactory(DjangoModelFactory):
    """A queued file import (at most one may be queued or running per municipality)."""

    class Meta:
        model = ImportJob

    version = factory.SubFactory(CatalogueVersionFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    filename = "observations.csv"
