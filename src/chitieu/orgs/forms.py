"""Unit tree forms: typed arguments for :mod:`chitieu.orgs.services`."""

from __future__ import annotations

from django import forms

from chitieu.orgs.models import UnitKind

CODE_HELP = "Chữ, số, dấu chấm, gạch; không dấu cách (ví dụ SOKHCN.VP)."


class UnitCreateForm(forms.Form):
    code = forms.RegexField(label="Mã", max_length=40, regex=r"^[A-Za-z0-9._\-]+$", help_text=CODE_HELP)
    name = forms.CharField(label="Tên đầy đủ", max_length=255)
    kind = forms.ChoiceField(label="Loại đơn vị", choices=UnitKind.choices)
    short_name = forms.CharField(label="Tên ngắn", max_length=120, required=False)
    abbreviation = forms.CharField(label="Viết tắt", max_length=40, required=False)
    valid_from = forms.DateField(label="Hiệu lực từ", required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])


class UnitRenameForm(forms.Form):
    name = forms.CharField(label="Tên đầy đủ", max_length=255)
    short_name = forms.CharField(label="Tên ngắn", max_length=120, required=False)
    abbreviation = forms.CharField(label="Viết tắt", max_length=40, required=False)
    aliases = forms.CharField(
        label="Tên gọi khác (mỗi dòng một tên)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    reason = forms.CharField(label="Lý do, căn cứ (ví dụ: Quyết định số ...)", max_length=255)

    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.cleaned_data.get("aliases", "").splitlines() if a.strip()]


class UnitMergeForm(forms.Form):
    successor = forms.CharField(label="Mã đơn vị kế thừa", max_length=40)
    effective = forms.DateField(label="Ngày hiệu lực", input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    note = forms.CharField(label="Căn cứ", max_length=255, required=False)


class TreeUploadForm(forms.Form):
    file = forms.FileField(label="Tệp cây đơn vị (CSV hoặc XLSX)")
    dry_run = forms.BooleanField(label="Chỉ kiểm tra, chưa ghi", required=False)
