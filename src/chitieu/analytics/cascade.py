"""The cascade of plans (who implements whom) and the checks between a parent and its children.

The comparison of targets is pure (:mod:`chitieu.core.cascade`); this module gathers plans,
citations and units, and adds the checks that need the unit register: a lead unit that is not
in it, or that no longer exists (merged in the 2025 reorganisation).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from chitieu.analytics.refresh import target_due
from chitieu.core import vntext
from chitieu.core.cascade import CascadeTarget, Finding, compare
from chitieu.core.evaluation import Operator
from chitieu.orgs.selectors import current_successor, find_by_name
from chitieu.plans.models import Plan, PlanCitation, Target, Task
from chitieu.plans.selectors import visible_plans

# lead-unit texts that name a group, not one unit ("Các phòng thuộc Sở", "UBND các xã")
_GROUP = re.compile(r"^(cac|tat ca|nhung|moi|cung) |\bcac\b|\bdon vi lien quan\b|\bco quan, don vi\b")
_TITLES = re.compile(r"^(chanh|pho chanh|giam doc|pho giam doc|truong|pho truong|chu tich|pho chu tich) ")


@dataclass
class Node:
    key: str
    label: str
    plan: Plan | None = None
    number_symbol: str = ""
    date_text: str = ""
    issuer_name: str = ""
    children: list[Node] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def in_system(self) -> bool:
        return self.plan is not None

    def to_echarts(self, depth: int = 0) -> dict:
        errors = sum(1 for f in self.findings if f.severity == "error")
        name = self.label if not errors else f"{self.label} ⚠ {errors}"
        out: dict = {"name": name, "value": self.key}
        if depth < 8 and self.children:
            out["children"] = [c.to_echarts(depth + 1) for c in self.children]
        if not self.in_system:
            out["itemStyle"] = {"borderType": "dashed"}
        return out


def _cascade_targets(plan: Plan) -> list[CascadeTarget]:
    out = []
    for t in plan.targets.all():
        if t.indicator_id is None:
            continue
        out.append(
            CascadeTarget(
                ref=t.pk,
                indicator=t.indicator.code,
                operator=Operator(t.operator),
                threshold=t.threshold,
                unit=t.unit,
                due=target_due(t),
                scope_kind=t.scope_kind,
                text=t.text,
            )
        )
    return out


def _date_vi(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def lead_unit_findings(plan: Plan, *, on: dt.date | None = None) -> list[Finding]:
    """Lead units of the plan's targets and tasks that are unknown or no longer valid."""
    on = on or plan.issued_on or timezone.localdate()
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    items: list[Target | Task] = [*plan.targets.all(), *plan.tasks.all()]
    for item in items:
        what = "chỉ tiêu" if isinstance(item, Target) else "nhiệm vụ"
        ref = f"{'target' if isinstance(item, Target) else 'task'}:{item.pk}"
        unit = item.lead_unit
        text = (item.lead_unit_text or "").strip()
        if unit is None and text:
            key = vntext.fold(text)
            if _GROUP.search(key):
                continue
            name = _TITLES.sub("", key)
            found = find_by_name(name) or find_by_name(text)
            if not found:
                if ("unknown", key) not in seen:
                    seen.add(("unknown", key))
                    findings.append(
                        Finding(
                            "lead-unit-unknown",
                            "warning",
                            f"Đơn vị chủ trì \u201c{text}\u201d ({what} \u201c{item.text[:80]}\u201d) "
                            "không có trong danh mục đơn vị.",
                            child_ref=ref,
                        )
                    )
                continue
            if len(found) == 1:
                unit = found[0]
        if unit is not None and unit.valid_to is not None and unit.valid_to < on:
            if ("invalid", str(unit.pk)) in seen:
                continue
            seen.add(("invalid", str(unit.pk)))
            now = current_successor(unit)
            tail = f", nay là {now.name}" if now.pk != unit.pk else ""
            findings.append(
                Finding(
                    "lead-unit-invalid",
                    "error",
                    f"Đơn vị chủ trì \u201c{unit.name}\u201d ({what} \u201c{item.text[:80]}\u201d) đã "
                    f"thôi hoạt động từ {_date_vi(unit.valid_to)}{tail}.",
                    child_ref=ref,
                )
            )
    return findings


def check_plan(child: Plan) -> list[Finding]:
    """Every finding for ``child``: against each parent plan in the system, and its lead units."""
    findings: list[Finding] = []
    child_targets = _cascade_targets(child)
    child_kind = child.issuer.kind if child.issuer else ""
    for c in child.citations.select_related("parent__issuer").all():
        parent = c.parent
        if parent is None:
            continue
        label = f"kế hoạch {parent.number_symbol}" if parent.number_symbol else "kế hoạch cấp trên"
        findings.extend(
            compare(_cascade_targets(parent), child_targets, parent_label=label, child_kind=child_kind)
        )
    findings.extend(lead_unit_findings(child))
    return findings


def _plans(user):
    targets = Target.objects.select_related("indicator", "lead_unit", "plan")
    tasks = Task.objects.select_related("lead_unit", "plan")
    return (
        visible_plans(user)
        .select_related("issuer")
        .prefetch_related(
            Prefetch("targets", queryset=targets),
            Prefetch("tasks", queryset=tasks),
            Prefetch("citations", queryset=PlanCitation.objects.select_related("parent")),
        )
        .order_by("year", "issued_on", "id")
    )


def plan_tree(user, *, with_checks: bool = True) -> list[Node]:
    """The plans the user may see as a forest: each plan under the documents it cites (a plan
    citing two parents appears under both; cited documents not in the system are shown as
    placeholders so the chain stays readable)."""
    plans = list(_plans(user))
    nodes: dict[str, Node] = {}
    for p in plans:
        nodes[f"plan:{p.pk}"] = Node(
            f"plan:{p.pk}",
            p.number_symbol or p.title[:60],
            plan=p,
            number_symbol=p.number_symbol,
            date_text=p.date_text,
            issuer_name=p.issuer_name,
        )
    has_parent: set[str] = set()
    for p in plans:
        child = nodes[f"plan:{p.pk}"]
        if with_checks:
            child.findings = check_plan(p)
        for c in p.citations.all():
            if c.relation == PlanCitation.Relation.CITES:
                continue
            if c.parent_id and f"plan:{c.parent_id}" in nodes:
                key = f"plan:{c.parent_id}"
            else:
                key = f"doc:{c.number_symbol}|{c.date_text[:4]}"
                if key not in nodes:
                    nodes[key] = Node(
                        key,
                        c.number_symbol,
                        number_symbol=c.number_symbol,
                        date_text=c.date_text,
                        issuer_name=c.issuer_name,
                    )
            if child not in nodes[key].children:
                nodes[key].children.append(child)
                has_parent.add(child.key)
    roots = [n for k, n in nodes.items() if k not in has_parent]
    # plans that cite each other in a ring have no root: show one of them as a root
    reached: set[str] = set()
    out = [_acyclic(r, frozenset(), reached) for r in roots]
    for k, n in nodes.items():
        if k not in reached:
            out.append(_acyclic(n, frozenset(), reached))
    return out


def _acyclic(node: Node, path: frozenset[str], reached: set[str]) -> Node:
    """A copy of the subtree without edges back to an ancestor (citation rings)."""
    reached.add(node.key)
    path = path | {node.key}
    copy = Node(**{**node.__dict__, "children": []})
    copy.children = [_acyclic(c, path, reached) for c in node.children if c.key not in path]
    return copy


def all_findings(roots: list[Node]) -> list[tuple[Node, Finding]]:
    out, seen = [], set()
    stack = list(roots)
    while stack:
        n = stack.pop(0)
        if n.key in seen:
            continue
        seen.add(n.key)
        out.extend((n, f) for f in n.findings)
        stack.extend(n.children)
    return out
