"""Catalogue entries are read-only in the admin: changes go through the catalogue pages,
which copy a published version before anything changes."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from meirim.catalogue.models import CatalogueVersion, Indicator


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(ReadOnlyAdmin):
    list_display = ["code", "status", "published_at", "based_on"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["code", "version", "type", "unit", "direction", "target"]
    list_filter = ["version", "type", "unit"]
    search_fields = ["code", "name_kk", "name_ru", "name_en"]
