"""Plans, targets and tasks are changed through the plan pages (review, activation and re-derived
obligations, change log); the admin shows them read-only."""

from django.contrib import admin

from chitieu.audit.admin import ReadOnlyAdmin, ReadOnlyInline
from chitieu.plans.models import Plan, PlanCitation, Target, Task


class CitationInline(ReadOnlyInline):
    model = PlanCitation
    fk_name = "plan"


class TargetInline(ReadOnlyInline):
    model = Target
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


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("number_symbol", "title", "issuer_name", "date_text", "year", "status")
    list_filter = ("status", "doc_kind", "year")
    search_fields = ("number_symbol", "title", "issuer_name")
    inlines = [CitationInline, TargetInline]
    exclude = ("extraction", "source_text")


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ("text", "plan", "operator", "threshold", "unit", "indicator", "lead_unit")
    search_fields = ("text",)


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("text", "plan", "lead_unit", "deadline_phrase", "deadline", "recurrence", "status")
    list_filter = ("status", "recurrence")
    search_fields = ("text",)
