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
from chitieu.reporting import chain
from chitieu.reporting.calendar import work_calendar
from chitieu.reporting.models import PlanSchedule, ReportingRegime, Submission, SubmissionStatus

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


def plan_start(plan: Plan, year: int):
    """When the plan starts to owe reports in its year: its issue date (or month, when the day is
    left blank), or, undated, the start of its first phase ("Từ tháng 01/8/2022 ..."); a plan issued
    before its year starts on 1 January."""
    import datetime as dt
    import re

    first = dt.date(year, 1, 1)
    if plan.issued_on is not None:
        return max(first, plan.issued_on.replace(day=1))
    if len(plan.date_text or "") == 7:  # "2024-02"
        return max(first, dt.date(int(plan.date_text[:4]), int(plan.date_text[5:7]), 1))
    starts = []
    for phrase in plan.tasks.values_list("deadline_phrase", flat=True):
        m = re.match(r"(?i)\s*từ\s+(?:tháng\s+|ngày\s+)?(\d{1,2})/(\d{1,2})/(\d{4})", phrase or "")
        if m:
            try:
                starts.append(dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
            except ValueError:
                continue
    starts = [d for d in starts if d.year == year]
    return max(first, min(starts).replace(day=1)) if starts else first


def plan_periods(plan: Plan, kinds: list[str]) -> list[Period]:
    year = plan.year or (plan.issued_on.year if plan.issued_on else None)
    if year is None:
        return []
    start = plan_start(plan, year)
    out = []
    for kind in kinds:
        for i in range(1, _MAX_INDEX[kind] + 1):
            p = Period(year, PeriodKind(kind), i)
            if p.calendar_window.end >= start:
                out.append(p)
    return out


def _approval_path(plan: Plan, targets: list[Target], levels: int, *, first: int | None = None) -> list[int]:
    """Who approves a unit's report: the office the plan says the reports go to, else the targets'
    monitoring unit, else the issuer; with two levels, then the issuer (or that office's parent)."""
    monitors = Counter(t.monitoring_unit_id for t in targets if t.monitoring_unit_id)
    if first is None:
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


def _regime(plan: Plan) -> ReportingRegime | None:
    sched = PlanSchedule.objects.filter(plan=plan).select_related("regime").first()
    return sched.regime if sched else None


def _step0_due(regime: ReportingRegime | None, rule: DeadlineRule, p: Period, cal):
    """The reporters' due day for a period: the plan's own rule for that kind of period, if any."""
    steps = regime.steps if regime is not None else []
    if steps:
        sr = chain.rule_for(steps[0], p)
        if sr is None:
            return None
        return sr.rule.due(p, cal)
    return rule.due(p, cal) if rule.applies_to(p) else None


@transaction.atomic
def obligations_generate(*, actor, plan: Plan) -> int:
    """Derive an active plan's obligations: a Submission for each reporting unit and period, and a
    Compilation for each compiling office further along the plan's chain. Idempotent; run again after
    a change of lead, scope or threshold, it creates what is now owed and removes the reports that are
    no longer owed only while they are still empty drafts (sent, approved or begun reports stay).
    Returns how many were created."""
    if plan.status != PlanStatus.ACTIVE:
        return 0
    kinds, window, rule, levels = regime_of(plan)
    regime = _regime(plan)
    cal = work_calendar()
    periods = [p for p in plan_periods(plan, kinds) if _step0_due(regime, rule, p, cal) is not None]
    by_unit: dict[int, list[Target]] = {}
    units: dict[int, Unit] = {}
    for t in plan.targets.select_related("plan__issuer", "lead_unit").prefetch_related("assignees"):
        for u in target_units(t):
            by_unit.setdefault(u.pk, []).append(t)
            units[u.pk] = u
    recipient = regime.steps[0].get("to") if regime is not None and regime.steps else None
    existing = set(Submission.objects.filter(plan=plan).values_list("unit_id", "period"))
    wanted = {(uid, p.id) for uid in by_unit for p in periods}
    new = []
    for uid, targets in by_unit.items():
        path = _approval_path(plan, targets, levels, first=recipient if recipient != uid else None)
        for p in periods:
            if (uid, p.id) in existing:
                continue
            due = _step0_due(regime, rule, p, cal)
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
    redated = _redate_open(plan, regime, rule, {p.id: p for p in periods}, cal)
    stale = [
        s.pk
        for s in Submission.objects.filter(
            plan=plan, status=SubmissionStatus.DRAFT, submitted_at__isnull=True
        )
        if (s.unit_id, s.period) not in wanted and not _begun(s)
    ]
    if stale:
        Submission.objects.filter(pk__in=stale).delete()
    compiled = _compilations(plan, regime, periods, cal)
    if new or stale or compiled or redated:
        record(
            actor=actor,
            action="update",
            obj=plan,
            after={
                "submissions_created": len(new),
                "submissions_removed": len(stale),
                "submissions_redated": redated,
                "compilations": compiled,
                "periods": [p.id for p in periods],
            },
            reason="sinh nghĩa vụ báo cáo",
        )
    return len(new)


def _redate_open(plan: Plan, regime, rule: DeadlineRule, periods: dict[str, Period], cal) -> int:
    """The schedule changed: reports still open (not sent, or returned) take the new due day; sent
    and approved ones keep the day they were due."""
    changed = []
    for s in Submission.objects.filter(
        plan=plan, status__in=[SubmissionStatus.DRAFT, SubmissionStatus.RETURNED], submitted_at__isnull=True
    ):
        p = periods.get(s.period)
        due = _step0_due(regime, rule, p, cal) if p is not None else None
        if due is not None and (s.due_date, s.due_exclusive) != (due.day, due.exclusive):
            s.due_date, s.due_exclusive = due.day, due.exclusive
            changed.append(s)
    Submission.objects.bulk_update(changed, ["due_date", "due_exclusive"], batch_size=500)
    return len(changed)


def _begun(s: Submission) -> bool:
    """A draft someone already typed figures into is never removed silently."""
    from chitieu.reporting.models import DataValue

    return DataValue.objects.filter(unit_id=s.unit_id, period=s.period, entered_by__isnull=False).exists()


def _compilations(plan: Plan, regime: ReportingRegime | None, periods: list[Period], cal) -> int:
    """The compiling offices' own obligations along the chain (step 1, 2 ...)."""
    from chitieu.reporting.models import Compilation

    steps = regime.steps if regime is not None else []
    made = 0
    wanted: set[tuple[int, int, str]] = set()
    for k, step in enumerate(steps[1:], start=1):
        sender = step.get("from")
        if not isinstance(sender, int):
            continue
        for p in periods:
            sr = chain.rule_for(step, p)
            due = sr.rule.due(p, cal) if sr is not None else None
            wanted.add((sender, k, p.id))
            _, created = Compilation.objects.update_or_create(
                plan=plan,
                unit_id=sender,
                step=k,
                period=p.id,
                defaults={
                    "recipient_id": step.get("to"),
                    "recipient_text": (step.get("to_text") or "")[:255],
                    "due_date": due.day if due else None,
                    "due_exclusive": due.exclusive if due else True,
                },
            )
            made += int(created)
    gone = [
        c.pk
        for c in Compilation.objects.filter(plan=plan, sent_at__isnull=True)
        if (c.unit_id, c.step, c.period) not in wanted
    ]
    Compilation.objects.filter(pk__in=gone).delete()  # a step the schedule no longer has
    return made + len(gone)
