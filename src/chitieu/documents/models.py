"""Generated official reports (Decree 30 DOCX + XLSX appendix) and the DOCX templates they use."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReportKind(models.TextChoices):
    UNIT = "unit", "Báo cáo của đơn vị"
    AGGREGATE = "aggregate", "Báo cáo tổng hợp các đơn vị"


def template_path(instance, filename: str) -> str:
    import uuid

    return f"report-templates/{uuid.uuid4().hex}.docx"


class ReportTemplate(models.Model):
    """A DOCX (docxtpl) an office restyled in Word. Without one, the shipped default is used."""

    name = models.CharField("tên mẫu", max_length=200)
    kind = models.CharField("dùng cho", max_length=10, choices=ReportKind.choices, default=ReportKind.UNIT)
    unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="Để trống: dùng chung. Có: dùng cho đơn vị này và các đơn vị trực thuộc.",
        verbose_name="đơn vị",
    )
    file = models.FileField("tệp DOCX", upload_to=template_path)
    active = models.BooleanField("đang dùng", default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mẫu báo cáo"
        verbose_name_plural = "mẫu báo cáo"

    def __str__(self) -> str:
        return self.name


def report_path(instance, filename: str) -> str:
    import uuid

    return f"reports/{instance.unit_id}/{instance.period}/{uuid.uuid4().hex}-{filename}"


class GeneratedReport(models.Model):
    """One generation of a report: kept with who made it, when, from which data and with which
    hand-written sections, so that a regenerated report never erases the one before."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="generated_reports")
    period = models.CharField("kỳ", max_length=8)
    kind = models.CharField(max_length=10, choices=ReportKind.choices, default=ReportKind.UNIT)
    title = models.CharField("trích yếu", max_length=300)
    number = models.PositiveIntegerField("số", null=True, blank=True)
    symbol = models.CharField("ký hiệu", max_length=60)
    place = models.CharField("địa danh", max_length=80)
    issued_on = models.DateField("ngày")
    signer_title = models.CharField("chức vụ người ký", max_length=200, blank=True)
    signer_name = models.CharField("họ tên người ký", max_length=120, blank=True)
    recipients = models.JSONField("nơi nhận", default=list, blank=True)
    narrative = models.JSONField(
        "phần viết tay", default=dict, blank=True, help_text="Khó khăn, kiến nghị, nhiệm vụ kỳ tới."
    )
    figures = models.JSONField("số liệu dùng", default=dict, blank=True)
    lint = models.JSONField("kết quả kiểm tra", default=list, blank=True)
    template = models.ForeignKey(ReportTemplate, null=True, blank=True, on_delete=models.SET_NULL)
    docx = models.FileField(upload_to=report_path)
    xlsx = models.FileField(upload_to=report_path, blank=True)
    pdf = models.FileField(upload_to=report_path, blank=True)
    seconds = models.FloatField("thời gian tạo (giây)", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "báo cáo đã tạo"
        verbose_name_plural = "báo cáo đã tạo"
        indexes = [models.Index(fields=["unit", "period", "kind"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.created_at:%d/%m/%Y %H:%M})"
