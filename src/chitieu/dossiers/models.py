"""Dossier imports, saved column mappings, compute runs; the PostgreSQL dossier store.

With the default engine (DuckDB) the dossiers themselves live in a columnar file under
``MEDIA_ROOT/dossiers/``; with ``CHITIEU_DOSSIER_ENGINE=postgres`` they live in :class:`Dossier`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class MappingProfile(models.Model):
    """A confirmed column mapping (field -> header), reused for the next export of the same kind."""

    name = models.CharField("tên", max_length=120, unique=True)
    mapping = models.JSONField(default=dict)
    values = models.JSONField(
        default=dict,
        help_text="Cách hiểu giá trị người dùng đã chọn: {trường: {cách viết (đã bỏ dấu): nghĩa}}.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "mẫu ghép cột"
        verbose_name_plural = "mẫu ghép cột"

    def __str__(self) -> str:
        return self.name


def import_path(instance, filename: str) -> str:
    import uuid

    return f"dossiers/uploads/{uuid.uuid4().hex}"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "Đã tải lên, chờ ghép cột"
    CHECKING = "checking", "Đang kiểm tra"
    CHECKED = "checked", "Đã kiểm tra, chờ quyết định"
    IMPORTING = "importing", "Đang nhập"
    DONE = "done", "Đã nhập"
    CANCELLED = "cancelled", "Không nhập"
    FAILED = "failed", "Lỗi"


class DossierImport(models.Model):
    file = models.FileField(upload_to=import_path)
    file_name = models.CharField("tệp", max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    headers = models.JSONField(default=list)
    layout = models.JSONField(
        default=dict, help_text="Vị trí bảng trong tệp: loại tệp, trang tính, dòng tiêu đề, các dòng bỏ qua."
    )
    mapping = models.JSONField(default=dict)
    values = models.JSONField(default=dict, help_text="Cách hiểu giá trị (như MappingProfile.values).")
    profile = models.ForeignKey(MappingProfile, null=True, blank=True, on_delete=models.SET_NULL)
    on_error = models.CharField(max_length=5, default="skip")  # skip | abort
    rows_total = models.BigIntegerField(default=0)
    rows_good = models.BigIntegerField(default=0)
    rows_bad = models.BigIntegerField(default=0)
    rows_written = models.BigIntegerField(default=0)
    rows_conflict = models.BigIntegerField(
        default=0, help_text="Trong số dòng lỗi: hồ sơ đã có trong kho thuộc đơn vị khác."
    )
    conflicts = models.JSONField(
        default=dict,
        help_text="Xung đột đơn vị: {takeovers, moves, rows: [dòng, lý do]} (hồ sơ thuộc đơn vị khác).",
    )
    rows_layout = models.BigIntegerField(
        default=0, help_text="Dòng không phải hồ sơ (tiêu đề, dòng trống, tổng cộng...), đã bỏ qua."
    )
    report = models.JSONField(
        default=dict,
        help_text="Xem trước: dòng bỏ qua và lý do, giá trị chưa hiểu, tên đơn vị trùng (với các đơn vị có thể).",
    )
    errors = models.JSONField(default=list, help_text="Các dòng lỗi đầu tiên: [dòng, lý do].")
    progress = models.PositiveSmallIntegerField(default=0)
    phase = models.CharField(max_length=120, blank=True)
    message = models.TextField(blank=True)
    engine = models.CharField(max_length=10, default="duckdb")
    seconds = models.FloatField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "lần nhập hồ sơ"
        verbose_name_plural = "các lần nhập hồ sơ"

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name} ({self.get_status_display()})"


class ComputeRun(models.Model):
    periods = models.JSONField(default=list)
    window = models.CharField(max_length=20, default="cutoff")
    rule_version = models.CharField(max_length=20)
    engine = models.CharField(max_length=10, default="duckdb")
    imports = models.JSONField(default=list, help_text="Các lần nhập hồ sơ có trong kho khi tính.")
    values_written = models.PositiveIntegerField(default=0)
    values_unchanged = models.PositiveIntegerField(default=0)
    values_locked = models.JSONField(default=list)
    seconds = models.FloatField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "lần tính chỉ tiêu từ hồ sơ"
        verbose_name_plural = "các lần tính chỉ tiêu từ hồ sơ"

    def __str__(self) -> str:
        return f"#{self.pk} {', '.join(self.periods)}"


class StoreLock(models.Model):
    """One row; writers of the dossier store take it (several app servers, one store)."""

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"dossier store v{self.version}"


class Dossier(models.Model):
    """The dossier store when the engine is PostgreSQL (upserted by ``code``)."""

    code = models.CharField(max_length=100, unique=True)
    procedure_code = models.CharField(max_length=100)
    procedure_name = models.CharField(max_length=500, null=True)
    online_level = models.CharField(max_length=10)
    paper_result = models.BooleanField(default=False)
    has_fee = models.BooleanField(default=False)
    unit_id = models.BigIntegerField(db_index=True)
    channel = models.CharField(max_length=10)
    received_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    returned_at = models.DateTimeField(null=True)
    status = models.CharField(max_length=200, null=True)
    supplement_count = models.IntegerField(null=True)
    supplement_days = models.IntegerField(null=True)
    digitised = models.BooleanField(default=False)
    result_digitised = models.BooleanField(default=False)
    e_result = models.BooleanField(default=False)
    fee_amount = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    paid_online = models.BooleanField(default=False)
    data_reuse = models.BooleanField(default=False)
    rating = models.CharField(max_length=15, null=True)
    complaint = models.BooleanField(default=False)
    synced = models.BooleanField(default=False)
    import_id = models.BigIntegerField()
    source_row = models.BigIntegerField()

    class Meta:
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        indexes = [models.Index(fields=["unit_id", "received_at"])]

    def __str__(self) -> str:
        return self.code
