"""Reads for dashboards. They read only the analytics tables (and plans, units, submissions),
never aggregate raw data values, and always stay inside what the user may see."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from chitieu.analytics.models import LEVELS, Fact, TargetState
from chitieu.core import ranking as ranking_core
from chitieu.core.evaluation import Measurement, Status
from chitieu.core.stats import five_numbers
from chitieu.indicators.models import Indicator
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit
from chitieu.plans.models import Plan, PlanStatus, Target
from chitieu.plans.selectors import visible_plans

STATUS_ORDER = [Status.MET, Status.AT_RISK, Status.NOT_MET, Status.NO_DATA, Status.NOT_APPLICABLE]


# --- scope ----------------------------------------------------------------------------------
def scope_prefixes(user) -> list[str] | None:
    """Path prefixes of the subtrees the user may see; None means everything."""
    if permissions.is_global_admin(user):
        return None
    if not getattr(user, "is_authenticated", False):
        return []
    paths = sorted({m.unit.path for m in permissions._memberships(user)})
    # drop prefixes inside other prefixes
    out: list[str] = []
    for p in paths:
        if not any(p.startswith(q) for q in out):
            out.append(p)
    return out


def _scoped(qs: QuerySet, prefixes: list[str] | None, field: str = "unit_path") -> QuerySet:
    if prefixes is None:
        return qs
    cond = Q(pk__in=[])
    for p in prefixes:
        cond |= Q(**{f"{field}__startswith": p})
    return qs.filter(cond)


def may_see_unit(user, unit: Unit) -> bool:
    return permissions.has(user, permissions.VIEW, unit)


# --- overview -------------------------------------------------------------------------------
@dataclass
class Overview:
    targets: dict[str, int]
    assignments: dict[str, int]
    overdue_reports: list
    overdue_report_count: int
    overdue_tasks: list
    attention: list[TargetState]
    plans: list[tuple[Plan, dict[str, int]]]

    @property
    def targets_total(self) -> int:
        return sum(self.targets.values())

    @property
    def assignments_total(self) -> int:
        return sum(self.assignments.values())


def _counts(qs: QuerySet) -> dict[str, int]:
    got = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    return {s.value: got.get(s.value, 0) for s in STATUS_ORDER}


def overview(user, *, today: dt.date | None = None) -> Overview:
    from chitieu.reporting.models import SubmissionStatus
    from chitieu.reporting.selectors import visible_submissions
    from chitieu.reporting.task_progress import task_rows

    today = today or timezone.localdate()
    plan_ids = list(visible_plans(user).exclude(status=PlanStatus.DRAFT).values_list("id", flat=True))
    totals = TargetState.objects.filter(unit__isnull=True, plan_ref__in=plan_ids)
    prefixes = scope_prefixes(user)
    units = _scoped(TargetState.objects.filter(unit__isnull=False), prefixes)
    overdue = (
        visible_submissions(user)
        .filter(status__in=[SubmissionStatus.DRAFT, SubmissionStatus.RETURNED])
        .filter(Q(due_exclusive=True, due_date__lte=today) | Q(due_exclusive=False, due_date__lt=today))
    )
    if prefixes is not None:
        overdue = overdue.filter(
            Q(unit__in=permissions.units_for(user, permissions.VIEW))
            | Q(approver_unit__in=permissions.units_for(user, permissions.APPROVE))
        )
    attention = list(
        units.filter(status__in=[Status.AT_RISK, Status.NOT_MET])
        .select_related("unit", "target__plan", "target__indicator")
        .order_by("status", "target__plan_id", "target__position", "unit__path")[:15]
    )
    per_plan = defaultdict(Counter)
    for pid, status, n in totals.values_list("plan_ref", "status").annotate(n=Count("id")).order_by():
        per_plan[pid][status] += n
    plans = [
        (p, {s.value: per_plan[p.pk].get(s.value, 0) for s in STATUS_ORDER})
        for p in Plan.objects.filter(pk__in=plan_ids).select_related("issuer")
    ]
    tasks = [r for r in task_rows(user, today=today) if r.overdue]
    return Overview(
        targets=_counts(totals),
        assignments=_counts(units),
        overdue_reports=list(overdue.order_by("due_date", "unit__path")[:10]),
        overdue_report_count=overdue.count(),
        overdue_tasks=tasks,
        attention=attention,
        plans=plans,
    )


# --- plan and target --------------------------------------------------------------------------
@dataclass
class TargetLine:
    target: Target
    state: TargetState | None

    @property
    def status(self) -> str:
        return self.state.status if self.state else Status.NO_DATA.value

    @property
    def measurement(self) -> Measurement:
        s = self.state
        return Measurement(s.numerator, s.denominator, s.value) if s else Measurement()

    @property
    def period(self) -> str | None:
        return (self.state.period or None) if self.state else None

    @property
    def units(self) -> int:
        return self.state.units_total if self.state else 0


def plan_lines(plan: Plan) -> list[TargetLine]:
    states = {s.target_id: s for s in TargetState.objects.filter(plan_ref=plan.pk, unit__isnull=True)}
    targets = plan.targets.select_related("indicator", "lead_unit").order_by("position", "id")
    return [TargetLine(t, states.get(t.pk)) for t in targets]


def plan_lines_by_target(plan: Plan) -> dict[int, TargetLine]:
    """Each target of the plan with its evaluated figure (the derived tables, the plan's own span)."""
    return {line.target.pk: line for line in plan_lines(plan)}


def plan_counts(lines: list[TargetLine]) -> dict[str, int]:
    c = Counter(line.status for line in lines)
    return {s.value: c.get(s.value, 0) for s in STATUS_ORDER}


def target_unit_states(user, target: Target, *, order: str = "status") -> list[TargetState]:
    """The units' states for one target: all of them for whoever may see the plan's issuer (the
    issuer follows its plan), else only the units in the user's scope."""
    qs = TargetState.objects.filter(target=target, unit__isnull=False)
    issuer = target.plan.issuer
    if issuer is None or not permissions.has(user, permissions.VIEW, issuer):
        qs = _scoped(qs, scope_prefixes(user))
    rows = list(qs.select_related("unit"))
    rank = {s.value: i for i, s in enumerate([Status.NOT_MET, Status.AT_RISK, Status.NO_DATA, Status.MET])}

    def rate(s: TargetState) -> float:
        m = Measurement(s.numerator, s.denominator, s.value)
        r = m.rate if m.is_ratio else (m.value if m.value is not None else None)
        return float(r) if r is not None else -1.0

    if order == "value":
        rows.sort(key=lambda s: (-rate(s), s.unit.name))
    else:
        rows.sort(key=lambda s: (rank.get(s.status, 9), rate(s), s.unit.name))
    return rows


# --- unit scorecard -------------------------------------------------------------------------
@dataclass
class Scorecard:
    unit: Unit
    sections: list[tuple[Plan, list[TargetState]]]
    counts: dict[str, int]
    rank: ranking_core.Ranked | None = None
    peers: int = 0


def unit_scorecard(unit: Unit) -> Scorecard:
    states = list(
        TargetState.objects.filter(unit=unit)
        .select_related("target__plan__issuer", "target__indicator")
        .order_by("target__plan__year", "target__plan_id", "target__position", "target_id")
    )
    sections: dict[int, tuple[Plan, list]] = {}
    for s in states:
        sections.setdefault(s.target.plan_id, (s.target.plan, []))[1].append(s)
    c = Counter(s.status for s in states)
    card = Scorecard(unit, list(sections.values()), {s.value: c.get(s.value, 0) for s in STATUS_ORDER})
    if unit.parent_id:
        peers = ranking(None, root=unit.parent, kind=unit.kind)
        card.peers = len([r for r in peers if r.rank is not None])
        card.rank = next((r for r in peers if r.entry.key == unit.pk), None)
    return card


# --- ranking --------------------------------------------------------------------------------
def ranking(
    user,
    *,
    plan: Plan | None = None,
    root: Unit | None = None,
    kind: str | None = None,
    weighted: bool = False,
) -> list[ranking_core.Ranked]:
    """Units ranked by the share of their targets met (plain status, today's figure).

    ``user=None`` skips the scope filter (callers have checked access to ``root``)."""
    qs = TargetState.objects.filter(unit__isnull=False).exclude(status=Status.NOT_APPLICABLE)
    if user is not None:
        qs = _scoped(qs, scope_prefixes(user))
    if plan is not None:
        qs = qs.filter(plan_ref=plan.pk)
    if root is not None:
        qs = qs.filter(unit_path__startswith=root.path).exclude(unit=root)
    if kind:
        qs = qs.filter(unit__kind=kind)
    tally: dict[int, list] = {}
    names: dict[int, str] = {}
    for uid, uname, short, plain, weight in qs.values_list(
        "unit_id", "unit__name", "unit__short_name", "plain_status", "target__weight"
    ):
        t = tally.setdefault(uid, [0, 0, Decimal(0), Decimal(0)])
        w = weight if weighted else Decimal(1)
        t[1] += 1
        t[3] += w
        if plain == Status.MET:
            t[0] += 1
            t[2] += w
        names[uid] = short or uname
    entries = [ranking_core.Entry(uid, names[uid], t[0], t[1], t[2], t[3]) for uid, t in tally.items()]
    return ranking_core.rank(entries, weighted=weighted)


# --- indicator: roll-up and distribution ---------------------------------------------------
@dataclass
class RollupRow:
    unit: Unit | None
    unit_id: int | None
    measurement: Measurement
    reporting: int


@dataclass
class Rollup:
    indicator: Indicator
    period: str
    root: Unit
    mapped: bool
    total: Measurement
    rows: list[RollupRow]
    reporting: int
    overlap: list[Unit] = field(default_factory=list)

    def sorted_rows(self) -> list[RollupRow]:
        def key(r: RollupRow):
            m = r.measurement
            v = m.rate if m.is_ratio else m.value
            return (v is None, -(float(v) if v is not None else 0), r.unit.name if r.unit else "")

        return sorted(self.rows, key=key)


def _col(mapped: bool, depth: int) -> str:
    return f"{'m' if mapped else 'l'}{depth}"


def indicator_periods(indicator: Indicator, root: Unit | None = None, *, mapped: bool = False) -> list[str]:
    """The periods with data for the indicator in ``root``'s subtree, latest first (an index-only
    scan: the period id alone, its end computed here)."""
    qs = Fact.objects.filter(indicator_id=indicator.pk)
    if root is not None and root.depth < LEVELS:
        qs = qs.filter(**{_col(mapped, root.depth): root.pk})
    ids = set(qs.values_list("period", flat=True).distinct().order_by())
    return sorted(ids, key=_period_sort_key, reverse=True)


def _period_sort_key(pid: str):
    from chitieu.core.periods import PeriodError, parse

    try:
        p = parse(pid)
        return (p.calendar_window.end, -p.calendar_window.days)
    except PeriodError:
        return (dt.date.min, 0)


def rollup(indicator: Indicator, period: str, root: Unit, *, mapped: bool = False) -> Rollup:
    """The indicator for ``root``'s subtree in one period, total and per child unit.

    ``mapped=False`` groups units as they stood (a merged district stays itself); ``mapped=True``
    moves each unit's figures to the unit that carries its history today. Ratios are summed
    (numerators and denominators), never averaged.
    """
    d = root.depth
    has_ratio = Q(numerator__isnull=False, denominator__isnull=False)
    base = Fact.objects.filter(indicator_id=indicator.pk, period=period)
    if d < LEVELS:
        base = base.filter(**{_col(mapped, d): root.pk})
    else:
        base = base.filter(**({"mapped_unit_id": root.pk} if mapped else {"unit_id": root.pk}))
    group = _col(mapped, d + 1) if d + 1 < LEVELS else None
    sums = {
        "n": Sum("numerator", filter=has_ratio),
        "d": Sum("denominator", filter=has_ratio),
        "v": Sum("value"),
        "c": Count("id"),
    }
    rows: list[RollupRow] = []
    if group:
        grouped = base.values(group).annotate(**sums).order_by()
        ids = [g[group] for g in grouped if g[group] is not None]
        units = Unit.objects.in_bulk(ids)
        for g in grouped:
            gid = g[group]
            rows.append(
                RollupRow(
                    units.get(gid) if gid is not None else root,
                    gid if gid is not None else root.pk,
                    Measurement(g["n"], g["d"], g["v"]),
                    g["c"],
                )
            )
    total = base.aggregate(**sums)
    # a unit with its own figure and descendants with figures would be counted twice
    seen = list(base.values_list("unit_id", *[f"l{i}" for i in range(LEVELS)]))
    with_data = {r[0] for r in seen}
    overlap_ids = {a for r in seen for a in r[1:] if a is not None and a != r[0] and a in with_data}
    return Rollup(
        indicator,
        period,
        root,
        mapped,
        Measurement(total["n"], total["d"], total["v"]),
        rows,
        total["c"],
        list(Unit.objects.filter(pk__in=overlap_ids)),
    )


def distribution(
    indicator: Indicator,
    root: Unit,
    *,
    mapped: bool = False,
    kind: str | None = None,
    periods: list[str] | None = None,
    last: int = 12,
) -> list[tuple[str, list[float] | None, int]]:
    """Per period (the latest ``last`` of ``kind``): the five-number summary of the figures of
    ``root``'s child units (each child's subtree summed; rate for ratios), the units of the bar
    chart, for the box plot of the spread over time. One ``GROUP BY``; the percentages here are
    floats, for a chart only."""
    d = root.depth
    qs = Fact.objects.filter(indicator_id=indicator.pk)
    if d < LEVELS:
        qs = qs.filter(**{_col(mapped, d): root.pk})
    if kind:
        qs = qs.filter(period_kind=kind)
    if periods is not None:
        chosen = [p for p in periods if kind is None or _kind_of(p) == kind][:last]
        qs = qs.filter(period__in=chosen)
    group = _col(mapped, d + 1) if d + 1 < LEVELS else "unit_id"
    has_ratio = Q(numerator__isnull=False, denominator__isnull=False)
    rows = qs.values("period", group).annotate(
        n=Sum("numerator", filter=has_ratio), dd=Sum("denominator", filter=has_ratio), v=Sum("value")
    )
    by_period: dict[str, list[float]] = defaultdict(list)
    ends: dict[str, object] = {}
    for r in rows.order_by():
        ends[r["period"]] = _period_sort_key(r["period"])
        if r["n"] is not None and r["dd"]:
            by_period[r["period"]].append(float(r["n"]) * 100.0 / float(r["dd"]))
        elif r["n"] is None and r["v"] is not None:
            by_period[r["period"]].append(float(r["v"]))
    return [(p, five_numbers(by_period[p]), len(by_period[p])) for p in sorted(ends, key=lambda k: ends[k])]


def _kind_of(pid: str) -> str | None:
    from chitieu.core.periods import PeriodError, parse

    try:
        return parse(pid).kind.value
    except PeriodError:
        return None


def dominant_kind(periods: list[str]) -> str | None:
    """The period type most of the indicator's periods have (the box plot compares like with like)."""
    from chitieu.core.periods import PeriodError, parse

    kinds = Counter()
    for p in periods:
        try:
            kinds[parse(p).kind.value] += 1
        except PeriodError:
            continue
    return kinds.most_common(1)[0][0] if kinds else None
