"""Lists are paged in the database: bounded queries, capped limits, `next` links that walk all."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from meirim.catalogue.models import CatalogueVersion
from meirim.data.models import DataYear, Observation
from meirim.geography.models import Municipality, Region
from tests.factories import CatalogueVersionFactory

CODES = [f"I{n:02d}" for n in range(1, 11)]
YEARS = [2021, 2022, 2023, 2024]


@pytest.fixture
def many(geography, catalogue):
    """1,200 approved observations (30 places × 10 codes × 4 years) and 10 drafts."""
    places = list(Municipality.objects.order_by("code")[:31])
    published, draft_place = places[:30], places[30]
    DataYear.objects.bulk_create(
        DataYear(version=catalogue, municipality=p, year=y, state=DataYear.State.APPROVED)
        for p in published
        for y in YEARS
    )
    Observation.objects.bulk_create(
        Observation(
            version=catalogue,
            municipality=p,
            code=c,
            year=y,
            value=Decimal(i % 97),
            status="reported",
        )
        for i, (p, c, y) in enumerate(
            (p, c, y) for p in [*published, draft_place] for c in CODES for y in YEARS
        )
    )
    visible = Observation.objects.filter(version=catalogue).exclude(municipality=draft_place)
    return set(visible.values_list("id", flat=True))


def _observation_sql(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "data_observation"' in q["sql"]]


@pytest.mark.django_db
def test_a_page_of_observations_is_cut_in_the_database(
    client: Client, many, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as captured, django_assert_max_num_queries(4):
        response = client.get("/api/v1/observations", {"limit": 1})
    assert response.status_code == 200
    page = response.json()
    selects = _observation_sql(captured.captured_queries)
    assert selects and all("LIMIT 2" in sql for sql in selects), selects
    assert len(page["items"]) == 1
    assert page["next"]


@pytest.mark.django_db
def test_following_next_walks_every_observation_once(client: Client, many):
    seen: list[int] = []
    url: str | None = "/api/v1/observations?limit=100"
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        page = response.json()
        assert len(page["items"]) <= 100
        seen += [item["id"] for item in page["items"]]
        url = page["next"]
        pages += 1
    assert len(seen) == len(set(seen)) == len(many)
    assert set(seen) == many
    assert pages == 12


@pytest.mark.django_db
def test_limit_is_capped_at_one_thousand(client: Client, many):
    page = client.get("/api/v1/observations", {"limit": 5000}).json()
    assert len(page["items"]) == 1000
    assert "limit=1000" in page["next"]
    rest = client.get(page["next"]).json()
    assert len(rest["items"]) == 200 and rest["next"] is None


@pytest.mark.django_db
def test_municipalities_are_paged_in_the_database(client: Client, geography):
    total = Municipality.objects.count()
    with CaptureQueriesContext(connection) as captured:
        first = client.get("/api/v1/municipalities", {"limit": 7}).json()
    assert len(first["items"]) == 7 and first["count"] == total
    assert any("LIMIT 7" in q["sql"] for q in captured.captured_queries)
    codes: list[str] = []
    url: str | None = "/api/v1/municipalities?limit=40"
    while url:
        page = client.get(url).json()
        codes += [m["code"] for m in page["items"]]
        url = page["next"]
    assert len(codes) == len(set(codes)) == total
    capped = client.get("/api/v1/municipalities", {"limit": 5000}).json()
    assert len(capped["items"]) == min(total, 1000)


# Every other list is paged by offset: (path, table of its items, key of an item).
OFFSET_LISTS = [
    ("/api/v1/regions", "geography_region", "code"),
    ("/api/v1/catalogue/versions", "catalogue_catalogueversion", "code"),
    ("/api/v1/catalogue/versions/2026.1/indicators", "catalogue_indicator", "code"),
    ("/api/v1/catalogue/versions/2026.1/baseline-figures", "catalogue_baselinefigure", "code"),
    (
        "/api/v1/catalogue/versions/2026.1/governance-questions",
        "catalogue_governancequestion",
        "code",
    ),
    ("/api/v1/catalogue/versions/2026.1/items", "catalogue_catalogueitem", ("list", "code")),
]


@pytest.fixture
def lists(geography, catalogue):
    """The real geography and catalogue, and two more published versions (three in all)."""
    for code in ("2024.1", "2025.1"):
        CatalogueVersionFactory(code=code, status=CatalogueVersion.Status.PUBLISHED)


def _key(item: dict, key: str | tuple[str, ...]) -> tuple:
    return tuple(item[k] for k in key) if isinstance(key, tuple) else (item[key],)


def _item_selects(queries, table: str) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if f'FROM "{table}"' in q["sql"] and not q["sql"].startswith("SELECT COUNT")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "table", "key"), OFFSET_LISTS, ids=[p[0] for p in OFFSET_LISTS])
def test_every_list_is_paged_by_offset(client: Client, lists, path, table, key):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"limit": 2})
    assert response.status_code == 200, response.content
    first = response.json()
    assert len(first["items"]) == 2 and first["next"]
    selects = _item_selects(captured.captured_queries, table)
    assert selects and all("LIMIT 2" in sql for sql in selects), selects
    total = first["count"]
    assert total > 2

    seen: list[tuple] = []
    url: str | None = f"{path}?limit=2"
    while url:
        page = client.get(url).json()
        assert len(page["items"]) <= 2 and page["count"] == total
        seen += [_key(item, key) for item in page["items"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == total
    everything = client.get(path, {"limit": 1000}).json()
    assert [_key(item, key) for item in everything["items"]] == seen


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "table", "key"), OFFSET_LISTS, ids=[p[0] for p in OFFSET_LISTS])
def test_every_offset_limit_is_capped_at_one_thousand(client: Client, lists, path, table, key):
    with CaptureQueriesContext(connection) as captured:
        page = client.get(path, {"limit": 5000}).json()
    selects = _item_selects(captured.captured_queries, table)
    assert selects and all("LIMIT 1000" in sql for sql in selects), selects
    assert len(page["items"]) == page["count"] and page["next"] is None


@pytest.mark.django_db
def test_paged_lists_keep_their_filters(client: Client, lists):
    regions = client.get("/api/v1/regions", {"country": "KZ", "limit": 3}).json()
    assert len(regions["items"]) == 3
    assert all(r["country"] == "KZ" for r in regions["items"])
    assert "country=KZ" in regions["next"]
    assert regions["count"] == Region.objects.filter(country="KZ").count()
    items = client.get("/api/v1/catalogue/versions/2026.1/items", {"list": "A", "limit": 5}).json()
    assert items["count"] == 7 and [i["code"] for i in items["items"]] == [
        "A1",
        "A2",
        "A3",
        "A4",
        "A5",
    ]
    rest = client.get(items["next"]).json()
    assert [i["code"] for i in rest["items"]] == ["A6", "A7"] and rest["next"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/catalogue/versions?offset=15839563093760688128",
        "/api/v1/regions?offset=359915357243935883264",
        "/api/v1/municipalities?offset=99740780859611496448",
        "/api/v1/observations?after=99740780859611496448",
    ],
)
def test_positions_beyond_the_database_are_refused_not_a_server_error(client: Client, url):
    assert client.get(url).status_code == 422
