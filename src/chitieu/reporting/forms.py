"""Input of the reporting pages → typed arguments for the services (bounded, never trusted)."""

from __future__ import annotations

from django import forms

from chitieu.core.periods import PeriodError
from chitieu.core.periods import parse as parse_period
from chitieu.indicators.models import Indicator
from chitieu.orgs.models import Unit
from chitieu.plans.models import Task


class ReasonForm(forms.Form):
    reason = forms.CharField(required=False, max_length=2000, strip=True)
    note = forms.CharField(required=False, max_length=2000, strip=True)


class NarrativeForm(forms.Form):
    difficulties = forms.CharField(required=False, max_length=20_000)
    proposals = forms.CharField(required=False, max_length=20_000)
    next_priorities = forms.CharField(required=False, max_length=20_000)

    def texts(self, data) -> dict[str, str]:
        """Only the parts the page sent (a form without them leaves them as they are)."""
        return {f: self.cleaned_data[f] for f in self.fields if f in data}


class ScheduleForm(forms.Form):
    text = forms.CharField(required=False, max_length=4000, strip=True, widget=forms.Textarea)


class EvidenceForm(forms.Form):
    file = forms.FileField(error_messages={"required": "Chưa chọn tệp minh chứng.", "empty": "Tệp rỗng."})
    indicator = forms.ModelChoiceField(queryset=Indicator.objects.all(), required=False)


class PeriodField(forms.CharField):
    """A reporting period as people write it ("Quý I năm 2024", "2024Q1") → its id."""

    def __init__(self, **kw):
        kw.setdefault("max_length", 60)
        super().__init__(**kw)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_period(value)
        except PeriodError as exc:
            raise forms.ValidationError(f"Kỳ báo cáo không hợp lệ: {exc}")


class CompletenessForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False)
    period = PeriodField(required=False)


class TaskProgressForm(forms.Form):
    task = forms.ModelChoiceField(
        queryset=Task.objects.all(), error_messages={"invalid_choice": "Không có nhiệm vụ này."}
    )
    period = forms.CharField(max_length=20)
    status = forms.CharField(max_length=20)
    note = forms.CharField(required=False, max_length=5000)
    output = forms.CharField(required=False, max_length=2000)
    version = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1)


class ExcelUploadForm(forms.Form):
    file = forms.FileField(error_messages={"required": "Chưa chọn tệp Excel.", "empty": "Tệp rỗng."})
    dry_run = forms.BooleanField(required=False)

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(f"{f.name}: chỉ nhận tệp .xlsx (biểu mẫu tải từ hệ thống).")
        return f


def first_error(form: forms.Form) -> str:
    for errs in form.errors.values():
        if errs:
            return errs[0]
    return "Dữ liệu gửi lên không hợp lệ."
