"""Scoring frameworks (versioned criteria trees), yearly assessments, criterion scores.

A unit's self-assessed and appraised points are both kept; a score always refers to the version
of the framework it was made under (a new year's version is a new :class:`Framework`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", "Chưa mở đánh giá"
    OPEN = "open", "Đang tự đánh giá, thẩm định"
    PUBLISHED = "published", "Đã công bố kết quả"


class Framework(models.Model):
    code = models.CharField("mã bộ chỉ số", max_length=40)
    name = models.CharField("tên", max_length=300)
    version = models.CharField("phiên bản", max_length=40)
    period = models.CharField(
        "kỳ đánh giá", max_length=8, blank=True, help_text="Ví dụ 2026 (năm) hoặc 2026Q3."
    )
    max_points = models.DecimalField(max_digits=10, decimal_places=2)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="frameworks",
        verbose_name="cơ quan chủ trì đánh giá",
    )
    status = models.CharField(max_length=10, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT)
    deadline = models.DateField("hạn tự đánh giá", null=True, blank=True)
    source = models.TextField("định nghĩa gốc (YAML)", blank=True)
    basis = models.CharField("văn bản quy định", max_length=300, blank=True)
    references = models.JSONField("phiên bản kế tiếp, số tiêu chí theo văn bản", default=dict, blank=True)
    classes = models.JSONField("xếp loại theo tỷ lệ điểm", default=list, blank=True)
    split = models.JSONField("điểm điều tra / thẩm định", default=dict, blank=True)
    merge_rule = models.CharField(
        "kết quả đơn vị hợp nhất", max_length=8, default="sum", help_text="sum hoặc average"
    )
    scale = models.CharField(
        "dạng kết quả công bố", max_length=8, default="points", help_text="points hoặc ratio (0-1)"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code", "-version", "-id"]
        verbose_name = "bộ chỉ số"
        verbose_name_plural = "bộ chỉ số"
        constraints = [
            models.UniqueConstraint(fields=["code", "version", "period"], name="one_framework_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version}{', ' + self.period if self.period else ''})"


class Criterion(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=400)
    max_points = models.DecimalField(max_digits=10, decimal_places=2)
    method = models.CharField(max_length=10)
    indicator = models.ForeignKey("indicators.Indicator", null=True, blank=True, on_delete=models.PROTECT)
    multiply_by = models.ForeignKey(
        "indicators.Indicator", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    threshold = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    bands = models.JSONField(default=list, blank=True)
    step = models.DecimalField("điểm trừ mỗi lần", max_digits=8, decimal_places=4, null=True, blank=True)
    measure = models.CharField("đơn vị giá trị nhập", max_length=20, blank=True)
    evidence_required = models.BooleanField(default=False)
    confirmed = models.BooleanField(default=True)
    formula_published = models.BooleanField("đã có công thức công bố", default=True)
    basis = models.CharField("nguồn", max_length=12, blank=True)
    components = models.PositiveSmallIntegerField("số chỉ số thành phần theo văn bản", null=True, blank=True)
    note = models.TextField(blank=True)
    method_text = models.TextField("cách chấm theo văn bản", blank=True)
    evidence_text = models.TextField("tài liệu kiểm chứng", blank=True)
    source_line = models.PositiveIntegerField("dòng trong văn bản", null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    depth = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "position"]
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="unique_criterion_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Đang tự đánh giá"
    SUBMITTED = "submitted", "Đã gửi, chờ thẩm định"
    RETURNED = "returned", "Trả lại để giải trình"
    APPRAISED = "appraised", "Đã thẩm định"
    PUBLISHED = "published", "Đã công bố"


class Assessment(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    appraisers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="appraisals")
    self_total = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    final_total = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    returned_count = models.PositiveSmallIntegerField(default=0)
    returned_reason = models.TextField(blank=True)
    explanation = models.TextField("giải trình", blank=True)
    appraised_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "đánh giá của đơn vị"
        verbose_name_plural = "đánh giá của đơn vị"
        constraints = [models.UniqueConstraint(fields=["framework", "unit"], name="one_assessment_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit} — {self.framework}"


class ScoreOrigin(models.TextChoices):
    DOSSIER = "dossier", "Tính từ hồ sơ một cửa"
    ENTERED = "entered", "Số liệu nhập tay"
    IMPORTED = "imported", "Số liệu nhập từ tệp"
    MIXED = "mixed", "Số liệu cộng từ nhiều nguồn"
    SURVEY = "survey", "Kết quả điều tra"
    ASSESSMENT = "assessment", "Đơn vị nhập khi tự đánh giá"
    NA = "na", "Không phát sinh (N/A)"


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField("giá trị (%)", max_digits=12, decimal_places=4, null=True, blank=True)
    value_source = models.CharField(max_length=300, blank=True)
    origin = models.CharField(max_length=12, choices=ScoreOrigin.choices, blank=True)
    met = models.BooleanField(null=True, blank=True)
    self_points = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    self_note = models.TextField(blank=True)
    appraised_points = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    appraisal_reason = models.TextField(blank=True)
    evidence_links = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "điểm tiêu chí"
        verbose_name_plural = "điểm tiêu chí"
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="one_score")]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.criterion.code}"


def evidence_path(instance, filename: str) -> str:
    import uuid

    return f"scoring/{instance.score.assessment_id}/{uuid.uuid4().hex}"


class ScoreEvidence(models.Model):
    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=evidence_path)
    name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "minh chứng chấm điểm"
        verbose_name_plural = "minh chứng chấm điểm"

    def __str__(self) -> str:
        return self.name


class SurveyResult(models.Model):
    """An imported survey figure (percentage) for a unit and a framework's survey criterion."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="survey_results")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT)
    value = models.DecimalField(max_digits=8, decimal_places=4)
    source = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["criterion", "unit"], name="one_survey_result")]

    def __str__(self) -> str:
        return f"{self.criterion_id}/{self.unit_id}: {self.value}"


class DraftStatus(models.TextChoices):
    REVIEW = "review", "Đang rà soát"
    ACTIVATED = "activated", "Đã kích hoạt"
    DISCARDED = "discarded", "Đã hủy"


class DraftKind(models.TextChoices):
    DOCUMENT = "document", "Đọc từ quyết định"
    TEMPLATE = "template", "Khung cần điền"


def draft_source_path(instance, filename: str) -> str:
    import uuid

    return f"scoring/drafts/{uuid.uuid4().hex}"


class FrameworkDraft(models.Model):
    """A framework being prepared: read from a province's decision (its annex table) or copied
    from a shipped template (PAR Index 876/QĐ-BNV), reviewed row by row beside its source, then
    activated as a :class:`Framework` version. ``rows`` is the flat tree in reading order; each
    row names its parent by code."""

    owner = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="framework_drafts"
    )
    kind = models.CharField(max_length=10, choices=DraftKind.choices, default=DraftKind.DOCUMENT)
    code = models.CharField("mã bộ chỉ số", max_length=40)
    name = models.CharField("tên", max_length=300)
    version = models.CharField("phiên bản", max_length=40)
    period = models.CharField("kỳ đánh giá", max_length=8, blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    source_file = models.FileField(upload_to=draft_source_path, blank=True)
    source_text = models.TextField(blank=True)
    meta = models.JSONField(default=dict, blank=True)
    rows = models.JSONField(default=list, blank=True)
    stated_total = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    findings = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=DraftStatus.choices, default=DraftStatus.REVIEW)
    framework = models.ForeignKey(
        Framework, null=True, blank=True, on_delete=models.SET_NULL, related_name="drafts"
    )
    version_no = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "bộ chỉ số đang rà soát"
        verbose_name_plural = "bộ chỉ số đang rà soát"

    def __str__(self) -> str:
        return f"{self.name} ({self.version}, {self.get_status_display()})"


class PublishedScore(models.Model):
    """An official published result for a unit: a group's (or main index's) points, or the total
    (``code`` empty), imported from the year's published table."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="published")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    code = models.CharField("mã tiêu chí (trống: tổng)", max_length=40, blank=True)
    points = models.DecimalField(max_digits=12, decimal_places=4)
    raw = models.CharField("giá trị như trong tệp", max_length=40, blank=True)
    source = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = "kết quả công bố"
        verbose_name_plural = "kết quả công bố"
        constraints = [
            models.UniqueConstraint(fields=["framework", "unit", "code"], name="one_published_score")
        ]

    def __str__(self) -> str:
        return f"{self.framework_id}/{self.unit_id}/{self.code or 'tổng'}: {self.points}"
