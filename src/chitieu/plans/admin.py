from django.contrib import admin

from chitieu.plans.models import Plan, PlanCitation, Target, Task


class CitationInline(admin.TabularInline):
    model = PlanCitation
    fk_name = "plan"
    extra = 0
    autocomplete_fields = ["parent"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = (
        "text",
        "operator",
        "threshold",
        "unit",
        "scope",
        "indicator",
        "lead_unit",
        "monitoring_unit",
        "due_date",
    )
    autocomplete_fields = ["indicator", "lead_unit", "monitoring_unit"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("number_symbol", "title", "issuer_name", "date_text", "year", "status")
    list_filter = ("status", "doc_kind", "year")
    search_fields = ("number_symbol", "title", "issuer_name")
    autocomplete_fields = ["issuer"]
    inlines = [CitationInline, TargetInline]
    exclude = ("extraction", "source_text")


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("text", "plan", "operator", "threshold", "unit", "indicator", "lead_unit")
    search_fields = ("text",)
    autocomplete_fields = [
        "plan",
        "indicator",
        "lead_unit",
        "monitoring_unit",
        "coordinating_units",
        "assignees",
    ]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("text", "plan", "lead_unit", "deadline_phrase", "deadline", "recurrence", "status")
    list_filter = ("status", "recurrence")
    search_fields = ("text",)
    autocomplete_fields = ["plan", "lead_unit", "coordinating_units"]
