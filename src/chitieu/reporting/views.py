"""Reporting-cycle pages: what is due, the report form, approval, completeness, history, evidence."""

from __future__ import annotations

import mimetypes

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chitieu.audit.selectors import history_for
from chitieu.core.errors import Invalid, NotFound
from chitieu.core.evaluation import Measurement, Status, evaluate
from chitieu.core.periods import Period, PeriodKind
from chitieu.indicators.models import Indicator
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit
from chitieu.plans.models import Target
from chitieu.plans.selectors import target_spec
from chitieu.reporting import entry, selectors, workflow
from chitieu.reporting.errors import WorkflowError
from chitieu.reporting.evidence import evidence_attach
from chitieu.reporting.forms import (
    CompletenessForm,
    EvidenceForm,
    ExcelUploadForm,
    NarrativeForm,
    ReasonForm,
    TaskProgressForm,
    first_error,
)
from chitieu.reporting.models import Evidence, Notification, Submission, SubmissionStatus
from chitieu.ui.templatetags.chitieu import decimal_comma


def _submission_for(request: HttpRequest, sid: int) -> Submission:
    return permissions.get_visible(
        selectors.visible_submissions(request.user).select_related("plan__issuer"), sid, what="báo cáo"
    )


def _invalid(form) -> Invalid:
    return Invalid(first_error(form))


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
            "compilations": selectors.compilations_due(request.user),
            "today": today,
        },
    )


@login_required
def submission(request: HttpRequest, sid: int) -> HttpResponse:
    s = _submission_for(request, sid)
    actions = selectors.allowed_actions(request.user, s)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if "save" not in actions:
            permissions.require(request.user, permissions.ENTER, s.unit)
            raise WorkflowError(f"Báo cáo đã {s.get_status_display().lower()}, số liệu bị khóa.")
        result = entry.save_form(
            actor=request.user, submission=s, data=request.POST, decimal_comma=decimal_comma()
        )
        errors = result.errors
        if not errors:
            narrative = NarrativeForm(request.POST)
            if not narrative.is_valid():
                raise _invalid(narrative)
            workflow.submission_narrative_save(
                actor=request.user, submission=s, **narrative.texts(request.POST)
            )
            for w in result.warnings:
                messages.warning(request, w)
            if request.POST.get("action") == "submit":
                workflow.submission_submit(actor=request.user, submission=s)
                messages.success(request, "Đã gửi báo cáo.")
            else:
                messages.success(request, f"Đã lưu nháp ({result.saved} số liệu thay đổi).")
            return redirect("reporting:submission", sid=s.pk)
    return render(
        request,
        "reporting/submission.html",
        {
            "s": s,
            "rows": selectors.form_rows(s),
            "errors": errors,
            "post": request.POST if request.method == "POST" else None,
            "actions": actions,
            "can_enter": "save" in actions,
            "can_approve": "approve" in actions,
            "can_reopen": "reopen" in actions,
            "timeline": list(history_for("reporting.submission", s.pk)),
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


def _reasons(request: HttpRequest) -> ReasonForm:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise _invalid(form)
    return form


#: the approver's buttons: the service each calls, the form field it passes, what the page says after
_STEPS = {
    "approve": (workflow.submission_approve, "note", "Đã duyệt báo cáo."),
    "return": (workflow.submission_return, "reason", "Đã trả lại báo cáo."),
    "reopen": (workflow.submission_reopen, "reason", "Đã mở lại báo cáo."),
}


def _step(request: HttpRequest, sid: int, action: str) -> HttpResponse:
    s = _submission_for(request, sid)
    service, field, done = _STEPS[action]
    service(actor=request.user, submission=s, **{field: _reasons(request).cleaned_data[field]})
    messages.success(request, done)
    return redirect("reporting:submission", sid=s.pk)


@login_required
@require_POST
def approve(request: HttpRequest, sid: int) -> HttpResponse:
    return _step(request, sid, "approve")


@login_required
@require_POST
def return_(request: HttpRequest, sid: int) -> HttpResponse:
    return _step(request, sid, "return")


@login_required
@require_POST
def reopen(request: HttpRequest, sid: int) -> HttpResponse:
    return _step(request, sid, "reopen")


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
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        raise _invalid(form)
    f = form.cleaned_data["file"]
    ev = evidence_attach(
        actor=request.user,
        submission=s,
        indicator=form.cleaned_data["indicator"],
        file_name=f.name,
        data=f.read(settings.CHITIEU_EVIDENCE_MAX_BYTES + 1),
    )
    messages.success(request, f"Đã đính kèm minh chứng {ev.name}.")
    return redirect("reporting:submission", sid=s.pk)


@login_required
def evidence_download(request: HttpRequest, eid: int) -> FileResponse:
    ev = get_object_or_404(Evidence, pk=eid)
    if not permissions.has(
        request.user, permissions.VIEW, ev.unit
    ) and ev.unit_id not in selectors.monitored_unit_ids(request.user):
        raise permissions.NotAllowed("Bạn không có quyền xem minh chứng của đơn vị này.")
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
    form = CompletenessForm(request.GET)
    form.is_valid()
    data = form.cleaned_data if not form.errors else {}
    if form.errors.get("period"):
        messages.error(request, form.errors["period"][0])
    if form.errors.get("unit"):
        raise NotFound("Không tìm thấy đơn vị.")
    unit = data.get("unit") or permissions.home_unit(request.user)
    if unit is None:
        unit = Unit.objects.filter(parent__isnull=True).first()
    period = data.get("period") or _default_period(today)
    if (
        unit is not None
        and not permissions.has(request.user, permissions.VIEW, unit)
        and not permissions.is_global_admin(request.user)
    ):
        raise permissions.NotAllowed("Bạn không có quyền xem tình hình báo cáo của đơn vị này.")
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
    form = ExcelUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, first_error(form))
        else:
            f = form.cleaned_data["file"]
            report = excel.import_values(
                actor=request.user,
                data=f.read(excel.MAX_BYTES + 1),
                file_name=f.name,
                dry_run=form.cleaned_data["dry_run"],
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
        status=400 if (report is not None and not report.ok) or form.errors else 200,
    )


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    from chitieu.reporting import task_progress

    if request.method == "POST":
        form = TaskProgressForm(request.POST)
        if not form.is_valid():
            raise _invalid(form)
        d = form.cleaned_data
        task_progress.task_report_save(
            actor=request.user,
            task=d["task"],
            unit=d["task"].lead_unit,
            period=d["period"],
            status=d["status"],
            note=d["note"],
            output=d["output"],
            expected_version=d["version"],
        )
        messages.success(request, "Đã cập nhật tiến độ nhiệm vụ.")
        return redirect("reporting:tasks")
    rows = task_progress.task_rows(request.user)
    editable = {r.unit.pk for r in rows if permissions.has(request.user, permissions.ENTER, r.unit)}
    return render(
        request,
        "reporting/tasks.html",
        {"rows": rows, "editable": editable, "statuses": task_progress.STATUSES},
    )


@login_required
@require_POST
def schedule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The review page's schedule box: the plan's reporting sentences as the person corrects them."""
    from django.urls import reverse

    from chitieu.plans.selectors import visible_plans
    from chitieu.reporting import chain
    from chitieu.reporting.forms import ScheduleForm

    plan = permissions.get_visible(visible_plans(request.user), pk, what="kế hoạch")
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        raise Invalid("Lịch báo cáo dài quá 4.000 ký tự.", field="text")
    _, changed = chain.plan_schedule_edit(actor=request.user, plan=plan, text=form.cleaned_data["text"])
    if form.cleaned_data["text"]:
        msg = "Đã lưu lịch báo cáo của kế hoạch."
    else:
        msg = "Đã bỏ lịch riêng: kế hoạch theo chế độ báo cáo mặc định."
    if changed:
        msg += f" {changed} báo cáo chưa gửi được cập nhật hạn; báo cáo đã gửi, đã duyệt giữ nguyên."
    messages.success(request, msg)
    return redirect(reverse("plans:detail", args=[plan.pk]) + "#che-do-bao-cao")
