"""Plan pages: upload -> review a draft beside its source -> edit -> activate. Thin: services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from chitieu.core.errors import Invalid
from chitieu.indicators.models import Indicator
from chitieu.orgs import permissions
from chitieu.plans import importing, selectors, services
from chitieu.plans.forms import NamesForm, TargetForm, TaskForm, UploadPlanForm, naming_units
from chitieu.plans.models import Plan, PlanStatus, Target, Task


def _plan_for(request: HttpRequest, pk: int) -> Plan:
    return permissions.get_visible(selectors.visible_plans(request.user), pk, what="kế hoạch")


def _can_edit(user, plan: Plan) -> bool:
    return permissions.has(user, permissions.MANAGE, plan.issuer)


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    # units that issue plans: not communes' sub-offices, and (for a national admin) not all 3,300 communes
    # a unit that has since merged may still have a plan to bring in (last year's, for the record)
    units = permissions.units_for(request.user, permissions.MANAGE).order_by("path")
    if permissions.is_global_admin(request.user):
        units = units.exclude(kind="commune").filter(depth__lte=3)
    form = UploadPlanForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            data = f.read(importing.MAX_UPLOAD + 1)
            plan = importing.plan_import_document(
                actor=request.user, issuer=form.cleaned_data["issuer"], file_name=f.name, data=data
            )
        except importing.DuplicateDocument as exc:
            messages.warning(request, exc.message)
            return redirect("plans:detail", pk=exc.plan.pk)
        except services.PlanError as exc:
            form.add_error("file", exc.message)
        else:
            c = plan.extraction or {}
            messages.success(
                request,
                f"Đã đọc tệp {plan.source_name}: {plan.targets.count()} chỉ tiêu, "
                f"{plan.tasks.count()} nhiệm vụ, {len(c.get('findings', []))} phát hiện"
                f"{'' if not (n := len(selectors.open_names(plan))) else f', {n} tên đơn vị cần xác định'}. "
                "Hãy rà soát trước khi kích hoạt.",
            )
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/plan_upload.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    targets = list(
        plan.targets.select_related("indicator", "lead_unit", "monitoring_unit").order_by("position", "id")
    )
    source = []
    if plan.source_text:
        marked = {t.source_line for t in targets} | {t.source_line for t in plan.tasks.all()}
        for line in plan.source_text.split("\n"):
            num, _, text = line.partition("\t")
            if num.isdigit():
                source.append({"n": int(num), "text": text, "marked": int(num) in marked})
    ctx = {
        "plan": plan,
        "targets": targets,
        "tasks": list(plan.tasks.select_related("lead_unit").order_by("position", "id")),
        "citations": list(plan.citations.select_related("parent")),
        "findings": (plan.extraction or {}).get("findings", []),
        "source": source,
        "can_edit": _can_edit(request.user, plan),
        "candidates": importing.target_candidates(plan) if plan.status == PlanStatus.DRAFT else {},
        "open_names": selectors.open_names(plan) if plan.status == PlanStatus.DRAFT else [],
        "name_choices": naming_units(plan) if plan.status == PlanStatus.DRAFT else [],
        "conflicts": selectors.plan_conflicts(plan),
        "problems": services.activation_problems(plan) if plan.status == PlanStatus.DRAFT else [],
        "budget": list(plan.budget_lines.all()),
        "budget_total": sum((b.amount or 0) for b in plan.budget_lines.all()),
    }
    return render(request, "plans/plan_detail.html", ctx)


def _indicators():
    return Indicator.objects.filter(active=True).order_by("code")


def _target_form(target: Target | None, data=None) -> TargetForm:
    initial = {}
    if target is not None:
        initial = {
            "text": target.text,
            "operator": target.operator,
            "threshold": target.threshold,
            "unit": target.unit,
            "scope": target.scope,
            "indicator": target.indicator_id,
            "lead_unit_text": target.lead_unit_text,
            "monitoring_unit_text": target.monitoring_unit_text,
            "due_date": target.due_date.strftime("%d/%m/%Y") if target.due_date else "",
        }
    return TargetForm(data, initial=initial, indicators=_indicators())


@login_required
def target_edit(request: HttpRequest, pk: int, tid: int | None = None) -> HttpResponse:
    plan = _plan_for(request, pk)
    if not _can_edit(request.user, plan):
        raise permissions.NotAllowed("Bạn không có quyền sửa kế hoạch này.")
    target = get_object_or_404(Target, pk=tid, plan=plan) if tid else None
    form = _target_form(target, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if target is None:
                target = services.target_create(actor=request.user, plan=plan, **data)
            else:
                target = services.target_update(actor=request.user, target=target, reason="rà soát", **data)
        except services.PlanError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if request.htmx:
                return render(
                    request,
                    "plans/partials/target_row.html",
                    {
                        "t": target,
                        "plan": plan,
                        "can_edit": True,
                        "candidates": importing.target_candidates(plan),
                    },
                )
            return redirect("plans:detail", pk=plan.pk)
    template = "plans/partials/target_form.html" if request.htmx else "plans/target_edit.html"
    return render(
        request, template, {"form": form, "plan": plan, "t": target}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def target_delete(request: HttpRequest, pk: int, tid: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    target = get_object_or_404(Target, pk=tid, plan=plan)
    services.target_delete(actor=request.user, target=target, reason="rà soát")
    return HttpResponse("") if request.htmx else redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def target_link(request: HttpRequest, pk: int, tid: int) -> HttpResponse:
    """Confirm (or clear) the catalog indicator of a target."""
    plan = _plan_for(request, pk)
    target = get_object_or_404(Target, pk=tid, plan=plan)
    code = request.POST.get("indicator", "")
    indicator = Indicator.objects.filter(code=code).first() if code else None
    if code and indicator is None:
        return HttpResponseBadRequest("Mã chỉ tiêu không có trong danh mục.")
    services.target_update(
        actor=request.user, target=target, indicator=indicator, reason="xác nhận chỉ tiêu danh mục"
    )
    if request.htmx:
        return render(
            request,
            "plans/partials/target_row.html",
            {"t": target, "plan": plan, "can_edit": True, "candidates": importing.target_candidates(plan)},
        )
    return redirect("plans:detail", pk=plan.pk)


@login_required
def task_edit(request: HttpRequest, pk: int, kid: int | None = None) -> HttpResponse:
    plan = _plan_for(request, pk)
    if not _can_edit(request.user, plan):
        raise permissions.NotAllowed("Bạn không có quyền sửa kế hoạch này.")
    task = get_object_or_404(Task, pk=kid, plan=plan) if kid else None
    initial = {}
    if task is not None:
        initial = {
            "text": task.text,
            "lead_unit_text": task.lead_unit_text,
            "coordinating_text": task.coordinating_text,
            "deadline_phrase": task.deadline_phrase,
            "recurrence": task.recurrence,
            "deadline": task.deadline.strftime("%d/%m/%Y") if task.deadline else "",
        }
    form = TaskForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if task is None:
                task = services.task_create(actor=request.user, plan=plan, **data)
            else:
                task = services.task_update(actor=request.user, task=task, reason="rà soát", **data)
        except services.PlanError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if request.htmx:
                return render(
                    request, "plans/partials/task_row.html", {"k": task, "plan": plan, "can_edit": True}
                )
            return redirect("plans:detail", pk=plan.pk)
    template = "plans/partials/task_form.html" if request.htmx else "plans/task_edit.html"
    return render(
        request, template, {"form": form, "plan": plan, "k": task}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def task_delete(request: HttpRequest, pk: int, kid: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    task = get_object_or_404(Task, pk=kid, plan=plan)
    services.task_delete(actor=request.user, task=task, reason="rà soát")
    return HttpResponse("") if request.htmx else redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def names_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """The person says which unit(s) a name of the plan means; learned for the issuer's next plans."""
    plan = _plan_for(request, pk)
    if not _can_edit(request.user, plan):
        raise permissions.NotAllowed("Bạn không có quyền sửa kế hoạch này.")
    form = NamesForm(request.POST, units=naming_units(plan))
    if not form.is_valid():
        raise Invalid(next(iter(form.errors.values()))[0])
    n = services.plan_names_resolve(
        actor=request.user,
        plan=plan,
        phrase=form.cleaned_data["phrase"],
        units=list(form.cleaned_data["units"]),
    )
    messages.success(
        request,
        f"Đã xác nhận “{form.cleaned_data['phrase']}”: {n} chỉ tiêu, nhiệm vụ được cập nhật; "
        "các kế hoạch sau của đơn vị sẽ tự nhận tên này.",
    )
    return redirect(reverse("plans:detail", args=[plan.pk]) + "#ten-don-vi")


@login_required
@require_POST
def plan_activate(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    services.plan_activate(actor=request.user, plan=plan)
    messages.success(request, "Đã kích hoạt kế hoạch: các đơn vị bắt đầu theo dõi, báo cáo.")
    return redirect("plans:detail", pk=plan.pk)
