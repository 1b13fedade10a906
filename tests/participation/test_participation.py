"""The participation log: services, summary, suppression of small counts, P1–P9, pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse as django_reverse
from django.utils import translation

from meirim.common.audit import AuditEvent
from meirim.geography.models import Municipality
from meirim.participation import selectors, services
from meirim.participation.models import Activity, EvidenceStatement
from meirim.planning.models import Action

TOWN = "KZ-AKM-KOKSHETAU"
FEWER = "fewer than 5"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def town(geography):
    return Municipality.objects.get(code=TOWN)


def _activity(town, *, rung="H6", kind="T2", held_on=date(2026, 5, 10), participants=None,
              **values):  # fmt: skip
    base = {"topic": values.pop("topic", "Park design"), "held_on": held_on, "rung": rung,
            "kind": kind, **values}  # fmt: skip
    return services.activity_save(
        municipality=town, values=base, participants=participants or {}, actor=None
    )


def reverse(name, args):
    with translation.override("en"):
        return django_reverse(name, args=args)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Suppression --------------------------------------------------------------------------


def test_public_counts_suppress_every_count_under_five():
    assert selectors.public_counts({"a": 4, "b": 5, "c": 0, "d": 120}) == {
        "a": FEWER,
        "b": "5",
        "c": FEWER,
        "d": "120",
    }


@pytest.mark.django_db
def test_the_public_summary_and_evidence_never_show_a_count_under_five(town, catalogue):
    _activity(
        town,
        participants={("10_13", "girls"): 3, ("10_13", "boys"): 7},
        hard_to_reach={"disability": 2},
    )
    public = selectors.participation_summary(town)
    band = {label: counts for label, counts, _total in public.grid}["10–13"]
    # 7 is hidden too: with the total of 10 shown, it would give the 3 back.
    assert band[:2] == [FEWER, FEWER]
    assert public.children == "10"
    assert dict(public.hard_to_reach)["Children with disabilities or special needs"] == FEWER

    exact = selectors.participation_summary(town, public=False)
    assert {label: counts for label, counts, _total in exact.grid}["10–13"][:2] == [3, 7]

    evidence = {item.code: item for item in selectors.participation_evidence(town)}
    assert evidence["P2"].figures["by_sex"]["girls"] == FEWER
    assert evidence["P3"].figures["children"] == {"disability": FEWER}
    exact_evidence = {
        item.code: item for item in selectors.participation_evidence(town, public=False)
    }
    assert exact_evidence["P2"].figures["by_sex"]["girls"] == 3


# --- Services and summary -------------------------------------------------------------


@pytest.mark.django_db
def test_saving_an_activity_replaces_its_counts_and_is_audited(town, catalogue):
    activity = _activity(town, participants={("under_10", "girls"): 6, ("14_17", "boys"): 0})
    assert [(p.age_band, p.sex, p.count) for p in activity.participants.all()] == [
        ("under_10", "girls", 6)
    ]
    services.activity_save(
        municipality=town,
        activity=activity,
        values={"rung": "H7"},
        participants={("14_17", "boys"): 9},
        actor=None,
    )
    activity.refresh_from_db()
    assert activity.rung == "H7"
    assert [(p.age_band, p.count) for p in activity.participants.all()] == [("14_17", 9)]
    actions = list(
        AuditEvent.objects.filter(object_id=str(activity.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["participation.activity_add", "participation.activity_edit"]


@pytest.mark.django_db
def test_the_summary_marks_h1_to_h3_as_non_participation(town, catalogue):
    _activity(town, rung="H2", kind="T5")
    _activity(town, rung="H6", kind="T2")
    summary = selectors.participation_summary(town, public=False)
    rungs = {code: (count, participation) for code, _name, count, participation in summary.by_rung}
    assert rungs["H2"] == (1, False)
    assert rungs["H3"] == (0, False)
    assert rungs["H6"] == (1, True)
    assert summary.activities == 2
    assert summary.participation_activities == 1
    assert {code: n for code, _name, n in summary.by_type}["T5"] == 1


# --- P1–P9 ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_p1_to_p9_are_derived_from_the_log_or_entered(town, catalogue):
    action = Action.objects.create(municipality=town, code="7.1.a", title="Safer parks")
    assert {i.code: i.status for i in selectors.participation_evidence(town)} == {
        f"P{n}": "missing" for n in range(1, 10)
    }
    # Tokenism never counts as a consultation.
    _activity(town, rung="H2", held_on=date(2025, 3, 1), what_changed="Nothing")
    _activity(
        town,
        held_on=date(2025, 4, 1),
        participants={("10_13", "girls"): 8, ("14_17", "boys"): 6},
    )
    _activity(
        town,
        rung="H7",
        held_on=date(2026, 2, 1),
        recurrence="recurring",
        recurrence_note="monthly",
        action=action,
        hard_to_reach={"rural": 6, "disability": 5},
        what_changed="The park got a ramp",
    )
    _activity(town, rung="H5", held_on=date(2026, 3, 1))
    services.evidence_statement_save(
        municipality=town, code="P5", text="Article 12 is in the city charter.", actor=None
    )
    items = {i.code: i for i in selectors.participation_evidence(town)}
    assert {code: i.status for code, i in items.items()} == {
        "P1": "derived",
        "P2": "derived",
        "P3": "derived",
        "P4": "derived",
        "P5": "entered",
        "P6": "missing",
        "P7": "missing",
        "P8": "derived",
        "P9": "derived",
    }
    assert items["P1"].figures == {"consultations": 3, "per_year": {"2025": 1, "2026": 2}}
    assert items["P2"].figures["children"] == "14"
    assert items["P2"].figures["age_bands_reached"] == 2
    assert items["P2"].figures["sexes_reached"] == 2
    assert items["P3"].figures["consultations"] == 1
    assert items["P3"].figures["groups_reached"] == 2
    assert items["P4"].figures["recurring"] == 1
    assert items["P4"].figures["one_off"] == 2
    assert items["P4"].figures["increasing"] is True
    assert items["P5"].text == "Article 12 is in the city charter."
    assert items["P8"].figures["topics"] == ["Park design"]
    assert items["P9"].figures["actions"] == ["7.1.a"]


# --- Pages --------------------------------------------------------------------------------


def _form(**overrides):
    data = {
        "topic": "Playground plans",
        "held_on": "2026-05-10",
        "recurrence": "recurring",
        "recurrence_note": "every month",
        "action": "",
        "rung": "H6",
        "kind": "T2",
        "q_Q1_met": "on",
        "q_Q1_evidence": "Invitations in three languages",
        "p_10_13_girls": "4",
        "p_10_13_boys": "6",
        "h_rural": "2",
        "impact": "Children chose the equipment",
        "what_changed": "Two swings added",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_department_head_logs_and_edits_an_activity(users, town, catalogue):
    action = Action.objects.create(municipality=town, code="3.2", title="Playgrounds")
    client = _client(users["department_head"])
    add_url = reverse("participation:add", args=[TOWN])
    page = client.get(add_url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "H2 Decoration — non-participation" in body
    assert "3.2 Playgrounds" in body

    response = client.post(add_url, _form(action=str(action.pk)))
    assert response.status_code == 302
    activity = Activity.objects.get(municipality=town)
    assert activity.action == action
    assert activity.quality == {"Q1": {"met": True, "evidence": "Invitations in three languages"}}
    assert activity.hard_to_reach == {"rural": 2}
    assert {(p.age_band, p.sex): p.count for p in activity.participants.all()} == {
        ("10_13", "girls"): 4,
        ("10_13", "boys"): 6,
    }

    listing = client.get(reverse("participation:list", args=[TOWN])).content.decode()
    assert "Playground plans" in listing
    assert "<td>4</td>" in listing  # signed-in city people see exact counts

    edit_url = reverse("participation:activity", args=[TOWN, activity.pk])
    assert "Invitations in three languages" in client.get(edit_url).content.decode()
    client.post(edit_url, _form(rung="H3", p_10_13_girls="0"))
    activity.refresh_from_db()
    assert activity.rung == "H3"
    assert activity.participants.count() == 1
    client.post(edit_url, {"delete": "1"})
    assert not Activity.objects.filter(pk=activity.pk).exists()


@pytest.mark.django_db
def test_the_form_refuses_unknown_rungs_and_negative_counts(users, town, catalogue):
    client = _client(users["city_coordinator"])
    response = client.post(
        reverse("participation:add", args=[TOWN]), _form(rung="H9", p_10_13_boys="-1")
    )
    assert response.status_code == 200
    assert not Activity.objects.exists()
    body = response.content.decode()
    assert "H9 is not one of the available choices" in body


@pytest.mark.django_db
def test_the_city_enters_p5_with_a_file_that_only_its_readers_download(
    users, town, catalogue, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = _client(users["city_coordinator"])
    url = reverse("participation:evidence", args=[TOWN])
    refused = client.post(
        url,
        {"code": "P6", "text": "Rights lessons", "file": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert refused.status_code == 200
    assert not EvidenceStatement.objects.exists()
    client.post(
        url,
        {
            "code": "P6",
            "text": "Rights are taught in grades 5–9.",
            "file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"),
        },
    )
    statement = EvidenceStatement.objects.get(municipality=town, code="P6")
    assert statement.text == "Rights are taught in grades 5–9."
    page = client.get(url).content.decode()
    assert "Rights are taught in grades 5–9." in page
    assert "entered by the city" in page
    file_url = reverse("participation:evidence_file", args=[TOWN, "P6"])
    download = client.get(file_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 plan"
    assert Client().get(file_url).status_code == 302  # to the login page
