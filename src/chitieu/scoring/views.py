"""Scoring frameworks in the browser: definitions, the live 766 index, self-assessment, appraisal,
results with ranking (XLSX, CSV and a DOCX annex)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from chitieu.orgs import permissions
from chitieu.orgs.models import Unit, UnitKind
from chitieu.scoring import selectors, services
from chitieu.scoring.models import Assessment, AssessmentStatus, Framework
from chitieu.ui.tables import Table, export_response


def _framework(request: HttpRequest, fid: int) -> Framework:
    fw = selectors.visible_frameworks(request.user).filter(pk=fid).first()
    if fw is None:
        if Framework.objects.filter(pk=fid).exists():
            raise PermissionDenied("Bạn không có quyền xem bộ chỉ số này.")
        raise Http404("Không tìm thấy bộ chỉ số.")
    return fw


@login_required
def frameworks(request: HttpRequest) -> HttpResponse:
    problems: list[str] = []
    if request.method == "POST":
        f = request.FILES.get("file")
        owner = permissions.home_unit(request.user)
        if f is None:
            problems = ["Chưa chọn tệp định nghĩa bộ chỉ số (.yaml hoặc .xlsx)."]
        else:
            try:
                fw = services.framework_import(
                    actor=request.user,
                    owner=None if permissions.is_global_admin(request.user) else owner,
                    file_name=f.name,
                    data=f.read(),
                    period=request.POST.get("period", "").strip(),
                )
            except services.ScoringError as exc:
                problems = [exc.message, *[p for p in exc.problems if p != exc.message]]
            except permissions.NotAllowed as exc:
                raise PermissionDenied(exc.message)
            else:
                messages.success(request, f"Đã tạo bộ chỉ số {fw.name} ({fw.criteria.count()} tiêu chí).")
                return redirect("scoring:framework", fid=fw.pk)
    return render(
        request,
        "scoring/frameworks.html",
        {"items": selectors.visible_frameworks(request.user), "problems": problems},
        status=400 if problems else 200,
    )


SURVEY_MAX_BYTES = 5 * 1024 * 1024


@login_required
def framework(request: HttpRequest, fid: int) -> HttpResponse:
    fw = _framework(request, fid)
    manage = permissions.has(request.user, permissions.MANAGE, fw.owner)
    if request.method == "POST" and not manage:
        raise PermissionDenied("Chỉ cơ quan chủ trì đánh giá mở hoặc công bố được bộ chỉ số.")
    problems: list[str] = []
    if request.method == "POST" and request.POST.get("action") == "survey":
        f = request.FILES.get("file")
        if f is None:
            problems = ["Chưa chọn tệp kết quả điều tra (.csv hoặc .xlsx)."]
        elif f.size > SURVEY_MAX_BYTES:
            problems = [f"{f.name}: tệp quá lớn (tối đa 5 MB)."]
        else:
            try:
                n = services.survey_import(actor=request.user, framework=fw, file_name=f.name, data=f.read())
            except services.ScoringError as exc:
                problems = [exc.message, *[p for p in exc.problems if p != exc.message]]
            else:
                messages.success(request, f"Đã nhập {n} kết quả điều tra.")
                return redirect("scoring:framework", fid=fw.pk)
    elif request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "open":
                root = get_object_or_404(Unit, pk=int(request.POST.get("root") or 0))
                kind = request.POST.get("kind") or ""
                units = list(
                    Unit.objects.filter(
                        path__startswith=root.path, valid_to__isnull=True, **({"kind": kind} if kind else {})
                    ).exclude(pk=root.pk)
                )
                appraiser = (
                    get_user_model().objects.filter(username=request.POST.get("appraiser", "")).first()
                )
                services.framework_open(
                    actor=request.user,
                    framework=fw,
                    units=units,
                    appraisers={u.pk: [appraiser] for u in units} if appraiser else None,
                    period=request.POST.get("period") or fw.period,
                )
                messages.success(request, f"Đã mở đánh giá cho {len(units)} đơn vị.")
            elif action == "publish":
                n = services.framework_publish(actor=request.user, framework=fw)
                messages.success(request, f"Đã công bố kết quả của {n} đơn vị.")
        except services.ScoringError as exc:
            messages.error(request, exc.message)
        except (ValueError, permissions.NotAllowed) as exc:
            messages.error(request, str(getattr(exc, "message", exc)))
        return redirect("scoring:framework", fid=fw.pk)
    return render(
        request,
        "scoring/framework.html",
        {
            "fw": fw,
            "criteria": fw.criteria.select_related("indicator").order_by("position"),
            "assessments": selectors.assessments_for(request.user, fw),
            "counts": selectors.status_counts(fw),
            "manage": manage,
            "may_results": selectors.may_see_results(request.user, fw),
            "kinds": UnitKind.choices,
            "default_root": fw.owner
            or permissions.home_unit(request.user)
            or Unit.objects.order_by("depth", "path").first(),
            "has_survey": any(c.method == "survey" for c in fw.criteria.all()),
            "problems": problems,
        },
        status=400 if problems else 200,
    )


@login_required
def framework_live(request: HttpRequest, fid: int) -> HttpResponse:
    fw = _framework(request, fid)
    raw = request.GET.get("don-vi")
    unit = (
        get_object_or_404(Unit, pk=int(raw)) if raw and raw.isdigit() else permissions.home_unit(request.user)
    )
    if raw and not raw.isdigit():
        raise Http404("Mã đơn vị không hợp lệ.")
    if unit is None:
        unit = Unit.objects.order_by("depth", "path").first()
    if unit is None or not permissions.has(request.user, permissions.VIEW, unit):
        raise PermissionDenied("Bạn không có quyền xem số liệu của đơn vị này.")
    period = (request.GET.get("ky") or fw.period or "").strip()
    lines, total, possible, missing = selectors.live(fw, unit, period) if period else ([], None, 0, 0)
    table = Table(
        fw.name[:31],
        ["Mã", "Tiêu chí", "Giá trị (%)", "Điểm", "Điểm tối đa", "Nguồn"],
        [
            [ln.criterion.code, ln.criterion.name, ln.value, ln.points, ln.max_points, ln.source]
            for ln in lines
        ],
        f"{fw.code}-{unit.code}-{period}",
    )
    if (resp := export_response(request, table)) is not None:
        return resp
    return render(
        request,
        "scoring/framework_live.html",
        {
            "fw": fw,
            "unit": unit,
            "period": period,
            "lines": lines,
            "total": total,
            "possible": possible,
            "missing": missing,
        },
    )


def _assessment(request: HttpRequest, fid: int, aid: int) -> Assessment:
    fw = _framework(request, fid)
    a = selectors.assessments_for(request.user, fw).filter(pk=aid).first()
    if a is None:
        if Assessment.objects.filter(pk=aid, framework=fw).exists():
            raise PermissionDenied("Bạn không có quyền xem bản đánh giá này.")
        raise Http404("Không tìm thấy bản đánh giá.")
    return a


@login_required
def assessment(request: HttpRequest, fid: int, aid: int) -> HttpResponse:
    a = _assessment(request, fid, aid)
    may_self = services._may_self_assess(request.user, a) and a.status in (
        AssessmentStatus.DRAFT,
        AssessmentStatus.RETURNED,
    )
    may_appraise = services._may_appraise(request.user, a) and a.status == AssessmentStatus.SUBMITTED
    problems: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("save", "submit"):
                if not may_self:
                    raise PermissionDenied("Bạn không sửa được bản tự đánh giá này.")
                entries = {}
                for s in a.scores.select_related("criterion"):
                    c = s.criterion
                    key = f"c_{c.pk}"
                    if c.method == "manual":
                        entries[c.code] = {
                            "points": request.POST.get(key, ""),
                            "note": request.POST.get(f"{key}_note", ""),
                            "links": request.POST.get(f"{key}_links", "").splitlines(),
                        }
                    elif c.method == "yesno":
                        entries[c.code] = {
                            "met": request.POST.get(key) == "1",
                            "note": request.POST.get(f"{key}_note", ""),
                            "links": request.POST.get(f"{key}_links", "").splitlines(),
                        }
                problems = services.self_assess_save(actor=request.user, assessment=a, entries=entries)
                if not problems and action == "submit":
                    services.self_assess_submit(
                        actor=request.user, assessment=a, explanation=request.POST.get("explanation", "")
                    )
                    messages.success(request, "Đã gửi bản tự đánh giá.")
                elif not problems:
                    messages.success(request, "Đã lưu.")
            elif action in ("appraise", "return", "finalize"):
                if not may_appraise:
                    raise PermissionDenied("Bạn không thẩm định được bản này.")
                if action == "appraise":
                    changes = {}
                    for s in a.scores.select_related("criterion"):
                        v = request.POST.get(f"a_{s.criterion_id}", "").strip()
                        if v != "":
                            changes[s.criterion.code] = (
                                v,
                                request.POST.get(f"a_{s.criterion_id}_reason", ""),
                            )
                    problems = services.appraise_save(actor=request.user, assessment=a, changes=changes)
                    if not problems:
                        messages.success(request, "Đã lưu điểm thẩm định.")
                elif action == "return":
                    services.appraise_return(
                        actor=request.user, assessment=a, reason=request.POST.get("reason", "")
                    )
                    messages.success(request, "Đã trả lại để đơn vị giải trình.")
                else:
                    services.appraise_finalize(actor=request.user, assessment=a)
                    messages.success(request, "Đã hoàn tất thẩm định.")
            else:
                raise Http404("Thao tác không hợp lệ.")
        except services.ScoringError as exc:
            problems = [exc.message]
        except permissions.NotAllowed as exc:
            raise PermissionDenied(exc.message)
        if not problems:
            return redirect("scoring:assessment", fid=fid, aid=a.pk)
        a.refresh_from_db()
    return render(
        request,
        "scoring/assessment.html",
        {
            "a": a,
            "fw": a.framework,
            "lines": selectors.assessment_lines(a),
            "may_self": may_self,
            "may_appraise": may_appraise,
            "problems": problems,
        },
        status=400 if problems else 200,
    )


@login_required
def framework_results(request: HttpRequest, fid: int) -> HttpResponse:
    fw = _framework(request, fid)
    if not selectors.may_see_results(request.user, fw):
        raise PermissionDenied("Kết quả chưa được công bố.")
    res = selectors.results(fw)
    table = Table(
        "Kết quả",
        [
            "Hạng",
            "Đơn vị",
            "Tự đánh giá",
            "Thẩm định",
            *[f"{g.code}. {g.name}" for g in res.groups],
            "Năm trước",
            "Tăng/giảm",
            "Giải thích",
        ],
        [
            [
                r.rank,
                r.unit.name,
                r.self_total,
                r.final_total,
                *[r.groups[g.code] for g in res.groups],
                r.previous,
                r.change,
                r.explanation,
            ]
            for r in res.rows
        ],
        f"ket-qua-{fw.code}-{fw.period or fw.version}",
    )
    if request.GET.get("format") == "docx":
        return _annex(fw, res)
    if (resp := export_response(request, table)) is not None:
        return resp
    chosen = next(
        (r for r in res.rows if str(r.unit.pk) == request.GET.get("don-vi")),
        res.rows[0] if res.rows else None,
    )
    chart = {
        "bars": [
            {
                "name": r.unit.display_name,
                "value": float(r.final_total) if r.final_total is not None else None,
            }
            for r in res.rows
        ],
        "radar": selectors.radar(res, chosen) if chosen else None,
        "radar_name": chosen.unit.display_name if chosen else "",
    }
    return render(
        request, "scoring/framework_results.html", {"fw": fw, "res": res, "chart": chart, "chosen": chosen}
    )


def _annex(fw: Framework, res) -> HttpResponse:
    """A decision-style annex listing the ranking (DOCX, Times New Roman, A4)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    from chitieu.core.numbers import format_vi

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin = sec.bottom_margin = Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    for text, bold in (
        ("Phụ lục", True),
        (f"KẾT QUẢ XẾP HẠNG {fw.name.upper()}", True),
        (f"{'Kỳ ' + fw.period if fw.period else 'Phiên bản ' + fw.version}", False),
    ):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run(text)
        r.bold = bold
    t = doc.add_table(rows=1, cols=5)
    t.style = "Table Grid"
    for cell, head in zip(
        t.rows[0].cells, ["STT", "Đơn vị", "Điểm tự đánh giá", "Điểm thẩm định", "Xếp hạng"], strict=True
    ):
        cell.text = head
        cell.paragraphs[0].runs[0].bold = True
    for i, r in enumerate(res.rows, 1):
        cells = t.add_row().cells
        vals = [
            str(i),
            r.unit.name,
            format_vi(r.self_total, 2) if r.self_total is not None else "",
            format_vi(r.final_total, 2) if r.final_total is not None else "",
            str(r.rank or ""),
        ]
        for c, v in zip(cells, vals, strict=True):
            c.text = v
    buf = io.BytesIO()
    doc.save(buf)
    resp = HttpResponse(
        buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    resp["Content-Disposition"] = f'attachment; filename="phu-luc-xep-hang-{fw.code.lower()}.docx"'
    return resp


@login_required
@require_POST
def framework_reload(request: HttpRequest) -> HttpResponse:
    if not permissions.is_global_admin(request.user):
        raise PermissionDenied("Chỉ quản trị hệ thống nạp các bộ chỉ số có sẵn.")
    fws = services.load_shipped(period=request.POST.get("period", "").strip())
    messages.success(request, f"Có {len(fws)} bộ chỉ số có sẵn.")
    return redirect("scoring:frameworks")
