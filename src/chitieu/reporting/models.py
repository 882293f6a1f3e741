"""Reporting regimes, the working-day calendar, and data values with their versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from chitieu.core.periods import PeriodKind
from chitieu.core.states import StateMachine, Transition


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
    approval_levels = models.PositiveSmallIntegerField(
        "số cấp duyệt",
        default=1,
        help_text="1: đơn vị theo dõi duyệt; 2: sau đó cơ quan ban hành kế hoạch duyệt.",
    )
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

    def provenance_display(self) -> str:
        """:meth:`provenance_vi` in the interface's language (the API and exports keep Vietnamese)."""
        from django.utils.translation import gettext as _

        who = getattr(self.entered_by, "username", "") if self.entered_by_id else ""
        match self.source:
            case ValueSource.IMPORTED:
                text = _("Nhập từ tệp %(file)s") % {"file": self.import_file}
                if self.import_row:
                    text += _(", dòng %(row)s") % {"row": self.import_row}
                return text + (_(" bởi %(who)s") % {"who": who} if who else "")
            case ValueSource.COMPUTED:
                return _("Tính từ %(source)s") % {"source": self.computed_from}
            case _:
                return _("Nhập tay bởi %(who)s") % {"who": who} if who else _("Nhập tay")


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


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Đang nhập"
    SUBMITTED = "submitted", "Đã gửi"
    APPROVED = "approved", "Đã duyệt"
    RETURNED = "returned", "Bị trả lại"


#: a report's workflow, declared once: services step through it, ``selectors.allowed_actions`` shows it
SUBMISSION_FLOW = StateMachine(
    "báo cáo",
    [
        Transition("save", frozenset({"draft", "returned"}), "draft", "Lưu số liệu"),
        Transition("attach", frozenset({"draft", "returned"}), "draft", "Đính kèm minh chứng"),
        Transition("submit", frozenset({"draft", "returned"}), "submitted", "Gửi"),
        Transition("approve", frozenset({"submitted"}), "approved", "Duyệt"),
        Transition("return", frozenset({"submitted"}), "returned", "Trả lại"),
        Transition("reopen", frozenset({"submitted", "approved"}), "returned", "Mở lại"),
    ],
    labels=dict(SubmissionStatus.choices),
)


class Submission(models.Model):
    """One unit's report on one plan for one period: what it owes, and where its report stands.

    Generated from active plans (:mod:`chitieu.reporting.obligations`). Approval walks the
    ``approval_path`` (unit ids, e.g. the monitoring office, then the province); ``approver_unit``
    is the current step.
    """

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="submissions")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="submissions")
    period = models.CharField("kỳ", max_length=8, db_index=True)
    period_kind = models.CharField(max_length=8, choices=PeriodKindChoices.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    window_start = models.DateField("số liệu từ", null=True, blank=True)
    window_end = models.DateField("số liệu đến", null=True, blank=True)
    due_date = models.DateField("hạn gửi")
    due_exclusive = models.BooleanField(default=True, help_text="Hạn 'trước ngày X': phải gửi trước ngày đó.")
    status = models.CharField(
        max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT, db_index=True
    )
    approver_unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="submissions_to_approve"
    )
    approval_path = models.JSONField(default=list, blank=True)
    approval_step = models.PositiveSmallIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_reason = models.TextField(blank=True)
    snapshot = models.JSONField(
        default=dict, blank=True, help_text="Số liệu tại lần gửi gần nhất, để bên duyệt thấy thay đổi."
    )
    version = models.PositiveIntegerField(default=1)
    difficulties = models.TextField("khó khăn, vướng mắc", blank=True)
    proposals = models.TextField("kiến nghị, đề xuất", blank=True)
    next_priorities = models.TextField("nhiệm vụ trọng tâm kỳ tới", blank=True)

    class Meta:
        verbose_name = "báo cáo kỳ"
        verbose_name_plural = "báo cáo kỳ"
        constraints = [models.UniqueConstraint(fields=["plan", "unit", "period"], name="one_submission")]
        indexes = [models.Index(fields=["unit", "period"]), models.Index(fields=["approver_unit", "status"])]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period} · {self.get_status_display()}"

    @property
    def last_on_time_day(self):
        import datetime as dt

        return self.due_date - dt.timedelta(days=1) if self.due_exclusive else self.due_date

    @property
    def locked(self) -> bool:
        return self.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)


def evidence_path(instance, filename: str) -> str:
    import uuid

    return f"evidence/{instance.unit_id}/{instance.period}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A file that backs a reported figure. Stored under a random name, served only through a view
    that checks the reader may see the unit's data, always as an attachment."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="evidence")
    period = models.CharField(max_length=8)
    indicator = models.ForeignKey("indicators.Indicator", null=True, blank=True, on_delete=models.PROTECT)
    file = models.FileField(upload_to=evidence_path)
    name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "minh chứng"
        verbose_name_plural = "minh chứng"

    def __str__(self) -> str:
        return self.name


class Importance(models.TextChoices):
    ERROR = "error", "Lỗi (chặn gửi)"
    WARNING = "warning", "Cảnh báo (cần ghi chú)"


class ValidationRule(models.Model):
    """A check over the values of one unit and period, DHIS2-style: left expression, operator,
    right expression. Expressions use indicator codes: ``#{ONLINE.num}``, ``#{ONLINE.den}``,
    ``#{COURSES}`` (the value, or a ratio's percentage), numbers and + - * / ( )."""

    name = models.CharField("tên quy tắc", max_length=200)
    left = models.CharField("vế trái", max_length=500)
    operator = models.CharField(
        "so sánh",
        max_length=2,
        choices=[("==", "="), ("!=", "≠"), ("<=", "≤"), ("<", "<"), (">=", "≥"), (">", ">")],
    )
    right = models.CharField("vế phải", max_length=500)
    importance = models.CharField(max_length=8, choices=Importance.choices, default=Importance.ERROR)
    message = models.CharField(
        "thông báo",
        max_length=300,
        help_text="Tiếng Việt, nêu rõ chỉ tiêu, ví dụ: 'Số hồ sơ trực tuyến vượt tổng số hồ sơ'.",
    )
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "quy tắc kiểm tra"
        verbose_name_plural = "quy tắc kiểm tra"

    def __str__(self) -> str:
        return self.name


class TaskReport(models.Model):
    """Progress of a plan task, per period for recurring tasks (period "" for one-off tasks)."""

    task = models.ForeignKey("plans.Task", on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="task_reports")
    period = models.CharField(max_length=8, blank=True)
    status = models.CharField(
        max_length=12,
        choices=[
            ("not_started", "Chưa thực hiện"),
            ("in_progress", "Đang thực hiện"),
            ("done", "Hoàn thành"),
        ],
        default="not_started",
    )
    note = models.TextField("ghi chú tiến độ", blank=True)
    output = models.CharField("sản phẩm", max_length=500, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "tiến độ nhiệm vụ"
        verbose_name_plural = "tiến độ nhiệm vụ"
        constraints = [models.UniqueConstraint(fields=["task", "unit", "period"], name="one_task_report")]

    def __str__(self) -> str:
        return f"{self.task_id}/{self.unit_id}/{self.period or '-'}: {self.status}"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=500)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:80]


class ReminderLog(models.Model):
    """One reminder of a kind per submission per day, whatever the number of worker runs."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10)  # upcoming | overdue
    day = models.DateField()
    sent_to = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "kind", "day"], name="one_reminder_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.kind} {self.day}"
