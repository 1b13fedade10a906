from django.contrib import admin

from meirim.common.admin_audit import AuditedAdmin
from meirim.geography.models import Municipality, Region


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ["code", "name_kk", "name_ru", "name_en", "country"]
    list_filter = ["country"]
    search_fields = ["code", "name_kk", "name_ru", "name_en", "name_ky"]


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdmin):
    list_display = ["code", "name_kk", "name_ru", "name_en", "kind", "region"]
    list_filter = ["country", "kind", "region"]
    search_fields = ["code", "name_kk", "name_ru", "name_en", "name_ky"]
    autocomplete_fields = ["region", "parent"]
