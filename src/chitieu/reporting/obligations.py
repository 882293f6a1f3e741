"""Who owes what: from an active plan and its reporting regime, the reports (Submission rows) each
unit must send for each period, with their due dates and approval path."""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.db import transaction

from chitieu.audit.services import record
from chitieu.core.deadlines import DeadlineRule
from chitieu.core.periods import Period, PeriodKind, WindowRule
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit
from chitieu.plans.models import Plan, PlanStatus, Target
from chitieu.plans.selectors import target_units
from chitieu.reporting.calendar import work_calendar
from chitieu.reporting.models import PlanSchedule, ReportingRegime, Submission

_MAX_INDEX = {"month": 12, "quarter": 4, "half": 2, "nine": 1, "year": 1}


def regime_of(plan: Plan) -> tuple[list[str], WindowRule, DeadlineRule, int]:
    """The plan's reporting regime, or the configured default (settings.CHITIEU_DEFAULT_REGIME)."""
    sched = PlanSchedule.objects.filter(plan=plan).select_related("regime").first()
    r: ReportingRegime | None = sched.regime if sched else None
    if r is not None and r.period_kinds and r.deadline_rule:
        return (
            list(r.period_kinds),
            WindowRule.from_dict(r.window),
            DeadlineRule.from_dict(r.deadline_rule),
            r.approval_levels,
        )
    d = settings.CHITIEU_DEFAULT_REGIME
    return (
        list(d["period_kinds"]),
        WindowRule.from_dict(d.get("window")),
        DeadlineRule.from_dict(d["deadline_rule"]),
        int(d.get("approval_levels", 1)),
    )


def plan_periods(plan: Plan, kinds: list[str]) -> list[Period]:
    year = plan.year or (plan.issued_on.year if plan.issued_on else None)
    if year is None:
        return []
    out = []
    for kind in kinds:
        for i in range(1, _MAX_INDEX[kind] + 1):
            out.append(Period(year, PeriodKind(kind), i))
    return out


def _approval_path(plan: Plan, targets: list[Target], levels: int) -> list[int]:
    monitors = Counter(t.monitoring_unit_id for t in targets if t.monitoring_unit_id)
    first = monitors.most_common(1)[0][0] if monitors else plan.issuer_id
    path = [first] if first else []
    if levels >= 2:
        second = plan.issuer_id if plan.issuer_id and plan.issuer_id != first else None
        if second is None and first:
            second = Unit.objects.filter(pk=first).values_list("parent_id", flat=True).first()
        if second:
            path.append(second)
    return path


@transaction.atomic
@transaction.atomic
def plan_regime_set(*, actor, plan: Plan, regime: ReportingRegime | None) -> PlanSchedule:
    """Choose the reporting regime a plan follows (None: the default regime)."""
    permissions.require(actor, permissions.MANAGE, plan.issuer)
    sched, _ = PlanSchedule.objects.get_or_create(plan=plan)
    before = {"regime": sched.regime_id}
    sched.regime = regime
    sched.save()
    record(actor=actor, action="update", obj=sched, before=before, after={"regime": sched.regime_id})
    return sched


def plan_activated(*, actor, plan: Plan) -> int:
    """The ``plan_activated`` hook (plans never import reporting): derive the plan's obligations."""
    return obligations_generate(actor=actor, plan=plan)


def obligations_generate(*, actor, plan: Plan) -> int:
    """Create the missing Submission rows of an active plan; returns how many were created.
    Idempotent: existing rows (and their status) are left alone."""
    if plan.status != PlanStatus.ACTIVE:
        return 0
    kinds, window, rule, levels = regime_of(plan)
    periods = [p for p in plan_periods(plan, kinds) if rule.applies_to(p)]
    cal = work_calendar()
    by_unit: dict[int, list[Target]] = {}
    units: dict[int, Unit] = {}
    for t in plan.targets.select_related("plan__issuer", "lead_unit").prefetch_related("assignees"):
        for u in target_units(t):
            by_unit.setdefault(u.pk, []).append(t)
            units[u.pk] = u
    existing = set(Submission.objects.filter(plan=plan).values_list("unit_id", "period"))
    new = []
    for uid, targets in by_unit.items():
        path = _approval_path(plan, targets, levels)
        for p in periods:
            if (uid, p.id) in existing:
                continue
            due = rule.due(p, cal)
            w, data_window = p.calendar_window, p.window(window)
            new.append(
                Submission(
                    plan=plan,
                    unit=units[uid],
                    period=p.id,
                    period_kind=p.kind.value,
                    period_start=w.start,
                    period_end=w.end,
                    window_start=data_window.start,
                    window_end=data_window.end,
                    due_date=due.day,
                    due_exclusive=due.exclusive,
                    approval_path=path,
                    approver_unit_id=path[0] if path else None,
                )
            )
    Submission.objects.bulk_create(new, batch_size=500)
    if new:
        record(
            actor=actor,
            action="update",
            obj=plan,
            after={"submissions_created": len(new), "periods": [p.id for p in periods]},
            reason="sinh nghĩa vụ báo cáo",
        )
    return len(new)
