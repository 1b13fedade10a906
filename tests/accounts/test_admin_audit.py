"""Writes in the Django admin are audited like the services' writes."""

from __future__ import annotations

import pytest
from django.test import Client

from meirim.common.models import AuditEvent
from meirim.geography.models import Region


@pytest.mark.django_db
def test_admin_change_and_delete_are_audited(users):
    client = Client()
    client.force_login(users["national_admin"])
    region = Region.objects.create(code="XX-TEST", country="XX", name_en="Test region")
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
