from django.contrib import admin

from chitieu.indicators.models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "measure_unit", "direction", "source", "active")
    list_filter = ("kind", "source", "direction", "active")
    search_fields = ("code", "name", "match_key")
    readonly_fields = ("match_key",)
