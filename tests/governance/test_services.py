"""The council and governance services: rules, audit, closing guard, change between rounds."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meirim.common.models import AuditEvent
from meirim.common.workflow import NotAllowed
from meirim.governance import selectors, services
from meirim.governance.models import AssessmentRound, GovernanceAnswer
from tests.governance.conftest import all_yes

pytestmark = pytest.mark.django_db


def _codes():
    return sorted(selectors.catalogue_questions(selectors.catalogue_version()))


def test_the_catalogue_has_61_questions_in_sections(round_2026):
    codes = _codes()
    assert len(codes) == 61 and codes[0] == "G01" and codes[-1] == "G61"
    sections = selectors.round_sections(round_2026, selectors.catalogue_version())
    assert sections[0].code == "GS-I.1" and len(sections[0].rows) == 5
    assert sections[-1].code == "GS-II.10" and sections[-1].rows == []


def test_answers_are_saved_and_audited(round_2026, users):
    coordinator = users["city_coordinator"]
    services.answers_save(
        round=round_2026,
        answers=[
            {"question": "G01", "answer": "yes", "comment": "Стратегия 2025–2030"},
            {"question": "G02", "answer": "planned", "responsible": "Отдел образования"},
        ],
        actor=coordinator,
    )
    assert GovernanceAnswer.objects.get(round=round_2026, code="G02").responsible == (
        "Отдел образования"
    )
    event = AuditEvent.objects.filter(action="governance.answers_save").latest("id")
    assert set(event.changes) == {"G01", "G02"}
    summary = selectors.round_summary(round_2026, selectors.catalogue_version())
    assert summary == {"yes": 1, "planned": 1, "no": 0, "not_applicable": 0, "unanswered": 59}


def test_not_applicable_needs_a_reason_and_nothing_is_saved(round_2026, users):
    with pytest.raises(services.Rejected) as refused:
        services.answers_save(
            round=round_2026,
            answers=[
                {"question": "G01", "answer": "yes"},
                {"question": "G03", "answer": "not_applicable", "reason": " "},
            ],
            actor=users["city_coordinator"],
        )
    assert refused.value.errors[0][0] == "G03.reason"
    assert not GovernanceAnswer.objects.filter(round=round_2026).exists()


def test_unknown_codes_and_answers_are_named(round_2026, users):
    with pytest.raises(services.Rejected) as refused:
        services.answers_save(
            round=round_2026,
            answers=[{"question": "G99", "answer": "yes"}, {"question": "G01", "answer": "maybe"}],
            actor=users["city_coordinator"],
        )
    text = str(refused.value)
    assert "G99" in text and "maybe" in text


def test_a_department_head_answers_only_assigned_sections(round_2026, users):
    head = users["department_head"]
    with pytest.raises(services.SectionRefused) as refused:
        services.answers_save(
            round=round_2026, answers=[{"question": "G01", "answer": "yes"}], actor=head
        )
    assert refused.value.codes == ["G01"]
    services.section_assign(
        round=round_2026, section="GS-I.1", assignee_id=head.pk, actor=users["city_coordinator"]
    )
    services.answers_save(
        round=round_2026, answers=[{"question": "G01", "answer": "yes"}], actor=head
    )
    with pytest.raises(services.SectionRefused):
        services.answers_save(
            round=round_2026, answers=[{"question": "G06", "answer": "yes"}], actor=head
        )
    assert list(GovernanceAnswer.objects.values_list("code", flat=True)) == ["G01"]


def test_only_department_heads_of_the_city_are_assigned(round_2026, users):
    with pytest.raises(services.Rejected):
        services.section_assign(
            round=round_2026,
            section="GS-I.1",
            assignee_id=users["region_officer"].pk,
            actor=users["city_coordinator"],
        )


def test_additional_questions_are_coded_and_answered(round_2026, users):
    coordinator = users["city_coordinator"]
    first = services.additional_question_add(
        round=round_2026, text="Есть ли детский парламент?", actor=coordinator
    )
    second = services.additional_question_add(round=round_2026, text="Второй", actor=coordinator)
    assert (first.code, second.code) == ("GX1", "GX2")
    services.answers_save(
        round=round_2026, answers=[{"question": "GX1", "answer": "no"}], actor=coordinator
    )
    rows = selectors.round_sections(round_2026, selectors.catalogue_version())[-1].rows
    assert [(r.code, r.value) for r in rows] == [("GX1", "no"), ("GX2", "")]


def test_closing_lists_what_is_missing_then_closes(round_2026, users):
    coordinator = users["city_coordinator"]
    with pytest.raises(NotAllowed) as refused:
        services.round_close(round=round_2026, actor=coordinator)
    reasons = refused.value.reasons
    assert len(reasons) == 3
    assert "61" in reasons[0] and "G01" in reasons[0]
    services.answers_save(round=round_2026, answers=all_yes(_codes()[1:]), actor=coordinator)
    services.round_save(
        round=round_2026,
        values={"agreed_assessment": "Согласовано", "rights_summary": "Сводка"},
        actor=coordinator,
    )
    with pytest.raises(NotAllowed) as refused:
        services.round_close(round=round_2026, actor=coordinator)
    assert refused.value.reasons == ["1 question is not answered: G01"]
    services.answers_save(round=round_2026, answers=all_yes(["G01"]), actor=coordinator)
    closed = services.round_close(round=round_2026, actor=coordinator)
    assert closed.state == AssessmentRound.State.CLOSED and closed.closed_by == coordinator
    with pytest.raises(NotAllowed):
        services.answers_save(round=closed, answers=all_yes(["G01"]), actor=coordinator)
    with pytest.raises(NotAllowed):
        services.round_close(round=closed, actor=users["department_head"])
    reopened = services.round_reopen(round=closed, actor=coordinator)
    assert reopened.state == AssessmentRound.State.OPEN


def test_change_against_the_previous_round_and_gaps(town, users):
    coordinator = users["city_coordinator"]
    earlier = services.round_open(municipality=town, year=2025, actor=coordinator)
    services.answers_save(
        round=earlier,
        answers=[{"question": "G07", "answer": "no"}, {"question": "G08", "answer": "yes"}],
        actor=coordinator,
    )
    later = services.round_open(municipality=town, year=2026, actor=coordinator)
    services.answers_save(
        round=later,
        answers=[{"question": "G07", "answer": "planned"}, {"question": "G08", "answer": "yes"}],
        actor=coordinator,
    )
    rows = {
        row.code: row
        for section in selectors.round_sections(later, selectors.catalogue_version())
        for row in section.rows
    }
    assert rows["G07"].changed and rows["G07"].previous == "no"
    assert not rows["G08"].changed
    # Without a closed round, the gaps are the latest round's.
    assert [g.code for g in selectors.governance_gaps(town)] == []
    assert [p.code for p in selectors.planned_answers(town, 2026)] == ["G07"]
    AssessmentRound.objects.filter(pk=earlier.pk).update(state="closed")
    gaps = selectors.governance_gaps(town)
    assert [(g.code, g.year) for g in gaps] == [("G07", 2025)]
    assert gaps[0].question


def test_evidence_files_are_checked(round_2026, users):
    coordinator = users["city_coordinator"]
    bad = SimpleUploadedFile("run.exe", b"MZ")
    empty = SimpleUploadedFile("empty.pdf", b"")
    for file in (bad, empty):
        with pytest.raises(services.Rejected):
            services.answers_save(
                round=round_2026,
                answers=all_yes(["G01"]),
                files={"G01": file},
                actor=coordinator,
            )
    good = SimpleUploadedFile("protocol.pdf", b"%PDF-1.4 evidence")
    services.answers_save(
        round=round_2026, answers=all_yes(["G01"]), files={"G01": good}, actor=coordinator
    )
    assert GovernanceAnswer.objects.get(code="G01").evidence_file.name.endswith(".pdf")


def test_council_members_and_meetings(town, users):
    actor = users["city_coordinator"]
    council = services.council_save(
        municipality=town,
        values={"chair_name": "Ержан Сейтқали", "chair_role": "deputy_akim", "tor_functions": "F"},
        actor=actor,
    )
    member = services.member_save(
        municipality=town,
        values={"name": "Айгуль", "organisation": "НПО", "council_role": "member"},
        actor=actor,
    )
    assert member.status == "invited" and member.invited_on is not None
    member = services.member_save(
        municipality=town, values={"status": "approved"}, actor=actor, member=member
    )
    assert member.approved_on is not None and member.council == council
    with pytest.raises(services.Rejected):
        services.council_save(
            municipality=town,
            values={},
            actor=actor,
            tor_document=SimpleUploadedFile("tor.bat", b"x"),
        )
    assert AuditEvent.objects.filter(action="governance.member_save").exists()


def test_demo_populate_is_idempotent_and_shows_both_stages(town):
    from meirim.geography.models import Municipality
    from meirim.governance.demo import demo_populate

    pavlodar = Municipality.objects.get(code="KZ-PAV-PAVLODAR")
    for _ in range(2):
        demo_populate(town, complete=False)
        demo_populate(pavlodar, complete=True)
    council = selectors.council_get(town)
    assert council is not None and council.chair_role == "deputy_akim"
    members = list(council.members.all())
    assert 6 <= len(members) <= 8 and sum(m.status == "approved" for m in members) >= 5
    assert len(council.meetings.all()) == 2
    kokshetau = selectors.round_get(town, 2026)
    summary = selectors.round_summary(kokshetau, selectors.catalogue_version())
    assert 25 <= 61 - summary["unanswered"] <= 35 and summary["planned"] and summary["no"]
    assert kokshetau.participants.count() == 3
    closed = selectors.round_get(pavlodar, 2025)
    assert closed.state == "closed" and closed.agreed_assessment and closed.rights_summary
    assert not selectors.unanswered_catalogue_codes(closed, selectors.catalogue_version())
    later = selectors.round_get(pavlodar, 2026)
    assert later.state == "open"
    rows = [
        r for s in selectors.round_sections(later, selectors.catalogue_version()) for r in s.rows
    ]
    assert any(r.changed and r.value for r in rows)
    assert selectors.governance_gaps(pavlodar)
