"""The city's Phase 2 services: the expression of interest and its refusals, the index
section's trend and states, the portfolio's submission guards, the frozen snapshot, the
diff between portfolios and the readiness rules."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from meirim.accounts.models import Role
from meirim.catalogue.models import Indicator
from meirim.catalogue.selectors import published_version
from meirim.common.models import AuditEvent
from meirim.common.workflow import NotAllowed
from meirim.data.models import Observation
from meirim.facilities.models import Facility
from meirim.geography.models import Municipality
from meirim.recognition import applications, diff, readiness
from meirim.recognition.index_section import index_section, trend
from meirim.recognition.models import (
    Application,
    Cycle,
    PortfolioSnapshot,
    RecognitionPortfolio,
)
from tests.factories import user_with_role
from tests.recognition.factories import (
    ALL_COMMITMENTS,
    TOWN,
    application_make,
    cycle_make,
    group_make,
    phase1_feedback_received,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def town(geography, catalogue):
    return Municipality.objects.get(code=TOWN)


def _eoi(cycle, town, actor, **overrides):
    values = {
        "cycle": cycle,
        "municipality": town,
        "commitments": list(ALL_COMMITMENTS),
        "signatory_name": "Akim",
        "signed_on": today(),
        "actor": actor,
    }
    values.update(overrides)
    return applications.eoi_submit(**values)


def fill_indicators(town, year, *, status="reported", value="10", only=None):
    version = published_version()
    codes = only or list(Indicator.objects.filter(version=version).values_list("code", flat=True))
    for code in codes:
        Observation.objects.update_or_create(
            version=version,
            municipality=town,
            code=code,
            year=year,
            sex="",
            age_band="",
            disability="",
            district="",
            defaults={
                "status": status,
                "value": Decimal(value) if status == "reported" else None,
            },
        )


# --- Expression of interest -----------------------------------------------------------------


def test_an_expression_of_interest_creates_the_application(
    town, users, django_capture_on_commit_callbacks
):
    phase1_feedback_received(town)
    cycle = cycle_make()
    council = users[Role.NATIONAL_COUNCIL]
    council.email = "council@example.org"
    council.save()
    with django_capture_on_commit_callbacks(execute=True):
        application = _eoi(
            cycle, town, users[Role.CITY_COORDINATOR], signatory_position="Akim of Kokshetau"
        )
    assert application.state == Application.State.EOI_SUBMITTED
    assert application.commitments == ALL_COMMITMENTS
    assert RecognitionPortfolio.objects.filter(application=application).exists()
    event = AuditEvent.objects.get(action="recognition.eoi_submit")
    assert event.changes["signatory"] == "Akim"
    assert [m.to for m in mail.outbox] == [["council@example.org"]]
    assert f"/applications/{application.pk}/" in mail.outbox[0].body


def test_refused_when_the_call_is_not_open(town, users):
    phase1_feedback_received(town)
    cycle = cycle_make(state=Cycle.State.APPLICATIONS_CLOSED)
    with pytest.raises(NotAllowed) as refused:
        _eoi(cycle, town, users[Role.CITY_COORDINATOR])
    assert "not open" in refused.value.reasons[0]


def test_refused_after_the_deadline_stating_it(town, users):
    phase1_feedback_received(town)
    deadline = today() - datetime.timedelta(days=1)
    cycle = cycle_make(eoi_deadline=deadline)
    with pytest.raises(NotAllowed) as refused:
        _eoi(cycle, town, users[Role.CITY_COORDINATOR])
    from django.utils.formats import date_format

    assert date_format(deadline, "DATE_FORMAT") in refused.value.reasons[0]
    assert not Application.objects.exists()


def test_on_the_deadline_day_it_is_still_in_time(town, users):
    phase1_feedback_received(town)
    cycle = cycle_make(eoi_deadline=today())
    assert _eoi(cycle, town, users[Role.CITY_COORDINATOR]).pk


def test_refused_before_phase1_feedback(town, users):
    cycle = cycle_make()
    with pytest.raises(NotAllowed) as refused:
        _eoi(cycle, town, users[Role.CITY_COORDINATOR])
    assert "Phase 1" in refused.value.reasons[0]


def test_refused_when_already_applied(town, users):
    phase1_feedback_received(town)
    cycle = cycle_make()
    _eoi(cycle, town, users[Role.CITY_COORDINATOR])
    with pytest.raises(NotAllowed) as refused:
        _eoi(cycle, town, users[Role.CITY_COORDINATOR])
    assert "already applied" in refused.value.reasons[0]


def test_a_missing_commitment_is_named(town, users):
    phase1_feedback_received(town)
    cycle = cycle_make()
    given = [c for c in ALL_COMMITMENTS if c != "A3"] + ["A9"]
    with pytest.raises(applications.EoiInvalid) as invalid:
        _eoi(cycle, town, users[Role.CITY_COORDINATOR], commitments=given)
    assert invalid.value.missing == ["A3"]
    assert invalid.value.unknown == ["A9"]
    assert "A3" in invalid.value.errors["commitments"][0]


def test_signed_on_in_the_future_and_bad_scan_are_refused(town, users):
    phase1_feedback_received(town)
    cycle = cycle_make()
    with pytest.raises(applications.EoiInvalid) as invalid:
        _eoi(
            cycle,
            town,
            users[Role.CITY_COORDINATOR],
            signed_on=today() + datetime.timedelta(days=1),
            signatory_name=" ",
            scan=SimpleUploadedFile("scan.exe", b"MZ"),
        )
    assert set(invalid.value.errors) == {"signed_on", "signatory", "signed_scan"}


# --- The index section ----------------------------------------------------------------------


def _indicator(direction):
    return (
        Indicator.objects.filter(version=published_version(), direction=direction)
        .order_by("code")
        .first()
    )


def test_trend_follows_the_indicators_direction():
    assert trend(1, Decimal(1), Decimal(2)) == "improved"
    assert trend(1, Decimal(2), Decimal(1)) == "worse"
    assert trend(-1, Decimal(2), Decimal(1)) == "improved"
    assert trend(-1, Decimal(1), Decimal(2)) == "worse"
    assert trend(-1, Decimal(1), Decimal(1)) == "no_change"
    assert trend(0, Decimal(1), Decimal(2)) == "unknown"
    assert trend(1, None, Decimal(2)) == "unknown"


def test_index_section_baseline_latest_trend_and_state(town):
    higher, lower = _indicator(1), _indicator(-1)
    fill_indicators(town, 2023, value="10", only=[higher.code, lower.code])
    fill_indicators(town, 2025, value="20", only=[higher.code, lower.code])
    others = list(
        Indicator.objects.filter(version=published_version())
        .exclude(code__in=[higher.code, lower.code])
        .values_list("code", flat=True)
    )
    fill_indicators(town, 2025, status="no_data", only=others[:1])
    fill_indicators(town, 2025, status="outside_competence", only=others[1:2])
    section = index_section(town)
    rows = {row.code: row for row in section.rows}
    assert (section.baseline_year, section.latest_year) == (2023, 2025)
    assert len(section.rows) == Indicator.objects.filter(version=published_version()).count()
    assert rows[higher.code].baseline == "10" and rows[higher.code].latest == "20"
    assert rows[higher.code].trend == "improved"
    assert rows[lower.code].trend == "worse"
    assert rows[others[0]].state == "no_data"
    assert rows[others[1]].state == "outside_competence"
    assert rows[others[2]].state == "missing"
    assert others[2] in section.missing_codes
    assert others[0] not in section.missing_codes


# --- Submission -----------------------------------------------------------------------------


def _ready(town, users):
    """An application whose portfolio may be submitted."""
    phase1_feedback_received(town)
    cycle = cycle_make()
    application = _eoi(cycle, town, users[Role.CITY_COORDINATOR])
    fill_indicators(town, 2025)
    applications.portfolio_texts_save(
        application=application,
        texts={"introduction": "Kokshetau works for its children."},
        actor=users[Role.CITY_COORDINATOR],
    )
    applications.evidence_save(
        application=application,
        statements={"K1": "Evidence one.", "K2": "Evidence two."},
        actor=users[Role.DEPARTMENT_HEAD],
    )
    group_make(town, kind="young_person")
    return application


def test_submission_lists_exactly_what_is_missing(town, users):
    phase1_feedback_received(town)
    cycle = cycle_make()
    application = _eoi(cycle, town, users[Role.CITY_COORDINATOR])
    codes = list(
        Indicator.objects.filter(version=published_version())
        .order_by("order", "code")
        .values_list("code", flat=True)
    )
    fill_indicators(town, 2025, only=codes[2:])
    applications.evidence_save(
        application=application, statements={"K1": "Yes."}, actor=users[Role.CITY_COORDINATOR]
    )
    group_make(town, kind="adult")
    with pytest.raises(NotAllowed) as refused:
        applications.portfolio_submit(application=application, actor=users[Role.CITY_COORDINATOR])
    text = " | ".join(refused.value.reasons)
    assert f"{codes[0]}, {codes[1]}." in text
    assert codes[2] not in text
    assert "introduction" in text
    assert "K2" in text and "K1" not in text
    assert "child or young person" in text
    assert "deadline" not in text
    application.refresh_from_db()
    assert application.state == Application.State.EOI_SUBMITTED
    assert not PortfolioSnapshot.objects.exists()


def test_submission_refused_after_the_portfolio_deadline(town, users):
    application = _ready(town, users)
    deadline = today() - datetime.timedelta(days=1)
    Cycle.objects.filter(pk=application.cycle_id).update(portfolio_deadline=deadline)
    application.refresh_from_db()
    with pytest.raises(NotAllowed) as refused:
        applications.portfolio_submit(application=application, actor=users[Role.CITY_COORDINATOR])
    from django.utils.formats import date_format

    assert date_format(deadline, "DATE_FORMAT") in refused.value.reasons[0]


def test_only_the_coordinator_submits(town, users):
    application = _ready(town, users)
    with pytest.raises(NotAllowed):
        applications.portfolio_submit(application=application, actor=users[Role.DEPARTMENT_HEAD])


def test_submission_freezes_the_portfolio_and_later_edits_never_change_it(
    town, users, django_capture_on_commit_callbacks
):
    application = _ready(town, users)
    member = user_with_role(
        Role.COMMUNITY_GROUP, "young-member", municipality=TOWN, email="member@example.org"
    )
    group_make(town, user=member, kind="child")
    council = users[Role.NATIONAL_COUNCIL]
    council.email = "council@example.org"
    council.save()
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = applications.portfolio_submit(
            application=application, actor=users[Role.CITY_COORDINATOR]
        )
    application.refresh_from_db()
    assert application.state == Application.State.PORTFOLIO_SUBMITTED
    assert application.portfolio_submitted_at is not None
    content = snapshot.content
    assert content["schema"] == 1
    assert content["introduction"] == "Kokshetau works for its children."
    assert [c["statement"] for c in content["criteria"]] == ["Evidence one.", "Evidence two."]
    assert all(row["state"] == "reported" for row in content["index"]["indicators"])
    frozen = dict(content)
    # Later changes to the live rows and data never reach the frozen copy.
    RecognitionPortfolio.objects.filter(application=application).update(introduction="Changed")
    Observation.objects.filter(municipality=town).update(value=Decimal("99"))
    Facility.objects.create(
        municipality=town, name="New park", kind="park", availability="available",
        audited_on=today(),
    )  # fmt: skip
    with pytest.raises(NotAllowed):
        applications.evidence_save(
            application=application, statements={"K1": "Edited"}, actor=users[Role.CITY_COORDINATOR]
        )
    snapshot.refresh_from_db()
    assert snapshot.content == frozen
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["council@example.org", "member@example.org"]
    group_mail = next(m for m in mail.outbox if m.to == ["member@example.org"])
    assert "Evidence one" not in group_mail.body


def test_withdraw(town, users):
    application = _ready(town, users)
    applications.application_withdraw(application=application, actor=users[Role.CITY_COORDINATOR])
    assert application.state == Application.State.WITHDRAWN
    assert applications.status_of(application) == "PHASE1_FEEDBACK_RECEIVED"


def test_status_names(town, users):
    cycle = cycle_make()
    application = application_make(cycle, town)
    assert applications.status_of(application) == "EOI_SUBMITTED"
    application.state = Application.State.PORTFOLIO_SUBMITTED
    assert applications.status_of(application) == "PORTFOLIO_SUBMITTED"
    application.community_report_received_at = timezone.now()
    assert applications.status_of(application) == "COMMUNITY_REPORT_RECEIVED"
    application.state = Application.State.UNDER_REVIEW
    assert applications.status_of(application) == "UNDER_REVIEW"


# --- What changed ---------------------------------------------------------------------------


def test_diff_names_each_changed_section_indicator_and_criterion():
    before = {
        "introduction": "Old",
        "index": {
            "commentary": "",
            "indicators": [
                {"code": "I01", "latest": "1", "state": "reported", "trend": "improved"},
                {"code": "I02", "latest": None, "state": "missing", "trend": "unknown"},
            ],
        },
        "criteria": [{"code": "K1", "statement": "A"}, {"code": "K2", "statement": "B"}],
    }
    after = {
        "introduction": "New",
        "index": {
            "commentary": "",
            "indicators": [
                {"code": "I01", "latest": "1", "state": "reported", "trend": "improved"},
                {"code": "I02", "latest": "5", "state": "reported", "trend": "unknown"},
            ],
        },
        "criteria": [{"code": "K1", "statement": "A"}, {"code": "K3", "statement": "C"}],
    }
    changes = diff.portfolio_diff(before, after)
    keys = {(c["section"], c["key"]) for c in changes}
    assert keys == {
        ("introduction", "introduction"),
        ("index", "I02"),
        ("criteria", "K2"),
        ("criteria", "K3"),
    }
    i02 = next(c for c in changes if c["key"] == "I02")
    assert i02["before"]["state"] == "missing" and i02["after"]["latest"] == "5"
    assert next(c for c in changes if c["key"] == "K2")["after"] is None
    assert diff.portfolio_diff(after, after) == []


def test_previous_snapshot_of_an_earlier_cycle(town, users):
    earlier = cycle_make(starts_on=today() - datetime.timedelta(days=800))
    old = application_make(earlier, town, state=Application.State.DECIDED)
    PortfolioSnapshot.objects.create(
        application=old, number=1, content={"introduction": "Old"}, submitted_at=timezone.now()
    )
    application = _ready(town, users)
    snapshot = applications.portfolio_submit(
        application=application, actor=users[Role.CITY_COORDINATOR]
    )
    previous = applications.previous_snapshot(snapshot)
    assert previous is not None and previous.application == old


# --- Readiness ------------------------------------------------------------------------------


def test_readiness_rule():
    full = readiness.Source("indicators", 2, 2, "", "")
    part = readiness.Source("indicators", 1, 2, "", "")
    none = readiness.Source("indicators", 0, 2, "", "")
    assert readiness.level_of(True, 0, [full]) == readiness.EXISTS
    assert readiness.level_of(True, 0, []) == readiness.EXISTS
    assert readiness.level_of(True, 0, [part]) == readiness.WEAK
    assert readiness.level_of(False, 0, [full]) == readiness.WEAK
    assert readiness.level_of(False, 1, [none]) == readiness.WEAK
    assert readiness.level_of(False, 0, [none]) == readiness.MISSING
    assert readiness.level_of(False, 0, []) == readiness.MISSING


def test_readiness_of_an_application(town, users):
    phase1_feedback_received(town)
    cycle = cycle_make()
    application = _eoi(cycle, town, users[Role.CITY_COORDINATOR])
    meter = readiness.readiness(application)
    levels = {row.criterion.code: row.level for row in meter.criteria}
    assert levels == {"K1": "missing", "K2": "missing"}
    assert meter.indicators_stated == 0 and meter.indicators_total > 0
    # K1 rests on I01 and I02: one reported and a statement → weak; both → exists.
    fill_indicators(town, 2025, only=["I01"])
    applications.evidence_save(
        application=application, statements={"K1": "Our evidence."}, actor=users["city_coordinator"]
    )
    row = next(r for r in readiness.readiness(application).criteria if r.criterion.code == "K1")
    assert row.level == "weak"
    assert row.sources[0].missing == ["I02"]
    assert "/data/" in row.sources[0].link
    fill_indicators(town, 2025, only=["I02"])
    row = next(r for r in readiness.readiness(application).criteria if r.criterion.code == "K1")
    assert row.level == "exists"


def test_readiness_of_governance_facilities_and_strategy_sources(town, users):
    from meirim.catalogue.models import GovernanceQuestion
    from meirim.governance.models import AssessmentRound, GovernanceAnswer
    from meirim.planning.models import Action
    from meirim.recognition.models import Criterion

    phase1_feedback_received(town)
    cycle = cycle_make(criteria=0)
    Criterion.objects.create(
        cycle=cycle, code="K9", name_en="Governance and impact",
        governance_questions=["G01", "G02"], uses_facilities=True, uses_strategy_impact=True,
    )  # fmt: skip
    application = _eoi(cycle, town, users[Role.CITY_COORDINATOR])
    applications.evidence_save(
        application=application, statements={"K9": "Stated."}, actor=users["city_coordinator"]
    )
    row = readiness.readiness(application).criteria[0]
    assert row.level == "weak"
    assert {s.kind: s.satisfied for s in row.sources} == {
        "governance": False, "facilities": False, "strategy_impact": False,
    }  # fmt: skip
    # An open round does not count; the latest closed one does.
    closed = AssessmentRound.objects.create(municipality=town, year=2025, state="closed")
    for code, answer in (("G01", "yes"), ("G02", "no")):
        question = GovernanceQuestion.objects.get(version=published_version(), code=code)
        GovernanceAnswer.objects.create(round=closed, question=question, code=code, answer=answer)
    AssessmentRound.objects.create(municipality=town, year=2026, state="open")
    Facility.objects.create(
        municipality=town, name="School 5", kind="school", availability="available",
        audited_on=today(), children_rating=4,
    )  # fmt: skip
    Action.objects.create(
        municipality=town, code="A-1", title="Safe routes", status="done",
        impact_children_feedback="We walk to school safely now.",
    )  # fmt: skip
    row = readiness.readiness(application).criteria[0]
    assert {s.kind: s.satisfied for s in row.sources} == {
        "governance": True, "facilities": True, "strategy_impact": True,
    }  # fmt: skip
    assert row.level == "exists"
