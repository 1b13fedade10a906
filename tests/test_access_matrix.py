"""Who may read or write each page and API endpoint: the whole matrix, role by role.

Every row names an endpoint and the roles allowed; every other role (and the anonymous
public) must be refused: 403/404, or a redirect to the log-in page when not logged in.
"""

from __future__ import annotations

import pytest
from django.test import Client

from meirim.accounts.models import Role
from tests.factories import draft_catalogue

ANONYMOUS = "anonymous"
NO_ROLE = "no_role"
ALL_ROLES = [ANONYMOUS, NO_ROLE, *[role.value for role in Role]]
SIGNED_IN = [role for role in ALL_ROLES if role != ANONYMOUS]
EDITORS = [Role.NATIONAL_COUNCIL.value, Role.NATIONAL_ADMIN.value]
ADMIN = [Role.NATIONAL_ADMIN.value]
COORDINATOR = [Role.CITY_COORDINATOR.value]
DATA_ENTRY = [Role.CITY_COORDINATOR.value, Role.DEPARTMENT_HEAD.value]
# Kokshetau's unapproved data: the city itself, its region officer and the national level.
DRAFT_READERS = [
    Role.NATIONAL_COUNCIL.value,
    Role.NATIONAL_ADMIN.value,
    Role.REVIEWER.value,
    Role.REGION_OFFICER.value,
    *DATA_ENTRY,
]

# (label, method, path, allowed roles). {draft} is a small draft catalogue version that has
# the indicator I01 (tests/catalogue copies and publishes the real catalogue).
MATRIX = [
    ("home", "get", "/en/", ALL_ROLES),
    ("municipality list", "get", "/en/municipalities/", ALL_ROLES),
    ("municipality page", "get", "/en/municipalities/KZ-AKM-KOKSHETAU/", ALL_ROLES),
    ("catalogue versions", "get", "/en/catalogue/", ALL_ROLES),
    ("published catalogue", "get", "/en/catalogue/2026.1/", ALL_ROLES),
    ("indicator", "get", "/en/catalogue/2026.1/indicators/I01/", ALL_ROLES),
    ("baseline figures", "get", "/en/catalogue/2026.1/baseline/", ALL_ROLES),
    ("governance questions", "get", "/en/catalogue/2026.1/governance/", ALL_ROLES),
    ("coded lists", "get", "/en/catalogue/2026.1/lists/", ALL_ROLES),
    ("draft catalogue", "get", "/en/catalogue/{draft}/", EDITORS),
    ("draft indicator", "get", "/en/catalogue/{draft}/indicators/I01/", EDITORS),
    ("copy catalogue", "post", "/en/catalogue/2026.1/copy/", EDITORS),
    ("set target", "post", "/en/catalogue/{draft}/indicators/I01/target/", EDITORS),
    ("publish confirmation", "get", "/en/catalogue/{draft}/publish/", EDITORS),
    ("publish draft", "post", "/en/catalogue/{draft}/publish/", EDITORS),
    ("personal page", "get", "/en/accounts/me/", SIGNED_IN),
    ("password change", "get", "/en/accounts/password/change/", SIGNED_IN),
    ("audit log", "get", "/en/audit/", ADMIN),
    ("django admin", "get", "/en/admin/", ADMIN),
    ("api municipalities", "get", "/api/v1/municipalities", ALL_ROLES),
    ("api municipality", "get", "/api/v1/municipalities/KZ-AKM-KOKSHETAU", ALL_ROLES),
    ("api regions", "get", "/api/v1/regions", ALL_ROLES),
    ("api versions", "get", "/api/v1/catalogue/versions", ALL_ROLES),
    ("api published version", "get", "/api/v1/catalogue/versions/2026.1", ALL_ROLES),
    ("api indicators", "get", "/api/v1/catalogue/versions/2026.1/indicators", ALL_ROLES),
    ("api draft version", "get", "/api/v1/catalogue/versions/{draft}", EDITORS),
    ("api draft indicators", "get", "/api/v1/catalogue/versions/{draft}/indicators", EDITORS),
    ("api openapi", "get", "/api/v1/openapi.json", ALL_ROLES),
    ("results index", "get", "/en/results/", ALL_ROLES),
    ("results method", "get", "/en/results/method/", ALL_ROLES),
    ("municipality results", "get", "/en/results/KZ-AKM-KOKSHETAU/", ALL_ROLES),
    ("compare", "get", "/en/results/compare/?m=KZ-AKM-KOKSHETAU&m=KZ-AST", ALL_ROLES),
    ("indicator results", "get", "/en/results/indicator/I09/", ALL_ROLES),
    ("data overview", "get", "/en/data/", DRAFT_READERS),
    ("data years", "get", "/en/data/KZ-AKM-KOKSHETAU/", DRAFT_READERS),
    ("data entry", "get", "/en/data/KZ-AKM-KOKSHETAU/2025/", DRAFT_READERS),
    ("data entry save", "post", "/en/data/KZ-AKM-KOKSHETAU/2025/", DATA_ENTRY),
    ("approve page", "get", "/en/data/KZ-AKM-KOKSHETAU/2025/approve/", COORDINATOR),
    ("data upload", "get", "/en/data/KZ-AKM-KOKSHETAU/upload/", COORDINATOR),
    ("data template", "get", "/en/data/KZ-AKM-KOKSHETAU/template.csv?year=2025", DATA_ENTRY),
    ("api observations", "get", "/api/v1/observations", ALL_ROLES),
    ("api results", "get", "/api/v1/results/KZ-AKM-KOKSHETAU", ALL_ROLES),
]

POST_DATA = {"code": "2099.1", "target": "5", "confirm": "on"}


def _client_for(role: str, users) -> Client:
    client = Client()
    if role != ANONYMOUS:
        client.force_login(users[role])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(
    ("label", "method", "path", "allowed"), MATRIX, ids=[row[0] for row in MATRIX]
)
def test_access(label, method, path, allowed, role, users, catalogue):
    draft = draft_catalogue(code="2026.2-draft", indicators=("I01",), based_on=catalogue)
    url = path.format(draft=draft.code)
    client = _client_for(role, users)
    response = getattr(client, method)(url, POST_DATA) if method == "post" else client.get(url)
    if role in allowed:
        expected = {"get": {200}, "post": {302}}[method]
        assert response.status_code in expected, (label, role, response.status_code)
        if method == "post":
            assert "/accounts/login/" not in response["Location"]
    elif role == ANONYMOUS and response.status_code == 302:
        assert "login" in response["Location"], (label, response["Location"])
    elif "/admin/" in url:
        # The admin sends signed-in people without the role to its own log-in page.
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    else:
        assert response.status_code in {403, 404}, (label, role, response.status_code)


# --- Another city's objects, by their ids ------------------------------------------------
# Kokshetau's own objects, asked for by Pavlodar's coordinator: with Pavlodar's code in the
# URL (the id belongs to another city) and with Kokshetau's (the city is not theirs). Every
# answer is a refusal, a POST changes nothing, and none shows the object's text.
KOKSHETAU = "KZ-AKM-KOKSHETAU"
PAVLODAR = "KZ-PAV-PAVLODAR"
SECRET = "Kokshetau-only-4417"
CROSS_CITY = [
    ("facility", "/en/preparation/{city}/facilities/{facility}/"),
    ("facility removal", "/en/preparation/{city}/facilities/{facility}/delete/"),
    ("council member", "/en/preparation/{city}/council/members/{member}/"),
    ("action", "/en/preparation/{city}/actions/{action}/"),
    ("budget line", "/en/preparation/{city}/budget/lines/{line}/"),
    ("suggestion", "/en/voice/{city}/moderation/{suggestion}/"),
]


@pytest.fixture
def kokshetau_objects(users):
    from decimal import Decimal

    from meirim.budget.services import budget_line_save
    from meirim.facilities.services import facility_create
    from meirim.geography.models import Municipality
    from meirim.governance.services import member_save
    from meirim.planning.services import action_save, stream_save
    from meirim.voice.services import suggestion_moderate, suggestion_submit

    town = Municipality.objects.get(code=KOKSHETAU)
    actor = users[Role.CITY_COORDINATOR.value]
    facility = facility_create(
        municipality=town,
        values={"name": SECRET, "kind": "play", "availability": "available"},
        actor=actor,
    )
    member = member_save(
        municipality=town,
        values={"name": SECRET, "organisation": "O", "council_role": "member"},
        actor=actor,
    )
    stream_save(municipality=town, code="7.1", title="Leisure", actor=actor)
    action = action_save(
        municipality=town,
        values={"code": "7.1.a", "title": SECRET, "status": "planned"},
        actor=actor,
    )
    line = budget_line_save(
        municipality=town,
        values={
            "year": 2026,
            "department": "Education",
            "title": SECRET,
            "amount": Decimal("1000"),
            "child_share": "direct",
            "share_percent": None,
        },
        actions=[],
        actor=actor,
    )
    suggestion = suggestion_submit(municipality=town, text=f"{SECRET} the swings are broken")
    suggestion = suggestion_moderate(
        suggestion=suggestion, values={"internal_note": SECRET}, actor=actor
    )
    return {
        "facility": facility.pk,
        "member": member.pk,
        "action": action.code,
        "line": line.pk,
        "suggestion": suggestion.pk,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("city", [PAVLODAR, KOKSHETAU])
@pytest.mark.parametrize(("label", "path"), CROSS_CITY, ids=[row[0] for row in CROSS_CITY])
def test_another_citys_objects_are_out_of_reach(label, path, city, kokshetau_objects):
    from meirim.common.models import AuditEvent
    from tests.factories import user_with_role

    far = user_with_role(Role.CITY_COORDINATOR, "far_coordinator", municipality=PAVLODAR)
    client = Client()
    client.force_login(far)
    url = path.format(city=city, **kokshetau_objects)
    events = AuditEvent.objects.count()
    read = client.get(url)
    assert read.status_code in {403, 404}, (label, city, read.status_code)
    assert SECRET not in read.content.decode()
    written = client.post(url, {"name": "changed", "title": "changed", "internal_note": "x"})
    assert written.status_code in {403, 404}, (label, city, written.status_code)
    assert SECRET not in written.content.decode()
    assert AuditEvent.objects.count() == events  # nothing was written
