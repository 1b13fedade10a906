"""Writes in the Django admin are audited like the services' writes."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from meirim.common.models import AuditEvent
from meirim.geography.models import Region
from tests.factories import RegionFactory


@pytest.mark.django_db
def test_admin_change_and_delete_are_audited(users):
    client = Client()
    client.force_login(users["national_admin"])
    region = RegionFactory(code="XX-TEST", name_en="Test region")
    response = client.post(
        f"/en/admin/geography/region/{region.pk}/change/",
        {
            "code": "XX-TEST",
            "country": "XX",
            "name_kk": "",
            "name_ru": "Тестовая область",
            "name_en": "Test region",
            "name_ky": "",
            "latitude": "",
            "longitude": "",
        },
    )
    assert response.status_code == 302, response.content[:500]
    event = AuditEvent.objects.get(action="admin.change", object_id=str(region.pk))
    assert event.actor == users["national_admin"]
    assert event.changes == {"name_ru": "Тестовая область"}
    response = client.post(f"/en/admin/geography/region/{region.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="admin.delete", object_id=str(region.pk)).exists()
    assert not Region.objects.filter(code="XX-TEST").exists()


@pytest.mark.django_db
def test_creating_a_user_in_the_admin_logs_no_password(users):
    secret = "Sunflower-over-Kokshetau-2026"
    client = Client()
    client.force_login(users["national_admin"])
    response = client.post(
        "/en/admin/accounts/user/add/",
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": secret,
            "password2": secret,
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    event = AuditEvent.objects.get(action="admin.add", object_label="newcomer")
    assert event.changes["password1"] == "[redacted]"
    for logged in AuditEvent.objects.values_list("changes", flat=True):
        assert secret not in json.dumps(logged, ensure_ascii=False)
