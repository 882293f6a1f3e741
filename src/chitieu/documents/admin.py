from django import forms
from django.contrib import admin

from chitieu.audit.admin import AuditedAdmin, ReadOnlyAdmin
from chitieu.documents import render
from chitieu.documents.content import ReportError
from chitieu.documents.models import GeneratedReport, ReportTemplate


class TemplateForm(forms.ModelForm):
    class Meta:
        model = ReportTemplate
        fields = ["name", "kind", "unit", "file", "active"]

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f and hasattr(f, "read"):
            data = f.read()
            f.seek(0)
            if not f.name.lower().endswith(".docx") or not data.startswith(b"PK"):
                raise forms.ValidationError("Mẫu báo cáo phải là tệp Word .docx.")
            try:
                render.check_template(data)
            except ReportError as exc:
                raise forms.ValidationError(exc.message)
        return f


@admin.register(ReportTemplate)
class ReportTemplateAdmin(AuditedAdmin):
    form = TemplateForm
    list_display = ["name", "kind", "unit", "active", "uploaded_at"]
    autocomplete_fields = ["unit"]


@admin.register(GeneratedReport)
class GeneratedReportAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "period", "kind", "created_by", "created_at"]
    list_filter = ["kind", "period"]
    readonly_fields = [f.name for f in GeneratedReport._meta.fields]
