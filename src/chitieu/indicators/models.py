"""The indicator catalog: what is measured, how, and where its numbers come from."""

from __future__ import annotations

from django.db import models


class IndicatorKind(models.TextChoices):
    RATIO = "ratio", "Tỷ lệ (tử số / mẫu số)"
    COUNT = "count", "Số lượng"
    BOOLEAN = "boolean", "Có / không"
    SCORE = "score", "Điểm"


class Direction(models.TextChoices):
    HIGHER = "higher", "Càng cao càng tốt"
    LOWER = "lower", "Càng thấp càng tốt"


class Source(models.TextChoices):
    ENTERED = "entered", "Nhập tay"
    COMPUTED = "computed", "Tính từ dữ liệu"
    IMPORTED = "imported", "Nhập từ tệp"


class Indicator(models.Model):
    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên chỉ tiêu", max_length=400)
    aliases = models.JSONField("cách gọi khác", default=list, blank=True)
    kind = models.CharField("loại", max_length=10, choices=IndicatorKind.choices, default=IndicatorKind.RATIO)
    numerator_definition = models.CharField("tử số", max_length=400, blank=True)
    denominator_definition = models.CharField("mẫu số", max_length=400, blank=True)
    measure_unit = models.CharField("đơn vị tính", max_length=40, default="%", blank=True)
    direction = models.CharField("chiều", max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    description = models.TextField("mô tả", blank=True)
    source = models.CharField("nguồn số liệu", max_length=10, choices=Source.choices, default=Source.ENTERED)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parts",
        verbose_name="là thành phần của",
        help_text="Các thành phần cộng lại bằng chỉ tiêu tổng.",
    )
    match_key = models.CharField(max_length=500, editable=False, default="", db_index=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "chỉ tiêu (danh mục)"
        verbose_name_plural = "danh mục chỉ tiêu"

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def is_ratio(self) -> bool:
        return self.kind == IndicatorKind.RATIO
