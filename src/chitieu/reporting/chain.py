"""A plan's own reporting regime, read from its reporting sentences: the chain of steps (units →
compiling office → upper body), each with its rule for each kind of period.

The plans app hands over the sentences found by ``extraction.schedule`` through the ``plan_imported``
hook; the names in them go through the same resolver as the plan's targets; what the plan does not
state falls back to the default regime (settings.CHITIEU_DEFAULT_REGIME), and the review page says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from chitieu.audit.services import record
from chitieu.core.deadlines import DeadlineRule, period_tag
from chitieu.core.periods import Period
from chitieu.core.unitnames import resolve_all
from chitieu.orgs import naming
from chitieu.orgs.models import Unit
from chitieu.plans.models import Plan
from chitieu.reporting.models import PlanSchedule, ReportingRegime


@dataclass
class StepRule:
    kinds: list[str]
    rule: DeadlineRule
    only: list[str]

    def applies_to(self, p: Period) -> bool:
        if p.kind.value not in self.kinds:
            return False
        if self.only and period_tag(p) not in self.only:
            return False
        return self.rule.applies_to(p)


def step_rules(step: dict) -> list[StepRule]:
    out = []
    for r in step.get("rules") or []:
        d = dict(r["rule"])
        only = list(d.pop("only", []) or [])
        out.append(StepRule(list(r["kinds"]), DeadlineRule.from_dict(d), only))
    return out


def rule_for(step: dict, p: Period) -> StepRule | None:
    return next((r for r in step_rules(step) if r.applies_to(p)), None)


def _first_unit(resolver, text: str | None) -> int | None:
    for res in resolve_all(resolver, text):
        if res.status == "unit":
            return res.units[0]
    return None


def _sender_ids(resolver, text: str | None) -> list[int]:
    return sorted(
        {i for res in resolve_all(resolver, text) if res.status in ("unit", "group") for i in res.units}
    )


def build_steps(plan: Plan, statements: list[dict]) -> list[dict]:
    """Order the plan's reporting sentences into a chain: the first step is the one whose senders are
    not the recipient of another sentence; each next step is sent by the previous step's recipient."""
    if not statements or plan.issuer is None:
        return []
    on = plan.issued_on or (dt.date(plan.year, 1, 1) if plan.year else None)
    groups = (
        {"thi diem": list(plan.pilot_units.values_list("pk", flat=True))}
        if plan.pilot_units.exists()
        else None
    )
    resolver = naming.resolver_for(plan.issuer, on=on, groups=groups)
    rows = []
    for st in statements:
        rows.append(
            {
                "from_text": st.get("sender") or "",
                "from_ids": _sender_ids(resolver, st.get("sender")),
                "to_text": st.get("recipient") or "",
                "to": _first_unit(resolver, st.get("recipient")),
                "via_text": st.get("via") or "",
                "via": _first_unit(resolver, st.get("via")),
                "rules": st.get("rules") or [{"kinds": st["kinds"], "rule": st["rule"]}],
                "rule_text": st.get("rule_text") or "",
                "text": (st.get("text") or "")[:1000],
                "source_line": st.get("source_line"),
            }
        )
    recipients = {r["to"] for r in rows if r["to"]}
    firsts = [r for r in rows if not (len(r["from_ids"]) == 1 and r["from_ids"][0] in recipients)]
    if not firsts:
        firsts = rows[:1]
    chain = [firsts[0]]
    used = {id(firsts[0])}
    while chain[-1]["to"]:
        nxt = next(
            (
                r
                for r in rows
                if id(r) not in used and chain[-1]["to"] in r["from_ids"] and len(r["from_ids"]) == 1
            ),
            None,
        )
        if nxt is None:
            break
        chain.append(nxt)
        used.add(id(nxt))
    chain[0]["from"] = "reporters"
    for r in chain[1:]:
        r["from"] = r["from_ids"][0]
    return chain


def _regime_from(plan: Plan, steps: list[dict], *, typed: bool = False) -> ReportingRegime | None:
    if not steps:
        return None
    first = steps[0]
    kinds = list(dict.fromkeys(k for r in first["rules"] for k in r["kinds"]))
    d = settings.CHITIEU_DEFAULT_REGIME
    label = "theo lịch đã sửa của" if typed else "theo"
    return ReportingRegime.objects.create(
        name=f"Chế độ báo cáo {label} {plan.number_symbol or 'kế hoạch'}"[:255],
        period_kinds=kinds,
        window=d.get("window") or {"kind": "cutoff", "turn_day": 15},
        deadline_rule={k: v for k, v in first["rules"][0]["rule"].items() if k != "only"},
        deadline_phrase=first["rule_text"][:255],
        approval_levels=int(d.get("approval_levels", 1)),
        steps=steps,
        stated=True,
        source_line=None if typed else first["source_line"],
    )


@transaction.atomic
def plan_imported(*, actor, plan: Plan, schedule: list[dict]) -> PlanSchedule:
    """The ``plan_imported`` hook: the plan's own regime from its sentences, or the default one."""
    steps = build_steps(plan, schedule)
    regime = _regime_from(plan, steps)
    sched, _ = PlanSchedule.objects.update_or_create(plan=plan, defaults={"regime": regime})
    record(
        actor=actor,
        action="create",
        obj=sched,
        after={"regime": regime.pk if regime else None, "steps": len(steps)},
        reason="chế độ báo cáo đọc từ kế hoạch"
        if steps
        else "kế hoạch không nêu chế độ báo cáo: áp dụng mặc định",
    )
    return sched


MAX_SCHEDULE_TEXT = 4000


def schedule_text(plan: Plan) -> str:
    """The sentences the plan's schedule was read from (what the review page's editor starts with)."""
    sched = PlanSchedule.objects.filter(plan=plan).select_related("regime").first()
    if sched is None or sched.regime is None:
        return ""
    return "\n".join(s.get("text") or s.get("rule_text") or "" for s in sched.regime.steps or []).strip()


@transaction.atomic
def plan_schedule_edit(*, actor, plan: Plan, text: str) -> tuple[PlanSchedule, int]:
    """A person corrects the plan's reporting schedule by writing its sentences as a plan would
    ("Các đơn vị báo cáo Văn phòng Sở trước ngày 15 của tháng cuối quý; Văn phòng Sở tổng hợp báo cáo
    UBND tỉnh trước ngày 20"). Read by the same rules as the plan's own paragraph; an empty text means
    the default regime. On an active plan the open reports take the new due days and the compiling
    steps follow; sent and approved reports keep theirs. Returns the schedule and how many reports
    changed."""
    from chitieu.core.errors import Conflict, Invalid
    from chitieu.extraction.schedule import from_text
    from chitieu.orgs import permissions
    from chitieu.plans.models import PlanStatus
    from chitieu.reporting import obligations

    permissions.require(actor, permissions.MANAGE, plan.issuer)
    if plan.status == PlanStatus.CLOSED:
        raise Conflict("Kế hoạch đã kết thúc: không sửa lịch báo cáo.")
    text = (text or "").strip()
    if len(text) > MAX_SCHEDULE_TEXT:
        raise Invalid(f"Lịch báo cáo dài quá {MAX_SCHEDULE_TEXT} ký tự.", field="text")
    steps: list[dict] = []
    if text:
        from dataclasses import asdict

        statements = [asdict(st) for st in from_text(text)]
        steps = build_steps(plan, statements)
        if not steps:
            raise Invalid(
                "Không đọc được kỳ và hạn báo cáo trong câu đã nhập. Ví dụ: “Định kỳ hằng quý, các đơn vị "
                "báo cáo Văn phòng Sở trước ngày 15 của tháng cuối quý; Văn phòng Sở tổng hợp báo cáo "
                "UBND tỉnh trước ngày 20 của tháng cuối quý.”",
                field="text",
            )
    sched, _ = PlanSchedule.objects.get_or_create(plan=plan)
    before = {"regime": sched.regime_id, "text": schedule_text(plan)}
    sched.regime = _regime_from(plan, steps, typed=True)
    sched.save()
    changed = 0
    if plan.status == PlanStatus.ACTIVE:
        from chitieu.reporting.models import Submission

        due_before = dict(Submission.objects.filter(plan=plan).values_list("pk", "due_date"))
        obligations.obligations_generate(actor=actor, plan=plan)
        due_after = dict(Submission.objects.filter(plan=plan).values_list("pk", "due_date"))
        changed = sum(1 for k, v in due_after.items() if due_before.get(k) != v) + len(
            set(due_before) - set(due_after)
        )
    record(
        actor=actor,
        action="update",
        obj=sched,
        before=before,
        after={"regime": sched.regime_id, "text": text, "steps": len(steps), "reports_changed": changed},
        reason="sửa lịch báo cáo của kế hoạch",
    )
    return sched, changed


def unit_name(pk: int | None) -> str:
    if not pk:
        return ""
    u = Unit.objects.filter(pk=pk).only("name", "short_name").first()
    return u.display_name if u else ""
