"""Official reports: the form to make one, the kept versions, downloads (DOCX, XLSX, PDF)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from chitieu.core.periods import Period, PeriodError, PeriodKind
from chitieu.core.periods import parse as parse_period
from chitieu.documents import render as doc_render
from chitieu.documents import services
from chitieu.documents.content import NARRATIVE_KEYS, ReportError, default_signer, narrative_from_submissions
from chitieu.documents.models import GeneratedReport, ReportKind
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit
from chitieu.reporting.models import Submission
from chitieu.ui.http import int_param

_FILES = {"docx": "docx", "xlsx": "xlsx", "pdf": "pdf"}


def _units_for(user) -> list[Unit]:
    """Units the user may make reports for: their own units and the units below (first 300)."""
    if permissions.is_global_admin(user):
        qs = Unit.objects.filter(valid_to__isnull=True, depth__lte=2)
    else:
        qs = permissions.units_for(user, permissions.VIEW).filter(valid_to__isnull=True)
    return list(qs.order_by("path")[:300])


def _periods(unit: Unit | None) -> list[str]:
    if unit is None:
        return []
    ids = (
        Submission.objects.filter(unit__path__startswith=unit.path)
        .values_list("period", flat=True)
        .distinct()
    )
    periods = []
    for pid in ids:
        try:
            periods.append(parse_period(pid))
        except PeriodError:
            continue
    return [p.id for p in sorted(periods, key=lambda p: (p.calendar_window.end, p.kind.value), reverse=True)]


def _default_period(periods: list[str]) -> str:
    today = timezone.localdate()
    current = Period.containing(today, PeriodKind.QUARTER).id
    past = [p for p in periods if parse_period(p).calendar_window.end <= today]
    return current if current in periods else (past[0] if past else (periods[0] if periods else ""))


@login_required
def report_form(request: HttpRequest) -> HttpResponse:
    units = _units_for(request.user)
    raw = request.POST.get("don-vi") or request.GET.get("don-vi")
    unit = None
    if raw:
        unit = permissions.get_visible(
            permissions.units_for(request.user, permissions.VIEW), raw, what="đơn vị"
        )
        if unit not in units:
            units.insert(0, unit)
    elif units:
        unit = permissions.home_unit(request.user) or units[0]
    kind = request.POST.get("loai") or request.GET.get("loai") or ReportKind.UNIT
    if kind not in ReportKind.values:
        raise Http404("Loại báo cáo không hợp lệ.")
    periods = _periods(unit)
    period = request.POST.get("ky") or request.GET.get("ky") or _default_period(periods)
    errors: dict[str, str] = {}
    if request.method == "POST" and unit is not None:
        data = request.POST
        number = None
        if data.get("so", "").strip():
            number = int_param(data["so"], max_digits=6)
            if number is None:
                errors["so"] = "Số văn bản phải là số nguyên, ví dụ 15."
        issued_on = None
        if data.get("ngay", "").strip():
            try:
                issued_on = dt.date.fromisoformat(data["ngay"].strip())
            except ValueError:
                errors["ngay"] = "Ngày không hợp lệ."
        if not errors:
            try:
                result = services.report_generate(
                    actor=request.user,
                    unit=unit,
                    period=period,
                    kind=kind,
                    number=number,
                    place=data.get("dia-danh", ""),
                    title=data.get("trich-yeu", ""),
                    issued_on=issued_on,
                    signer_lines=[x for x in data.get("chuc-vu", "").splitlines() if x.strip()] or None,
                    signer_name=data.get("nguoi-ky", ""),
                    recipients=[x for x in data.get("noi-nhan", "").splitlines() if x.strip()] or None,
                    narrative={k: data.get(k, "") for k in NARRATIVE_KEYS},
                    pdf=bool(data.get("pdf")),
                )
            except ReportError as exc:
                errors["general"] = exc.message
            else:
                for w in result.warnings:
                    messages.warning(request, w)
                messages.success(request, f"Đã lập báo cáo ({result.report.seconds:.1f} giây).")
                return redirect("documents:report_detail", rid=result.report.pk)
    prev = (
        GeneratedReport.objects.filter(unit=unit, period=period, kind=kind).first()
        if unit and period
        else None
    )
    subs = list(Submission.objects.filter(unit=unit, period=period)) if unit and period else []
    narrative = (prev.narrative if prev else None) or narrative_from_submissions(subs)
    initial = {
        "so": request.POST.get("so", prev.number if prev and prev.number else ""),
        "dia_danh": request.POST.get("dia-danh", prev.place if prev else ""),
        "trich_yeu": request.POST.get("trich-yeu", ""),
        "chuc_vu": request.POST.get(
            "chuc-vu", prev.signer_title if prev else "\n".join(default_signer(unit)) if unit else ""
        ),
        "nguoi_ky": request.POST.get("nguoi-ky", prev.signer_name if prev else ""),
        "noi_nhan": request.POST.get("noi-nhan", "\n".join(prev.recipients) if prev else ""),
        **{k: request.POST.get(k, narrative.get(k, "")) for k in NARRATIVE_KEYS},
    }
    kept = GeneratedReport.objects.filter(unit=unit).select_related("created_by")[:20] if unit else []
    return render(
        request,
        "documents/report_form.html",
        {
            "units": units,
            "unit": unit,
            "kind": kind,
            "kinds": ReportKind.choices,
            "periods": periods,
            "period": period,
            "initial": initial,
            "errors": errors,
            "kept": kept,
            "may_generate": unit is not None and services.may_generate(request.user, unit, kind),
            "pdf_available": doc_render.soffice() is not None,
        },
        status=400 if errors else 200,
    )


def _report_for(request: HttpRequest, rid: int) -> GeneratedReport:
    visible = permissions.restrict(GeneratedReport.objects.select_related("unit", "created_by"), request.user)
    return permissions.get_visible(visible, rid, what="văn bản báo cáo")


@login_required
def report_detail(request: HttpRequest, rid: int) -> HttpResponse:
    rep = _report_for(request, rid)
    versions = GeneratedReport.objects.filter(unit=rep.unit, period=rep.period, kind=rep.kind).select_related(
        "created_by"
    )
    return render(
        request,
        "documents/report_detail.html",
        {"rep": rep, "versions": versions, "pdf_available": doc_render.soffice() is not None},
    )


@login_required
def report_file(request: HttpRequest, rid: int, fmt: str) -> HttpResponse:
    rep = _report_for(request, rid)
    field = _FILES.get(fmt)
    if field is None:
        raise Http404("Định dạng không hỗ trợ.")
    f = getattr(rep, field)
    if not f:
        raise Http404("Báo cáo này chưa có bản " + fmt.upper() + ".")
    name = f"bao-cao-{rep.unit.code}-{rep.period}{'-phu-luc' if fmt == 'xlsx' else ''}.{fmt}".lower()
    return FileResponse(f.open("rb"), as_attachment=True, filename=name)


@login_required
@require_POST
def report_make_pdf(request: HttpRequest, rid: int) -> HttpResponse:
    rep = _report_for(request, rid)
    services.report_pdf(actor=request.user, report=rep)
    messages.success(request, "Đã tạo bản PDF.")
    return redirect("documents:report_detail", rid=rep.pk)
