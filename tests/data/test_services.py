"""Saving one cell, approving and reopening a year, evidence files."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext

from meirim.common.models import AuditEvent
from meirim.common.tabular import ImportRejected
from meirim.common.workflow import NotAllowed
from meirim.data.models import DataRevision, DataYear, Observation, ObservationEvidence
from meirim.data.services import (
    EntryRejected,
    data_year_approve,
    data_year_reopen,
    evidence_add,
    evidence_remove,
    observation_save,
    observations_save_many,
)
from meirim.data.validation import msg_locked

YEAR = 2024


def _save(version, town, actor, code="I03", year=YEAR, **values):
    return observation_save(
        version=version, municipality=town, code=code, year=year, values=values, actor=actor
    )


def _revision(version) -> int:
    found = DataRevision.objects.filter(version=version).first()
    return found.revision if found else 0


@pytest.mark.django_db
def test_save_creates_then_updates_one_cell_with_audit_and_revision(version, town, users):
    actor = users["department_head"]
    start = _revision(version)
    created = _save(version, town, actor, value="12", source="Registry")
    assert created.value == 12 and created.updated_by == actor and created.source == "Registry"
    assert _revision(version) == start + 1
    updated = _save(version, town, actor, value=Decimal(14), source="Registry")
    assert updated.pk == created.pk and updated.value == 14
    assert _revision(version) == start + 2
    events = list(AuditEvent.objects.filter(action="data.observation_save").order_by("id"))
    assert len(events) == 2
    assert events[0].changes["created"] is True
    assert events[1].changes == {"value": ["12", "14"]}
    assert events[1].actor == actor and events[1].object_id == str(created.pk)


@pytest.mark.django_db
def test_save_computes_rates_and_keeps_breakdowns_apart(version, town, users):
    rate = _save(version, town, users["department_head"], code="I01", numerator=6, denominator=1500)
    assert rate.value == Decimal(4)  # 6 / 1500 × 1000
    percent = _save(version, town, None, code="I44", numerator="1", denominator="8")
    assert percent.value == Decimal("12.5")
    girls = _save(version, town, None, code="I06", value="40", sex="female", age_band="0-4")
    total = _save(version, town, None, code="I06", value="45")
    assert girls.pk != total.pk and total.is_total and not girls.is_total
    assert Observation.objects.filter(code="I06").count() == 2


@pytest.mark.django_db
def test_save_refuses_bad_input_with_field_problems(version, town):
    with pytest.raises(ImportRejected) as caught:
        _save(version, town, None, code="I06", value="120")
    assert [(p.row, p.field) for p in caught.value.problems] == [(None, "value")]
    with pytest.raises(ImportRejected) as caught:
        _save(version, town, None, code="I99", value="1")
    assert [p.field for p in caught.value.problems] == ["code"]
    with pytest.raises(ImportRejected) as caught:
        _save(version, town, None, code="I03", status="no_data", value="3")
    assert [p.field for p in caught.value.problems] == ["value"]
    with pytest.raises(ValueError, match="unknown observation fields"):
        _save(version, town, None, code="I03", value="3", colour="red")
    assert not Observation.objects.filter(municipality=town).exists()


@pytest.mark.django_db
def test_save_qualitative_answer(version, town):
    answer = _save(version, town, None, code="I26", value="иә", description="Adopted in 2023")
    assert answer.value == 1 and answer.text_value == "Adopted in 2023"
    assert answer.data_type == "qualitative"


@pytest.mark.django_db
def test_save_flags_an_outlier(version, town):
    for year, value in ((2019, 50), (2020, 52), (2021, 49), (2022, 51)):
        assert not _save(version, town, None, year=year, value=value).is_outlier
    assert _save(version, town, None, year=2023, value=400).is_outlier
    assert not _save(version, town, None, year=2023, value=50).is_outlier


@pytest.mark.django_db
def test_save_many_is_all_or_nothing(version, town):
    with pytest.raises(EntryRejected) as caught:
        observations_save_many(
            version=version,
            municipality=town,
            year=YEAR,
            rows={"I03": {"value": "4"}, "I06": {"value": "140"}, "I04": {"value": "-1"}},
            actor=None,
        )
    assert set(caught.value.problems_by_code) == {"I06", "I04"}
    assert not Observation.objects.filter(municipality=town).exists()
    saved = observations_save_many(
        version=version,
        municipality=town,
        year=YEAR,
        rows={"I03": {"value": "4"}, "I06": {"status": "outside_competence"}},
        actor=None,
    )
    assert len(saved) == 2


@pytest.mark.django_db
def test_approve_locks_and_reopen_unlocks_with_a_reason(version, town, users):
    _save(version, town, None, value="3")
    start = _revision(version)
    year = data_year_approve(
        version=version, municipality=town, year=YEAR, actor=users["city_coordinator"]
    )
    assert year.state == DataYear.State.APPROVED and year.approved_by == users["city_coordinator"]
    assert _revision(version) == start + 1
    approval = AuditEvent.objects.get(action="data.year.approve")
    assert len(approval.changes["missing"]) == 73  # every indicator but I03

    with translation.override("ru"), pytest.raises(ImportRejected) as caught:
        _save(version, town, None, value="4")
    with translation.override("ru"):
        assert caught.value.problems[0].message == msg_locked(YEAR)
        assert msg_locked(YEAR) == gettext(
            "The data for %(year)s are approved and locked. Ask the national council to reopen "
            "the year before changing them."
        ) % {"year": YEAR}
    with pytest.raises(NotAllowed):
        data_year_approve(
            version=version, municipality=town, year=YEAR, actor=users["city_coordinator"]
        )
    with translation.override("ru"), pytest.raises(NotAllowed) as caught:
        data_year_reopen(
            version=version,
            municipality=town,
            year=YEAR,
            actor=users["national_council"],
            reason=" ",
        )
    with translation.override("ru"):
        assert caught.value.reasons == [gettext("Give the reason for reopening the year.")]
    # Only the council reopens, and only the coordinator approves (the access table).
    with pytest.raises(NotAllowed):
        data_year_reopen(
            version=version,
            municipality=town,
            year=YEAR,
            actor=users["city_coordinator"],
            reason="Wanted to change a value",
        )

    data_year_reopen(
        version=version,
        municipality=town,
        year=YEAR,
        actor=users["national_council"],
        reason="The health figures were revised",
    )
    assert DataYear.objects.get(municipality=town, year=YEAR).state == DataYear.State.OPEN
    reopened = AuditEvent.objects.get(action="data.year.reopen")
    assert reopened.changes["reason"] == "The health figures were revised"
    assert _revision(version) == start + 2
    assert _save(version, town, None, value="4").value == 4
    with pytest.raises(NotAllowed):
        data_year_reopen(
            version=version,
            municipality=town,
            year=YEAR,
            actor=users["national_council"],
            reason="x",
        )


def _file(name="report.pdf", content=b"%PDF-1.4 evidence"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.django_db
def test_evidence_is_stored_on_disk_and_removed_after_commit(
    version, town, users, media, django_capture_on_commit_callbacks
):
    observation = _save(version, town, None, value="3")
    evidence = evidence_add(observation=observation, file=_file(), actor=users["department_head"])
    path = media / evidence.file.name
    assert path.read_bytes() == b"%PDF-1.4 evidence"
    assert evidence.original_name == "report.pdf" and "report" not in evidence.file.name
    assert AuditEvent.objects.filter(action="data.evidence_add").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        evidence_remove(evidence=evidence, actor=users["department_head"])
    assert not path.exists()
    assert not ObservationEvidence.objects.exists()
    assert AuditEvent.objects.filter(action="data.evidence_remove").count() == 1


@pytest.mark.django_db
def test_evidence_with_a_save_and_refused_kinds_of_files(version, town, media):
    observation = observation_save(
        version=version,
        municipality=town,
        code="I03",
        year=YEAR,
        values={"value": "5"},
        actor=None,
        evidence_files=[_file("scan.png", b"\x89PNG...")],
    )
    assert observation.evidence.count() == 1
    with pytest.raises(ImportRejected) as caught:
        evidence_add(observation=observation, file=_file("page.html", b"<script>"), actor=None)
    assert caught.value.problems[0].field == "file"
    with pytest.raises(ImportRejected):
        evidence_add(observation=observation, file=_file("empty.pdf", b""), actor=None)
    assert observation.evidence.count() == 1


@pytest.mark.django_db
def test_evidence_of_an_approved_year_cannot_change(version, town, users, media):
    observation = _save(version, town, None, value="3")
    evidence = evidence_add(observation=observation, file=_file(), actor=None)
    data_year_approve(version=version, municipality=town, year=YEAR, actor=None)
    with pytest.raises(ImportRejected):
        evidence_add(observation=observation, file=_file("more.pdf"), actor=None)
    with pytest.raises(ImportRejected):
        evidence_remove(evidence=evidence, actor=None)
    assert (media / evidence.file.name).exists()
    assert observation.evidence.count() == 1


@pytest.mark.django_db
def test_reopening_tells_the_coordinators_after_the_commit(
    version, town, users, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = users["city_coordinator"]
    coordinator.email = "coordinator@kokshetau.example"
    coordinator.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        data_year_approve(version=version, municipality=town, year=YEAR, actor=coordinator)
    assert mailoutbox == []  # approving is the coordinator's own act: nobody is told
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        data_year_reopen(
            version=version,
            municipality=town,
            year=YEAR,
            actor=users["national_council"],
            reason="The health figures were revised",
        )
    assert mailoutbox == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()
    assert [mail.to for mail in mailoutbox] == [["coordinator@kokshetau.example"]]
    assert "The health figures were revised" in mailoutbox[0].body
    with translation.override("kk"):
        assert mailoutbox[0].subject == gettext("Data for %(year)s reopened") % {"year": YEAR}
