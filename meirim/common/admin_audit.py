"""Writes made in the Django admin go to the same audit log as the services' writes."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import BaseModelForm
from django.http import HttpRequest

from meirim.common import audit


class AuditedAdmin(admin.ModelAdmin[Any]):
    """Record every add, change and delete (with the changed fields) in the audit log."""

    def save_model(
        self, request: HttpRequest, obj: Any, form: BaseModelForm[Any], change: bool
    ) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            # Secret fields (password1, password2…) are redacted by audit.record.
            changes = {name: str(form.cleaned_data.get(name)) for name in form.changed_data}
            action = "admin.change" if change else "admin.add"
            audit.record(actor=request.user, action=action, obj=obj, changes=changes)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit.record(actor=request.user, action="admin.delete", obj=obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit.record(actor=request.user, action="admin.delete", obj=obj)
            super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Inline rows (a user's role assignments) are audited one by one."""
        with transaction.atomic():
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                audit.record(actor=request.user, action="admin.delete", obj=obj)
                obj.delete()
            for obj in instances:
                audit.record(
                    actor=request.user,
                    action="admin.change" if obj.pk else "admin.add",
                    obj=obj,
                )
                obj.save()
            formset.save_m2m()
