"""Reads on frameworks: results with ranking and year-over-year, what a user may see, the live
evaluation of a framework for any unit and period (the 766 index from the data as it stands)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Q, QuerySet

from chitieu.core import ranking
from chitieu.core import scoring as core
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit
from chitieu.scoring.definitions import definition
from chitieu.scoring.evaluation import DATA_METHODS, data_points, to_decimal, totals
from chitieu.scoring.models import Assessment, AssessmentStatus, Criterion, Framework, FrameworkStatus
from chitieu.scoring.workflow import allowed_actions, may_appraise, may_self_assess

__all__ = ["allowed_actions", "may_appraise", "may_self_assess"]


def visible_frameworks(user) -> QuerySet[Framework]:
    if permissions.is_global_admin(user):
        return Framework.objects.all()
    units = permissions.units_for(user, permissions.VIEW)
    return Framework.objects.filter(
        Q(owner__isnull=True)
        | Q(owner__in=units)
        | Q(assessments__unit__in=units)
        | Q(assessments__appraisers=user)
    ).distinct()


def may_see_results(user, fw: Framework) -> bool:
    """Everyone concerned once published; before that, the owner's managers and appraisers."""
    if fw.status == FrameworkStatus.PUBLISHED:
        return True
    return (
        permissions.has(user, permissions.MANAGE, fw.owner) or fw.assessments.filter(appraisers=user).exists()
    )


def assessments_for(user, fw: Framework) -> QuerySet[Assessment]:
    qs = fw.assessments.select_related("unit")
    if permissions.has(user, permissions.MANAGE, fw.owner):
        return qs
    units = permissions.units_for(user, permissions.VIEW)
    return qs.filter(Q(unit__in=units) | Q(appraisers=user)).distinct()


@dataclass
class ResultRow:
    unit: Unit
    assessment: Assessment
    self_total: Decimal | None
    final_total: Decimal | None
    groups: dict[str, Decimal | None]
    previous: Decimal | None = None
    rank: int | None = None
    explanation: str = ""

    @property
    def change(self) -> Decimal | None:
        if self.previous is None or self.final_total is None:
            return None
        return self.final_total - self.previous


@dataclass
class Results:
    framework: Framework
    groups: list[Criterion]
    rows: list[ResultRow] = field(default_factory=list)
    previous: Framework | None = None


def previous_version(fw: Framework) -> Framework | None:
    """The same framework's earlier edition (an earlier period or version) on the same scale, for
    year-over-year (DTI 2022's 1,000 points and DTI 2024's 0-1 values are not compared)."""
    qs = Framework.objects.filter(code=fw.code, max_points=fw.max_points, scale=fw.scale).exclude(pk=fw.pk)
    qs = (
        qs.filter(Q(period__lt=fw.period) | Q(period=fw.period, version__lt=fw.version))
        if fw.period
        else qs.filter(version__lt=fw.version)
    )
    return qs.order_by("-period", "-version").first()


def results(fw: Framework) -> Results:
    groups = list(fw.criteria.filter(parent__isnull=True).order_by("position"))
    prev = previous_version(fw)
    prev_totals = {}
    if prev is not None:
        prev_totals = {a.unit_id: a.final_total for a in prev.assessments.exclude(final_total__isnull=True)}
    out = Results(fw, groups, previous=prev)
    for a in fw.assessments.select_related("unit").order_by("unit__path"):
        final = a.final_total
        _, parts = totals(a, "final")
        out.rows.append(
            ResultRow(
                a.unit,
                a,
                a.self_total,
                final,
                {g.code: parts.get(g.code) for g in groups},
                prev_totals.get(a.unit_id),
            )
        )
    scored = [
        (r.unit.pk, r.unit.display_name, Fraction(r.final_total))
        for r in out.rows
        if r.final_total is not None
    ]
    ranked = {p.key: p for p in ranking.rank_by_points(scored)}
    for r in out.rows:
        p = ranked.get(r.unit.pk)
        if p is not None:
            r.rank, r.explanation = p.rank, p.explanation
    out.rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit.name))
    return out


def radar(result: Results, row: ResultRow) -> dict:
    """Each group as a share of its maximum (for a radar chart)."""
    return {
        "indicators": [{"name": g.name, "max": 100} for g in result.groups],
        "values": [
            round(float(row.groups[g.code] or 0) / float(g.max_points) * 100, 1) if g.max_points else 0
            for g in result.groups
        ],
    }


# --- live evaluation (no assessment: the 766 index from the data) --------------------------------
@dataclass
class LiveLine:
    criterion: Criterion
    depth: int
    value: Decimal | None
    points: Decimal | None
    max_points: Decimal
    source: str
    state: str  # computed | na | missing | manual | group | tracked
    origin: str = ""


ASSESSED_IN_CYCLE = "chấm trong kỳ đánh giá (tự đánh giá, thẩm định)"


def live(fw: Framework, unit: Unit, period: str) -> tuple[list[LiveLine], Decimal, Decimal, int]:
    """(lines, total points, points that could be computed, number of missing criteria)."""
    fd = definition(fw)
    fdef = {c.code: c for c in fd.walk()}
    rows = list(fw.criteria.select_related("indicator", "multiply_by").order_by("position"))
    leaf: dict[str, Fraction | None] = {}
    found: dict[str, object] = {}
    for c in rows:
        d = fdef[c.code]
        if not d.is_leaf:
            continue
        if c.method in DATA_METHODS and (c.method == "survey" or c.indicator_id):
            dp = data_points(c, d, unit, period)
            found[c.code] = dp
            leaf[c.code] = dp.points
        else:
            leaf[c.code] = None
    missing = 0
    possible = Decimal(0)
    lines: list[LiveLine] = []
    for c in rows:
        d = fdef[c.code]
        if not d.is_leaf:
            p, _ = core.total(d, leaf)
            lines.append(LiveLine(c, c.depth, None, to_decimal(p), c.max_points, "", "group"))
            continue
        dp = found.get(c.code)
        if dp is not None:
            state = "tracked" if c.method == "tracked" else dp.state
            value, source, origin = dp.value, dp.source, dp.origin
        else:
            state = "tracked" if c.method == "tracked" else "manual"
            value, source, origin = None, ASSESSED_IN_CYCLE if c.method != "tracked" else "", ""
        p = leaf.get(c.code)
        if c.method != "tracked":
            if p is None:
                missing += 1
            else:
                possible += c.max_points
        lines.append(LiveLine(c, c.depth, value, to_decimal(p), c.max_points, source, state, origin))
    grand = sum((core.total(d, leaf)[0] for d in fd.criteria), Fraction(0))
    return lines, to_decimal(grand), possible, missing


def assessment_lines(a: Assessment) -> list[dict]:
    """Criteria of an assessment in order, with self and appraised points side by side."""
    scores = {s.criterion_id: s for s in a.scores.prefetch_related("files")}
    _, self_parts = totals(a, "self")
    _, final_parts = totals(a, "final")
    out = []
    for c in a.framework.criteria.select_related("indicator").order_by("position"):
        s = scores.get(c.pk)
        out.append(
            {
                "criterion": c,
                "score": s,
                "leaf": s is not None,
                "self": self_parts.get(c.code),
                "final": final_parts.get(c.code),
                "changed": s is not None and s.appraisal_reason != "",
            }
        )
    return out


def status_counts(fw: Framework) -> dict[str, int]:
    counts = {s.value: 0 for s in AssessmentStatus}
    for st in fw.assessments.values_list("status", flat=True):
        counts[st] += 1
    return counts


# --- drafts: review beside the source -------------------------------------------------------------
def visible_drafts(user) -> QuerySet:
    from chitieu.scoring.models import DraftStatus, FrameworkDraft

    qs = FrameworkDraft.objects.exclude(status=DraftStatus.DISCARDED).select_related("owner", "framework")
    if permissions.is_global_admin(user):
        return qs
    return qs.filter(owner__in=permissions.units_for(user, permissions.VIEW))


@dataclass
class ReviewRow:
    index: int
    row: dict
    depth: int
    is_leaf: bool
    problems: list[str]
    children_total: Decimal | None


@dataclass
class Review:
    draft: object
    rows: list[ReviewRow]
    check: object
    source: list[dict]  # {"n", "text", "marked"}
    may_edit: bool


def draft_review(user, draft) -> Review:
    """The draft's rows as a tree (depth, problems, the sum of each parent's children) beside the
    numbered source lines they came from."""
    from chitieu.scoring.drafts import draft_check
    from chitieu.scoring.models import DraftStatus

    check = draft_check(draft)
    rows = draft.rows
    depth: dict[str, int] = {}
    kids: dict[str, Decimal] = {}
    has_kids: set[str] = set()
    for r in rows:
        parent = r.get("parent") or ""
        depth[r["code"]] = depth.get(parent, -1) + 1 if parent else 0
        if parent:
            has_kids.add(parent)
            kids[parent] = kids.get(parent, Decimal(0)) + Decimal(str(r.get("max_points") or 0))
    from chitieu.scoring.definitions import ROW_FIELDS

    blank = {k: "" for k in ROW_FIELDS} | {
        "bands": [],
        "method": "manual",
        "max_points": None,
        "source_line": None,
    }
    out = [
        ReviewRow(
            i,
            {**blank, **r},
            depth.get(r["code"], 0),
            r["code"] not in has_kids,
            check.row_problems.get(r["code"], []),
            kids.get(r["code"]),
        )
        for i, r in enumerate(rows)
    ]
    marked = {r.get("source_line") for r in rows if r.get("source_line")}
    source = []
    for line in (draft.source_text or "").split("\n"):
        num, _, text = line.partition("\t")
        if num.isdigit():
            source.append({"n": int(num), "text": text, "marked": int(num) in marked})
    may_edit = draft.status == DraftStatus.REVIEW and permissions.has(user, permissions.MANAGE, draft.owner)
    return Review(draft, out, check, source, may_edit)


# --- self-assessed, appraised and published side by side ------------------------------------------
@dataclass
class Triple:
    self_points: Decimal | None
    final: Decimal | None
    published: Decimal | None

    @property
    def appraisal_change(self) -> Decimal | None:
        if self.self_points is None or self.final is None:
            return None
        return self.final - self.self_points

    @property
    def published_gap(self) -> Decimal | None:
        """Published less appraised (less self-assessed when there is no appraisal)."""
        base = self.final if self.final is not None else self.self_points
        if base is None or self.published is None:
            return None
        return self.published - base


@dataclass
class ComparisonRow:
    unit: Unit
    assessment: Assessment | None
    cells: dict[str, Triple]  # criterion code ("" = total) -> the three figures
    note: str = ""


@dataclass
class Comparison:
    framework: Framework
    groups: list[Criterion]
    rows: list[ComparisonRow]

    @property
    def codes(self) -> list[str]:
        return [g.code for g in self.groups] + [""]


def comparison(fw: Framework) -> Comparison:
    """Each unit's self-assessed, appraised and published points per group and in total. A merged
    unit without published figures of its own takes its predecessors' (their average or sum, as
    the framework says: DTI 2024 averages the former provinces)."""
    from chitieu.orgs.models import UnitSuccession
    from chitieu.scoring.models import PublishedScore

    groups = list(fw.criteria.filter(parent__isnull=True).order_by("position"))
    codes = [g.code for g in groups] + [""]
    published: dict[int, dict[str, Decimal]] = {}
    for p in PublishedScore.objects.filter(framework=fw):
        published.setdefault(p.unit_id, {})[p.code] = p.points
    for unit_pub in published.values():
        if "" not in unit_pub and all(g.code in unit_pub for g in groups):
            unit_pub[""] = sum((unit_pub[g.code] for g in groups), Decimal(0))
    assessments = {a.unit_id: a for a in fw.assessments.select_related("unit")}
    unit_ids = set(assessments) | set(published)
    units = Unit.objects.in_bulk(unit_ids)
    notes: dict[int, str] = {}
    for uid in list(assessments):
        if uid in published:
            continue
        preds = list(
            UnitSuccession.objects.filter(
                successor_id=uid, predecessor_id__in=list(published)
            ).select_related("predecessor")
        )
        if not preds:
            continue
        merged = {}
        for code in codes:
            vals = [
                Fraction(published[p.predecessor_id][code])
                for p in preds
                if code in published[p.predecessor_id]
            ]
            if len(vals) == len(preds):
                merged[code] = to_decimal(core.merge_values(vals, fw.merge_rule))
        published[uid] = merged
        word = "trung bình" if fw.merge_rule == "average" else "tổng"
        notes[uid] = f"{word} kết quả công bố của {', '.join(p.predecessor.display_name for p in preds)}"
    rows = []
    for uid in sorted(unit_ids, key=lambda i: (units[i].path, units[i].name)):
        a = assessments.get(uid)
        self_parts, final_parts = ({}, {})
        if a is not None:
            s_total, self_parts = totals(a, "self")
            f_total, final_parts = totals(a, "final")
            self_parts[""] = a.self_total if a.self_total is not None else s_total
            final_parts[""] = a.final_total
            if a.final_total is None:
                final_parts = {}
        pub = published.get(uid, {})
        cells = {c: Triple(self_parts.get(c), final_parts.get(c), pub.get(c)) for c in codes}
        rows.append(ComparisonRow(units[uid], a, cells, notes.get(uid, "")))
    return Comparison(fw, groups, rows)
