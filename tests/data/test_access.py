"""Who may use each data page: the whole matrix, role by role (as tests/test_access_matrix.py).

Every row names a page and the roles allowed; every other role must be refused (403/404,
or the log-in page when not logged in). The department head and the coordinator of ANOTHER
municipality are refused everywhere.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from meirim.accounts.models import Role
from meirim.data.services import evidence_add, import_job_create, observation_save
from tests.data.conftest import TOWN, csv_bytes

ANONYMOUS = "anonymous"
NO_ROLE = "no_role"
OTHER_TOWN_ROLES = ["other_department_head", "other_city_coordinator"]
ALL_ROLES = [ANONYMOUS, NO_ROLE, *[role.value for role in Role], *OTHER_TOWN_ROLES]
READERS = [
    Role.NATIONAL_COUNCIL.value,
    Role.NATIONAL_ADMIN.value,
    Role.REVIEWER.value,
    Role.REGION_OFFICER.value,
    Role.CITY_COORDINATOR.value,
    Role.DEPARTMENT_HEAD.value,
]
ENTRY = [Role.CITY_COORDINATOR.value, Role.DEPARTMENT_HEAD.value]
COORDINATOR = [Role.CITY_COORDINATOR.value]
COUNCIL = [Role.NATIONAL_COUNCIL.value, Role.NATIONAL_ADMIN.value]
YEAR = 2024
BASE = f"/en/data/{TOWN}"

# (label, method, path, allowed roles, statuses that mean "allowed").
# {evidence} is an evidence file of the town; {job} a background import of its coordinator.
MATRIX = [
    ("years", "get", f"{BASE}/", READERS, {200}),
    # Readers see the entry page read-only (no form), the city's people can save.
    ("entry", "get", f"{BASE}/{YEAR}/", READERS, {200}),
    ("entry save", "post", f"{BASE}/{YEAR}/?section=S01", ENTRY, {302}),
    ("upload page", "get", f"{BASE}/upload/", COORDINATOR, {200}),
    ("upload file", "post", f"{BASE}/upload/", COORDINATOR, {200}),
    ("upload status", "get", f"{BASE}/upload/{{job}}/", COORDINATOR, {200}),
    ("template csv", "get", f"{BASE}/template.csv?year={YEAR}", ENTRY, {200}),
    ("template xlsx", "get", f"{BASE}/template.xlsx?year={YEAR}", ENTRY, {200}),
    ("approve page", "get", f"{BASE}/{YEAR}/approve/", COORDINATOR, {200}),
    ("approve year", "post", f"{BASE}/{YEAR}/approve/", COORDINATOR, {302}),
    ("reopen year", "post", f"{BASE}/{YEAR}/reopen/", COUNCIL, {302}),
    ("evidence download", "get", f"{BASE}/evidence/{{evidence}}/", READERS, {200}),
    ("evidence add", "post", f"{BASE}/{YEAR}/evidence/", ENTRY, {302}),
    ("evidence remove page", "get", f"{BASE}/evidence/{{evidence}}/remove/", ENTRY, {200}),
    ("evidence remove", "post", f"{BASE}/evidence/{{evidence}}/remove/", ENTRY, {302}),
]


def _post_data(label: str) -> dict[str, object]:
    if label == "upload file":
        return {"file": SimpleUploadedFile("a.csv", csv_bytes([{"code": "I03", "year": YEAR}]))}
    if label == "evidence add":
        return {"code": "I03", "file": SimpleUploadedFile("b.pdf", b"%PDF")}
    if label == "reopen year":
        return {"reason": "Checking access"}
    if label in ("approve year", "evidence remove"):
        return {"confirm": "yes"}
    return {}


@pytest.fixture
def setting(version, town, users, other_users, media, django_capture_on_commit_callbacks):
    """An observation with an evidence file, and a finished background import."""
    observation = observation_save(
        version=version, municipality=town, code="I03", year=YEAR, values={"value": 1}, actor=None
    )
    evidence = evidence_add(
        observation=observation, file=SimpleUploadedFile("a.pdf", b"%PDF"), actor=None
    )
    with django_capture_on_commit_callbacks(execute=True):  # the task runs immediately
        job = import_job_create(
            version=version,
            municipality=town,
            file=SimpleUploadedFile(
                "job.csv", csv_bytes([{"code": "I04", "year": YEAR, "value": "2"}])
            ),
            filename="job.csv",
            actor=users[Role.CITY_COORDINATOR.value],
        )
    return {"users": {**users, **other_users}, "evidence": evidence.pk, "job": job.pk}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(
    ("label", "method", "path", "allowed", "ok"), MATRIX, ids=[row[0] for row in MATRIX]
)
def test_access(label, method, path, allowed, ok, role, setting):
    url = path.format(evidence=setting["evidence"], job=setting["job"])
    client = Client()
    if role != ANONYMOUS:
        client.force_login(setting["users"][role])
    response = client.post(url, _post_data(label)) if method == "post" else client.get(url)
    if role in allowed:
        assert response.status_code in ok, (label, role, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" not in response["Location"]
    elif role == ANONYMOUS:
        assert response.status_code == 302 and "login" in response["Location"], (label, role)
    else:
        assert response.status_code in {403, 404}, (label, role, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ENTRY)
def test_own_roles_are_refused_on_another_municipality(role, users, version, other_town):
    client = Client()
    client.force_login(users[role])
    other = f"/en/data/{other_town.code}"
    for url in (f"{other}/{YEAR}/", f"{other}/upload/", f"{other}/template.csv"):
        assert client.get(url).status_code in {403, 404}, url
    assert client.post(f"{other}/{YEAR}/approve/").status_code in {403, 404}


@pytest.mark.django_db
def test_region_officer_reads_only_the_own_region(users, version, far_town):
    client = Client()
    client.force_login(users[Role.REGION_OFFICER.value])
    assert client.get(f"{BASE}/").status_code == 200
    assert client.get(f"/en/data/{far_town.code}/").status_code in {403, 404}


@pytest.mark.django_db
def test_unknown_municipality_is_not_found(users, version):
    client = Client()
    client.force_login(users[Role.NATIONAL_ADMIN.value])
    assert client.get("/en/data/NOWHERE/").status_code == 404
