"""Services of the review part: the group's members, the report, reviewers, conflicts,
scores, the decision's guards, expiry dates, superseding and re-assessment outcomes."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from meirim.accounts.models import Role
from meirim.common.models import AuditEvent
from meirim.common.workflow import NotAllowed
from meirim.geography.models import Municipality
from meirim.recognition import confidential, decisions, groups, reviews
from meirim.recognition.dates import add_months
from meirim.recognition.models import (
    Application,
    CommunityGroupMember,
    Cycle,
    Level,
    Recognition,
    ReviewAssignment,
)
from meirim.recognition.review_flow import Invalid
from tests.factories import role_give, user_with_role
from tests.recognition.factories import TOWN, application_make, cycle_make, group_make
from tests.recognition.test_review_setup import (
    MARKER,
    group_member_make,
    report_send,
    submitted_application,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def town(geography):
    return Municipality.objects.get(code=TOWN)


def _today():
    return timezone.localdate()


# --- The group ------------------------------------------------------------------------------


def test_city_staff_cannot_join_the_group(town, users):
    groups.group_save(municipality=town, formed_on=_today(), actor=users["city_coordinator"])
    staff = users["department_head"]
    role_give(staff, Role.COMMUNITY_GROUP, municipality=town)
    with pytest.raises(NotAllowed) as refused:
        groups.member_save(
            municipality=town,
            values={"name": "A", "kind": "adult"},
            username=staff.username,
            actor=users["city_coordinator"],
        )
    assert "city-administration staff" in refused.value.reasons[0]
    assert not CommunityGroupMember.objects.exists()


def test_a_linked_account_must_hold_the_group_role(town, users):
    groups.group_save(municipality=town, formed_on=_today(), actor=users["national_council"])
    with pytest.raises(NotAllowed) as refused:
        groups.member_save(
            municipality=town,
            values={"name": "A", "kind": "child"},
            username=users["no_role"].username,
            actor=users["national_council"],
        )
    assert "does not hold the community group member role" in refused.value.reasons[0]
    assert not groups.has_young_member(town)
    member = groups.member_save(
        municipality=town,
        values={"name": "Dana", "kind": "child", "age_band": ""},
        username=users["community_group"].username,
        actor=users["national_council"],
    )
    assert member.user == users["community_group"]
    assert groups.has_young_member(town)
    # No name of a child in the audit row.
    row = AuditEvent.objects.get(action="recognition.group.member_save")
    assert "Dana" not in str(row.changes) and "Dana" not in row.object_label


def test_the_group_endorses_published_criteria(town, users):
    cycle = cycle_make()
    with pytest.raises(NotAllowed):
        groups.criteria_endorse(municipality=town, cycle=cycle, actor=users["city_coordinator"])
    groups.group_save(municipality=town, formed_on=_today(), actor=users["city_coordinator"])
    group = groups.criteria_endorse(municipality=town, cycle=cycle, actor=users["city_coordinator"])
    assert group.criteria_endorsed_at is not None


# --- Confidentiality ----------------------------------------------------------------------


def test_who_may_read_the_report(town, users):
    application = submitted_application()
    group_make(TOWN, user=users["community_group"])
    assert confidential.may_read(users["national_council"], application)
    assert confidential.may_read(users["community_group"], application)
    for key in ("national_admin", "reviewer", "region_officer", "city_coordinator",
                "department_head", "no_role"):  # fmt: skip
        assert not confidential.may_read(users[key], application), key
    # A group member who is also city staff loses the right.
    role_give(users["community_group"], Role.CITY_COORDINATOR, municipality=town)
    users["community_group"]._meirim_roles = None
    assert not confidential.may_read(users["community_group"], application)
    # A member of another city's group may not read this one.
    far = group_member_make("far-member", "KZ-PAV-PAVLODAR")
    assert not confidential.may_read(far, application)


def test_sending_the_report_tells_council_and_city_without_content(
    town, users, django_capture_on_commit_callbacks, settings
):
    settings.LANGUAGE_CODE = "en"
    application = submitted_application()
    users["national_council"].email = "council@example.org"
    users["national_council"].save()
    users["city_coordinator"].email = "coordinator@example.org"
    users["city_coordinator"].save()
    group_make(TOWN, user=users["community_group"])
    with pytest.raises(NotAllowed):
        report_send(application, users["city_coordinator"])
    draft = report_send(application, users["community_group"], send=False)
    application.refresh_from_db()
    assert draft.submitted_at is None and application.community_report_received_at is None
    assert confidential.report_for(users["national_council"], application) is None
    with django_capture_on_commit_callbacks(execute=True):
        report = report_send(application, users["community_group"])
    application.refresh_from_db()
    assert application.community_report_received_at == report.submitted_at
    with pytest.raises(NotAllowed) as refused:
        report_send(application, users["community_group"])
    assert "can no longer be changed" in refused.value.reasons[0]
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "review" in by_address["council@example.org"].body
    assert "received the community group's report" in by_address["coordinator@example.org"].body
    for message in mail.outbox:
        assert MARKER not in message.subject + message.body
    rows = AuditEvent.objects.filter(action__startswith="recognition.community_report")
    assert rows.count() == 2 and all(row.changes == {} for row in rows)
    assert confidential.report_for(users["national_council"], application) == report
    assert AuditEvent.objects.filter(
        action=confidential.READ_ACTION, actor=users["national_council"], changes={}
    ).exists()


# --- Reviewers, conflicts, scores --------------------------------------------------------


def test_the_first_reviewer_starts_the_review(users):
    application = submitted_application()
    with pytest.raises(NotAllowed):
        reviews.reviewer_assign(
            application=application, username="norole", actor=users["national_council"]
        )
    reviews.reviewer_assign(
        application=application, username="reviewer", actor=users["national_council"]
    )
    application.refresh_from_db()
    assert application.state == Application.State.UNDER_REVIEW
    reviews.reviewer_assign(
        application=application, username="national_council", actor=users["national_council"]
    )
    assert application.review_assignments.count() == 2


def test_a_declared_conflict_blocks_scoring_and_scores_are_checked(users):
    application = submitted_application()
    assignment = reviews.reviewer_assign(
        application=application, username="reviewer", actor=users["national_council"]
    )
    good = [reviews.ScoreIn("K1", 3, "Solid", "Annex 2")]
    with pytest.raises(NotAllowed) as refused:
        reviews.scores_save(assignment=assignment, scores=good, actor=users["reviewer"])
    assert "Declare first" in refused.value.reasons[0]
    with pytest.raises(NotAllowed):
        reviews.conflict_declare(
            assignment=assignment, conflict=True, note="", actor=users["reviewer"]
        )
    reviews.conflict_declare(
        assignment=assignment, conflict=True, note="My sister works there", actor=users["reviewer"]
    )
    with pytest.raises(NotAllowed) as refused:
        reviews.scores_save(assignment=assignment, scores=good, actor=users["reviewer"])
    assert "blocked" in refused.value.reasons[0]
    reviews.conflict_declare(
        assignment=assignment, conflict=False, note="", actor=users["reviewer"]
    )
    for bad in (
        reviews.ScoreIn("K1", 5, "Too high"),
        reviews.ScoreIn("K1", -1, "Too low"),
        reviews.ScoreIn("K1", 2, "  "),
        reviews.ScoreIn("K9", 2, "Unknown"),
    ):
        with pytest.raises(Invalid):
            reviews.scores_save(assignment=assignment, scores=[bad], actor=users["reviewer"])
    saved = reviews.scores_save(assignment=assignment, scores=good, actor=users["reviewer"])
    assert saved[0].score == 3 and saved[0].evidence_cited == "Annex 2"


def test_disagreement_mean_and_rubric(users):
    application = submitted_application(disagreement_points=2)
    second = user_with_role(Role.REVIEWER, "second-reviewer")
    blocked = user_with_role(Role.REVIEWER, "blocked-reviewer")
    for username, k1, k2 in (("reviewer", 4, 2), ("second-reviewer", 1, 2)):
        assignment = reviews.reviewer_assign(
            application=application, username=username, actor=users["national_council"]
        )
        actor = users["reviewer"] if username == "reviewer" else second
        reviews.conflict_declare(assignment=assignment, conflict=False, note="", actor=actor)
        reviews.scores_save(
            assignment=assignment,
            scores=[reviews.ScoreIn("K1", k1, "c"), reviews.ScoreIn("K2", k2, "c")],
            actor=actor,
        )
    assignment = reviews.reviewer_assign(
        application=application, username="blocked-reviewer", actor=users["national_council"]
    )
    reviews.conflict_declare(assignment=assignment, conflict=True, note="x", actor=blocked)
    rows = {row.criterion.code: row for row in decisions.score_table(application)}
    assert rows["K1"].mean == 2.5 and rows["K1"].disagreement
    assert rows["K2"].mean == 2 and not rows["K2"].disagreement
    # (2.5/4 + 2/4) / 2 = 56.25 %: Level 1 from 50, Level 2 from 75.
    assert decisions.rubric_recommendation(application.cycle, {"K1": 2.5, "K2": 2}) == (
        56.2,
        "L1",
    )
    assert decisions.rubric_recommendation(application.cycle, {"K1": 4, "K2": 3})[1] == "L2"
    assert decisions.rubric_recommendation(application.cycle, {"K1": 1, "K2": 1})[1] == "none"
    assert decisions.rubric_recommendation(application.cycle, {}) is None


# --- Decisions ----------------------------------------------------------------------------


def test_decide_waits_for_the_group_and_states_until_when(users):
    application = submitted_application()  # report deadline 160 days ahead
    with pytest.raises(NotAllowed) as refused:
        decisions.decide(
            application=application, level="L1", reasons="Good", actor=users["national_council"]
        )
    deadline = application.cycle.community_report_deadline
    assert str(deadline.year) in refused.value.reasons[0]
    with pytest.raises(Invalid):
        decisions.decide(
            application=application, level="L3", reasons="", actor=users["national_council"]
        )
    # The review period (30 days from submission) ended and the cycle's deadline passed.
    past = _today() - datetime.timedelta(days=1)
    late = submitted_application("KZ-PAV-PAVLODAR", days_ago=40, community_report_deadline=past)
    decision = decisions.decide(
        application=late, level="none", reasons="Not yet", actor=users["national_council"]
    )
    assert decision.level == Level.NONE and not Recognition.objects.exists()


def test_the_minimum_review_period_counts_even_after_the_cycle_deadline(users):
    past = _today() - datetime.timedelta(days=1)
    application = submitted_application(days_ago=10, community_report_deadline=past)
    assert decisions.group_deadline(application) == _today() + datetime.timedelta(days=20)
    with pytest.raises(NotAllowed):
        decisions.decide(
            application=application, level="L1", reasons="x", actor=users["national_council"]
        )


def test_wrong_state_is_refused(users):
    cycle = cycle_make(Cycle.State.APPLICATIONS_CLOSED)
    application = application_make(cycle, TOWN, Application.State.EOI_SUBMITTED)
    application.community_report_received_at = timezone.now()
    application.save()
    with pytest.raises(NotAllowed) as refused:
        decisions.decide(
            application=application, level="L1", reasons="x", actor=users["national_council"]
        )
    assert "Expression of interest submitted" in refused.value.reasons[0]


def _received(application):
    application.community_report_received_at = timezone.now()
    application.save()
    return application


@pytest.mark.parametrize(
    ("level", "fields", "months"),
    [
        ("L1", {}, 24),
        ("L2", {}, 48),
        ("L2", {"level2_months": 60}, 48),
        ("L1", {"level1_months": 12}, 12),
    ],
)
def test_expiry_dates(users, level, fields, months):
    application = _received(submitted_application(**fields))
    decision = decisions.decide(
        application=application,
        level=level,
        reasons="Evidence",
        criterion_reasons={"K1": "Well evidenced"},
        actor=users["national_council"],
    )
    recognition = decision.recognition
    assert recognition.granted_on == decision.decided_on == _today()
    assert recognition.expires_on == add_months(_today(), months)
    assert decision.criterion_reasons.get().reason == "Well evidenced"
    application.refresh_from_db()
    assert application.state == Application.State.DECIDED


@pytest.mark.parametrize(
    ("previous", "level", "outcome", "superseded"),
    [
        ("L2", "L2", "Level 2 retained", True),
        ("L2", "L1", "Level 1", True),
        ("L2", "none", "No further recognition", False),
        (None, "L1", "Level 1", False),
    ],
)
def test_reassessment_supersedes_and_names_the_outcome(
    users, town, previous, level, outcome, superseded
):
    old_cycle = cycle_make(Cycle.State.CLOSED, name="2024–2026")
    held = None
    if previous:
        held = Recognition.objects.create(
            municipality=town,
            cycle=old_cycle,
            level=previous,
            granted_on=_today() - datetime.timedelta(days=700),
            expires_on=_today() + datetime.timedelta(days=700),
        )
    application = _received(submitted_application())
    decision = decisions.decide(
        application=application, level=level, reasons="r", actor=users["national_council"]
    )
    assert decision.previous_level == (previous or "")
    assert decisions.outcome(decision) == outcome
    if held is not None:
        held.refresh_from_db()
        assert (held.end_reason == Recognition.End.SUPERSEDED) is superseded
        assert held.ended_on == (_today() if superseded else None)
    current = decisions.current_recognition(town)
    expected = level if level != "none" else previous
    assert (current.level if current else None) == expected


def test_a_blocked_assignment_is_shown_and_another_reviewer_can_be_assigned(users):
    application = submitted_application()
    first = reviews.reviewer_assign(
        application=application, username="reviewer", actor=users["national_council"]
    )
    reviews.conflict_declare(assignment=first, conflict=True, note="x", actor=users["reviewer"])
    reviews.reviewer_assign(
        application=application, username="national_council", actor=users["national_council"]
    )
    conflicts = dict(application.review_assignments.values_list("reviewer__username", "conflict"))
    assert conflicts == {
        "reviewer": ReviewAssignment.Conflict.DECLARED,
        "national_council": ReviewAssignment.Conflict.UNDECLARED,
    }


def test_the_city_hears_the_decision_with_its_dates(
    users, django_capture_on_commit_callbacks, settings
):
    settings.LANGUAGE_CODE = "en"
    users["city_coordinator"].email = "coordinator@example.org"
    users["city_coordinator"].save()
    application = _received(submitted_application())
    with django_capture_on_commit_callbacks(execute=True):
        decision = decisions.decide(
            application=application, level="L2", reasons="r", actor=users["national_council"]
        )
    (message,) = mail.outbox
    assert message.to == ["coordinator@example.org"]
    assert "Level 2" in message.body
    assert str(decision.recognition.expires_on.year) in message.body
