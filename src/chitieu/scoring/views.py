"""Scoring pages: frameworks (imported, shipped, or read from a province's decision and reviewed
beside it), the live 766 index, self-assessment and appraisal, results with ranking and annex, and
published results side by side. Thin: forms read the input, services decide and write, selectors
read; domain errors are answered once by the error middleware."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from chitieu.core import scoring as core
from chitieu.core.errors import NotAllowed, NotFound
from chitieu.core.numbers import decimal_text
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit, UnitKind
from chitieu.scoring import annex, definitions, drafts, published, selectors, services, workflow
from chitieu.scoring.errors import ScoringError
from chitieu.scoring.forms import (
    DecisionUploadForm,
    DraftMetaForm,
    DraftRowForm,
    PublishedUploadForm,
    typed_number,
)
from chitieu.scoring.models import Assessment, Framework, FrameworkDraft
from chitieu.ui.tables import Table, export_response

SURVEY_MAX_BYTES = 5 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _int(raw) -> int | None:
    """An id typed in a query or a form; None unless plain digits ("²" is a digit to str.isdigit)."""
    raw = str(raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdecimal() and len(raw) <= 18 else None


def _framework(request: HttpRequest, fid: int) -> Framework:
    return permissions.get_visible(selectors.visible_frameworks(request.user), fid, what="bộ chỉ số")


def _draft(request: HttpRequest, did: int) -> FrameworkDraft:
    return permissions.get_visible(selectors.visible_drafts(request.user), did, what="bộ chỉ số đang rà soát")


def _problems(exc: ScoringError) -> list[str]:
    return [exc.message, *[m for m in exc.messages if m != exc.message]]


def _managed_units(user):
    units = permissions.units_for(user, permissions.MANAGE).filter(valid_to__isnull=True).order_by("path")
    if permissions.is_global_admin(user):
        units = units.exclude(kind="commune").filter(depth__lte=3)
    return units


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
            except ScoringError as exc:
                problems = _problems(exc)
            else:
                messages.success(request, f"Đã tạo bộ chỉ số {fw.name} ({fw.criteria.count()} tiêu chí).")
                return redirect("scoring:framework", fid=fw.pk)
    templates = []
    for path in definitions.template_files():
        import yaml

        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        templates.append(
            {
                "code": raw["code"],
                "name": raw["name"],
                "basis": raw.get("basis", ""),
                "version": raw["version"],
            }
        )
    return render(
        request,
        "scoring/frameworks.html",
        {
            "items": selectors.visible_frameworks(request.user),
            "drafts": selectors.visible_drafts(request.user).filter(status="review"),
            "templates": templates,
            "may_draft": _managed_units(request.user).exists(),
            "problems": problems,
        },
        status=400 if problems else 200,
    )


@login_required
def framework(request: HttpRequest, fid: int) -> HttpResponse:
    fw = _framework(request, fid)
    manage = permissions.has(request.user, permissions.MANAGE, fw.owner)
    if request.method == "POST" and not manage:
        raise NotAllowed("Chỉ cơ quan chủ trì đánh giá mở hoặc công bố được bộ chỉ số.")
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
            except ScoringError as exc:
                problems = _problems(exc)
            else:
                messages.success(request, f"Đã nhập {n} kết quả điều tra.")
                return redirect("scoring:framework", fid=fw.pk)
    elif request.method == "POST":
        action = request.POST.get("action")
        if action == "open":
            pk = _int(request.POST.get("root"))
            root = Unit.objects.filter(pk=pk).first() if pk else None
            if root is None:
                raise NotFound("Không tìm thấy đơn vị.")
            kind = request.POST.get("kind") or ""
            units = list(
                Unit.objects.filter(
                    path__startswith=root.path, valid_to__isnull=True, **({"kind": kind} if kind else {})
                ).exclude(pk=root.pk)
            )
            appraiser = get_user_model().objects.filter(username=request.POST.get("appraiser", "")).first()
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
            "notes": annex.notes(fw),
            "method_labels": core.METHOD_LABELS,
        },
        status=400 if problems else 200,
    )


@login_required
def framework_live(request: HttpRequest, fid: int) -> HttpResponse:
    fw = _framework(request, fid)
    raw = request.GET.get("don-vi")
    if raw and _int(raw) is None:
        raise NotFound("Mã đơn vị không hợp lệ.")
    unit = Unit.objects.filter(pk=_int(raw)).first() if raw else permissions.home_unit(request.user)
    if raw and unit is None:
        raise NotFound("Không tìm thấy đơn vị.")
    if unit is None:
        unit = Unit.objects.order_by("depth", "path").first()
    if unit is None or not permissions.has(request.user, permissions.VIEW, unit):
        raise NotAllowed("Bạn không có quyền xem số liệu của đơn vị này.")
    period = (request.GET.get("ky") or fw.period or "").strip()
    lines, total, possible, missing = selectors.live(fw, unit, period) if period else ([], None, 0, 0)
    table = Table(
        fw.name[:31],
        ["Mã", "Tiêu chí", "Giá trị (%)", "Điểm", "Điểm tối đa", "Công thức đã công bố", "Nguồn"],
        [
            [
                ln.criterion.code,
                ln.criterion.name,
                ln.value,
                ln.points,
                ln.max_points,
                "có" if ln.criterion.formula_published else "chưa",
                ln.source,
            ]
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
            "notes": annex.notes(fw),
        },
    )


def _assessment(request: HttpRequest, fid: int, aid: int) -> Assessment:
    fw = _framework(request, fid)
    return permissions.get_visible(selectors.assessments_for(request.user, fw), aid, what="bản đánh giá")


def _entries(request: HttpRequest, a: Assessment) -> dict[str, dict]:
    fdef = {c.code: c for c in definitions.definition(a.framework).walk()}
    entries = {}
    for s in a.scores.select_related("criterion"):
        c = s.criterion
        key = f"c_{c.pk}"
        entry = fdef[c.code].entry
        base = {
            "note": request.POST.get(f"{key}_note", ""),
            "links": request.POST.get(f"{key}_links", "").splitlines(),
        }
        if entry == "points":
            entries[c.code] = {"points": typed_number(request.POST.get(key, "")), **base}
        elif entry == "met":
            entries[c.code] = {"met": request.POST.get(key) == "1", **base}
        elif entry in ("value", "count") and key in request.POST:
            entries[c.code] = {"value": typed_number(request.POST.get(key, "")), **base}
    return entries


@login_required
def assessment(request: HttpRequest, fid: int, aid: int) -> HttpResponse:
    a = _assessment(request, fid, aid)
    allowed = workflow.allowed_actions(request.user, a)
    problems: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("save", "submit"):
            if "self_save" not in allowed:
                workflow.require(request.user, a, "self_save")  # says why: the person or the state
            problems = services.self_assess_save(
                actor=request.user, assessment=a, entries=_entries(request, a)
            )
            if not problems and action == "submit":
                try:
                    services.self_assess_submit(
                        actor=request.user, assessment=a, explanation=request.POST.get("explanation", "")
                    )
                except ScoringError as exc:
                    problems = [exc.message]
                else:
                    messages.success(request, "Đã gửi bản tự đánh giá.")
            elif not problems:
                messages.success(request, "Đã lưu.")
        elif action in ("appraise", "return", "finalize"):
            if action not in allowed:
                workflow.require(request.user, a, action)
            if action == "appraise":
                changes = {}
                for s in a.scores.select_related("criterion"):
                    v = request.POST.get(f"a_{s.criterion_id}", "").strip()
                    if v != "":
                        changes[s.criterion.code] = (
                            typed_number(v),
                            request.POST.get(f"a_{s.criterion_id}_reason", ""),
                        )
                problems = services.appraise_save(actor=request.user, assessment=a, changes=changes)
                if not problems:
                    messages.success(request, "Đã lưu điểm thẩm định.")
            elif action == "return":
                try:
                    services.appraise_return(
                        actor=request.user, assessment=a, reason=request.POST.get("reason", "")
                    )
                except ScoringError as exc:
                    problems = [exc.message]
                else:
                    messages.success(request, "Đã trả lại để đơn vị giải trình.")
            else:
                services.appraise_finalize(actor=request.user, assessment=a)
                messages.success(request, "Đã hoàn tất thẩm định.")
        else:
            raise NotFound("Thao tác không hợp lệ.")
        if not problems:
            return redirect("scoring:assessment", fid=fid, aid=a.pk)
        a.refresh_from_db()
        allowed = workflow.allowed_actions(request.user, a)
    fdef = {c.code: c for c in definitions.definition(a.framework).walk()}
    lines = selectors.assessment_lines(a)
    for ln in lines:
        ln["entry"] = fdef[ln["criterion"].code].entry if ln["leaf"] else ""
    return render(
        request,
        "scoring/assessment.html",
        {
            "a": a,
            "fw": a.framework,
            "lines": lines,
            "allowed": allowed,
            "may_self": "self_save" in allowed,
            "may_appraise": "appraise" in allowed,
            "problems": problems,
        },
        status=400 if problems else 200,
    )


@login_required
def framework_results(request: HttpRequest, fid: int) -> HttpResponse:
    fw = _framework(request, fid)
    if not selectors.may_see_results(request.user, fw):
        raise NotAllowed("Kết quả chưa được công bố.")
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
        resp = HttpResponse(annex.ranking_annex(fw, res), content_type=DOCX)
        resp["Content-Disposition"] = f'attachment; filename="phu-luc-xep-hang-{fw.pk}.docx"'
        return resp
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
        request,
        "scoring/framework_results.html",
        {"fw": fw, "res": res, "chart": chart, "chosen": chosen, "notes": annex.notes(fw)},
    )


@login_required
def framework_published(request: HttpRequest, fid: int) -> HttpResponse:
    """Published results: import the year's table; self-assessed, appraised and published side by side."""
    fw = _framework(request, fid)
    manage = permissions.has(request.user, permissions.MANAGE, fw.owner)
    form = PublishedUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST":
        if not manage:
            raise NotAllowed("Chỉ cơ quan chủ trì đánh giá nhập kết quả công bố.")
        if form.is_valid():
            f = form.cleaned_data["file"]
            try:
                n = published.published_import(
                    actor=request.user,
                    framework=fw,
                    file_name=f.name,
                    data=f.read(published.MAX_BYTES + 1),
                    scale=form.cleaned_data.get("scale") or None,
                )
            except ScoringError as exc:
                problems = _problems(exc)
            else:
                messages.success(request, f"Đã nhập {n} kết quả công bố.")
                return redirect("scoring:framework_published", fid=fw.pk)
        else:
            problems = [e for errs in form.errors.values() for e in errs]
    if not (manage or selectors.may_see_results(request.user, fw)):
        raise NotAllowed("Kết quả chưa được công bố.")
    comp = selectors.comparison(fw)
    heads = ["Đơn vị"]
    for code in comp.codes:
        label = code or "Tổng"
        heads += [f"{label} tự đánh giá", f"{label} thẩm định", f"{label} công bố", f"{label} chênh lệch"]
    table = Table(
        "So sánh",
        [*heads, "Ghi chú"],
        [
            [
                r.unit.name,
                *[
                    v
                    for code in comp.codes
                    for v in (
                        r.cells[code].self_points,
                        r.cells[code].final,
                        r.cells[code].published,
                        r.cells[code].published_gap,
                    )
                ],
                r.note,
            ]
            for r in comp.rows
        ],
        f"so-sanh-cong-bo-{fw.pk}",
    )
    if request.method == "GET" and (resp := export_response(request, table)) is not None:
        return resp
    return render(
        request,
        "scoring/comparison.html",
        {
            "fw": fw,
            "comp": comp,
            "form": form,
            "manage": manage,
            "problems": problems,
            "scales": published.SCALES,
        },
        status=400 if problems else 200,
    )


# --- a province's own index: upload its decision, review beside it, activate ----------------------
@login_required
def decision_upload(request: HttpRequest) -> HttpResponse:
    units = _managed_units(request.user)
    form = DecisionUploadForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        table = form.cleaned_data.get("table")
        try:
            d = drafts.draft_from_document(
                actor=request.user,
                owner=form.cleaned_data["owner"],
                file_name=f.name,
                data=f.read(drafts.MAX_UPLOAD + 1),
                table=table - 1 if table else None,
            )
        except drafts.DuplicateDraft as exc:
            messages.warning(request, exc.message)
            return redirect("scoring:draft", did=exc.draft.pk)
        except ScoringError as exc:
            form.add_error("file", exc.message)
        else:
            check = drafts.draft_check(d)
            messages.success(
                request,
                f"Đã đọc {d.source_name}: {len(d.rows)} tiêu chí"
                + (f", tổng {decimal_text(d.stated_total)} điểm" if d.stated_total is not None else "")
                + (f"; {len(check.disagreements)} chỗ điểm không khớp" if check.disagreements else "")
                + ". Hãy rà soát bên cạnh văn bản rồi kích hoạt.",
            )
            return redirect("scoring:draft", did=d.pk)
    return render(request, "scoring/decision_upload.html", {"form": form}, status=400 if form.errors else 200)


def _draft_page(
    request: HttpRequest, d: FrameworkDraft, *, row_form=None, problems=None, status=200
) -> HttpResponse:
    review = selectors.draft_review(request.user, d)
    editing = request.GET.get("sua")
    adding = request.GET.get("them")
    if row_form is None and (editing or adding is not None):
        row = next((r for r in d.rows if r["code"] == editing), None) if editing else None
        if row is not None:
            initial = {
                "original": row["code"],
                **{
                    k: row.get(k) or ""
                    for k in (
                        "code",
                        "parent",
                        "name",
                        "max_points",
                        "method",
                        "threshold",
                        "step",
                        "measure",
                    )
                },
                "bands": "; ".join(f"{a}:{b}" for a, b in row.get("bands") or []),
                "evidence_required": bool(row.get("evidence_required")),
            }
        else:
            initial = {"parent": adding or "", "method": "manual"}
        initial["version_no"] = d.version_no
        row_form = DraftRowForm(initial=initial)
    return render(
        request,
        "scoring/draft.html",
        {
            "d": d,
            "review": review,
            "meta_form": DraftMetaForm(
                initial={
                    "code": d.code,
                    "name": d.name,
                    "version": d.version,
                    "period": d.period,
                    "stated_total": decimal_text(d.stated_total) if d.stated_total is not None else "",
                    "version_no": d.version_no,
                }
            ),
            "row_form": row_form,
            "editing": editing,
            "adding": adding,
            "problems": problems or [],
            "method_labels": core.METHOD_LABELS,
        },
        status=status,
    )


@login_required
def draft(request: HttpRequest, did: int) -> HttpResponse:
    return _draft_page(request, _draft(request, did))


def _version(form) -> int | None:
    v = form.cleaned_data.get("version_no")
    return int(v) if v else None


@login_required
@require_POST
def draft_meta(request: HttpRequest, did: int) -> HttpResponse:
    d = _draft(request, did)
    form = DraftMetaForm(request.POST)
    if not form.is_valid():
        raise ScoringError("; ".join(e for errs in form.errors.values() for e in errs))
    fields = {k: form.cleaned_data[k] for k in ("code", "name", "version", "period", "stated_total")}
    drafts.draft_update(actor=request.user, draft=d, expected_version=_version(form), **fields)
    messages.success(request, "Đã lưu thông tin bộ chỉ số.")
    return redirect("scoring:draft", did=d.pk)


@login_required
@require_POST
def draft_row(request: HttpRequest, did: int) -> HttpResponse:
    d = _draft(request, did)
    form = DraftRowForm(request.POST)
    if not form.is_valid():
        return _draft_page(request, d, row_form=form, status=400)
    original = form.cleaned_data.get("original") or None
    has_children = original is not None and any(r.get("parent") == original for r in d.rows)
    try:
        drafts.draft_row_save(
            actor=request.user,
            draft=d,
            code=original,
            row=form.row(has_children=has_children),
            reason=form.cleaned_data.get("reason") or "",
            expected_version=_version(form),
        )
    except ScoringError as exc:
        return _draft_page(request, d, row_form=form, problems=exc.messages, status=400)
    messages.success(request, f"Đã lưu tiêu chí {form.cleaned_data['code']}.")
    return redirect(reverse("scoring:draft", args=[d.pk]) + f"#r-{form.cleaned_data['code']}")


@login_required
@require_POST
def draft_row_delete(request: HttpRequest, did: int) -> HttpResponse:
    d = _draft(request, did)
    code = request.POST.get("code", "")
    drafts.draft_row_delete(actor=request.user, draft=d, code=code, reason=request.POST.get("reason", ""))
    messages.success(request, f"Đã xóa tiêu chí {code}.")
    return redirect("scoring:draft", did=d.pk)


@login_required
@require_POST
def draft_activate(request: HttpRequest, did: int) -> HttpResponse:
    d = _draft(request, did)
    fw = drafts.draft_activate(actor=request.user, draft=d)
    messages.success(request, f"Đã kích hoạt bộ chỉ số {fw.name} ({fw.criteria.count()} tiêu chí).")
    return redirect("scoring:framework", fid=fw.pk)


@login_required
@require_POST
def draft_discard(request: HttpRequest, did: int) -> HttpResponse:
    d = _draft(request, did)
    drafts.draft_discard(actor=request.user, draft=d, reason=request.POST.get("reason", ""))
    messages.success(request, "Đã hủy bản rà soát.")
    return redirect("scoring:frameworks")


@login_required
@require_POST
def template_draft(request: HttpRequest, code: str) -> HttpResponse:
    pk = _int(request.POST.get("owner"))
    owner = Unit.objects.filter(pk=pk).first() if pk else permissions.home_unit(request.user)
    d = drafts.draft_from_template(actor=request.user, owner=owner, code=code)
    messages.success(request, f"Đã tạo bản điền từ khung {d.name}: điền tiêu chí và điểm rồi kích hoạt.")
    return redirect("scoring:draft", did=d.pk)


@login_required
@require_POST
def framework_reload(request: HttpRequest) -> HttpResponse:
    if not permissions.is_global_admin(request.user):
        raise NotAllowed("Chỉ quản trị hệ thống nạp các bộ chỉ số có sẵn.")
    fws = services.load_shipped(period=request.POST.get("period", "").strip())
    messages.success(request, f"Có {len(fws)} bộ chỉ số có sẵn.")
    return redirect("scoring:frameworks")
