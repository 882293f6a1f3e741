"""Reporting regimes, the working-day calendar, and data values with their versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from chitieu.core.periods import PeriodKind


class PeriodKindChoices(models.TextChoices):
    MONTH = PeriodKind.MONTH.value, "Tháng"
    QUARTER = PeriodKind.QUARTER.value, "Quý"
    HALF = PeriodKind.HALF.value, "6 tháng"
    NINE = PeriodKind.NINE.value, "9 tháng"
    YEAR = PeriodKind.YEAR.value, "Năm"


class ReportingRegime(models.Model):
    """How often, over which data window and by when units report (Decree 09/2019, art. 7)."""

    name = models.CharField("tên chế độ báo cáo", max_length=255)
    period_kinds = models.JSONField(
        "tần suất", default=list, help_text='Các loại kỳ, ví dụ ["quarter", "half", "year"].'
    )
    window = models.JSONField(
        "thời gian chốt số liệu",
        default=dict,
        help_text='{"kind": "cutoff", "turn_day": 15} (Nghị định 09) hoặc {"kind": "calendar"}',
    )
    deadline_rule = models.JSONField("thời hạn gửi", default=dict)
    deadline_phrase = models.CharField("thời hạn gửi (như văn bản ghi)", max_length=255, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        verbose_name = "chế độ báo cáo"
        verbose_name_plural = "chế độ báo cáo"

    def __str__(self) -> str:
        return self.name


class Holiday(models.Model):
    day = models.DateField("ngày", unique=True)
    name = models.CharField("tên ngày nghỉ", max_length=120)
    working = models.BooleanField(
        "ngày làm bù", default=False, help_text="Đánh dấu ngày thứ Bảy làm việc bù."
    )

    class Meta:
        ordering = ["day"]
        verbose_name = "ngày nghỉ lễ"
        verbose_name_plural = "ngày nghỉ lễ"

    def __str__(self) -> str:
        return f"{self.day} {self.name}"


class ValueSource(models.TextChoices):
    ENTERED = "entered", "Nhập tay"
    IMPORTED = "imported", "Nhập từ tệp"
    COMPUTED = "computed", "Tính từ dữ liệu"


class _ValueFields(models.Model):
    numerator = models.DecimalField("tử số", max_digits=20, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField("mẫu số", max_digits=20, decimal_places=4, null=True, blank=True)
    value = models.DecimalField("giá trị", max_digits=20, decimal_places=4, null=True, blank=True)
    comment = models.TextField("ghi chú", blank=True)
    source = models.CharField(
        "nguồn", max_length=10, choices=ValueSource.choices, default=ValueSource.ENTERED
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    import_file = models.CharField("tệp nhập", max_length=255, blank=True)
    import_row = models.PositiveIntegerField("dòng trong tệp", null=True, blank=True)
    computed_from = models.CharField("tính từ", max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def has_data(self) -> bool:
        return self.value is not None or (self.numerator is not None and self.denominator is not None)

    def provenance_vi(self) -> str:
        who = getattr(self.entered_by, "username", "") if self.entered_by_id else ""
        match self.source:
            case ValueSource.IMPORTED:
                row = f", dòng {self.import_row}" if self.import_row else ""
                return f"Nhập từ tệp {self.import_file}{row}" + (f" bởi {who}" if who else "")
            case ValueSource.COMPUTED:
                return f"Tính từ {self.computed_from}"
            case _:
                return f"Nhập tay bởi {who}" if who else "Nhập tay"


class DataValue(_ValueFields):
    """The current value of one indicator for one unit and one period.

    ``version`` increases by one on every change (optimistic locking); every version, the
    current one included, is kept in :class:`DataValueVersion`.
    """

    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.PROTECT, related_name="values")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="values")
    period = models.CharField("kỳ", max_length=8, db_index=True)
    period_kind = models.CharField(max_length=8, choices=PeriodKindChoices.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "số liệu"
        verbose_name_plural = "số liệu"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "period"], name="one_current_value"),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gte=0), name="denominator_nonnegative"
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(numerator__gte=0), name="numerator_nonnegative"
            ),
        ]
        indexes = [models.Index(fields=["unit", "period"]), models.Index(fields=["indicator", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.unit_id}/{self.period} v{self.version}"


class DataValueVersion(_ValueFields):
    data_value = models.ForeignKey(DataValue, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["data_value", "version"]
        constraints = [models.UniqueConstraint(fields=["data_value", "version"], name="unique_value_version")]

    def __str__(self) -> str:
        return f"{self.data_value_id} v{self.version}"
