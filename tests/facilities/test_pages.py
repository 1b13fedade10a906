"""The audit's pages: the inventory with its filters and counts, the form, removal, evidence,
and the map drawn as SVG on the server."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from meirim.facilities.models import Facility
from tests.facilities.conftest import TOWN, client_for, make

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs: object) -> str:
    with translation.override("en"):
        return reverse(f"facilities:{name}", kwargs={"municipality": TOWN, **kwargs})


def test_the_list_filters_and_counts(town, users):
    make(town, name="Clinic", kind="health", availability="not_accessible", barriers=["cost"],
         children_asked_note="Too expensive for us")  # fmt: skip
    make(town, name="Swings", kind="play", availability="available")
    make(town, name="Teen centre", kind="social_protection", availability="absent")
    client = client_for(users["region_officer"])
    page = client.get(url("list"))
    assert page.status_code == 200
    text = page.content.decode()
    for name in ("Clinic", "Swings", "Teen centre"):
        assert name in text
    assert "Barriers → candidate priority areas" in text
    assert "Absent facilities" in text
    assert "Too expensive for us" in text  # the details are there for readers too
    filtered = client.get(url("list"), {"barrier": "cost"}).content.decode()
    assert "Clinic" in filtered.split("<tbody>")[1]
    assert "Swings" not in filtered.split("<tbody>")[1]
    by_type = client.get(url("list"), {"type": "play"}).content.decode()
    assert "Swings" in by_type.split("<tbody>")[1]
    assert "Clinic" not in by_type.split("<tbody>")[1]
    by_availability = client.get(url("list"), {"availability": "absent"}).content.decode()
    assert "Teen centre" in by_availability.split("<tbody>")[1]
    # A reader without the right to edit sees no links to the form.
    assert url("add") not in text


def test_add_with_every_field_then_edit(town, users):
    client = client_for(users["department_head"])
    assert client.get(url("add")).status_code == 200
    response = client.post(
        url("add"),
        {
            "name": "Поликлиника",
            "kind": "health",
            "address": "ул. Абая, 1",
            "latitude": "53.287",
            "longitude": "69.389",
            "target_ages": ["E", "M"],
            "availability": "not_accessible",
            "barriers": ["physical", "information"],
            "barrier_note": "No ramp",
            "groups_affected": ["disability"],
            "adult_rating": "3",
            "children_rating": "2",
            "children_asked_by": "focus_group",
            "children_asked_note": "Too far",
            "evidence": "Visit on 12 March",
            "evidence_upload": SimpleUploadedFile("photo.jpg", b"jpeg-bytes"),
            "audited_on": "2026-03-12",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    facility = Facility.objects.get(municipality=town)
    assert facility.target_ages == ["E", "M"]
    assert facility.barriers == ["physical", "information"]
    assert facility.groups_affected == ["disability"]
    assert (facility.adult_rating, facility.children_rating) == (3, 2)
    assert facility.latitude == Decimal("53.287000")
    assert facility.updated_by == users["department_head"]
    download = client.get(url("evidence", facility=facility.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"jpeg-bytes"
    assert download["Cache-Control"] == "private, no-store"

    edit = client.get(url("edit", facility=facility.pk))
    assert re.search(r'value="physical"[^>]*checked', edit.content.decode())
    response = client.post(
        url("edit", facility=facility.pk),
        {"name": "Поликлиника", "kind": "health", "availability": "available",
         "adult_rating": "5", "remove_file": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.availability == "available" and facility.barriers == []
    assert facility.adult_rating == 5 and not facility.evidence_file


def test_the_form_reports_bad_fields_and_saves_nothing(town, users):
    client = client_for(users["city_coordinator"])
    response = client.post(
        url("add"),
        {"name": "", "kind": "zoo", "availability": "available", "latitude": "53.2",
         "adult_rating": "9", "evidence_upload": SimpleUploadedFile("run.exe", b"MZ")},
    )  # fmt: skip
    assert response.status_code == 200
    form = response.context["form"]
    assert {"name", "kind", "adult_rating", "longitude"} <= set(form.errors)
    assert not Facility.objects.exists()
    response = client.post(
        url("add"),
        {"name": "Park", "kind": "play", "availability": "available",
         "evidence_upload": SimpleUploadedFile("run.exe", b"MZ")},
    )  # fmt: skip
    assert response.status_code == 200
    assert "evidence_upload" in response.context["form"].errors
    assert not Facility.objects.exists()


def test_delete_needs_a_confirmed_post(town, users):
    facility = make(town)
    client = client_for(users["city_coordinator"])
    page = client.get(url("delete", facility=facility.pk))
    assert page.status_code == 200 and "Park" in page.content.decode()
    assert Facility.objects.filter(pk=facility.pk).exists()
    client.post(url("delete", facility=facility.pk), {})
    assert Facility.objects.filter(pk=facility.pk).exists()
    response = client.post(url("delete", facility=facility.pk), {"confirm": "yes"})
    assert response.status_code == 302
    assert not Facility.objects.filter(pk=facility.pk).exists()


def test_another_citys_facility_is_not_found(town, other_town, users):
    elsewhere = make(other_town, name="Elsewhere")
    client = client_for(users["city_coordinator"])
    assert client.get(url("edit", facility=elsewhere.pk)).status_code == 404
    assert client.post(url("delete", facility=elsewhere.pk), {"confirm": "yes"}).status_code == 404
    assert Facility.objects.filter(pk=elsewhere.pk).exists()


def test_the_map_is_an_svg_with_one_point_per_located_facility(town, users):
    make(town, name="Clinic", latitude=Decimal("53.2871"), longitude=Decimal("69.3895"))
    make(town, name="Park", latitude=Decimal("53.2795"), longitude=Decimal("69.3960"),
         availability="not_accessible")  # fmt: skip
    make(town, name="Centre", latitude=Decimal("53.2651"), longitude=Decimal("69.3602"),
         availability="absent")  # fmt: skip
    make(town, name="Unplaced")
    page = client_for(users["region_officer"]).get(url("map"))
    assert page.status_code == 200
    text = page.content.decode()
    svg = re.search(r'<svg class="facilities-map".*?</svg>', text, re.S)
    assert svg is not None
    assert svg.group(0).count('class="facility-point"') == 3
    assert "Unplaced" not in svg.group(0)
    for shape in ("<circle", "<rect x=", "<polygon"):
        assert shape in svg.group(0)
    # Every point lies inside the drawing.
    for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', svg.group(0)):
        assert 0 <= float(x) <= 640 and 0 <= float(y) <= 440
    # Nothing is fetched from elsewhere: no CDN, no tiles, no script.
    assert "http://" not in svg.group(0) and "https://" not in svg.group(0)
    main = text.split("<main", 1)[-1]
    assert not re.search(r'(src|href)="(https?:)?//', main)
    assert "<script" not in main
    assert "1 facility has no coordinates" in text


def test_a_single_located_facility_sits_in_the_middle(town, users):
    make(town, name="Only", latitude=Decimal("53.28"), longitude=Decimal("69.39"))
    text = client_for(users["city_coordinator"]).get(url("map")).content.decode()
    assert '<circle cx="320.0" cy="220.0"' in text
