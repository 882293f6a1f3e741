"""Dossier imports and the computation of service indicators, in the browser."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from chitieu.core.periods import parse as parse_period
from chitieu.dossiers import forms, importing, jobs, units
from chitieu.dossiers.fields import FIELDS
from chitieu.dossiers.models import ComputeRun, DossierImport, ImportStatus, MappingProfile
from chitieu.dossiers.services import ComputeError, dossiers_compute
from chitieu.orgs import permissions

ACTIVE = (ImportStatus.CHECKING, ImportStatus.IMPORTING)


def _may_import(user) -> bool:
    return permissions.units_for(user, permissions.ENTER).exists()


@login_required
def home(request: HttpRequest) -> HttpResponse:
    mine = DossierImport.objects.select_related("created_by")
    if not permissions.is_global_admin(request.user):
        mine = mine.filter(created_by=request.user)
    return render(
        request,
        "dossiers/dossiers.html",
        {
            "imports": mine[:30],
            "runs": ComputeRun.objects.select_related("created_by")[:10],
            "profiles": MappingProfile.objects.order_by("name"),
            "may_import": _may_import(request.user),
        },
    )


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    f = request.FILES.get("file")
    if f is None:
        messages.error(request, "Chưa chọn tệp hồ sơ (CSV hoặc XLSX).")
        return redirect("dossiers:home")
    if f.name.lower().endswith(".xls"):
        messages.error(
            request,
            f"{f.name}: tệp Excel 97-2003 (.xls) chưa được hỗ trợ; hãy mở bằng Excel và lưu thành .xlsx hoặc CSV.",
        )
        return redirect("dossiers:home")
    if not f.name.lower().endswith((".csv", ".xlsx", ".txt", ".json", ".jsonl")):
        messages.error(
            request,
            f"{f.name}: chỉ nhận tệp .csv, .xlsx hoặc .txt (Unicode Text của Excel) xuất từ hệ thống một cửa, "
            "hoặc .json / .jsonl (bản ghi đồng bộ hồ sơ).",
        )
        return redirect("dossiers:home")
    profile = None
    if request.POST.get("profile"):
        profile = (
            MappingProfile.objects.filter(pk=request.POST["profile"]).first()
            if request.POST["profile"].isdigit()
            else None
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload"
        with open(path, "wb") as out:
            for chunk in f.chunks():
                out.write(chunk)
        try:
            imp = importing.import_create(actor=request.user, path=path, file_name=f.name, profile=profile)
        except importing.DossierImportError as exc:
            messages.error(request, exc.args[0])
            return redirect("dossiers:home")
        except permissions.NotAllowed as exc:
            raise PermissionDenied(exc.message)
    return redirect("dossiers:import", iid=imp.pk)


def _import_for(request: HttpRequest, iid: int) -> DossierImport:
    imp = get_object_or_404(DossierImport, pk=iid)
    if imp.created_by_id != request.user.pk and not permissions.is_global_admin(request.user):
        raise PermissionDenied("Bạn không xem được lần nhập của người khác.")
    return imp


@login_required
def import_detail(request: HttpRequest, iid: int) -> HttpResponse:
    imp = _import_for(request, iid)
    template = "dossiers/partials/dossier_progress.html" if request.htmx else "dossiers/dossier_import.html"
    fields = [(f, imp.mapping.get(f.name, "")) for f in FIELDS]
    report = imp.report or {}
    ambiguous = []
    for a in report.get("ambiguous", [])[: forms.MAX_CHOICES]:
        m = units.resolve(request.user, [a["value"]], allowed=None).get(a["value"])
        ambiguous.append((a, m.candidates if m is not None else []))
    return render(
        request,
        template,
        {
            "imp": imp,
            "fields": fields,
            "active": imp.status in ACTIVE,
            "profiles": MappingProfile.objects.order_by("name"),
            "unknown": report.get("unknown", [])[: forms.MAX_CHOICES],
            "ambiguous": ambiguous,
            "layout_rows": report.get("layout_rows", []),
        },
    )


@login_required
@require_POST
def import_mapping(request: HttpRequest, iid: int) -> HttpResponse:
    imp = _import_for(request, iid)
    if imp.status not in (ImportStatus.UPLOADED, ImportStatus.FAILED):
        messages.error(request, "Lần nhập này đã được kiểm tra; tải tệp lên lại để ghép cột khác.")
        return redirect("dossiers:import", iid=imp.pk)
    mapping = {f.name: request.POST.get(f"col_{f.name}", "") for f in FIELDS}
    mapping = {k: v for k, v in mapping.items() if v}
    try:
        importing.import_set_mapping(
            actor=request.user, imp=imp, mapping=mapping, save_as=request.POST.get("save_as", "")
        )
        imp.status = ImportStatus.UPLOADED
        jobs.start(imp, request.user, "check")
    except importing.DossierImportError as exc:
        messages.error(request, exc.args[0])
    return redirect("dossiers:import", iid=imp.pk)


@login_required
@require_POST
def import_values(request: HttpRequest, iid: int) -> HttpResponse:
    """The preview's fix: what the unknown spellings and shared unit names mean; then the check
    runs again on the staged file (the upload is not read again)."""
    imp = _import_for(request, iid)
    values, keep = forms.value_choices(imp.report, request.POST)
    if not values:
        messages.error(request, "Chưa chọn cách hiểu cho giá trị nào.")
        return redirect("dossiers:import", iid=imp.pk)
    importing.import_set_values(actor=request.user, imp=imp, values=values, save_to_profile=keep)
    jobs.start(imp, request.user, "check")
    return redirect("dossiers:import", iid=imp.pk)


@login_required
@require_POST
def import_decide(request: HttpRequest, iid: int) -> HttpResponse:
    imp = _import_for(request, iid)
    choice = request.POST.get("choice")
    if choice not in ("good", "none"):
        raise Http404("Lựa chọn không hợp lệ.")
    if imp.status != ImportStatus.CHECKED:
        messages.error(request, "Lần nhập này không chờ quyết định.")
        return redirect("dossiers:import", iid=imp.pk)
    jobs.start(imp, request.user, "commit", import_good=choice == "good")
    return redirect("dossiers:import", iid=imp.pk)


@login_required
@require_POST
def compute(request: HttpRequest) -> HttpResponse:
    periods = [p for p in request.POST.get("periods", "").replace(",", " ").split() if p]
    try:
        run = dossiers_compute(
            actor=request.user, periods=periods, window=request.POST.get("window", "cutoff")
        )
    except ComputeError as exc:
        messages.error(request, exc.args[0])
    except permissions.NotAllowed as exc:
        raise PermissionDenied(exc.message)
    else:
        messages.success(
            request,
            f"Đã tính {', '.join(parse_period(p).label_vi for p in run.periods)}: {run.values_written} số liệu ghi mới hoặc thay đổi, "
            f"{run.values_unchanged} không đổi, {len(run.values_locked)} bỏ qua vì báo cáo đã khóa.",
        )
    return redirect("dossiers:home")
