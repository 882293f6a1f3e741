from django.contrib import admin

from chitieu.audit.admin import AuditedAdmin, ReadOnlyAdmin
from chitieu.reporting.models import DataValue, DataValueVersion, Holiday, PlanSchedule, ReportingRegime


@admin.register(ReportingRegime)
class ReportingRegimeAdmin(AuditedAdmin):
    list_display = ("name", "deadline_phrase")


@admin.register(Holiday)
class HolidayAdmin(AuditedAdmin):
    list_display = ("day", "name", "working")


@admin.register(PlanSchedule)
class PlanScheduleAdmin(ReadOnlyAdmin):
    list_display = ("plan", "regime")


class VersionInline(admin.TabularInline):
    model = DataValueVersion
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in DataValueVersion._meta.fields]


@admin.register(DataValue)
class DataValueAdmin(admin.ModelAdmin):
    list_display = ("indicator", "unit", "period", "numerator", "denominator", "value", "source", "version")
    list_filter = ("period_kind", "source")
    search_fields = ("indicator__code", "unit__name", "period")
    inlines = [VersionInline]

    def has_change_permission(self, request, obj=None):
        return False  # values change only through the services (history, permissions, validation)

    def has_add_permission(self, request):
        return False
