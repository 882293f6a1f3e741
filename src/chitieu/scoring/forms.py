"""Forms of the scoring pages: field checks and Vietnamese messages only; the services decide."""

from __future__ import annotations

from django import forms

from chitieu.core import scoring as core
from chitieu.core.numbers import swap_separators
from chitieu.scoring.drafts import MAX_UPLOAD
from chitieu.scoring.published import SCALES


def typed_number(text: str) -> str:
    """A number as typed in the interface's language, in the Vietnamese form the services read."""
    from chitieu.ui.templatetags.chitieu import decimal_comma

    text = (text or "").strip()
    return text if decimal_comma() or not text else swap_separators(text)


class DecisionUploadForm(forms.Form):
    file = forms.FileField(
        label="Quyết định ban hành bộ chỉ số (.docx, .pdf, .doc, .txt)",
        error_messages={"required": "Chưa chọn tệp.", "empty": "Tệp rỗng."},
    )
    owner = forms.ModelChoiceField(
        queryset=None,
        label="Cơ quan chủ trì đánh giá",
        error_messages={"required": "Chưa chọn cơ quan.", "invalid_choice": "Cơ quan không hợp lệ."},
    )
    table = forms.IntegerField(
        label="Bảng tiêu chí thứ (khi văn bản có nhiều bảng)", required=False, min_value=1, max_value=50
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = units

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError(f"{f.name}: tệp quá lớn (tối đa {MAX_UPLOAD // 1024 // 1024} MB).")
        return f


class DraftMetaForm(forms.Form):
    code = forms.CharField(label="Mã bộ chỉ số", max_length=40)
    name = forms.CharField(label="Tên", max_length=300)
    version = forms.CharField(label="Phiên bản", max_length=40)
    period = forms.CharField(label="Kỳ đánh giá", max_length=8, required=False)
    stated_total = forms.CharField(label="Tổng điểm tối đa", max_length=20, required=False)
    version_no = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_stated_total(self):
        return typed_number(self.cleaned_data.get("stated_total", ""))


METHOD_CHOICES = [(m, core.METHOD_LABELS[m]) for m in core.METHODS if m != "sum"]


class DraftRowForm(forms.Form):
    original = forms.CharField(
        required=False, widget=forms.HiddenInput
    )  # the code being edited; empty: a new row
    code = forms.CharField(label="Mã", max_length=40)
    parent = forms.CharField(label="Thuộc tiêu chí", max_length=40, required=False)
    name = forms.CharField(label="Tên tiêu chí", max_length=400, widget=forms.Textarea(attrs={"rows": 2}))
    max_points = forms.CharField(label="Điểm tối đa", max_length=20, required=False)
    method = forms.ChoiceField(label="Cách chấm", choices=METHOD_CHOICES, required=False)
    threshold = forms.CharField(label="Ngưỡng đạt điểm tối đa (%)", max_length=20, required=False)
    bands = forms.CharField(label="Các mức (ngưỡng:điểm; ...)", max_length=300, required=False)
    step = forms.CharField(label="Điểm trừ mỗi lần", max_length=20, required=False)
    measure = forms.CharField(label="Đơn vị giá trị (%, lần, ...)", max_length=20, required=False)
    evidence_required = forms.BooleanField(label="Cần minh chứng", required=False)
    reason = forms.CharField(label="Lý do sửa", max_length=300, required=False)
    version_no = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        for k in ("max_points", "threshold", "step"):
            if k in data:
                data[k] = typed_number(data.get(k, ""))
        if "bands" in data:
            data["bands"] = (data.get("bands") or "").strip()
        return data

    def row(self, *, has_children: bool) -> dict:
        d = self.cleaned_data
        out = {
            k: d.get(k, "")
            for k in ("code", "parent", "name", "max_points", "threshold", "bands", "step", "measure")
        }
        out["evidence_required"] = bool(d.get("evidence_required"))
        if not has_children:
            out["method"] = d.get("method") or "manual"
        return out


class PublishedUploadForm(forms.Form):
    file = forms.FileField(
        label="Bảng kết quả công bố (.csv, .xlsx)",
        error_messages={"required": "Chưa chọn tệp.", "empty": "Tệp rỗng."},
    )
    scale = forms.ChoiceField(label="Giá trị trong bảng là", choices=list(SCALES.items()), required=False)
