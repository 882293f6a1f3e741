"""Reporting-cycle pages: what is due, the report form, approval, completeness, history, evidence."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chitieu.audit.selectors import history_for
from chitieu.core.evaluation import Measurement, Status, evaluate
from chitieu.core.periods import Period, PeriodError, PeriodKind
from chitieu.core.periods import parse as parse_period
from chitieu.indicators.models import Indicator
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit
from chitieu.plans.models import Target
from chitieu.plans.selectors import target_spec
from chitieu.reporting import entry, selectors, workflow
from chitieu.reporting.errors import ReportingError
from chitieu.reporting.models import Evidence, Notification, Submission, SubmissionStatus
from chitieu.ui.templatetags.chitieu import decimal_comma


def _submission_for(request: HttpRequest, sid: int) -> Submission:
    """One query for the report, then the same rule as ``selectors.visible_submissions`` in memory:
    the reporting unit's viewers, the current approver unit's approvers, the plan issuer's viewers."""
    s = Submission.objects.select_related("unit", "plan__issuer", "approver_unit").filter(pk=sid).first()
    if s is None:
        raise Http404("Không tìm thấy báo cáo.")
    user = request.user
    if not (
        permissions.has(user, permissions.VIEW, s.unit)
        or (s.approver_unit is not None and permissions.has(user, permissions.APPROVE, s.approver_unit))
        or (s.plan.issuer is not None and permissions.has(user, permissions.VIEW, s.plan.issuer))
    ):
        raise PermissionDenied("Bạn không có quyền xem báo cáo này.")
    return s


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    items = selectors.due_calendar(request.user)
    upcoming = [s for s in items if s.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)]
    done = [s for s in items if s.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)]
    return render(
        request,
        "reporting/reporting_calendar.html",
        {
            "upcoming": upcoming[:300],
            "done": done[-100:],
            "queue": selectors.approval_queue(request.user),
            "today": today,
        },
    )


@login_required
def submission(request: HttpRequest, sid: int) -> HttpResponse:
    s = _submission_for(request, sid)
    can_enter = permissions.has(request.user, permissions.ENTER, s.unit) and not s.locked
    can_approve = (
        s.status == SubmissionStatus.SUBMITTED
        and s.approver_unit is not None
        and permissions.has(request.user, permissions.APPROVE, s.approver_unit)
    )
    can_reopen = s.locked and (
        permissions.has(request.user, permissions.MANAGE, s.unit)
        or (
            s.approver_unit is not None
            and permissions.has(request.user, permissions.APPROVE, s.approver_unit)
        )
    )
    errors: dict[str, str] = {}
    warnings: list[str] = []
    if request.method == "POST":
        if not permissions.has(request.user, permissions.ENTER, s.unit):
            raise PermissionDenied("Bạn không có quyền nhập số liệu cho đơn vị này.")
        if s.locked:
            messages.error(request, "Báo cáo đã gửi hoặc đã duyệt, số liệu bị khóa.")
            return redirect("reporting:submission", sid=s.pk)
        result = entry.save_form(
            actor=request.user, submission=s, data=request.POST, decimal_comma=decimal_comma()
        )
        errors, warnings = result.errors, result.warnings
        if not errors:
            for field in ("difficulties", "proposals", "next_priorities"):
                if field in request.POST:
                    setattr(s, field, request.POST[field].strip())
            s.save(update_fields=["difficulties", "proposals", "next_priorities"])
            for w in warnings:
                messages.warning(request, w)
            if request.POST.get("action") == "submit":
                try:
                    workflow.submission_submit(actor=request.user, submission=s)
                except ReportingError as exc:
                    messages.error(request, exc.message)
                    return redirect("reporting:submission", sid=s.pk)
                messages.success(request, "Đã gửi báo cáo.")
            else:
                messages.success(request, f"Đã lưu nháp ({result.saved} số liệu thay đổi).")
            return redirect("reporting:submission", sid=s.pk)
    rows = selectors.form_rows(s)
    timeline = list(history_for("reporting.submission", s.pk))
    return render(
        request,
        "reporting/submission.html",
        {
            "s": s,
            "rows": rows,
            "errors": errors,
            "post": request.POST if request.method == "POST" else None,
            "can_enter": can_enter,
            "can_approve": can_approve,
            "can_reopen": can_reopen,
            "timeline": timeline,
            "period_label": selectors.period_label(s.period),
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def preview(request: HttpRequest, sid: int, tid: int) -> HttpResponse:
    """The rate and status of one row as it is being typed (HTMX)."""
    s = _submission_for(request, sid)
    t = get_object_or_404(Target, pk=tid, plan=s.plan)
    errs: dict[str, str] = {}
    dc = decimal_comma()
    num = entry.parse_input(request.POST.get(f"num_{tid}"), "tử số", "num", errs, decimal_comma=dc)
    den = entry.parse_input(request.POST.get(f"den_{tid}"), "mẫu số", "den", errs, decimal_comma=dc)
    val = entry.parse_input(request.POST.get(f"val_{tid}"), "giá trị", "val", errs, decimal_comma=dc)
    if t.indicator and t.indicator.is_ratio:
        m = Measurement(num, den) if num is not None and den is not None else Measurement()
    else:
        m = Measurement(value=val)
    status = Status.NO_DATA if errs else evaluate(target_spec(t), m)
    return render(
        request, "reporting/partials/preview.html", {"m": m, "status": status.value, "errors": errs, "t": t}
    )


@login_required
@require_POST
def approve(request: HttpRequest, sid: int) -> HttpResponse:
    s = _submission_for(request, sid)
    try:
        workflow.submission_approve(actor=request.user, submission=s, note=request.POST.get("note", ""))
        messages.success(request, "Đã duyệt báo cáo.")
    except ReportingError as exc:
        messages.error(request, exc.message)
    return redirect("reporting:submission", sid=s.pk)


@login_required
@require_POST
def return_(request: HttpRequest, sid: int) -> HttpResponse:
    s = _submission_for(request, sid)
    try:
        workflow.submission_return(actor=request.user, submission=s, reason=request.POST.get("reason", ""))
        messages.success(request, "Đã trả lại báo cáo.")
    except ReportingError as exc:
        messages.error(request, exc.message)
    return redirect("reporting:submission", sid=s.pk)


@login_required
@require_POST
def reopen(request: HttpRequest, sid: int) -> HttpResponse:
    s = _submission_for(request, sid)
    try:
        workflow.submission_reopen(actor=request.user, submission=s, reason=request.POST.get("reason", ""))
        messages.success(request, "Đã mở lại báo cáo.")
    except ReportingError as exc:
        messages.error(request, exc.message)
    return redirect("reporting:submission", sid=s.pk)


@login_required
def value_history(request: HttpRequest, sid: int, indicator_id: int) -> HttpResponse:
    s = _submission_for(request, sid)
    ind = get_object_or_404(Indicator, pk=indicator_id)
    return render(
        request,
        "reporting/value_history.html",
        {
            "s": s,
            "indicator": ind,
            "versions": selectors.value_history(ind.pk, s.unit, s.period),
            "period_label": selectors.period_label(s.period),
        },
    )


@login_required
@require_POST
def evidence_upload(request: HttpRequest, sid: int) -> HttpResponse:
    s = _submission_for(request, sid)
    permissions.require(request.user, permissions.ENTER, s.unit)
    f = request.FILES.get("file")
    indicator = Indicator.objects.filter(pk=request.POST.get("indicator") or 0).first()
    problem = None
    if f is None:
        problem = "Chưa chọn tệp minh chứng."
    else:
        suffix = Path(f.name).suffix.lower()
        if suffix not in settings.CHITIEU_EVIDENCE_TYPES:
            problem = f"{f.name}: chỉ nhận tệp {', '.join(settings.CHITIEU_EVIDENCE_TYPES)}."
        elif f.size > settings.CHITIEU_EVIDENCE_MAX_BYTES:
            problem = (
                f"{f.name}: tệp quá lớn (tối đa {settings.CHITIEU_EVIDENCE_MAX_BYTES // 1024 // 1024} MB)."
            )
        else:
            head = f.read(8)
            f.seek(0)
            expected = {
                ".pdf": (b"%PDF",),
                ".docx": (b"PK",),
                ".xlsx": (b"PK",),
                ".png": (b"\x89PNG",),
                ".jpg": (b"\xff\xd8",),
                ".jpeg": (b"\xff\xd8",),
            }[suffix]
            if not head.startswith(expected):
                problem = f"{f.name}: nội dung tệp không đúng định dạng {suffix}."
    if problem:
        messages.error(request, problem)
        return redirect("reporting:submission", sid=s.pk)
    data = f.read()
    ev = Evidence(
        unit=s.unit,
        period=s.period,
        indicator=indicator,
        name=Path(f.name).name[:255],
        size=len(data),
        content_type=settings.CHITIEU_EVIDENCE_TYPES[Path(f.name).suffix.lower()],
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=request.user,
    )
    from django.core.files.base import ContentFile

    ev.file.save("x", ContentFile(data), save=True)
    from chitieu.audit.services import record

    record(
        actor=request.user,
        action="create",
        obj=ev,
        after={"name": ev.name, "size": ev.size, "sha256": ev.sha256},
    )
    messages.success(request, f"Đã đính kèm minh chứng {ev.name}.")
    return redirect("reporting:submission", sid=s.pk)


@login_required
def evidence_download(request: HttpRequest, eid: int) -> FileResponse:
    ev = get_object_or_404(Evidence, pk=eid)
    if not permissions.has(
        request.user, permissions.VIEW, ev.unit
    ) and ev.unit_id not in selectors.monitored_unit_ids(request.user):
        raise PermissionDenied("Bạn không có quyền xem minh chứng của đơn vị này.")
    resp = FileResponse(
        ev.file.open("rb"),
        as_attachment=True,
        filename=ev.name,
        content_type=ev.content_type or mimetypes.guess_type(ev.name)[0] or "application/octet-stream",
    )
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return resp


def _default_period(today) -> Period:
    return Period.containing(today, PeriodKind.QUARTER)


@login_required
def completeness(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    home = permissions.home_unit(request.user)
    unit_id = request.GET.get("unit")
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id and unit_id.isdigit() else home
    if unit is None:
        unit = Unit.objects.filter(parent__isnull=True).first()
    try:
        period = parse_period(request.GET["period"]) if request.GET.get("period") else _default_period(today)
    except PeriodError as exc:
        messages.error(request, f"Kỳ báo cáo không hợp lệ: {exc}")
        period = _default_period(today)
    if (
        unit is not None
        and not permissions.has(request.user, permissions.VIEW, unit)
        and not permissions.is_global_admin(request.user)
    ):
        raise PermissionDenied("Bạn không có quyền xem tình hình báo cáo của đơn vị này.")
    c = selectors.completeness(request.user, unit, period.id, today=today) if unit else None
    periods = sorted({s for s in Submission.objects.values_list("period", flat=True).distinct()})
    # the reports by state, drawn with the status palette: on time as "met", late as "at risk" ...
    chart = (
        {
            "states": [
                {"status": "met", "label": _("Đúng hạn"), "n": c.on_time},
                {"status": "at_risk", "label": _("Trễ hạn"), "n": c.late},
                {"status": "not_met", "label": _("Chưa gửi, quá hạn"), "n": c.missing},
                {"status": "no_data", "label": _("Chưa đến hạn"), "n": c.pending},
            ]
        }
        if c
        else None
    )
    return render(
        request,
        "reporting/completeness.html",
        {"c": c, "unit": unit, "period": period, "periods": periods, "chart": chart},
    )


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    items = list(Notification.objects.filter(user=request.user)[:200])
    if request.method == "POST":
        Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
        return redirect("reporting:notifications")
    return render(request, "reporting/notifications.html", {"items": items})


@login_required
def excel_template(request: HttpRequest, sid: int) -> HttpResponse:
    from chitieu.reporting import excel

    s = _submission_for(request, sid)
    subtree = request.GET.get("all") == "1"
    data = excel.build_template(request.user, s.unit, s.period, subtree=subtree)
    name = f"so-lieu-{s.unit.code}-{s.period}{'-tat-ca' if subtree else ''}.xlsx"
    resp = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


@login_required
def excel_upload(request: HttpRequest) -> HttpResponse:
    from chitieu.reporting import excel

    report = None
    if request.method == "POST":
        f = request.FILES.get("file")
        if f is None:
            messages.error(request, "Chưa chọn tệp Excel.")
        elif not f.name.lower().endswith(".xlsx"):
            messages.error(request, f"{f.name}: chỉ nhận tệp .xlsx (biểu mẫu tải từ hệ thống).")
        else:
            report = excel.import_values(
                actor=request.user,
                data=f.read(excel.MAX_BYTES + 1),
                file_name=f.name,
                dry_run=bool(request.POST.get("dry_run")),
            )
            if report.ok and not report.dry_run:
                messages.success(
                    request,
                    f"Đã nhập {f.name}: {report.changed} số liệu thay đổi, {report.unchanged} không đổi.",
                )
    return render(
        request,
        "reporting/excel_upload.html",
        {"report": report},
        status=400 if report is not None and not report.ok else 200,
    )


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    from chitieu.plans.models import Task
    from chitieu.reporting import task_progress

    if request.method == "POST":
        task = get_object_or_404(Task, pk=request.POST.get("task") or 0)
        try:
            task_progress.task_report_save(
                actor=request.user,
                task=task,
                unit=task.lead_unit,
                period=request.POST.get("period", ""),
                status=request.POST.get("status", ""),
                note=request.POST.get("note", ""),
                output=request.POST.get("output", ""),
                expected_version=int(request.POST["version"])
                if request.POST.get("version", "").isdigit()
                else None,
            )
            messages.success(request, "Đã cập nhật tiến độ nhiệm vụ.")
        except ReportingError as exc:
            messages.error(request, exc.message)
        return redirect("reporting:tasks")
    rows = task_progress.task_rows(request.user)
    editable = {r.unit.pk for r in rows if permissions.has(request.user, permissions.ENTER, r.unit)}
    return render(
        request,
        "reporting/tasks.html",
        {"rows": rows, "editable": editable, "statuses": task_progress.STATUSES},
    )
