"""The unit tree in the browser: see it, add a division, rename with history, record a merger, correct
the names documents use, load a whole tree from a spreadsheet. Every write goes through
:mod:`chitieu.orgs.services` (or :mod:`chitieu.orgs.tree`), which checks the person's rights."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chitieu.audit.selectors import history_for
from chitieu.core.errors import Invalid, NotFound
from chitieu.core.sheets import csv_row
from chitieu.orgs import forms, permissions, selectors, services
from chitieu.orgs import tree as tree_io
from chitieu.orgs.models import Unit, UnitAlias, UnitSuccession


def _visible_unit(request: HttpRequest, code: str) -> Unit:
    unit = permissions.unit_by_code(code)
    if not selectors.visible_units(request.user).filter(pk=unit.pk).exists():
        raise permissions.NotAllowed("Bạn không có quyền xem đơn vị này.")
    return unit


def _first_error(form) -> str:
    field, errs = next(iter(form.errors.items()))
    label = form.fields[field].label if field in form.fields else ""
    return f"{label}: {errs[0]}" if label else errs[0]


def _with_counts(qs):
    return qs.annotate(n_children=Count("children")).order_by("valid_to", "name")


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    today = dt.date.today()
    found = selectors.unit_search(request.user, q) if q else []
    roots = _with_counts(selectors.tree_roots(request.user))[:200]
    return render(
        request,
        "orgs/tree.html",
        {
            "q": q,
            "found": found,
            "roots": roots,
            "today": today,
            "may_upload": permissions.units_for(request.user, permissions.MANAGE).exists(),
            "upload_form": forms.TreeUploadForm(),
        },
    )


@login_required
def tree_template(request: HttpRequest) -> HttpResponse:
    """An example tree file to fill in: the columns and two rows showing a division and a merger."""
    rows = [
        tree_io.HEADER,
        csv_row(["SO.VP", "Văn phòng Sở", "Phòng", "SO", "", "VP", "Văn phòng", "", "", "", ""]),
        csv_row(["HUYEN.A", "UBND huyện A", "Huyện", "TINH", "", "", "", "", "30/06/2025", "PHUONG.B", ""]),
    ]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    resp = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="mau-cay-don-vi.csv"'
    return resp


@login_required
@require_POST
def tree_upload(request: HttpRequest) -> HttpResponse:
    form = forms.TreeUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        raise Invalid(_first_error(form), field="file")
    f = form.cleaned_data["file"]
    if f.size > tree_io.MAX_BYTES:
        raise Invalid(f"{f.name}: tệp quá lớn (tối đa {tree_io.MAX_BYTES // 1024 // 1024} MB).", file=f.name)
    dry = form.cleaned_data["dry_run"]
    try:
        result = tree_io.unit_tree_import(actor=request.user, data=f.read(), file_name=f.name, dry_run=dry)
    except Invalid as exc:
        return render(
            request,
            "orgs/tree_refused.html",
            {
                "file_name": f.name,
                "message": exc.message,
                "problems": exc.all_problems()[:200],
                "total": len(exc.all_problems()),
            },
            status=400,
        )
    head = "Kiểm tra xong (chưa ghi)" if dry else "Đã nhập cây đơn vị"
    messages.success(
        request,
        f"{head} {f.name}: {result.created} đơn vị mới, {result.updated} đơn vị cập nhật, "
        f"{result.successions} quan hệ kế thừa.",
    )
    return redirect("orgs:tree")


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = _visible_unit(request, code)
    may_manage = permissions.has(request.user, permissions.MANAGE, unit)
    children = _with_counts(unit.children.all())
    ancestors = Unit.objects.filter(
        pk__in=[int(p) for p in unit.path.strip("/").split("/")[:-1] if p]
    ).order_by("depth")
    learned = (
        UnitAlias.objects.filter(Q(unit=unit) | Q(scope=unit))
        .select_related("unit", "scope")
        .order_by("phrase")[:200]
    )
    return render(
        request,
        "orgs/unit.html",
        {
            "unit": unit,
            "ancestors": ancestors,
            "children": children,
            "successors": UnitSuccession.objects.filter(predecessor=unit).select_related("successor"),
            "predecessors": UnitSuccession.objects.filter(successor=unit).select_related("predecessor"),
            "learned": learned,
            "history": history_for("orgs.unit", unit.pk).order_by("-time", "-id")[:50],
            "may_manage": may_manage,
            "create_form": forms.UnitCreateForm(),
            "rename_form": forms.UnitRenameForm(
                initial={
                    "name": unit.name,
                    "short_name": unit.short_name,
                    "abbreviation": unit.abbreviation,
                    "aliases": "\n".join(unit.aliases or []),
                }
            ),
            "merge_form": forms.UnitMergeForm(),
        },
    )


@login_required
@require_POST
def unit_create(request: HttpRequest, code: str) -> HttpResponse:
    parent = _visible_unit(request, code)
    form = forms.UnitCreateForm(request.POST)
    if not form.is_valid():
        raise Invalid(_first_error(form))
    d = form.cleaned_data
    unit = services.unit_create(
        actor=request.user,
        code=d["code"],
        name=d["name"],
        kind=d["kind"],
        parent=parent,
        short_name=d["short_name"],
        abbreviation=d["abbreviation"],
        valid_from=d["valid_from"],
    )
    messages.success(request, f"Đã thêm đơn vị “{unit.name}” thuộc {parent.name}.")
    return redirect("orgs:unit", code=unit.code)


@login_required
@require_POST
def unit_rename(request: HttpRequest, code: str) -> HttpResponse:
    unit = _visible_unit(request, code)
    form = forms.UnitRenameForm(request.POST)
    if not form.is_valid():
        raise Invalid(_first_error(form))
    d = form.cleaned_data
    services.unit_rename(
        actor=request.user,
        unit=unit,
        name=d["name"],
        short_name=d["short_name"],
        abbreviation=d["abbreviation"],
        aliases=form.alias_list(),
        reason=d["reason"],
    )
    messages.success(request, "Đã lưu tên đơn vị; tên cũ được giữ trong lịch sử và làm tên gọi khác.")
    return redirect("orgs:unit", code=unit.code)


@login_required
@require_POST
def unit_merge(request: HttpRequest, code: str) -> HttpResponse:
    unit = _visible_unit(request, code)
    form = forms.UnitMergeForm(request.POST)
    if not form.is_valid():
        raise Invalid(_first_error(form))
    d = form.cleaned_data
    try:
        successor = permissions.unit_by_code(d["successor"])
    except NotFound as exc:
        raise Invalid(exc.message, field="successor")
    services.unit_merge(
        actor=request.user, units=[unit], successor=successor, effective=d["effective"], note=d["note"]
    )
    messages.success(
        request,
        f"Đã ghi: “{unit.name}” sáp nhập vào “{successor.name}” từ {d['effective']:%d/%m/%Y}; "
        "số liệu trước đó được tính cho đơn vị kế thừa.",
    )
    return redirect("orgs:unit", code=unit.code)


@login_required
@require_POST
def alias_forget(request: HttpRequest, pk: int) -> HttpResponse:
    alias = UnitAlias.objects.select_related("unit", "scope").filter(pk=pk).first()
    if alias is None:
        raise NotFound("Không tìm thấy tên gọi này.")
    if not selectors.visible_units(request.user).filter(pk=alias.unit_id).exists():
        raise permissions.NotAllowed("Bạn không có quyền xem tên gọi này.")
    services.unit_alias_forget(actor=request.user, alias=alias)
    messages.success(request, f"Đã bỏ tên gọi “{alias.phrase}”: kế hoạch sau sẽ hỏi lại tên này.")
    return redirect("orgs:unit", code=alias.unit.code)
