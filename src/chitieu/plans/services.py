"""Writes on plans, targets and tasks (permission, validation, change log in one transaction)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from chitieu.audit.services import diff, record, snapshot
from chitieu.core import hooks, vntext
from chitieu.core.errors import Invalid, Problem
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit
from chitieu.plans.models import Plan, PlanCitation, PlanStatus, Target, Task


class PlanError(Invalid):
    """A plan, target or task that cannot be saved as asked; ``field`` names the form field."""


_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def parse_partial_date(text: str) -> tuple[str, dt.date | None]:
    """Validate a partial ISO date ("2024", "2024-02", "2024-02-05"); the full date when complete."""
    text = (text or "").strip()
    if not text:
        return "", None
    if not _PARTIAL_DATE.match(text):
        raise PlanError(f"Ngày '{text}' không đúng dạng YYYY, YYYY-MM hoặc YYYY-MM-DD.", field="date_text")
    try:
        parts = [int(x) for x in text.split("-")]
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise PlanError(f"Ngày '{text}' không tồn tại.", field="date_text")
    return text, (dt.date(*parts) if len(parts) == 3 else None)


def _require_manage(actor, issuer: Unit | None) -> None:
    if actor is not None:
        permissions.require(actor, permissions.MANAGE, issuer)


@transaction.atomic
def plan_create(
    *,
    actor,
    title: str,
    issuer: Unit | None = None,
    issuer_name: str = "",
    doc_kind: str = "plan",
    number_symbol: str = "",
    date_text: str = "",
    place: str = "",
    year: int | None = None,
    status: str = PlanStatus.DRAFT,
    **extra,
) -> Plan:
    _require_manage(actor, issuer)
    if not title or not title.strip():
        raise PlanError("Trích yếu kế hoạch không được để trống.", field="title")
    date_text, issued_on = parse_partial_date(date_text)
    if year is None and date_text:
        year = int(date_text[:4])
    plan = Plan.objects.create(
        title=vntext.nfc(title.strip()),
        issuer=issuer,
        issuer_name=issuer_name or (issuer.name if issuer else ""),
        doc_kind=doc_kind,
        number_symbol=number_symbol.strip(),
        date_text=date_text,
        issued_on=issued_on,
        place=place,
        year=year,
        status=status,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **extra,
    )
    record(
        actor=actor,
        action="create",
        obj=plan,
        after=snapshot(plan, ["title", "number_symbol", "date_text", "status"]),
    )
    citations_link_to(plan)
    return plan


def _has_number(number_symbol: str) -> bool:
    return bool(number_symbol) and number_symbol.split("/", 1)[0].strip().isdigit()


def find_cited_plan(number_symbol: str, date_text: str = "", *, exclude: Plan | None = None) -> Plan | None:
    """The plan a citation names: same number and symbol, and the same year when both are known
    (numbers restart every year, so "48/KH-UBND" of 2023 is not that of 2024)."""
    number_symbol = vntext.nfc((number_symbol or "").strip())
    if not _has_number(number_symbol):
        return None
    qs = Plan.objects.filter(number_symbol=number_symbol)
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    year = date_text[:4] if date_text else ""
    for p in qs.order_by("-id"):
        if not year or not p.date_text or p.date_text[:4] == year:
            return p
    return None


def citations_link_to(plan: Plan) -> int:
    """Point the unresolved citations that name ``plan`` at it (the parent arrived after its
    children). Returns how many citations were linked."""
    if not _has_number(plan.number_symbol):
        return 0
    n = 0
    for c in PlanCitation.objects.filter(parent__isnull=True, number_symbol=plan.number_symbol).exclude(
        plan=plan
    ):
        if not c.date_text or not plan.date_text or c.date_text[:4] == plan.date_text[:4]:
            c.parent = plan
            c.save(update_fields=["parent"])
            n += 1
    return n


@transaction.atomic
def plan_update(*, actor, plan: Plan, reason: str = "", **changes) -> Plan:
    _require_manage(actor, plan.issuer)
    before = snapshot(Plan.objects.get(pk=plan.pk))
    if "date_text" in changes:
        changes["date_text"], changes["issued_on"] = parse_partial_date(changes["date_text"])
    for k, v in changes.items():
        setattr(plan, k, v)
    plan.save()
    b, a = diff(before, snapshot(plan))
    record(actor=actor, action="update", obj=plan, before=b, after=a, reason=reason)
    if "number_symbol" in changes or "date_text" in changes:
        citations_link_to(plan)
    return plan


def activation_problems(plan: Plan) -> list[Problem]:
    """What stops a plan from being activated: no year, a target nobody can report, an unsettled
    unit name, one unit given two thresholds for one indicator."""
    from chitieu.plans.selectors import plan_conflicts

    problems: list[Problem] = []
    if not plan.targets.exists() and not plan.tasks.exists():
        problems.append(Problem("Kế hoạch chưa có chỉ tiêu hay nhiệm vụ nào."))
    if not plan.year and not plan.issued_on:
        problems.append(
            Problem(
                "Kế hoạch chưa có năm hoặc ngày ban hành: chưa xác định được các kỳ báo cáo.",
                field="date_text",
            )
        )
    for t in plan.targets.filter(routing="unresolved").order_by("position"):
        problems.append(
            Problem(
                f"Chỉ tiêu “{t.text[:80]}”: chưa xác định đơn vị “{t.lead_unit_text[:80]}” (chọn ở mục tên đơn vị).",
                field="lead_unit_text",
                row=t.source_line,
            )
        )
    for c in plan_conflicts(plan):
        problems.append(Problem(c.message, row=c.source_line))
    return problems


@transaction.atomic
def plan_activate(*, actor, plan: Plan) -> Plan:
    """Make a draft plan active; refused, with what is missing, unless every target has someone to
    report it and nothing contradicts itself (nothing is half-activated)."""
    _require_manage(actor, plan.issuer)
    if plan.status != PlanStatus.DRAFT:
        raise PlanError("Chỉ kích hoạt được kế hoạch đang ở trạng thái dự thảo.")
    problems = activation_problems(plan)
    if problems:
        raise PlanError(
            "Chưa kích hoạt được kế hoạch: " + " ".join(p.message for p in problems), problems=problems
        )
    plan.status = PlanStatus.ACTIVE
    plan.activated_at = timezone.now()
    plan.save(update_fields=["status", "activated_at"])
    record(
        actor=actor,
        action="update",
        obj=plan,
        before={"status": "draft"},
        after={"status": "active"},
        reason="kích hoạt",
    )
    hooks.plan_activated(actor=actor, plan=plan)  # reporting derives the obligations
    hooks.targets_changed(plan=plan)  # analytics evaluates the plan's targets
    return plan


@transaction.atomic
def citation_add(
    *,
    actor,
    plan: Plan,
    number_symbol: str,
    date_text: str = "",
    issuer_name: str = "",
    relation: str = PlanCitation.Relation.IMPLEMENTS,
) -> PlanCitation:
    _require_manage(actor, plan.issuer)
    date_text, _ = parse_partial_date(date_text)
    parent = find_cited_plan(number_symbol, date_text, exclude=plan)
    c = PlanCitation.objects.create(
        plan=plan,
        parent=parent,
        number_symbol=number_symbol,
        date_text=date_text,
        issuer_name=issuer_name,
        relation=relation,
        position=plan.citations.count(),
    )
    record(actor=actor, action="create", obj=c, after={"plan": plan.pk, "number_symbol": number_symbol})
    return c


@transaction.atomic
def target_create(
    *,
    actor,
    plan: Plan,
    text: str,
    operator: str,
    threshold,
    unit: str = "%",
    coordinating_units: list[Unit] | None = None,
    assignees: list[Unit] | None = None,
    **fields,
) -> Target:
    _require_manage(actor, plan.issuer)
    if operator not in (">", ">=", "=", "<=", "<"):
        raise PlanError(f"Phép so sánh '{operator}' không hợp lệ.", field="operator")
    try:
        threshold = Decimal(str(threshold))
    except Exception:
        raise PlanError(f"Ngưỡng '{threshold}' không phải là số.", field="threshold")
    if threshold < 0:
        raise PlanError("Ngưỡng không được âm.", field="threshold")
    t = Target.objects.create(
        plan=plan,
        text=vntext.nfc(text),
        operator=operator,
        threshold=threshold,
        unit=unit,
        position=fields.pop("position", plan.targets.count()),
        **fields,
    )
    if coordinating_units:
        t.coordinating_units.set(coordinating_units)
    if assignees:
        t.assignees.set(assignees)
    record(actor=actor, action="create", obj=t, after=snapshot(t))
    _refresh_analytics(t)
    return t


def _refresh_analytics(target: Target) -> None:
    """A tracked plan's target changed: its evaluation must follow (analytics derives from plans)."""
    if target.plan.status != PlanStatus.DRAFT:
        hooks.targets_changed(target=target)


@transaction.atomic
def task_create(
    *, actor, plan: Plan, text: str, coordinating_units: list[Unit] | None = None, **fields
) -> Task:
    _require_manage(actor, plan.issuer)
    t = Task.objects.create(
        plan=plan, text=vntext.nfc(text), position=fields.pop("position", plan.tasks.count()), **fields
    )
    if coordinating_units:
        t.coordinating_units.set(coordinating_units)
    record(actor=actor, action="create", obj=t, after=snapshot(t))
    return t


_TARGET_FIELDS = {
    "text",
    "operator",
    "threshold",
    "unit",
    "scope",
    "scope_kind",
    "indicator",
    "lead_unit",
    "lead_unit_text",
    "monitoring_unit",
    "monitoring_unit_text",
    "due_date",
    "due_period",
    "weight",
}
_TASK_FIELDS = {
    "text",
    "lead_unit",
    "lead_unit_text",
    "coordinating_text",
    "deadline_phrase",
    "deadline",
    "recurrence",
    "expected_output",
    "status",
    "progress_note",
    "output",
}


def _update(actor, obj, allowed: set[str], changes: dict, reason: str):
    unknown = set(changes) - allowed
    if unknown:
        raise PlanError(f"Không sửa được trường: {', '.join(sorted(unknown))}")
    before = snapshot(type(obj).objects.get(pk=obj.pk))
    for k, v in changes.items():
        setattr(obj, k, vntext.nfc(v) if isinstance(v, str) else v)
    obj.save()
    b, a = diff(before, snapshot(obj))
    if b or a:
        record(actor=actor, action="update", obj=obj, before=b, after=a, reason=reason)
    return obj


@transaction.atomic
def target_update(*, actor, target: Target, reason: str = "", **changes) -> Target:
    _require_manage(actor, target.plan.issuer)
    if "operator" in changes and changes["operator"] not in (">", ">=", "=", "<=", "<"):
        raise PlanError(f"Phép so sánh '{changes['operator']}' không hợp lệ.", field="operator")
    if "threshold" in changes:
        try:
            changes["threshold"] = Decimal(str(changes["threshold"]).replace(",", "."))
        except Exception:
            raise PlanError(f"Ngưỡng '{changes['threshold']}' không phải là số.", field="threshold")
        if changes["threshold"] < 0:
            raise PlanError("Ngưỡng không được âm.", field="threshold")
    if "text" in changes and not str(changes["text"]).strip():
        raise PlanError("Nội dung chỉ tiêu không được để trống.", field="text")
    routed = {"lead_unit_text", "monitoring_unit_text", "scope"} & set(changes)
    manual = {"lead_unit", "monitoring_unit", "scope_kind"} & set(changes)
    target = _update(actor, target, _TARGET_FIELDS, changes, reason)
    if manual:
        target.routing = "manual"
        target.save(update_fields=["routing"])
    elif routed:
        reroute_target(target)
    _refresh_analytics(target)
    if target.plan.status == PlanStatus.ACTIVE and (
        routed or manual or {"threshold", "operator"} & set(changes)
    ):
        hooks.plan_changed(actor=actor, plan=target.plan)
    return target


def _plan_day(plan: Plan):
    """The day a plan speaks of: its issue date, else the start of its year (None when unknown)."""
    import datetime as _dt

    return plan.issued_on or (_dt.date(plan.year, 1, 1) if plan.year else None)


def _resolver(plan: Plan):
    from chitieu.orgs import naming

    on = _plan_day(plan)
    pilots = list(plan.pilot_units.values_list("pk", flat=True))
    return naming.resolver_for(plan.issuer, on=on, groups={"thi diem": pilots} if pilots else None)


def reroute_target(target: Target, resolver=None) -> None:
    """Who leads, reports and monitors, read again from the target's texts (a person's own choice,
    routing "manual", is left alone)."""
    from chitieu.plans import routing

    if target.routing == "manual" or target.plan.issuer is None:
        return
    resolver = resolver or _resolver(target.plan)
    routing.apply_target(
        target,
        routing.route_target(
            resolver,
            target.plan.issuer,
            lead_text=target.lead_unit_text,
            monitor_text=target.monitoring_unit_text,
            scope=target.scope,
            pilots=list(target.plan.pilot_units.values_list("pk", flat=True)),
            on=_plan_day(target.plan),
        ),
    )


def reroute_task(task: Task, resolver=None) -> None:
    from chitieu.plans import routing

    if task.plan.issuer is None:
        return
    resolver = resolver or _resolver(task.plan)
    leads, coord, _ = routing.route_task(
        resolver,
        task.plan.issuer,
        lead_text=task.lead_unit_text,
        coordinating=[c for c in task.coordinating_text.split(";") if c.strip()],
        pilots=list(task.plan.pilot_units.values_list("pk", flat=True)),
    )
    routing.apply_task(task, leads, coord)


@transaction.atomic
def plan_names_resolve(*, actor, plan: Plan, phrase: str, units: list[Unit]) -> int:
    """A person says which unit(s) a name of this plan means: the name is learned for the issuer's
    next documents, and every target and task of the plan that uses it is routed again. Returns how
    many targets and tasks changed."""
    from chitieu.orgs import naming

    _require_manage(actor, plan.issuer)
    naming.unit_alias_learn(actor=actor, phrase=phrase, units=units, scope=plan.issuer)
    resolver = _resolver(plan)
    changed = 0
    key = naming.unitnames.key(phrase)
    for t in plan.targets.all():
        texts = f"{t.lead_unit_text};{t.monitoring_unit_text}"
        if key and any(naming.unitnames.key(p) == key for p in naming.unitnames.split_names(texts)):
            before = (t.routing, t.lead_unit_id, sorted(t.assignees.values_list("pk", flat=True)))
            reroute_target(t, resolver)
            changed += before != (t.routing, t.lead_unit_id, sorted(t.assignees.values_list("pk", flat=True)))
    for k in plan.tasks.all():
        texts = f"{k.lead_unit_text};{k.coordinating_text}"
        if key and any(naming.unitnames.key(p) == key for p in naming.unitnames.split_names(texts)):
            reroute_task(k, resolver)
            changed += 1
    record(
        actor=actor,
        action="update",
        obj=plan,
        after={"name": phrase, "units": [u.code for u in units]},
        reason="xác nhận tên đơn vị",
    )
    if plan.status == PlanStatus.ACTIVE:
        hooks.plan_changed(actor=actor, plan=plan)
    return changed


@transaction.atomic
def target_delete(*, actor, target: Target, reason: str = "") -> None:
    _require_manage(actor, target.plan.issuer)
    if target.plan.status != PlanStatus.DRAFT and target.indicator_id and target.indicator.values.exists():
        raise PlanError("Chỉ tiêu của kế hoạch đang thực hiện đã có số liệu, không xóa được.")
    record(actor=actor, action="delete", obj=target, before=snapshot(target), reason=reason)
    target.delete()


@transaction.atomic
def task_update(*, actor, task: Task, reason: str = "", **changes) -> Task:
    _require_manage(actor, task.plan.issuer)
    if "text" in changes and not str(changes["text"]).strip():
        raise PlanError("Nội dung nhiệm vụ không được để trống.", field="text")
    task = _update(actor, task, _TASK_FIELDS, changes, reason)
    if {"lead_unit_text", "coordinating_text"} & set(changes) and "lead_unit" not in changes:
        reroute_task(task)
    return task


@transaction.atomic
def task_delete(*, actor, task: Task, reason: str = "") -> None:
    _require_manage(actor, task.plan.issuer)
    record(actor=actor, action="delete", obj=task, before=snapshot(task), reason=reason)
    task.delete()
