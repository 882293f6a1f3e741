"""Forms: field validation and Vietnamese messages only; the services decide and write."""

from __future__ import annotations

from django import forms

from chitieu.plans.models import Operator, Recurrence, TargetUnit


class UploadPlanForm(forms.Form):
    file = forms.FileField(
        label="Tệp kế hoạch (.docx, .pdf, .doc, .txt, .md)",
        error_messages={"required": "Chưa chọn tệp.", "empty": "Tệp rỗng."},
    )
    issuer = forms.ModelChoiceField(
        queryset=None,
        label="Cơ quan ban hành",
        error_messages={
            "required": "Chưa chọn cơ quan ban hành.",
            "invalid_choice": "Cơ quan ban hành không hợp lệ.",
        },
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = units
        self.fields["issuer"].label_from_instance = lambda u: (
            f"{u.name} (đến {u.valid_to:%d/%m/%Y})" if u.valid_to else u.name
        )


class TargetForm(forms.Form):
    text = forms.CharField(
        label="Nội dung chỉ tiêu",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Nội dung chỉ tiêu không được để trống."},
    )
    operator = forms.ChoiceField(label="So sánh", choices=Operator.choices)
    threshold = forms.DecimalField(
        label="Ngưỡng",
        min_value=0,
        max_digits=20,
        decimal_places=4,
        localize=True,
        error_messages={
            "required": "Chưa nhập ngưỡng.",
            "invalid": "Ngưỡng phải là số.",
            "min_value": "Ngưỡng không được âm.",
        },
    )
    unit = forms.ChoiceField(label="Đơn vị", choices=TargetUnit.choices)
    scope = forms.CharField(label="Phạm vi", required=False, max_length=120)
    indicator = forms.ModelChoiceField(queryset=None, label="Chỉ tiêu trong danh mục", required=False)
    lead_unit_text = forms.CharField(label="Đơn vị chủ trì", required=False, max_length=255)
    monitoring_unit_text = forms.CharField(label="Đơn vị theo dõi", required=False, max_length=255)
    due_date = forms.DateField(
        label="Hạn",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Ngày không đúng dạng dd/mm/yyyy."},
    )

    def __init__(self, *args, indicators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators


class TaskForm(forms.Form):
    text = forms.CharField(
        label="Nội dung nhiệm vụ",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Nội dung nhiệm vụ không được để trống."},
    )
    lead_unit_text = forms.CharField(label="Đơn vị chủ trì", required=False, max_length=255)
    coordinating_text = forms.CharField(label="Đơn vị phối hợp", required=False, max_length=500)
    deadline_phrase = forms.CharField(label="Thời hạn (như văn bản ghi)", required=False, max_length=255)
    deadline = forms.DateField(
        label="Hạn",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Ngày không đúng dạng dd/mm/yyyy."},
    )
    recurrence = forms.ChoiceField(label="Lặp lại", choices=[("", "—"), *Recurrence.choices], required=False)


def naming_units(plan):
    """The units a person may pick for a name of this plan: the issuer's province (or its own
    subtree for a nation-level body), current ones first."""
    from chitieu.orgs.models import Unit
    from chitieu.orgs.naming import reach_root

    if plan.issuer is None:
        return Unit.objects.none()
    root = reach_root(plan.issuer)
    return Unit.objects.filter(path__startswith=root.path).order_by("path")


class NamesForm(forms.Form):
    phrase = forms.CharField(max_length=255)
    units = forms.ModelMultipleChoiceField(
        queryset=None,
        error_messages={"required": "Chưa chọn đơn vị.", "invalid_choice": "Đơn vị không hợp lệ."},
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
