"""Progress of plan tasks: the lead unit updates status, note and output; overdue comes from the
parsed deadline; recurring tasks ("Thường xuyên", "Hằng quý") get one entry per period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from chitieu.audit.services import record
from chitieu.core.periods import Period, PeriodKind
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit
from chitieu.plans.models import PlanStatus, Task
from chitieu.reporting.errors import ReportingError
from chitieu.reporting.models import TaskReport

STATUSES = {"not_started": "Chưa thực hiện", "in_progress": "Đang thực hiện", "done": "Hoàn thành"}
_KIND = {
    "monthly": PeriodKind.MONTH,
    "quarterly": PeriodKind.QUARTER,
    "yearly": PeriodKind.YEAR,
    "continuous": PeriodKind.QUARTER,
}


def task_period(task: Task, today: dt.date) -> str:
    """The period an entry belongs to: "" for a one-off task, the current period for a recurring one."""
    kind = _KIND.get(task.recurrence or "")
    return Period.containing(today, kind).id if kind else ""


@dataclass
class TaskRow:
    task: Task
    unit: Unit
    period: str
    report: TaskReport | None

    @property
    def status(self) -> str:
        return self.report.status if self.report else "not_started"

    @property
    def overdue(self) -> bool:
        return bool(
            self.task.deadline and self.task.deadline < timezone.localdate() and self.status != "done"
        )


def task_rows(user, *, today: dt.date | None = None) -> list[TaskRow]:
    today = today or timezone.localdate()
    units = permissions.units_for(user, permissions.VIEW)
    tasks = (
        Task.objects.filter(plan__status=PlanStatus.ACTIVE, lead_unit__in=units)
        .select_related("plan", "lead_unit")
        .order_by("deadline", "plan_id", "position")
    )
    rows = []
    reports = {(r.task_id, r.unit_id, r.period): r for r in TaskReport.objects.filter(task__in=tasks)}
    for t in tasks:
        p = task_period(t, today)
        rows.append(TaskRow(t, t.lead_unit, p, reports.get((t.pk, t.lead_unit_id, p))))
    return rows


@transaction.atomic
def task_report_save(
    *,
    actor,
    task: Task,
    unit: Unit,
    period: str,
    status: str,
    note: str = "",
    output: str = "",
    expected_version: int | None = None,
) -> TaskReport:
    permissions.require(actor, permissions.ENTER, unit)
    if task.lead_unit_id != unit.pk:
        raise ReportingError("Chỉ đơn vị chủ trì cập nhật tiến độ nhiệm vụ.")
    if status not in STATUSES:
        raise ReportingError(f"Tình trạng không hợp lệ: {status}", field="status")
    rep = TaskReport.objects.select_for_update().filter(task=task, unit=unit, period=period).first()
    before = None
    if rep is None:
        if expected_version not in (None, 0):
            raise ReportingError("Tiến độ đã được người khác cập nhật trước, hãy tải lại trang.")
        rep = TaskReport(task=task, unit=unit, period=period)
    else:
        if expected_version is not None and expected_version != rep.version:
            raise ReportingError(
                f"Tiến độ đã được {rep.updated_by or 'người khác'} cập nhật trước "
                f"({STATUSES[rep.status]}), hãy tải lại trang."
            )
        before = {"status": rep.status, "note": rep.note, "output": rep.output}
        rep.version += 1
    rep.status, rep.note, rep.output, rep.updated_by = status, note.strip(), output.strip(), actor
    rep.save()
    record(
        actor=actor,
        action="update" if before else "create",
        obj=rep,
        before=before,
        after={"status": status, "note": rep.note, "output": rep.output},
    )
    return rep
