"""The public page of the open data: what they are, the licence, the downloads, the
dictionary."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from meirim.accounts import access
from meirim.catalogue.models import Category, Indicator, SubDomain
from meirim.catalogue.selectors import published_version
from meirim.opendata import selectors
from meirim.opendata.datasets import DATASETS
from meirim.opendata.licence import LICENCE_NAME, LICENCE_URL, attribution, statement
from meirim.opendata.tasks import build_request
from meirim.opendata.writers import FORMATS

DESCRIPTIONS = {
    "observations": _(
        "Every approved value the cities reported: indicator, baseline figure or population "
        "series, by municipality and year, with its breakdowns, status and source."
    ),
    "results": _(
        "The stored results of the approved years: the index, categories, sub-domains and "
        "indicators, with score, band, change and completeness."
    ),
    "dictionary": _(
        "Every code with its names in Kazakh, Russian, English and Kyrgyz, its unit, "
        "direction and national target."
    ),
    "municipalities": _(
        "The municipalities with their codes, names, region, kind and coordinates."
    ),
}
FORMAT_LABELS = {"csv": "CSV", "xlsx": "XLSX", "json": "JSON", "parquet": "Parquet"}


@dataclass(frozen=True)
class Download:
    fmt: str
    label: str
    url: str
    size: int


@dataclass(frozen=True)
class DatasetRow:
    name: str
    description: str
    rows: int
    downloads: list[Download]


@require_safe
@access.page(access.PUBLIC)
def index(request: HttpRequest) -> HttpResponse:
    release = selectors.latest_release()
    if release is None:
        build_request()
    datasets: list[DatasetRow] = []
    if release is not None:
        for name in DATASETS:
            downloads = [
                Download(fmt, FORMAT_LABELS[fmt], f"/api/v1/open-data/{name}.{fmt}", int(f["size"]))
                for fmt in FORMATS
                if (f := release.file(name, fmt)) is not None
            ]
            datasets.append(
                DatasetRow(name, str(DESCRIPTIONS[name]), int(release.rows.get(name, 0)), downloads)
            )
    version = release.version if release is not None else published_version()
    categories, subdomains, indicators = [], [], []
    if version is not None:
        categories = list(Category.objects.filter(version=version).order_by("order", "code"))
        subdomains = list(
            SubDomain.objects.filter(version=version)
            .select_related("category")
            .order_by("order", "code")
        )
        indicators = list(
            Indicator.objects.filter(version=version)
            .select_related("subdomain")
            .order_by("order", "code")
        )
    context = {
        "release": release,
        "building": selectors.building() is not None,
        "datasets": datasets,
        "licence_name": LICENCE_NAME,
        "licence_url": LICENCE_URL,
        "statement": statement(),
        "attribution": attribution(release.label if release else ""),
        "categories": categories,
        "subdomains": subdomains,
        "indicators": indicators,
    }
    return render(request, "opendata/index.html", context)
