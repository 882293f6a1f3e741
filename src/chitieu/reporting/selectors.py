"""Reads of the reporting cycle, restricted to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from chitieu.core import numbers
from chitieu.core.evaluation import Measurement, evaluate
from chitieu.core.periods import PeriodError
from chitieu.core.periods import parse as parse_period
from chitieu.orgs import permissions
from chitieu.orgs.models import Membership, Role, Unit
from chitieu.plans.models import Target
from chitieu.plans.selectors import target_applies_to, target_spec
from chitieu.reporting.models import (
    SUBMISSION_FLOW,
    DataValue,
    DataValueVersion,
    Submission,
    SubmissionStatus,
)


def period_label(pid: str) -> str:
    try:
        return parse_period(pid).label_vi
    except PeriodError:
        return pid


def submission_targets(s: Submission) -> list[Target]:
    targets = s.plan.targets.select_related("indicator", "plan__issuer", "lead_unit").prefetch_related(
        "assignees"
    )
    roots: dict = {}
    return [t for t in targets.order_by("position", "id") if target_applies_to(t, s.unit, roots=roots)]


def values_snapshot(s: Submission) -> dict:
    out = {}
    for dv in DataValue.objects.filter(unit=s.unit, period=s.period):
        out[str(dv.indicator_id)] = {
            "numerator": _s(dv.numerator),
            "denominator": _s(dv.denominator),
            "value": _s(dv.value),
            "version": dv.version,
        }
    return out


def _s(d) -> str | None:
    return numbers.plain(d)


@dataclass
class FormRow:
    target: Target
    value: DataValue | None
    measurement: Measurement
    status: str
    changed_since_submission: bool = False
    before: dict | None = None
    evidence: list = field(default_factory=list)


def form_rows(s: Submission) -> list[FormRow]:
    from chitieu.reporting.models import Evidence

    values = {
        dv.indicator_id: dv
        for dv in DataValue.objects.filter(unit=s.unit, period=s.period).select_related("entered_by")
    }
    evidence: dict[int, list] = {}
    for e in Evidence.objects.filter(unit=s.unit, period=s.period).order_by("uploaded_at"):
        evidence.setdefault(e.indicator_id, []).append(e)
    rows = []
    for t in submission_targets(s):
        dv = values.get(t.indicator_id) if t.indicator_id else None
        m = Measurement(dv.numerator, dv.denominator, dv.value) if dv else Measurement()
        before = (s.snapshot or {}).get(str(t.indicator_id)) if t.indicator_id else None
        changed = bool(before) and dv is not None and before.get("version") != dv.version
        rows.append(
            FormRow(
                t, dv, m, evaluate(target_spec(t), m).value, changed, before, evidence.get(t.indicator_id, [])
            )
        )
    return rows


def visible_submissions(user) -> QuerySet[Submission]:
    qs = Submission.objects.select_related("unit", "plan", "approver_unit")
    if permissions.is_global_admin(user):
        return qs
    units = permissions.units_for(user, permissions.VIEW)
    approver_units = permissions.units_for(user, permissions.APPROVE)
    return qs.filter(
        Q(unit__in=units) | Q(approver_unit__in=approver_units) | Q(plan__issuer__in=units)
    ).distinct()


def may(user, s: Submission, action: str) -> bool:
    """Whether the person holds the right an action of the report's workflow needs (not its state)."""
    if action in ("save", "attach"):
        return permissions.has(user, permissions.ENTER, s.unit)
    if action == "submit":
        return permissions.has(user, permissions.SUBMIT, s.unit)
    if action in ("approve", "return"):
        if s.approver_unit_id is None:
            return permissions.has(user, permissions.MANAGE, s.plan.issuer)
        return permissions.has(user, permissions.APPROVE, s.approver_unit)
    if action == "reopen":
        return permissions.has(user, permissions.MANAGE, s.unit) or permissions.has(
            user, permissions.APPROVE, s.approver_unit or s.plan.issuer
        )
    return False


def allowed_actions(user, s: Submission) -> set[str]:
    """The workflow actions this person may take on this report now: the buttons the page shows and
    the only ones the services accept."""
    return {t.action for t in SUBMISSION_FLOW.actions_from(s.status) if may(user, s, t.action)}


def due_calendar(user, *, today: dt.date | None = None, unit: Unit | None = None) -> list[Submission]:
    """Reports the user's units owe (and those waiting for the user's approval), by due date."""
    qs = visible_submissions(user)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return list(qs.order_by("due_date", "unit__path", "period"))


def approval_queue(user) -> QuerySet[Submission]:
    units = permissions.units_for(user, permissions.APPROVE)
    return (
        Submission.objects.filter(status=SubmissionStatus.SUBMITTED, approver_unit__in=units)
        .select_related("unit", "plan", "approver_unit")
        .order_by("submitted_at")
    )


def monitored_unit_ids(user) -> set[int]:
    """Units whose reports the user may approve because their unit monitors them."""
    units = permissions.units_for(user, permissions.APPROVE)
    return set(Submission.objects.filter(approver_unit__in=units).values_list("unit_id", flat=True))


@dataclass
class Completeness:
    period: str
    unit: Unit
    expected: int = 0
    received: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0  # not yet due, not yet sent
    late_units: list = field(default_factory=list)
    missing_units: list = field(default_factory=list)
    rows: list = field(default_factory=list)

    @property
    def rate(self) -> float:
        return 100.0 * self.received / self.expected if self.expected else 0.0


def completeness(user, unit: Unit, period: str, *, today: dt.date | None = None) -> Completeness:
    """Expected, received, on time, late and missing reports for a period in a unit's subtree."""
    today = today or timezone.localdate()
    qs = (
        visible_submissions(user)
        .filter(period=period)
        .filter(
            Q(unit__path__startswith=unit.path)
            | Q(plan__issuer=unit)
            | Q(approver_unit__path__startswith=unit.path)  # units it monitors
        )
    )
    c = Completeness(period=period, unit=unit)
    for s in qs.order_by("unit__path"):
        c.expected += 1
        sent = s.first_submitted_at
        if s.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED) or sent is not None:
            c.received += 1
            if timezone.localtime(sent).date() <= s.last_on_time_day:
                c.on_time += 1
                state = "on_time"
            else:
                c.late += 1
                c.late_units.append(s)
                state = "late"
        elif today > s.last_on_time_day:
            c.missing += 1
            c.missing_units.append(s)
            state = "missing"
        else:
            c.pending += 1
            state = "pending"
        c.rows.append((s, state))
    return c


def value_history(indicator_id: int, unit: Unit, period: str) -> list[DataValueVersion]:
    return list(
        DataValueVersion.objects.filter(
            data_value__indicator_id=indicator_id, data_value__unit=unit, data_value__period=period
        )
        .select_related("entered_by")
        .order_by("version")
    )


def reporters_of(unit: Unit) -> list:
    return [m.user for m in Membership.objects.filter(unit=unit, role=Role.REPORTER).select_related("user")]


@dataclass
class CompilationDue:
    """A compiling office's report along a plan's chain, with how many of the reports it compiles are in."""

    compilation: object
    expected: int
    received: int


def compilations_due(user, *, limit: int = 300) -> list[CompilationDue]:
    """The compiled reports the person's units owe further up (oldest due first), each with the
    count of the units' reports received for that plan and period."""
    from django.db.models import Count

    from chitieu.reporting.models import Compilation

    qs = Compilation.objects.select_related("unit", "recipient", "plan")
    if not permissions.is_global_admin(user):
        units = permissions.units_for(user, permissions.VIEW)
        qs = qs.filter(Q(unit__in=units) | Q(plan__issuer__in=units))
    rows = list(qs.filter(sent_at__isnull=True).order_by("due_date", "step", "unit__path")[:limit])
    if not rows:
        return []
    counts = {
        (r["plan_id"], r["period"]): (r["n"], r["sent"])
        for r in Submission.objects.filter(
            plan_id__in={c.plan_id for c in rows}, period__in={c.period for c in rows}
        )
        .values("plan_id", "period")
        .annotate(
            n=Count("id"),
            sent=Count("id", filter=Q(status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED])),
        )
    }
    return [CompilationDue(c, *counts.get((c.plan_id, c.period), (0, 0))) for c in rows]
