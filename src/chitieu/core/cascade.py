"""Plan cascade checks: does a child plan carry its parent's targets faithfully?

Pure Python. For each indicator present in a parent and a child plan the checks flag a child
target weaker than the parent's (parent "trên 70%", child "trên 60%"), a parent target missing
from the child, and a child deadline later than the parent's. Lead-unit checks need the unit
register and live in :mod:`chitieu.analytics.cascade`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from chitieu.core import numbers
from chitieu.core.evaluation import Operator

_HIGHER = {Operator.GT, Operator.GE}
_LOWER = {Operator.LT, Operator.LE}


@dataclass(frozen=True)
class CascadeTarget:
    ref: int | str
    indicator: str
    operator: Operator
    threshold: Decimal
    unit: str = "%"
    due: dt.date | None = None
    scope_kind: str = ""
    text: str = ""

    def describe_vi(self) -> str:
        value = numbers.decimal_text(self.threshold)
        return f"{self.operator.phrase_vi} {value}{'%' if self.unit == '%' else ''}"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # "error" | "warning"
    message: str
    parent_ref: int | str | None = None
    child_ref: int | str | None = None


def _strictness(t: CascadeTarget) -> tuple[Decimal, int]:
    """A sortable demand: higher means harder to meet, within one direction."""
    if t.operator in _HIGHER:
        return (t.threshold, 1 if t.operator is Operator.GT else 0)
    if t.operator in _LOWER:
        return (-t.threshold, 1 if t.operator is Operator.LT else 0)
    return (t.threshold, 0)


def weaker(child: CascadeTarget, parent: CascadeTarget) -> bool:
    """Whether the child asks for less than the parent (same direction only)."""
    if child.unit != parent.unit:
        return False
    if child.operator in _HIGHER and parent.operator in _HIGHER:
        return _strictness(child) < _strictness(parent)
    if child.operator in _LOWER and parent.operator in _LOWER:
        return _strictness(child) < _strictness(parent)
    if child.operator is Operator.EQ and parent.operator is Operator.EQ:
        return False
    if child.operator is Operator.EQ and parent.operator in _HIGHER:
        return not parent.operator.holds(child.threshold, parent.threshold)
    if child.operator is Operator.EQ and parent.operator in _LOWER:
        return not parent.operator.holds(child.threshold, parent.threshold)
    return False


def _scopes_match(a: CascadeTarget, b: CascadeTarget) -> bool:
    return not a.scope_kind or not b.scope_kind or a.scope_kind == b.scope_kind


def _date_vi(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def compare(
    parent: Iterable[CascadeTarget],
    child: Iterable[CascadeTarget],
    *,
    parent_label: str = "kế hoạch cấp trên",
    child_kind: str = "",
) -> list[Finding]:
    """Findings for one parent/child pair of plans.

    ``child_kind`` is the unit kind of the child's issuer: a parent target scoped to another
    kind of unit (e.g. communes) is not expected in, say, a department's plan.
    """
    parents = [t for t in parent if t.indicator]
    children = [t for t in child if t.indicator]
    findings: list[Finding] = []
    by_ind: dict[str, list[CascadeTarget]] = {}
    for t in children:
        by_ind.setdefault(t.indicator, []).append(t)
    for p in parents:
        matches = [c for c in by_ind.get(p.indicator, []) if _scopes_match(c, p)]
        if not matches:
            if p.scope_kind and child_kind and p.scope_kind != child_kind:
                continue
            findings.append(
                Finding(
                    "missing-target",
                    "warning",
                    f"Chỉ tiêu \u201c{p.text}\u201d ({p.describe_vi()}) của {parent_label} "
                    "không có trong kế hoạch này.",
                    parent_ref=p.ref,
                )
            )
            continue
        for c in matches:
            if weaker(c, p):
                findings.append(
                    Finding(
                        "weaker-target",
                        "error",
                        f"Chỉ tiêu \u201c{c.text}\u201d đặt {c.describe_vi()}, thấp hơn mức "
                        f"{p.describe_vi()} của {parent_label}.",
                        parent_ref=p.ref,
                        child_ref=c.ref,
                    )
                )
            if c.due and p.due and c.due > p.due:
                findings.append(
                    Finding(
                        "later-deadline",
                        "error",
                        f"Chỉ tiêu \u201c{c.text}\u201d có hạn {_date_vi(c.due)}, muộn hơn hạn "
                        f"{_date_vi(p.due)} của {parent_label}.",
                        parent_ref=p.ref,
                        child_ref=c.ref,
                    )
                )
    return findings
