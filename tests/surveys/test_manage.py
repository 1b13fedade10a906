"""The managers: upload, publish and close (audited), links checked against the city,
national surveys for the council only; the demonstration survey."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from meirim.common.models import AuditEvent
from meirim.facilities.demo import demo_populate as facilities_demo
from meirim.facilities.models import Facility
from meirim.geography.models import Municipality
from meirim.planning.models import Action
from meirim.surveys import services
from meirim.surveys.demo import demo_populate
from meirim.surveys.models import Survey
from meirim.surveys.selectors import survey_results
from tests.surveys.helpers import TOWN, survey_make, xlsx

pytestmark = pytest.mark.django_db


def _en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def test_the_coordinator_uploads_publishes_and_closes_with_an_audit_trail(users, geography):
    client = Client()
    client.force_login(users["city_coordinator"])
    response = client.post(
        _en("surveys:add", TOWN), {"file": SimpleUploadedFile("form.xlsx", xlsx())}
    )
    survey = Survey.objects.get()
    assert response.status_code == 302 and survey.state == Survey.State.DRAFT
    assert survey.municipality.code == TOWN and survey.title == "Basic"
    assert client.get(_en("surveys:results", survey.pk)).status_code == 404  # a draft
    client.post(_en("surveys:publish", TOWN, survey.pk))
    survey.refresh_from_db()
    assert survey.state == Survey.State.OPEN
    assert client.get(_en("surveys:results", survey.pk)).status_code == 200
    client.post(_en("surveys:close", TOWN, survey.pk))
    survey.refresh_from_db()
    assert survey.state == Survey.State.CLOSED
    response = client.post(_en("surveys:publish", TOWN, survey.pk), follow=True)
    assert "cannot be done" in response.content.decode()
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == ["surveys.create", "surveys.publish", "surveys.close"]


def test_a_linked_facility_or_action_must_be_the_citys(geography):
    town = Municipality.objects.get(code=TOWN)
    far = Municipality.objects.get(code="KZ-PAV-PAVLODAR")
    facility = Facility.objects.create(
        municipality=far, name="Far park", kind="play", availability="available"
    )
    action = Action.objects.create(municipality=far, code="1.1.a", title="Far action")
    with pytest.raises(services.Refused):
        survey_make(municipality=town, facility=facility)
    with pytest.raises(services.Refused):
        survey_make(municipality=town, action=action)
    with pytest.raises(services.Refused):
        survey_make(municipality=None, facility=facility)
    assert not Survey.objects.exists()


def test_national_surveys_are_the_councils(users, geography):
    council = Client()
    council.force_login(users["national_council"])
    response = council.post(
        _en("surveys:add", TOWN),
        {"file": SimpleUploadedFile("form.xlsx", xlsx()), "national": "on"},
    )
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert survey.municipality is None
    coordinator = Client()
    coordinator.force_login(users["city_coordinator"])
    assert coordinator.get(_en("surveys:detail", TOWN, survey.pk)).status_code == 403
    assert coordinator.post(_en("surveys:publish", TOWN, survey.pk)).status_code == 403
    page = coordinator.get(_en("surveys:add", TOWN)).content.decode()
    assert 'name="national"' not in page
    assert council.get(_en("surveys:detail", TOWN, survey.pk)).status_code == 200


def test_the_demo_survey_is_published_with_answers_before_and_after(geography):
    facilities_demo(Municipality.objects.get(code=TOWN), complete=False)
    first = demo_populate()
    again = demo_populate()
    assert first is not None and first.pk == again.pk
    assert Survey.objects.count() == 1
    assert first.state == Survey.State.OPEN and first.facility is not None and first.is_demo
    outcome = survey_results(first)
    assert outcome.respondents == 30
    assert [p.code for p in outcome.periods] == ["before", "after"]
    assert set(first.definition["languages"]) == {"kk", "ru", "ky", "en"}


def test_the_public_list_offers_managers_their_cities(users, geography):
    survey = survey_make()
    anonymous = Client().get(_en("surveys:list")).content.decode()
    assert survey.title in anonymous and _en("surveys:manage", TOWN) not in anonymous
    client = Client()
    client.force_login(users["city_coordinator"])
    assert _en("surveys:manage", TOWN) in client.get(_en("surveys:list")).content.decode()
