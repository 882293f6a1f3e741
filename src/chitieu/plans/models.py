"""Plans (Kế hoạch), their citations of parent documents, targets (chỉ tiêu) and tasks (nhiệm vụ)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from chitieu.orgs.models import Unit, UnitKind


class DocKind(models.TextChoices):
    PLAN = "plan", "Kế hoạch"
    REPORT = "report", "Báo cáo"
    DECISION = "decision", "Quyết định"
    PROGRAM = "program", "Chương trình"
    OFFICIAL_LETTER = "letter", "Công văn"
    OTHER = "other", "Khác"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    ACTIVE = "active", "Đang thực hiện"
    CLOSED = "closed", "Đã kết thúc"


class Plan(models.Model):
    issuer = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name="cơ quan ban hành",
    )
    issuer_name = models.CharField("cơ quan ban hành (như văn bản ghi)", max_length=255, blank=True)
    doc_kind = models.CharField("loại văn bản", max_length=10, choices=DocKind.choices, default=DocKind.PLAN)
    number_symbol = models.CharField(
        "số, ký hiệu", max_length=80, blank=True, help_text="Dự thảo có thể để trống số, ví dụ '/KH-SNV'."
    )
    date_text = models.CharField(
        "ngày ban hành",
        max_length=10,
        blank=True,
        help_text="ISO, có thể thiếu ngày/tháng: 2024-02-05, 2024-02, 2024.",
    )
    issued_on = models.DateField(null=True, blank=True, editable=False)
    place = models.CharField("địa danh", max_length=120, blank=True)
    title = models.TextField("trích yếu")
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    source_file = models.FileField("tệp gốc", upload_to="plans/%Y/", blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    source_text = models.TextField(
        blank=True, help_text="Văn bản đã đọc, theo dòng, để đối chiếu khi rà soát."
    )
    extraction = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-issued_on", "-id"]
        verbose_name = "kế hoạch"
        verbose_name_plural = "kế hoạch"

    def __str__(self) -> str:
        head = self.number_symbol or "(chưa có số)"
        return f"{head} — {self.title[:80]}"


class PlanCitation(models.Model):
    """A document this plan implements or is based on ("Thực hiện ...", "Căn cứ ...")."""

    class Relation(models.TextChoices):
        IMPLEMENTS = "implements", "Thực hiện"
        BASED_ON = "based_on", "Căn cứ"
        CITES = "cites", "Dẫn chiếu"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="citations")
    parent = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="children_citations"
    )
    number_symbol = models.CharField(max_length=80)
    date_text = models.CharField(max_length=10, blank=True)
    issuer_name = models.CharField(max_length=255, blank=True)
    relation = models.CharField(max_length=12, choices=Relation.choices, default=Relation.IMPLEMENTS)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = "văn bản căn cứ"
        verbose_name_plural = "văn bản căn cứ"

    def __str__(self) -> str:
        return f"{self.number_symbol} ({self.date_text})"


class Operator(models.TextChoices):
    GT = ">", "trên (>)"
    GE = ">=", "tối thiểu (≥)"
    EQ = "=", "bằng (=)"
    LE = "<=", "không quá (≤)"
    LT = "<", "dưới (<)"


class TargetUnit(models.TextChoices):
    PERCENT = "%", "%"
    COUNT = "count", "số lượng"
    OTHER = "other", "khác"


class Target(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(
        "indicators.Indicator",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
        verbose_name="chỉ tiêu trong danh mục",
    )
    text = models.TextField("nội dung chỉ tiêu")
    original_text = models.TextField("câu gốc", blank=True)
    operator = models.CharField("phép so sánh", max_length=2, choices=Operator.choices, default=Operator.GE)
    threshold = models.DecimalField("ngưỡng", max_digits=20, decimal_places=4)
    unit = models.CharField("đơn vị", max_length=5, choices=TargetUnit.choices, default=TargetUnit.PERCENT)
    scope = models.CharField("phạm vi áp dụng", max_length=120, blank=True, help_text="ví dụ: cấp sở, cấp xã")
    scope_kind = models.CharField("loại đơn vị áp dụng", max_length=20, choices=UnitKind.choices, blank=True)
    lead_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_targets",
        verbose_name="đơn vị chủ trì",
    )
    lead_unit_text = models.CharField("đơn vị chủ trì (như văn bản ghi)", max_length=255, blank=True)
    monitoring_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monitored_targets",
        verbose_name="đơn vị theo dõi, đôn đốc",
    )
    monitoring_unit_text = models.CharField(max_length=255, blank=True)
    coordinating_units = models.ManyToManyField(
        Unit, blank=True, related_name="coordinated_targets", verbose_name="đơn vị phối hợp"
    )
    assignees = models.ManyToManyField(
        Unit,
        blank=True,
        related_name="assigned_targets",
        verbose_name="đơn vị phải báo cáo",
        help_text="Để trống: đơn vị chủ trì, hoặc mọi đơn vị thuộc phạm vi áp dụng.",
    )
    due_date = models.DateField("hạn hoàn thành", null=True, blank=True)
    due_period = models.CharField("kỳ phải đạt", max_length=8, blank=True)
    weight = models.DecimalField(
        "trọng số",
        max_digits=6,
        decimal_places=2,
        default=1,
        help_text="Dùng khi xếp hạng đơn vị theo tỷ lệ chỉ tiêu đạt có trọng số.",
    )
    source_line = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "id"]
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        constraints = [
            models.CheckConstraint(condition=Q(threshold__gte=0), name="target_threshold_nonnegative"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="target_weight_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.text[:80]} ({self.get_operator_display()} {self.threshold.normalize():f}{'%' if self.unit == '%' else ''})"


class Recurrence(models.TextChoices):
    CONTINUOUS = "continuous", "Thường xuyên"
    MONTHLY = "monthly", "Hằng tháng"
    QUARTERLY = "quarterly", "Hằng quý"
    YEARLY = "yearly", "Hằng năm"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Hoàn thành"


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.CharField("mục", max_length=255, blank=True)
    text = models.TextField("nội dung nhiệm vụ")
    lead_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
        verbose_name="đơn vị chủ trì",
    )
    lead_unit_text = models.CharField(max_length=255, blank=True)
    coordinating_units = models.ManyToManyField(Unit, blank=True, related_name="coordinated_tasks")
    coordinating_text = models.CharField(max_length=500, blank=True)
    deadline_phrase = models.CharField("thời hạn (như văn bản ghi)", max_length=255, blank=True)
    deadline = models.DateField("hạn", null=True, blank=True)
    recurrence = models.CharField("lặp lại", max_length=12, choices=Recurrence.choices, blank=True)
    expected_output = models.CharField("sản phẩm", max_length=500, blank=True)
    status = models.CharField(
        "tình trạng", max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress_note = models.TextField("ghi chú tiến độ", blank=True)
    output = models.CharField("sản phẩm đã có", max_length=500, blank=True)
    source_line = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "id"]
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"

    def __str__(self) -> str:
        return self.text[:100]
