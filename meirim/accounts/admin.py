"""Users in the Django admin. Roles are given and taken through the accounts services, so the
admin follows the same rules as every other path (audit, admin rights derived from roles)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.http import HttpRequest

from meirim.accounts.models import RoleAssignment, User
from meirim.accounts.services import role_assign, role_revoke
from meirim.common.admin_audit import AuditedAdmin


class RoleAssignmentInline(admin.TabularInline[RoleAssignment, User]):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["region", "municipality"]


@admin.register(User)
class MeirimUserAdmin(AuditedAdmin, UserAdmin[User]):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "email", "first_name", "last_name", "is_active"]
    # Admin rights follow the national administrator's role; they are not ticked by hand.
    readonly_fields = ["is_staff", "is_superuser", "last_login", "date_joined"]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        user = form.instance
        with transaction.atomic():
            formset.save(commit=False)  # sorts the rows into new, changed and deleted
            for assignment in formset.deleted_objects:
                role_revoke(assignment=assignment, actor=request.user)
            for instance, _fields in formset.changed_objects:
                role_revoke(
                    assignment=RoleAssignment.objects.get(pk=instance.pk), actor=request.user
                )
                self._assign(user, instance, request)
            for instance in formset.new_objects:
                self._assign(user, instance, request)

    @staticmethod
    def _assign(user: User, row: RoleAssignment, request: HttpRequest) -> None:
        role_assign(
            user=user,
            role=row.role,
            region=row.region,
            municipality=row.municipality,
            actor=request.user,
        )
