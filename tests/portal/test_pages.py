"""Public pages in every language, with visible fallback for untranslated content."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from meirim.common.i18n import localized
from meirim.geography.models import Municipality

LANGS = ["kk", "ru", "en", "ky"]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_home_is_served_in_each_language(client: Client, lang, geography, catalogue):
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.content.decode()
    with translation.override(lang):
        expected = translation.gettext("Child-friendly cities: where every child is heard")
    assert expected in response.content.decode()


@pytest.mark.django_db
def test_root_redirects_to_the_remembered_language(client: Client):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/kk/"})
    assert response.status_code == 302 and response["Location"] == "/ru/"
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/ru/"


@pytest.mark.django_db
def test_catalogue_browser_shows_every_indicator_with_its_attributes(client, catalogue):
    response = client.get(f"/ru/catalogue/{catalogue.code}/")
    body = response.content.decode()
    assert response.status_code == 200
    for n in range(1, 75):
        assert f">I{n:02d}</a>" in body
    assert "Младенческая смертность" in body or "младенческ" in body.lower()
    detail = client.get(f"/en/catalogue/{catalogue.code}/indicators/I08/")
    assert detail.status_code == 200
    assert "per 100,000" in detail.content.decode() or "100000" in detail.content.decode()


@pytest.mark.django_db
def test_missing_translation_falls_back_visibly(client, geography):
    town = Municipality.objects.get(code="KZ-AKM-KOKSHETAU")
    assert town.name_ky == ""
    value = localized(town, "name", "ky")
    assert value.is_fallback and value.language == "kk" and value.text == town.name_kk
    body = client.get("/ky/municipalities/KZ-AKM-KOKSHETAU/").content.decode()
    assert '<span lang="kk" class="fallback"' in body
    assert town.name_kk in body


@pytest.mark.django_db
def test_municipality_list_filters(client, geography):
    body = client.get("/en/municipalities/?country=KG&kind=rural_okrug").content.decode()
    assert "Kochkorbaev" in body or "Kochkorbayev" in body
    assert "Kokshetau" not in body
    by_region = client.get("/en/municipalities/?region=KZ-AKM").content.decode()
    assert "Kokshetau" in by_region and "Bishkek" not in by_region


@pytest.mark.django_db
def test_unknown_pages_are_404(client, geography, catalogue):
    assert client.get("/en/municipalities/NOWHERE/").status_code == 404
    assert client.get("/en/catalogue/1999.9/").status_code == 404
    assert client.get(f"/en/catalogue/{catalogue.code}/indicators/I99/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_children_find_the_surveys_from_the_public_pages(client: Client, lang, geography):
    # The survey list was reachable only by typing its address.
    for path in (f"/{lang}/", f"/{lang}/easy/", f"/{lang}/city/KZ-AKM-KOKSHETAU/easy/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert f'href="/{lang}/surveys/"' in response.content.decode(), path
