"""The scoring method carried by a catalogue version: the council's services, copying,
publication freezing it, goalposts from the national data, its pages and the API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from meirim.catalogue.models import (
    CatalogueVersion,
    Category,
    Indicator,
    PostsBasis,
    ScoringMethod,
    SubDomain,
    Unit,
)
from meirim.catalogue.scoring import (
    IndicatorScoring,
    ScoringInvalid,
    indicator_scoring_set,
    node_weight_set,
    scoring_method_set,
    scoring_table_set,
)
from meirim.catalogue.services import CatalogueLocked, catalogue_copy_version
from meirim.common.models import AuditEvent
from meirim.data.models import DataYear
from meirim.data.services.scoring import goalposts_from_national_data
from tests.factories import (
    DataYearFactory,
    IndicatorFactory,
    MunicipalityFactory,
    ObservationFactory,
    draft_catalogue,
)

METHOD = {
    "aggregation": "gmean",
    "min_coverage": Decimal("0.75"),
    "indicator_tolerance_relative": Decimal("0.02"),
    "indicator_tolerance_absolute": Decimal("0.5"),
    "score_tolerance_absolute": Decimal("2"),
}


@pytest.fixture
def draft(catalogue):
    return catalogue_copy_version(source=catalogue, code="2027.1", actor=None)


def _first(version, **filters):
    return Indicator.objects.filter(version=version, **filters).order_by("order").first()


# --- Services ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_method_is_checked_and_a_change_is_audited(draft, users):
    council = users["national_council"]
    with pytest.raises(ScoringInvalid) as refused:
        scoring_method_set(
            version=draft,
            actor=council,
            **{
                **METHOD,
                "aggregation": "median",
                "min_coverage": Decimal(0),
                "indicator_tolerance_absolute": Decimal(-1),
            },
        )
    assert set(refused.value.errors) == {
        "aggregation",
        "min_coverage",
        "indicator_tolerance_absolute",
    }
    assert ScoringMethod.objects.get(version=draft).aggregation == "amean"
    assert not AuditEvent.objects.filter(action="catalogue.set_scoring_method").exists()

    scoring_method_set(version=draft, actor=council, **METHOD)
    method = ScoringMethod.objects.get(version=draft)
    assert (method.aggregation, method.min_coverage) == ("gmean", Decimal("0.75"))
    event = AuditEvent.objects.get(action="catalogue.set_scoring_method")
    assert event.actor == council
    assert event.changes["aggregation"] == ["amean", "gmean"]
    assert event.changes["min_coverage"] == ["0.500", "0.750"]


@pytest.mark.django_db
def test_indicator_posts_are_checked(draft):
    rate = _first(draft, unit=Unit.RATE, direction__in=[-1, 1])
    contextual = _first(draft, direction=0)
    text = IndicatorFactory(
        subdomain=SubDomain.objects.get(version=draft, code="S01"),
        code="I99",
        order=99,
        unit=Unit.TEXT,
        direction=1,
    )
    cases = [
        (rate, Decimal(1), Decimal(1), None, "upper_post"),
        (rate, Decimal(1), None, Decimal(1), "lower_post"),
        (rate, Decimal(1), Decimal(5), Decimal(5), "upper_post"),
        (rate, Decimal(1), Decimal(9), Decimal(5), "upper_post"),
        (rate, Decimal(-1), Decimal(1), Decimal(5), "weight"),
        (contextual, Decimal(1), Decimal(1), Decimal(5), "lower_post"),
        (text, Decimal(1), Decimal(1), Decimal(5), "lower_post"),
    ]
    for indicator, weight, lower, upper, field in cases:
        with pytest.raises(ScoringInvalid) as refused:
            indicator_scoring_set(
                indicator=indicator, weight=weight, lower_post=lower, upper_post=upper, actor=None
            )
        assert field in refused.value.errors, (indicator.code, lower, upper)
    rate.refresh_from_db()
    assert rate.posts is None and rate.weight == 1


@pytest.mark.django_db
def test_council_posts_are_marked_as_the_councils_and_audited(draft, users):
    rate = _first(draft, unit=Unit.RATE, direction__in=[-1, 1])
    indicator_scoring_set(
        indicator=rate,
        weight=Decimal("2"),
        lower_post=Decimal("0.5"),
        upper_post=Decimal("12"),
        actor=users["national_council"],
    )
    rate.refresh_from_db()
    assert rate.posts == (0.5, 12.0)
    assert (rate.posts_basis, rate.weight) == (PostsBasis.COUNCIL, Decimal(2))
    event = AuditEvent.objects.get(action="catalogue.set_indicator_scoring", object_id=rate.pk)
    assert event.changes["upper_post"] == [None, "12.000000"]
    assert event.changes["posts_basis"] == ["", "council"]

    # Changing only the weight of a percentage keeps the ends of its scale as its basis.
    percent = _first(draft, unit=Unit.PERCENT, direction__in=[-1, 1])
    indicator_scoring_set(
        indicator=percent, weight=Decimal(0), lower_post=0, upper_post=100, actor=None
    )
    percent.refresh_from_db()
    assert (percent.weight, percent.posts_basis) == (Decimal(0), PostsBasis.SCALE)
    # Removing the posts leaves the indicator unscored, with no basis.
    indicator_scoring_set(
        indicator=rate, weight=Decimal(1), lower_post=None, upper_post=None, actor=None
    )
    rate.refresh_from_db()
    assert rate.posts is None and rate.posts_basis == ""


@pytest.mark.django_db
def test_node_weights_are_checked_and_audited(draft):
    category = Category.objects.get(version=draft, code="C2")
    with pytest.raises(ScoringInvalid):
        node_weight_set(node=category, weight=Decimal(-2), actor=None)
    node_weight_set(node=category, weight=Decimal("1.5"), actor=None)
    category.refresh_from_db()
    assert category.weight == Decimal("1.5")
    assert AuditEvent.objects.get(action="catalogue.set_weight").changes == {
        "weight": ["1.000", "1.500"]
    }


@pytest.mark.django_db
def test_the_table_is_saved_whole_or_not_at_all(draft):
    rate = _first(draft, unit=Unit.RATE, direction__in=[-1, 1])
    with pytest.raises(ScoringInvalid) as refused:
        scoring_table_set(
            version=draft,
            category_weights={"C1": Decimal(3)},
            subdomain_weights={"S01": Decimal(-1)},
            indicators={rate.code: IndicatorScoring(Decimal(1), Decimal(4), Decimal(2))},
            actor=None,
        )
    assert set(refused.value.errors) == {"S01.weight", f"{rate.code}.upper_post"}
    assert Category.objects.get(version=draft, code="C1").weight == 1
    scoring_table_set(
        version=draft,
        category_weights={"C1": Decimal(3)},
        subdomain_weights={"S01": Decimal(0)},
        indicators={rate.code: IndicatorScoring(Decimal(1), Decimal(2), Decimal(4))},
        actor=None,
    )
    assert Category.objects.get(version=draft, code="C1").weight == 3
    assert SubDomain.objects.get(version=draft, code="S01").weight == 0
    assert Indicator.objects.get(pk=rate.pk).posts == (2.0, 4.0)


@pytest.mark.django_db
def test_a_published_version_refuses_every_scoring_edit(catalogue):
    rate = _first(catalogue, unit=Unit.RATE, direction__in=[-1, 1])
    category = Category.objects.get(version=catalogue, code="C1")
    edits = [
        lambda: scoring_method_set(version=catalogue, actor=None, **METHOD),
        lambda: indicator_scoring_set(
            indicator=rate, weight=Decimal(1), lower_post=1, upper_post=2, actor=None
        ),
        lambda: node_weight_set(node=category, weight=Decimal(2), actor=None),
        lambda: scoring_table_set(
            version=catalogue,
            category_weights={"C1": Decimal(2)},
            subdomain_weights={},
            indicators={},
            actor=None,
        ),
        lambda: goalposts_from_national_data(version=catalogue, years=[2024], actor=None),
    ]
    for edit in edits:
        with pytest.raises(CatalogueLocked):
            edit()
    rate.refresh_from_db()
    category.refresh_from_db()
    assert rate.posts is None and category.weight == 1
    assert ScoringMethod.objects.get(version=catalogue).aggregation == "amean"


@pytest.mark.django_db
def test_copying_keeps_the_whole_method(draft):
    scoring_method_set(version=draft, actor=None, **METHOD)
    node_weight_set(node=Category.objects.get(version=draft, code="C3"), weight=0, actor=None)
    node_weight_set(
        node=SubDomain.objects.get(version=draft, code="S02"), weight=Decimal("2.5"), actor=None
    )
    rate = _first(draft, unit=Unit.RATE, direction__in=[-1, 1])
    indicator_scoring_set(
        indicator=rate, weight=Decimal(0), lower_post=Decimal("-3.25"), upper_post=7, actor=None
    )
    copy = catalogue_copy_version(source=draft, code="2027.2", actor=None)

    method = ScoringMethod.objects.get(version=copy)
    assert {name: getattr(method, name) for name in METHOD} == METHOD
    assert Category.objects.get(version=copy, code="C3").weight == 0
    assert SubDomain.objects.get(version=copy, code="S02").weight == Decimal("2.5")

    def scoring(version):
        return {
            i.code: (i.weight, i.lower_post, i.upper_post, i.posts_basis)
            for i in Indicator.objects.filter(version=version)
        }

    assert scoring(copy) == scoring(draft)
    assert scoring(copy)[rate.code] == (Decimal(0), Decimal("-3.25"), 7, PostsBasis.COUNCIL)


# --- Goalposts from the national data ----------------------------------------------------


def _national_data(version, code, values, year=2024):
    """One approved total per municipality; returns the municipalities."""
    places = []
    for index, value in enumerate(values):
        place = MunicipalityFactory(code=f"XX-G{index:03d}")
        DataYearFactory(
            version=version, municipality=place, year=year, state=DataYear.State.APPROVED
        )
        ObservationFactory(version=version, municipality=place, code=code, year=year, value=value)
        places.append(place)
    return places


@pytest.fixture
def small_version(db):
    """A draft with data of its own: five approved municipalities in 2024."""
    version = draft_catalogue(code="2090.small", indicators=[])
    subdomain = SubDomain.objects.get(version=version)
    make = {"subdomain": subdomain, "unit": Unit.RATE}
    IndicatorFactory(code="I01", order=1, direction=1, **make)
    IndicatorFactory(code="I02", order=2, direction=-1, target=Decimal(1), **make)
    IndicatorFactory(code="I03", order=3, direction=1, **make)
    IndicatorFactory(code="I04", order=4, direction=1, **make)  # no data
    IndicatorFactory(code="I05", order=5, direction=0, **make)  # contextual: not scored
    IndicatorFactory(code="I06", order=6, unit=Unit.PERCENT, direction=1, subdomain=subdomain)
    places = _national_data(version, "I01", [0, 10, 20, 30, 40])
    for place, value in zip(places, [10, 20, 30, 40, 50], strict=True):
        ObservationFactory(version=version, municipality=place, code="I02", value=value)
        ObservationFactory(version=version, municipality=place, code="I03", value=7)
        ObservationFactory(version=version, municipality=place, code="I06", value=value)
    return version, places


@pytest.mark.django_db
def test_goalposts_are_the_5th_and_95th_percentile_of_approved_totals(small_version, users):
    version, places = small_version
    # None of these count: an open year, a breakdown by sex, a year outside the range.
    open_place = MunicipalityFactory(code="XX-OPEN")
    DataYearFactory(version=version, municipality=open_place, year=2024)
    ObservationFactory(version=version, municipality=open_place, code="I01", value=1000)
    ObservationFactory(version=version, municipality=places[0], code="I01", sex="female", value=999)
    DataYearFactory(
        version=version, municipality=places[0], year=2019, state=DataYear.State.APPROVED
    )
    ObservationFactory(version=version, municipality=places[0], code="I01", year=2019, value=-50)

    summary = goalposts_from_national_data(
        version=version, years=range(2020, 2025), actor=users["national_council"]
    )

    posts = {i.code: (i.posts, i.posts_basis) for i in Indicator.objects.filter(version=version)}
    assert posts["I01"] == ((2.0, 38.0), PostsBasis.NATIONAL)
    # Lower is better and the target (1) lies beyond the 5th percentile (12): it is the post.
    assert posts["I02"] == ((1.0, 48.0), PostsBasis.NATIONAL)
    assert posts["I03"] == (None, "")  # every value is 7: nothing to scale
    assert posts["I04"] == (None, "")
    assert posts["I05"] == (None, "")
    assert posts["I06"] == ((0.0, 100.0), PostsBasis.SCALE)  # a percentage keeps its scale
    assert summary.source == version
    assert [p.code for p in summary.set] == ["I01", "I02"]
    assert [p.target_used for p in summary.set] == [False, True]
    assert [code for code, _reason in summary.skipped] == ["I03", "I04"]
    event = AuditEvent.objects.get(action="catalogue.derive_goalposts")
    assert event.changes["years"] == [2020, 2021, 2022, 2023, 2024]
    assert event.changes["changed"] == ["I01", "I02"]
    assert AuditEvent.objects.filter(action="catalogue.set_indicator_scoring").count() == 2


@pytest.mark.django_db
def test_a_copy_without_data_reads_the_version_it_copies(small_version):
    version, _places = small_version
    copy = draft_catalogue(code="2090.copy", indicators=[])
    IndicatorFactory(
        code="I01", subdomain=SubDomain.objects.get(version=copy), unit=Unit.RATE, direction=1
    )
    copy.based_on = version
    copy.save()
    summary = goalposts_from_national_data(version=copy, years=[2024], actor=None)
    assert summary.source == version
    assert Indicator.objects.get(version=copy, code="I01").posts == (2.0, 38.0)


# --- Pages -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_everyone_reads_the_method_of_a_published_version(catalogue, client):
    response = client.get(f"/en/catalogue/{catalogue.code}/scoring/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Arithmetic mean".lower() in body.lower()
    assert "not scored: no goalposts set" in body
    assert 'name="part"' not in body  # no form


@pytest.mark.django_db
def test_an_indicator_page_shows_its_goalposts(catalogue, client):
    percent = _first(catalogue, unit=Unit.PERCENT, direction__in=[-1, 1])
    rate = _first(catalogue, unit=Unit.RATE, direction__in=[-1, 1])
    body = client.get(f"/en/catalogue/{catalogue.code}/indicators/{percent.code}/").content
    assert "the ends of the percentage scale" in body.decode()
    body = client.get(f"/en/catalogue/{catalogue.code}/indicators/{rate.code}/").content
    assert "not scored: no goalposts set" in body.decode()


@pytest.mark.django_db
def test_only_the_council_edits_and_only_a_draft(catalogue, draft, users):
    url = f"/en/catalogue/{draft.code}/scoring/"
    post = {"part": "method", **{k: str(v) for k, v in METHOD.items()}}
    coordinator = Client()
    coordinator.force_login(users["city_coordinator"])
    assert coordinator.post(url, post).status_code == 403
    assert Client().post(url, post).status_code == 302  # to the log-in page
    council = Client()
    council.force_login(users["national_council"])
    assert 'name="part"' in council.get(url).content.decode()
    assert council.post(url, post).status_code == 302
    assert ScoringMethod.objects.get(version=draft).aggregation == "gmean"
    # A published version stays as it is.
    published = council.post(f"/en/catalogue/{catalogue.code}/scoring/", post)
    assert published.status_code == 302
    assert ScoringMethod.objects.get(version=catalogue).aggregation == "amean"
    assert (
        'name="part"'
        not in council.get(f"/en/catalogue/{catalogue.code}/scoring/").content.decode()
    )


@pytest.mark.django_db
def test_table_errors_are_shown_on_their_row_in_the_users_language(draft, users):
    council = Client()
    council.force_login(users["national_council"])
    url = f"/ru/catalogue/{draft.code}/scoring/"
    page = council.get(url)
    form = page.context["table_form"]
    data = {"part": "table"}
    for name, field in form.fields.items():
        if not field.disabled:
            value = form[name].value()
            data[name] = "" if value is None else str(value)
    rate = _first(draft, unit=Unit.RATE, direction__in=[-1, 1])
    data[f"{rate.code}-lower_post"] = "5"
    response = council.post(url, data)
    assert response.status_code == 400
    errors = response.context["table_form"].errors
    with translation.override("ru"):
        assert errors[f"{rate.code}-upper_post"] == [
            translation.gettext("Give both goalposts, or neither.")
        ]
    assert "Give both goalposts" not in response.content.decode()
    assert Indicator.objects.get(pk=rate.pk).posts is None
    data[f"{rate.code}-upper_post"] = "50"
    assert council.post(url, data).status_code == 302
    assert Indicator.objects.get(pk=rate.pk).posts == (5.0, 50.0)


@pytest.mark.django_db
def test_deriving_goalposts_asks_for_confirmation(small_version, users):
    version, _places = small_version
    url = f"/en/catalogue/{version.code}/scoring/derive/"
    council = Client()
    council.force_login(users["national_council"])
    page = council.get(url)
    assert page.status_code == 200
    assert page.context["form"]["first_year"].value() == 2024
    unconfirmed = council.post(url, {"first_year": 2024, "last_year": 2024})
    assert unconfirmed.status_code == 400
    assert Indicator.objects.get(version=version, code="I01").posts is None
    done = council.post(url, {"first_year": 2024, "last_year": 2024, "confirm": "on"})
    assert done.status_code == 200
    assert "I03" in done.content.decode()  # skipped, with its reason
    assert Indicator.objects.get(version=version, code="I01").posts == (2.0, 38.0)
    coordinator = Client()
    coordinator.force_login(users["city_coordinator"])
    assert (
        coordinator.post(url, {"first_year": 2024, "last_year": 2024, "confirm": "on"}).status_code
        == 403
    )


@pytest.mark.django_db
def test_the_method_page_shows_the_published_goalposts(catalogue, client):
    body = client.get("/en/results/method/").content.decode()
    percent = _first(catalogue, unit=Unit.PERCENT, direction__in=[-1, 1])
    assert percent.code in body
    assert "the ends of the percentage scale" in body
    assert "not scored: no goalposts set" in body
    assert "depends only on its own data" in body
    assert "for information only" in body


# --- API ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_carries_the_method_and_goalposts(catalogue, client):
    version = client.get(f"/api/v1/catalogue/versions/{catalogue.code}").json()
    assert version["scoring_method"] == {
        "aggregation": "amean",
        "min_coverage": "0.500",
        "indicator_tolerance_relative": "0.0100",
        "indicator_tolerance_absolute": "0.0000",
        "score_tolerance_absolute": "1.000",
    }
    assert version["categories"][0]["weight"] == "1.000"
    percent = _first(catalogue, unit=Unit.PERCENT, direction__in=[-1, 1])
    detail = client.get(f"/api/v1/catalogue/versions/{catalogue.code}/indicators/{percent.code}")
    assert {k: detail.json()[k] for k in ("weight", "lower_post", "upper_post", "posts_basis")} == {
        "weight": "1.000",
        "lower_post": "0.000000",
        "upper_post": "100.000000",
        "posts_basis": "scale",
    }
    page = client.get(f"/api/v1/catalogue/versions/{catalogue.code}/indicators?limit=100").json()
    assert all("posts_basis" in item for item in page["items"])
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "scoring_method" in schema["VersionDetailOut"]["properties"]
    assert "lower_post" in schema["IndicatorOut"]["properties"]


# --- Set-up ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_setup_gives_every_scored_numeric_indicator_goalposts():
    call_command("demo_setup", force=True)
    version = CatalogueVersion.objects.get(code="2026.1")
    scored = Indicator.objects.filter(version=version).exclude(direction=0).exclude(unit="text")
    assert scored.exists()
    assert not scored.filter(lower_post__isnull=True).exists()
    assert scored.filter(posts_basis=PostsBasis.NATIONAL).exists()
    event = AuditEvent.objects.get(action="catalogue.derive_goalposts")
    assert event.changes["set_up_of_published_version"] is True
