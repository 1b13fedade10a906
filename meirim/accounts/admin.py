from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from meirim.accounts.models import RoleAssignment, User
from meirim.common.admin_audit import AuditedAdmin


class RoleAssignmentInline(admin.TabularInline[RoleAssignment, User]):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["region", "municipality"]


@admin.register(User)
class MeirimUserAdmin(AuditedAdmin, UserAdmin[User]):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "email", "first_name", "last_name", "is_active"]
