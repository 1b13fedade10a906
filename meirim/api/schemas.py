"""Response shapes of the JSON API (pydantic, via django-ninja)."""

from datetime import datetime
from decimal import Decimal

from ninja import Schema


class Names(Schema):
    kk: str
    ru: str
    en: str
    ky: str


class RegionOut(Schema):
    code: str
    country: str
    names: Names


class MunicipalityOut(Schema):
    code: str
    country: str
    kind: str
    region: str | None
    parent: str | None
    names: Names
    latitude: Decimal | None
    longitude: Decimal | None
    child_population: int | None


class VersionOut(Schema):
    code: str
    status: str
    based_on: str | None
    published_at: datetime | None


class CategoryOut(Schema):
    code: str
    order: int
    names: Names


class SubDomainOut(CategoryOut):
    category: str


class IndicatorOut(Schema):
    code: str
    subdomain: str
    category: str
    order: int
    type: str
    sources: list[str]
    unit: str
    denominator: str | None
    factor: Decimal | None
    direction: int
    direction_basis: str
    data_type: str
    target: Decimal | None
    names: Names
    note_en: str


class BaselineFigureOut(Schema):
    code: str
    section: str
    order: int
    unit: str
    names: Names


class GovernanceQuestionOut(Schema):
    code: str
    section: str
    subsection: str | None
    order: int
    names: Names


class ItemOut(Schema):
    list: str
    code: str
    order: int
    names: Names
    descriptions: Names
    extra: dict[str, object]


class VersionDetailOut(VersionOut):
    categories: list[CategoryOut]
    subdomains: list[SubDomainOut]


class ErrorOut(Schema):
    detail: str
