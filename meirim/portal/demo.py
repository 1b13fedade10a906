"""Demo set-up: the catalogue, the municipalities, one user per role. Safe to run again."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from meirim.accounts.models import Role, User
from meirim.accounts.services import role_assign, user_create
from meirim.geography.models import Municipality, Region
from meirim.portal.bootstrap import CATALOGUE_VERSION, MUNICIPALITIES_FILE, reference_data_load
from meirim.reports.computing import results_compute
from meirim.reports.relative import relative_compute

__all__ = ["CATALOGUE_VERSION", "DEMO_PASSWORD", "DEMO_USERS", "MUNICIPALITIES_FILE", "demo_setup"]
DEMO_PASSWORD = "meirim-demo-2026"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    region: str = ""
    municipality: str = ""


DEMO_USERS = [
    DemoUser("council", "Aigerim Council", Role.NATIONAL_COUNCIL),
    DemoUser("admin", "Daniyar Admin", Role.NATIONAL_ADMIN),
    DemoUser("reviewer", "Saule Reviewer", Role.REVIEWER),
    DemoUser("region", "Yerlan Region", Role.REGION_OFFICER, region="KZ-AKM"),
    DemoUser(
        "coordinator", "Gulnara Coordinator", Role.CITY_COORDINATOR, municipality="KZ-AKM-KOKSHETAU"
    ),
    DemoUser(
        "department", "Marat Department", Role.DEPARTMENT_HEAD, municipality="KZ-AKM-KOKSHETAU"
    ),
    DemoUser(
        "community", "Aruzhan Community", Role.COMMUNITY_GROUP, municipality="KZ-AKM-KOKSHETAU"
    ),
    # Receives the safeguarding concerns raised on Kokshetau's children's suggestions.
    DemoUser(
        "protection", "Zhanar Protection", Role.PROTECTION_OFFICER, municipality="KZ-AKM-KOKSHETAU"
    ),
    DemoUser("pavlodar", "Asel Pavlodar", Role.CITY_COORDINATOR, municipality="KZ-PAV-PAVLODAR"),
    # A young member (19) of Pavlodar's community group, who writes its confidential report.
    DemoUser("youth", "Alikhan Youth", Role.COMMUNITY_GROUP, municipality="KZ-PAV-PAVLODAR"),
]

# Phase 1 at three stages: Kokshetau mid-preparation, Pavlodar's portfolio submitted with the
# national council's feedback, and every other city not started.
PHASE1_DEMO = (("KZ-AKM-KOKSHETAU", False), ("KZ-PAV-PAVLODAR", True))


def demo_setup() -> list[DemoUser]:
    with transaction.atomic():
        version = reference_data_load()
        for demo in DEMO_USERS:
            user = User.objects.filter(username=demo.username).first()
            if user is None:
                user = user_create(
                    username=demo.username,
                    password=DEMO_PASSWORD,
                    email=f"{demo.username}@example.org",
                    full_name=demo.full_name,
                    actor=None,
                )
            role_assign(
                user=user,
                role=demo.role,
                actor=None,
                region=Region.objects.get(code=demo.region) if demo.region else None,
                municipality=(
                    Municipality.objects.get(code=demo.municipality) if demo.municipality else None
                ),
            )
        # Imported after the catalogue exists: it goes through the data import service.
        from meirim.data.services.scoring import goalposts_from_national_data
        from meirim.portal.demo_data import DEMO_YEARS, demo_observations_load

        demo_observations_load(version=version, actor=None)
        # The council's initial goalposts, from the demonstration data. The version was
        # published above, so this set-up step (and only such a step) passes
        # allow_published; the audit row records it.
        goalposts_from_national_data(
            version=version, years=DEMO_YEARS, actor=None, allow_published=True
        )
    # The demo opens with its results in place (the worker would compute them shortly).
    results_compute(version)
    relative_compute(version)
    phase1_demo_load()
    from meirim.voice.demo import demo_populate as voice_demo

    voice_demo()
    # Phase 2 after Phase 1: its applications need the cities' preparatory portfolios.
    from meirim.recognition.demo import demo_populate as recognition_demo

    recognition_demo()
    from meirim.surveys.demo import demo_populate as surveys_demo

    surveys_demo()
    from meirim.opendata.demo import demo_populate as opendata_demo  # the downloads, ready

    opendata_demo()
    return DEMO_USERS


def phase1_demo_load() -> None:
    """Each Phase 1 workspace's demonstration content; the portfolio last, as it is assembled
    from the others (and submitted only when their steps are complete). Safe to run again."""
    from meirim.budget.demo import demo_populate as budget
    from meirim.facilities.demo import demo_populate as facilities
    from meirim.governance.demo import demo_populate as governance
    from meirim.participation.demo import demo_populate as participation
    from meirim.planning.demo import demo_populate as planning
    from meirim.portfolio.demo import demo_populate as portfolio

    for code, complete in PHASE1_DEMO:
        municipality = Municipality.objects.get(code=code)
        for populate in (governance, facilities, planning, participation, budget, portfolio):
            with transaction.atomic():
                populate(municipality, complete=complete)
