"""The Django admin never writes around the services: each model's admin either calls its app's
services (units, memberships, indicators, tokens), records every change (configuration tables such as
regimes and holidays: :class:`AuditedAdmin`) or is read-only (:class:`ReadOnlyAdmin`)."""

from django.contrib import admin
from django.db import transaction

from chitieu.audit.models import ChangeRecord
from chitieu.audit.services import record, snapshot


class ReadOnlyAdmin(admin.ModelAdmin):
    """To look, not to change: the product's pages and services are the way to change these."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Configuration edited in the admin, every change in the change log (who, when, before/after)."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
            super().save_model(request, obj, form, change)
            record(
                actor=request.user,
                action="update" if change else "create",
                obj=obj,
                before=before,
                after=snapshot(obj),
                reason="quản trị",
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            record(actor=request.user, action="delete", obj=obj, before=snapshot(obj), reason="quản trị")
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ReadOnlyAdmin):
    list_display = ("time", "actor_name", "action", "object_type", "object_id", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "actor_name", "reason", "request_id")
    readonly_fields = [f.name for f in ChangeRecord._meta.fields]
