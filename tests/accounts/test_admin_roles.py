"""Roles given and taken in the Django admin go through the accounts services."""

from __future__ import annotations

import pytest
from django.test import Client

from meirim.accounts.models import Role, RoleAssignment, User
from meirim.common.models import AuditEvent
from tests.factories import UserFactory

PREFIX = "role_assignments"


def _change_form(user: User, rows: list[dict[str, str]], initial: int) -> dict[str, str]:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        f"{PREFIX}-TOTAL_FORMS": str(len(rows)),
        f"{PREFIX}-INITIAL_FORMS": str(initial),
        f"{PREFIX}-MIN_NUM_FORMS": "0",
        f"{PREFIX}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{PREFIX}-{index}-{name}"] = value
        data[f"{PREFIX}-{index}-user"] = str(user.pk)
    return data


@pytest.mark.django_db
def test_giving_and_taking_the_administrators_role_in_the_admin(users):
    admin = Client()
    admin.force_login(users["national_admin"])
    person = UserFactory(username="new-administrator")
    url = f"/en/admin/accounts/user/{person.pk}/change/"

    row = {"role": Role.NATIONAL_ADMIN, "region": "", "municipality": ""}
    response = admin.post(url, _change_form(person, [row], initial=0))
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.is_staff and person.is_superuser
    assert AuditEvent.objects.filter(
        action="accounts.role_assign", object_id=str(person.pk)
    ).exists()
    newcomer = Client()
    newcomer.force_login(person)
    assert newcomer.get("/en/admin/").status_code == 200

    assignment = RoleAssignment.objects.get(user=person)
    taken = {**row, "id": str(assignment.pk), "DELETE": "on"}
    response = admin.post(url, _change_form(person, [taken], initial=1))
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert not person.is_staff and not person.is_superuser
    assert not RoleAssignment.objects.filter(user=person).exists()
    revoked = AuditEvent.objects.get(action="accounts.role_revoke", object_id=str(person.pk))
    assert revoked.changes["role"] == Role.NATIONAL_ADMIN
    assert newcomer.get("/en/admin/").status_code == 302  # sent to the admin's log-in page


@pytest.mark.django_db
def test_admin_rights_cannot_be_ticked_by_hand(users):
    admin = Client()
    admin.force_login(users["national_admin"])
    person = UserFactory(username="no-role-person")
    data = _change_form(person, [], initial=0)
    data.update(is_staff="on", is_superuser="on")
    assert admin.post(f"/en/admin/accounts/user/{person.pk}/change/", data).status_code == 302
    person.refresh_from_db()
    assert not person.is_staff and not person.is_superuser
