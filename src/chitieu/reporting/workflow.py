"""Submission and approval: draft -> submitted -> approved, or returned with a reason; re-opening
needs a reason; approval walks the approval path (e.g. the monitoring office, then the province).
Every step is in the change log, and the people concerned get a notification."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from chitieu.audit.services import record
from chitieu.core.errors import Invalid
from chitieu.orgs import permissions
from chitieu.orgs.models import Membership, Role, Unit
from chitieu.reporting import selectors, validation
from chitieu.reporting.errors import WorkflowError
from chitieu.reporting.models import SUBMISSION_FLOW, DataValue, Notification, Submission, SubmissionStatus


def _notify(units: list[Unit], roles: set[str], text: str, link: str) -> int:
    users = {m.user for m in Membership.objects.filter(unit__in=units, role__in=roles).select_related("user")}
    Notification.objects.bulk_create([Notification(user=u, text=text[:500], link=link) for u in users])
    return len(users)


def _link(s: Submission) -> str:
    return f"/bao-cao/{s.pk}/"


def _state(s: Submission) -> dict:
    return {"status": s.status, "approval_step": s.approval_step, "approver_unit": s.approver_unit_id}


def check_before_submit(s: Submission) -> list[validation.Violation]:
    """Everything that stops a report from being sent: missing values, errors, unexplained outliers."""
    problems: list[validation.Violation] = []
    values = {dv.indicator_id: dv for dv in DataValue.objects.filter(unit=s.unit, period=s.period)}
    for t in selectors.submission_targets(s):
        if t.indicator_id is None:
            continue
        dv = values.get(t.indicator_id)
        if dv is None or not dv.has_data:
            problems.append(
                validation.Violation(
                    "missing", "error", f"{t.indicator.name}: chưa nhập số liệu.", t.indicator.code
                )
            )
            continue
        o = validation.outlier(t.indicator, s.unit, s.period, dv.numerator, dv.denominator, dv.value)
        if o is not None and not dv.comment.strip():
            problems.append(
                validation.Violation(
                    "outlier", "error", o.message + " (Bắt buộc ghi chú trước khi gửi.)", t.indicator.code
                )
            )
    current = validation.current_values(s.unit, s.period)
    problems += [v for v in validation.check_rules(current) if v.importance == "error"]
    problems += validation.check_parts(current)
    return problems


NARRATIVE_FIELDS = ("difficulties", "proposals", "next_priorities")
NARRATIVE_MAX = 20_000


@transaction.atomic
def submission_narrative_save(*, actor, submission: Submission, **texts: str) -> bool:
    """The report's hand-written parts (difficulties, proposals, next period's priorities); returns
    whether anything changed. Only while the report is open for entry; every change is recorded."""
    s = Submission.objects.select_for_update().get(pk=submission.pk)
    permissions.require(actor, permissions.ENTER, s.unit)
    unknown = set(texts) - set(NARRATIVE_FIELDS)
    if unknown:
        raise Invalid(f"Không có phần '{sorted(unknown)[0]}' trong báo cáo.", field=sorted(unknown)[0])
    if SUBMISSION_FLOW.transition(s.status, "save") is None:
        raise WorkflowError(f"Báo cáo đã {s.get_status_display().lower()}, số liệu bị khóa.")
    before = {f: getattr(s, f) for f in NARRATIVE_FIELDS}
    for f, text in texts.items():
        text = (text or "").strip()
        if len(text) > NARRATIVE_MAX:
            raise Invalid(f"Phần '{f}' dài quá {NARRATIVE_MAX} ký tự.", field=f)
        setattr(s, f, text)
    after = {f: getattr(s, f) for f in NARRATIVE_FIELDS}
    if after == before:
        return False
    s.save(update_fields=list(NARRATIVE_FIELDS))
    submission.__dict__.update(after)
    record(actor=actor, action="update", obj=s, before=before, after=after, reason="sửa phần thuyết minh")
    return True


@transaction.atomic
def submission_submit(*, actor, submission: Submission) -> Submission:
    s = Submission.objects.select_for_update().get(pk=submission.pk)
    permissions.require(actor, permissions.SUBMIT, s.unit)
    if s.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
        raise WorkflowError(f"Báo cáo đang ở trạng thái '{s.get_status_display()}', không gửi được.")
    problems = check_before_submit(s)
    if problems:
        raise WorkflowError("Chưa gửi được báo cáo: " + " ".join(p.message for p in problems))
    before = _state(s)
    now = timezone.now()
    s.status = SubmissionStatus.SUBMITTED
    s.submitted_at, s.submitted_by = now, actor
    s.first_submitted_at = s.first_submitted_at or now
    s.approval_step = 0
    s.approver_unit_id = s.approval_path[0] if s.approval_path else s.plan.issuer_id
    s.snapshot = selectors.values_snapshot(s)
    s.returned_reason = ""
    s.version += 1
    s.save()
    record(actor=actor, action="submit", obj=s, before=before, after=_state(s))
    if s.approver_unit_id:
        _notify(
            [s.approver_unit],
            {Role.APPROVER, Role.ADMIN},
            f"{s.unit.display_name} đã gửi báo cáo {selectors.period_label(s.period)} — chờ duyệt.",
            _link(s),
        )
    return s


def _require_approver(actor, s: Submission) -> None:
    if s.approver_unit is None:
        permissions.require(actor, permissions.MANAGE, s.plan.issuer)
    else:
        permissions.require(
            actor,
            permissions.APPROVE,
            s.approver_unit,
            message=f"Chỉ người duyệt của {s.approver_unit.display_name} được duyệt hoặc trả lại báo cáo này.",
        )


@transaction.atomic
def submission_approve(*, actor, submission: Submission, note: str = "") -> Submission:
    s = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("approver_unit", "plan__issuer")
        .get(pk=submission.pk)
    )
    _require_approver(actor, s)  # who asks comes first: a refusal never tells the report's state
    if s.status != SubmissionStatus.SUBMITTED:
        raise WorkflowError(f"Chỉ duyệt được báo cáo đã gửi (hiện: {s.get_status_display()}).")
    before = _state(s)
    if s.approval_step + 1 < len(s.approval_path):
        s.approval_step += 1
        s.approver_unit_id = s.approval_path[s.approval_step]
        s.save()
        record(
            actor=actor,
            action="approve",
            obj=s,
            before=before,
            after=_state(s),
            reason=note or "duyệt cấp dưới",
        )
        _notify(
            [Unit.objects.get(pk=s.approver_unit_id)],
            {Role.APPROVER, Role.ADMIN},
            f"Báo cáo {selectors.period_label(s.period)} của {s.unit.display_name} chờ duyệt cấp trên.",
            _link(s),
        )
        return s
    s.status = SubmissionStatus.APPROVED
    s.approved_at, s.approved_by = timezone.now(), actor
    s.save()
    record(actor=actor, action="approve", obj=s, before=before, after=_state(s), reason=note)
    _notify([s.unit], {Role.REPORTER}, f"Báo cáo {selectors.period_label(s.period)} đã được duyệt.", _link(s))
    return s


@transaction.atomic
def submission_return(*, actor, submission: Submission, reason: str) -> Submission:
    s = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("approver_unit", "plan__issuer")
        .get(pk=submission.pk)
    )
    _require_approver(actor, s)
    if s.status != SubmissionStatus.SUBMITTED:
        raise WorkflowError(f"Chỉ trả lại được báo cáo đã gửi (hiện: {s.get_status_display()}).")
    if not reason or not reason.strip():
        raise WorkflowError("Phải ghi lý do trả lại.", field="reason")
    before = _state(s)
    s.status = SubmissionStatus.RETURNED
    s.returned_reason = reason.strip()
    s.approval_step = 0
    s.save()
    record(actor=actor, action="return", obj=s, before=before, after=_state(s), reason=reason)
    _notify(
        [s.unit],
        {Role.REPORTER},
        f"Báo cáo {selectors.period_label(s.period)} bị trả lại: {reason.strip()[:200]}",
        _link(s),
    )
    return s


@transaction.atomic
def submission_reopen(*, actor, submission: Submission, reason: str) -> Submission:
    """Unlock an approved (or submitted) report so figures can be corrected."""
    s = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("approver_unit", "plan__issuer")
        .get(pk=submission.pk)
    )
    if not (
        permissions.has(actor, permissions.MANAGE, s.unit)
        or permissions.has(actor, permissions.APPROVE, s.approver_unit or s.plan.issuer)
    ):
        raise permissions.NotAllowed("Chỉ người duyệt hoặc quản trị được mở lại báo cáo.")
    if s.status not in (SubmissionStatus.APPROVED, SubmissionStatus.SUBMITTED):
        raise WorkflowError("Báo cáo chưa gửi, không cần mở lại.")
    if not reason or not reason.strip():
        raise WorkflowError("Phải ghi lý do mở lại báo cáo.", field="reason")
    before = _state(s)
    s.status = SubmissionStatus.RETURNED
    s.returned_reason = f"Mở lại: {reason.strip()}"
    s.approval_step = 0
    s.save()
    record(actor=actor, action="reopen", obj=s, before=before, after=_state(s), reason=reason)
    _notify(
        [s.unit],
        {Role.REPORTER},
        f"Báo cáo {selectors.period_label(s.period)} được mở lại: {reason[:200]}",
        _link(s),
    )
    return s
