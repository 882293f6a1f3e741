from django.contrib import admin

from chitieu.indicators.models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "measure_unit", "direction", "source", "active")
    list_filter = ("kind", "source", "direction", "active")
    search_fields = ("code", "name", "match_key")
    readonly_fields = ("match_key",)

    def save_model(self, request, obj, form, change):
        from chitieu.indicators import services

        fields = {f: form.cleaned_data[f] for f in form.changed_data if f in form.cleaned_data}
        if change:
            services.indicator_update(actor=request.user, indicator=obj, reason="quản trị", **fields)
        else:
            fields.pop("code", None)
            fields.pop("name", None)
            obj.pk = services.indicator_create(actor=request.user, code=obj.code, name=obj.name, **fields).pk

    def has_delete_permission(self, request, obj=None):
        return False  # figures refer to indicators: retire one with "active" instead
