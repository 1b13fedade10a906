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
    weight: Decimal


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
    weight: Decimal
    lower_post: Decimal | None
    upper_post: Decimal | None
    posts_basis: str


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


class ScoringMethodOut(Schema):
    """The version's scoring method, set by the national council and fixed on publication."""

    aggregation: str
    min_coverage: Decimal
    indicator_tolerance_relative: Decimal
    indicator_tolerance_absolute: Decimal
    score_tolerance_absolute: Decimal


class VersionDetailOut(VersionOut):
    categories: list[CategoryOut]
    subdomains: list[SubDomainOut]
    scoring_method: ScoringMethodOut


class ErrorOut(Schema):
    detail: str
