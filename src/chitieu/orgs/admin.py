from django.contrib import admin

from chitieu.audit.admin import ReadOnlyAdmin, ReadOnlyInline
from chitieu.orgs.models import Membership, Unit, UnitSuccession


class SuccessionInline(ReadOnlyInline):
    model = UnitSuccession
    fk_name = "predecessor"


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "abbreviation", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("code", "name", "short_name", "abbreviation", "search_key")
    autocomplete_fields = ["parent"]
    inlines = [SuccessionInline]
    readonly_fields = ("path", "depth")

    def save_model(self, request, obj, form, change):
        from chitieu.orgs import services

        if change:
            changes = {f: form.cleaned_data[f] for f in form.changed_data if f in form.cleaned_data}
            services.unit_update(actor=request.user, unit=obj, reason="admin", **changes)
        else:
            new = services.unit_create(
                actor=request.user,
                code=obj.code,
                name=obj.name,
                kind=obj.kind,
                parent=obj.parent,
                short_name=obj.short_name,
                abbreviation=obj.abbreviation,
                aliases=obj.aliases,
                admin_code=obj.admin_code,
                valid_from=obj.valid_from,
                valid_to=obj.valid_to,
            )
            obj.pk = new.pk


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Roles are granted and withdrawn through the services: permission and change record."""

    list_display = ("user", "unit", "role")
    list_filter = ("role",)
    autocomplete_fields = ["unit", "user"]
    search_fields = ("user__username", "unit__name")

    def has_change_permission(self, request, obj=None):
        return False  # a role is granted or withdrawn, never edited in place

    def save_model(self, request, obj, form, change):
        from chitieu.orgs import services

        m = services.membership_grant(actor=request.user, user=obj.user, unit=obj.unit, role=obj.role)
        obj.pk = m.pk

    def delete_model(self, request, obj):
        from chitieu.orgs import services

        services.membership_revoke(actor=request.user, membership=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(ReadOnlyAdmin):
    """Mergers are recorded through the unit services (the successor's history, the change log)."""

    list_display = ("predecessor", "successor", "kind", "effective", "primary")
